/**
 * Runs one scenario with one model client in this (fresh) process: warm-up
 * runs, then timed runs, and writes one JSON line to stdout: the run times,
 * the counts, the lines the library tried to print, the time the import of
 * dist/index.mjs took in this process, and this process's peak RSS.
 *
 * usage: node bench/child.mjs <scenario> <client> [params-json] [warmups] [runs]
 *   client: custom | openai | scripted
 *   cold: warmups 0, runs 1; hot: e.g. warmups 5, runs 11.
 * env: AG2TS_BENCH_DIST (default ../dist), AG2TS_BENCH_OPENAI_URL (the fake
 *   server; without it the openai client starts its own), AG2TS_BENCH_RECORD
 *   (openai: file the server writes the first timed run's requests to).
 */
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { SCENARIOS } from "./scenarios.mjs";
import { makeEnv, silence } from "./clients.mjs";

const [name, client = "custom", paramsJson = "{}", warmupsArg = "0", runsArg = "1"] = process.argv.slice(2);
const scenario = SCENARIOS[name];
if (!scenario) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(", ")}`);
const params = JSON.parse(paramsJson);
const dist = resolve(process.env.AG2TS_BENCH_DIST ?? new URL("../dist", import.meta.url).pathname);

const i0 = performance.now();
const lib = await import(pathToFileURL(`${dist}/index.mjs`).href);
const import_ms = performance.now() - i0;
// Only the scripted client needs ag2ts/testing; the others do not load it.
const testing = client === "scripted" ? await import(pathToFileURL(`${dist}/testing.mjs`).href) : null;

let serverUrl = process.env.AG2TS_BENCH_OPENAI_URL;
let ownServer = null;
if (client === "openai" && !serverUrl) {
  const { startServer } = await import("./server-control.mjs");
  ownServer = await startServer();
  serverUrl = ownServer.url;
}

// What the library tried to print goes to a null stream, warnings and log lines to a null logger: both counted.
const { stream: nullStream, counts } = silence(lib);

// The null stream is made the global default rather than scoped with
// IOStream.set_default(stream, fn): a scope is an AsyncLocalStorage, and once one
// is entered Node 20 runs promise hooks on every promise of the process
// (AG2TS_BENCH_SCOPED_IO=1 measures that way instead).
const runs = [];
let script_ms = null;
const all = async () => {
  for (let i = 0; i < Number(warmupsArg); i++) await scenario(lib, makeEnv(client, { testing, serverUrl }), params);
  for (let i = 0; i < Number(runsArg); i++) {
    const record = i === 0 ? (process.env.AG2TS_BENCH_RECORD ?? null) : null;
    runs.push(await scenario(lib, makeEnv(client, { testing, serverUrl, record }), params));
    // From process start to the end of the first timed run: what a script that runs it once takes.
    script_ms ??= performance.now();
  }
};
if (process.env.AG2TS_BENCH_SCOPED_IO === "1") {
  await lib.IOStream.set_default(nullStream, all);
} else {
  lib.IOStream.set_global_default(nullStream);
  await all();
}
const max_rss_kb = process.resourceUsage().maxRSS;
ownServer?.stop();

process.stdout.write(
  JSON.stringify({
    scenario: name,
    client,
    params,
    messages: runs[0].messages,
    llm_calls: runs[0].llm_calls,
    ms: runs.map((r) => r.ms),
    cpu_ms: runs.map((r) => r.cpu_ms),
    import_ms,
    script_ms,
    printed: counts.printed,
    logged: counts.logged,
    max_rss_kb,
  }) + "\n",
);
