/**
 * Runs one scenario in this (fresh) process: warm-up runs, then timed runs,
 * and writes one JSON line to stdout: the run times, the counts, the lines
 * the library tried to print (must be 0) and this process's peak RSS.
 *
 * usage: node bench/child.mjs <scenario> <params-json> <warmups> <runs>
 */
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { SCENARIOS } from "./scenarios.mjs";

const [name, paramsJson = "{}", warmupsArg = "2", runsArg = "7"] = process.argv.slice(2);
const scenario = SCENARIOS[name];
if (!scenario) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(", ")}`);
const params = JSON.parse(paramsJson);
const dist = resolve(process.env.AG2TS_BENCH_DIST ?? new URL("../dist", import.meta.url).pathname);
const lib = await import(pathToFileURL(`${dist}/index.mjs`).href);
const testing = await import(pathToFileURL(`${dist}/testing.mjs`).href);

let printed = 0;
const nullStream = {
  print() {
    printed += 1;
  },
  input() {
    throw new Error("the bench gives no human input");
  },
};

// Warnings would go to stderr: count them instead (S5 warns once that the queue reuses a recipient).
let logged = 0;
lib.set_logger(() => {
  logged += 1;
});

// The null stream is made the global default rather than scoped with
// IOStream.set_default(stream, fn): a scope is an AsyncLocalStorage, and once one
// is entered Node 20 runs promise hooks on every promise of the process
// (AG2TS_BENCH_SCOPED_IO=1 measures that way instead).
const runs = [];
const all = async () => {
  for (let i = 0; i < Number(warmupsArg); i++) await scenario(lib, testing, params);
  for (let i = 0; i < Number(runsArg); i++) runs.push(await scenario(lib, testing, params));
};
if (process.env.AG2TS_BENCH_SCOPED_IO === "1") {
  await lib.IOStream.set_default(nullStream, all);
} else {
  lib.IOStream.set_global_default(nullStream);
  await all();
}

process.stdout.write(
  JSON.stringify({
    scenario: name,
    params,
    messages: runs[0].messages,
    llm_calls: runs[0].llm_calls,
    ms: runs.map((r) => r.ms),
    cpu_ms: runs.map((r) => r.cpu_ms),
    printed,
    logged,
    max_rss_kb: process.resourceUsage().maxRSS,
  }) + "\n",
);
