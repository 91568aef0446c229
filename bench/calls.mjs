/**
 * Library function calls per message during one run of a scenario (custom
 * client), from V8's precise coverage: a count that does not move with the
 * host's load, unlike the timings. Also the distinct functions called and
 * their source size (what a cold run compiles on first call).
 *
 * usage: node bench/calls.mjs <scenario> [top=20]   (AG2TS_BENCH_DIST: the dist/ to load, default ../dist)
 */
import { Session } from "node:inspector/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { SCENARIOS } from "./scenarios.mjs";
import { makeEnv } from "./clients.mjs";

const [name = "S1", top = "20"] = process.argv.slice(2);
const dist = resolve(process.env.AG2TS_BENCH_DIST ?? new URL("../dist", import.meta.url).pathname);
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.startPreciseCoverage", { callCount: true, detailed: false });
const lib = await import(pathToFileURL(`${dist}/index.mjs`).href);
lib.IOStream.set_global_default({ print() {}, input() { throw new Error("the bench gives no human input"); } });
lib.set_logger(() => {});
// Counts from here on: the import's own calls are left out.
await session.post("Profiler.takePreciseCoverage");
const { messages } = await SCENARIOS[name](lib, makeEnv("custom", {}), {});
const { result } = await session.post("Profiler.takePreciseCoverage");
const rows = [];
for (const script of result) {
  if (!script.url.startsWith(pathToFileURL(dist).href)) continue;
  for (const fn of script.functions) {
    const range = fn.ranges[0];
    if (range.count > 0) rows.push({ calls: range.count, size: range.endOffset - range.startOffset, name: `${fn.functionName || "(anonymous)"} ${script.url.slice(script.url.lastIndexOf("/") + 1)}@${range.startOffset}` });
  }
}
rows.sort((x, y) => y.calls - x.calls);
const total = rows.reduce((sum, r) => sum + r.calls, 0);
console.log(`${name}: ${(total / messages).toFixed(1)} library calls per message (agent construction included); ${rows.length} functions called, ${rows.reduce((s, r) => s + r.size, 0)} source characters`);
for (const r of rows.slice(0, Number(top))) console.log(`${(r.calls / messages).toFixed(2).padStart(8)}  ${r.name}`);
