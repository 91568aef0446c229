/**
 * `npm run bench`: runs every scenario in its own fresh Node process against
 * the built package (dist/, rebuilt first when missing or older than src/),
 * then prints a table, or with `--json` exactly one JSON line:
 *   {"S1": {"us_per_msg", "messages", "llm_calls", "peak_rss_mb"}, ..., "S5": {...}, "import_ms"}
 *
 * options: --json  --runs N (timed runs per scenario, default 11)  --warmups N (default 5)
 *          --imports N (fresh processes timing the import, default 7)  --no-scaling
 *          --only S1,S3 (table mode only)
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const dist = join(root, "dist");

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const json = flag("--json");
const runs = Number(option("--runs", "11"));
const warmups = Number(option("--warmups", "5"));
const imports = Number(option("--imports", "7"));
const scaling = !json && !flag("--no-scaling");
const only = json ? null : option("--only", null)?.split(",");

/** AG2 0.14.0 on CPython 3.11, from the issue: µs per message. */
const AG2 = { S1: 114, S2: 156, S3: 641, S4: 143, S5: 106 };
const AG2_IMPORT_MS = 775;
const AG2_SCALING = { 100: 113, 4000: 155 };

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function ensureBuilt() {
  const entry = join(dist, "index.mjs");
  const stale = !existsSync(entry) || statSync(entry).mtimeMs < newestMtime(join(root, "src"));
  if (!stale) return;
  process.stderr.write("bench: dist/ is missing or older than src/; running `npm run build` first\n");
  // The build's output goes to stderr so that --json keeps stdout to one line.
  const built = spawnSync("npm", ["run", "build"], { cwd: root, stdio: ["ignore", 2, 2] });
  if (built.status !== 0) throw new Error("npm run build failed");
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function runChild(scenario, params = {}, childWarmups = warmups, childRuns = runs) {
  const child = spawnSync(
    process.execPath,
    [join(here, "child.mjs"), scenario, JSON.stringify(params), String(childWarmups), String(childRuns)],
    { cwd: root, encoding: "utf8", env: { ...process.env, AG2TS_BENCH_DIST: dist } },
  );
  if (child.status !== 0) {
    throw new Error(`${scenario} ${JSON.stringify(params)} failed (exit ${child.status}):\n${child.stderr}`);
  }
  // Silent: the child's stdout holds its report line and nothing else (the library
  // printed nothing to the console; S4's tool-execution events go to the null IOStream).
  const lines = child.stdout.trim().split("\n");
  if (lines.length !== 1 || child.stderr.trim() !== "") {
    throw new Error(`${scenario} was not silent:\n${child.stdout}${child.stderr}`);
  }
  return JSON.parse(lines[0]);
}

/**
 * One scenario: the timing process (warm-ups, then timed runs; median) and a
 * second fresh process that runs the scenario once, for its peak RSS. The
 * timing process's own peak is reported too (`timing_rss_mb`): it also holds
 * the JIT's code and whatever garbage of earlier runs V8 has not collected yet.
 */
function measure(scenario, params = {}, childWarmups = warmups, childRuns = runs) {
  const timed = runChild(scenario, params, childWarmups, childRuns);
  const once = runChild(scenario, params, 0, 1);
  const ms = median(timed.ms);
  return {
    us_per_msg: round((ms * 1000) / timed.messages, 2),
    messages: timed.messages,
    llm_calls: timed.llm_calls,
    peak_rss_mb: round(once.max_rss_kb / 1024, 1),
    run_ms: round(ms, 2),
    min_us_per_msg: round((Math.min(...timed.ms) * 1000) / timed.messages, 2),
    cpu_us_per_msg: round((median(timed.cpu_ms) * 1000) / timed.messages, 2),
    timing_rss_mb: round(timed.max_rss_kb / 1024, 1),
  };
}

function round(value, digits) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Time to import the built package in a fresh process (ESM entry), median over `imports` processes. */
function importTimes() {
  const url = pathToFileURL(join(dist, "index.mjs")).href;
  const code =
    `const t0 = performance.now(); await import(${JSON.stringify(url)}); const t1 = performance.now();` +
    `process.stdout.write(JSON.stringify({ import_ms: t1 - t0, since_start_ms: t1, rss_mb: process.resourceUsage().maxRSS / 1024 }));`;
  const samples = [];
  for (let i = 0; i < imports; i++) {
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8" });
    if (child.status !== 0) throw new Error(`import failed:\n${child.stderr}`);
    samples.push(JSON.parse(child.stdout));
  }
  return {
    import_ms: round(median(samples.map((s) => s.import_ms)), 1),
    since_start_ms: round(median(samples.map((s) => s.since_start_ms)), 1),
    rss_mb: round(median(samples.map((s) => s.rss_mb)), 1),
  };
}

ensureBuilt();
const names = (only ?? Object.keys(AG2)).filter((n) => n in AG2);
const results = {};
for (const name of names) results[name] = measure(name);
const imp = importTimes();

if (json) {
  const out = {};
  for (const name of names) {
    const { us_per_msg, messages, llm_calls, peak_rss_mb } = results[name];
    out[name] = { us_per_msg, messages, llm_calls, peak_rss_mb };
  }
  out.import_ms = imp.import_ms;
  process.stdout.write(JSON.stringify(out) + "\n");
} else {
  const rows = [["scenario", "µs/msg", "min µs/msg", "CPU µs/msg", "AG2 µs/msg", "vs AG2", "messages", "model calls", "run ms", "peak RSS MiB", "timing RSS MiB"]];
  for (const name of names) {
    const r = results[name];
    rows.push([
      name,
      r.us_per_msg.toFixed(2),
      r.min_us_per_msg.toFixed(2),
      r.cpu_us_per_msg.toFixed(2),
      String(AG2[name]),
      `${(AG2[name] / r.us_per_msg).toFixed(1)}x`,
      String(r.messages),
      String(r.llm_calls),
      r.run_ms.toFixed(2),
      r.peak_rss_mb.toFixed(1),
      r.timing_rss_mb.toFixed(1),
    ]);
  }
  const table = (data) => {
    const widths = data[0].map((_, c) => Math.max(...data.map((row) => row[c].length)));
    return data.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ")).join("\n");
  };
  console.log(
    `ag2ts bench: wall-clock median (and minimum) of ${runs} runs after ${warmups} warm-up runs, each scenario in a fresh process;\n` +
      `peak RSS from another fresh process running the scenario once (timing RSS: the timing process)\n`,
  );
  console.log(table(rows));
  const peak = Math.max(...names.map((n) => results[n].peak_rss_mb));
  console.log(
    `\nS6 import: ${imp.import_ms} ms to import dist/index.mjs (median of ${imports} fresh processes; AG2 ${AG2_IMPORT_MS} ms),` +
      ` ${imp.since_start_ms} ms from process start; peak RSS of any scenario ${peak} MiB (an empty import: ${imp.rss_mb} MiB)`,
  );
  if (scaling) {
    const sizes = [100, 1000, 4000];
    const scale = [["S1 messages", "µs/msg", "min µs/msg", "AG2 µs/msg", "model calls", "peak RSS MiB"]];
    const perSize = {};
    for (const messages of sizes) {
      // Short runs get more warm-up and more samples so that each size sees a warm JIT.
      const r = measure("S1", { messages }, Math.max(warmups, Math.ceil(4000 / messages)), Math.max(runs, Math.ceil(10000 / messages)));
      perSize[messages] = r;
      scale.push([String(messages), r.us_per_msg.toFixed(2), r.min_us_per_msg.toFixed(2), String(AG2_SCALING[messages] ?? "-"), String(r.llm_calls), r.peak_rss_mb.toFixed(1)]);
    }
    console.log(`\nscaling (S1):\n${table(scale)}`);
    const ratio = (key) => (perSize[4000][key] / perSize[100][key]).toFixed(2);
    console.log(`S1 at 4000 / S1 at 100: ${ratio("us_per_msg")}x by median, ${ratio("min_us_per_msg")}x by minimum (target <= 1.2x; AG2 1.37x)`);
  }
}
