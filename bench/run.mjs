/**
 * `npm run bench`: runs every scenario with every model client, cold and
 * hot, each in its own fresh Node process against the built package (dist/,
 * rebuilt first when missing or older than src/), measures the openai SDK's
 * own cost on the same requests, the import time and the S1 scaling run, then
 * prints tables, or with `--json` exactly one JSON line (shape in README).
 *
 * options:
 *   --json                     one JSON line on stdout instead of tables
 *   --only S1,S3               scenarios (default S1-S5)
 *   --clients custom,openai,scripted   model clients (default all three)
 *   --mode cold,hot            (default both)
 *   --runs N                   hot: timed runs per process (default 11)
 *   --warmups N                hot: warm-up runs before them (default 5)
 *   --imports N                fresh processes timing the import (default 7)
 *   --cold-processes N         cold: fresh processes per cell, median of each figure (default 1)
 *   --no-scaling               skip the S1 scaling run
 *   --scaling-clients custom,scripted   clients of the scaling run (default: the selected ones but openai)
 *   --scaling-processes N      hot scaling: fresh processes per size, interleaved, medians (default 5)
 *   --overhead                 openai: also the paired measurement of ag2ts's own cost (openai-overhead.mjs)
 *   --pairs N                  --overhead: timed pairs (default 21; warm-up pairs: --warmups)
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { CLIENTS } from "./clients.mjs";
import { startServer } from "./server-control.mjs";
import { median } from "./stats.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const dist = join(root, "dist");

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const list = (name, fallback, known) => {
  const value = option(name, null);
  const items = value === null ? fallback : value.split(",").map((s) => s.trim()).filter(Boolean);
  for (const item of items) if (!known.includes(item)) throw new Error(`${name}: unknown ${item}; known: ${known.join(", ")}`);
  return items;
};

/** AG2 0.14.0 on CPython 3.11, from issue 9: µs per message (one run per fresh process). */
const AG2 = { S1: 114, S2: 156, S3: 641, S4: 143, S5: 106 };
const AG2_IMPORT_MS = 775;
const AG2_SCALING = { 100: 113, 4000: 155 };

const json = flag("--json");
const runs = Number(option("--runs", "11"));
const warmups = Number(option("--warmups", "5"));
const imports = Number(option("--imports", "7"));
const coldProcesses = Number(option("--cold-processes", "1"));
const names = list("--only", Object.keys(AG2), Object.keys(AG2));
const clients = list("--clients", CLIENTS, CLIENTS);
const modes = list("--mode", ["cold", "hot"], ["cold", "hot"]);
const scalingClients = flag("--no-scaling")
  ? []
  : list("--scaling-clients", clients.filter((c) => c !== "openai"), CLIENTS);
const scalingProcesses = Number(option("--scaling-processes", "5"));
if (!Number.isInteger(scalingProcesses) || scalingProcesses < 1) throw new Error(`--scaling-processes must be a whole number >= 1, got ${option("--scaling-processes", "")}`);
const SCALING_SIZES = [100, 1000, 4000];
const overhead = flag("--overhead") && clients.includes("openai");
const pairs = Number(option("--pairs", "21"));
const progress = process.stderr.isTTY ? (text) => process.stderr.write(`\r\x1b[Kbench: ${text}`) : () => {};

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

function round(value, digits) {
  if (value === null || value === undefined || Number.isNaN(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

let server = null;
let env = { ...process.env, AG2TS_BENCH_DIST: dist };

/** Runs a bench script in a fresh process; it must print exactly its one report line and nothing else. */
function runProcess(what, script, argv, extraEnv = {}) {
  const child = spawnSync(process.execPath, [join(here, script), ...argv], {
    cwd: root,
    encoding: "utf8",
    env: { ...env, ...extraEnv },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`${what} failed (exit ${child.status}):\n${child.stdout}${child.stderr}`);
  // Silent: stdout holds the report line and nothing else, stderr nothing (the library printed
  // nothing to the console; S4's tool-execution lines go to the null IOStream).
  const lines = child.stdout.trim().split("\n");
  if (lines.length !== 1 || child.stderr.trim() !== "") throw new Error(`${what} was not silent:\n${child.stdout}${child.stderr}`);
  return JSON.parse(lines[0]);
}

/**
 * Cold: one run in a fresh process (µs/msg of that run, its peak RSS, its import time);
 * with --cold-processes N, N such processes and the median of each figure.
 */
function cold(scenario, client, params = {}, record = null) {
  const samples = [];
  for (let i = 0; i < coldProcesses; i++) {
    progress(`${scenario} ${client} cold ${JSON.stringify(params)}`);
    const extra = record && i === 0 ? { AG2TS_BENCH_RECORD: record } : {};
    samples.push(runProcess(`${scenario}/${client} cold`, "child.mjs", [scenario, client, JSON.stringify(params), "0", "1"], extra));
  }
  const r = samples[0];
  const med = (get) => median(samples.map(get));
  return {
    messages: r.messages,
    llm_calls: r.llm_calls,
    us_per_msg: round((med((s) => s.ms[0]) * 1000) / r.messages, 2),
    cpu_us_per_msg: round((med((s) => s.cpu_ms[0]) * 1000) / r.messages, 2),
    run_ms: round(med((s) => s.ms[0]), 2),
    peak_rss_mb: round(med((s) => s.max_rss_kb) / 1024, 1),
    import_ms: round(med((s) => s.import_ms), 1),
    script_ms: round(med((s) => s.script_ms), 1),
    processes: samples.length,
    // Lines the library sent to the null IOStream (S4's tool-execution lines) and to the null logger.
    printed: r.printed,
    logged: r.logged,
  };
}

/** Hot: a fresh process runs `w` warm-ups then `n` timed runs; median and minimum. */
function hot(scenario, client, params = {}, w = warmups, n = runs) {
  progress(`${scenario} ${client} hot ${JSON.stringify(params)}`);
  const r = runProcess(`${scenario}/${client} hot`, "child.mjs", [scenario, client, JSON.stringify(params), String(w), String(n)]);
  return {
    messages: r.messages,
    llm_calls: r.llm_calls,
    us_per_msg: round((median(r.ms) * 1000) / r.messages, 2),
    min_us_per_msg: round((Math.min(...r.ms) * 1000) / r.messages, 2),
    cpu_us_per_msg: round((median(r.cpu_ms) * 1000) / r.messages, 2),
    run_ms: round(median(r.ms), 2),
    peak_rss_mb: round(r.max_rss_kb / 1024, 1),
  };
}

/** Hot figures of several processes of one cell: the medians of their medians, the least of their minimums. */
function medianHot(samples) {
  const med = (key) => round(median(samples.map((s) => s[key])), 2);
  return {
    messages: samples[0].messages,
    llm_calls: samples[0].llm_calls,
    us_per_msg: med("us_per_msg"),
    min_us_per_msg: Math.min(...samples.map((s) => s.min_us_per_msg)),
    cpu_us_per_msg: med("cpu_us_per_msg"),
    run_ms: med("run_ms"),
    peak_rss_mb: med("peak_rss_mb"),
    processes: samples.length,
  };
}

/** The SDK alone on the recorded requests of one ag2ts run; µs per message of the scenario. */
function sdk(scenario, recording, mode, messages) {
  progress(`${scenario} sdk ${mode}`);
  const [w, n] = mode === "cold" ? [0, 1] : [warmups, runs];
  let r;
  if (mode === "cold") {
    // Cold: one replay per fresh process (median over --cold-processes processes).
    const samples = Array.from({ length: coldProcesses }, () => runProcess(`${scenario}/sdk cold`, "sdk-child.mjs", [recording, "0", "1"]));
    r = { ...samples[0], ms: samples.map((s) => s.ms[0]), cpu_ms: samples.map((s) => s.cpu_ms[0]), max_rss_kb: median(samples.map((s) => s.max_rss_kb)) };
  } else {
    r = runProcess(`${scenario}/sdk ${mode}`, "sdk-child.mjs", [recording, String(w), String(n)]);
  }
  return {
    requests: r.requests,
    us_per_msg: round((median(r.ms) * 1000) / messages, 2),
    min_us_per_msg: round((Math.min(...r.ms) * 1000) / messages, 2),
    cpu_us_per_msg: round((median(r.cpu_ms) * 1000) / messages, 2),
    us_per_request: round((median(r.ms) * 1000) / r.requests, 1),
    run_ms: round(median(r.ms), 2),
    sdk_import_ms: round(r.sdk_import_ms, 1),
    peak_rss_mb: round(r.max_rss_kb / 1024, 1),
  };
}

/**
 * The paired measurement (openai-overhead.mjs): ag2ts runs and SDK replays of their requests
 * alternating in one fresh process; the medians and quartiles of the differences, µs/msg.
 */
function paired(scenario) {
  progress(`${scenario} openai paired overhead`);
  const r = runProcess(`${scenario}/openai paired overhead`, "openai-overhead.mjs", [scenario, String(warmups), String(pairs)]);
  const { ms, cpu_ms, ...summary } = r;
  return summary;
}

/** Time to import the built package in a fresh process (ESM entry), median over `imports` processes. */
function importTimes() {
  progress("import");
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
    min_import_ms: round(Math.min(...samples.map((s) => s.import_ms)), 1),
    since_start_ms: round(median(samples.map((s) => s.since_start_ms)), 1),
    rss_mb: round(median(samples.map((s) => s.rss_mb)), 1),
  };
}

ensureBuilt();
const results = {};
const recordings = clients.includes("openai") ? mkdtempSync(join(tmpdir(), "ag2ts-bench-")) : null;
const t0 = performance.now();
try {
  if (clients.includes("openai")) {
    // One fake server process for the whole bench (on the other core while a child runs).
    server = await startServer();
    env = { ...env, AG2TS_BENCH_OPENAI_URL: server.url };
  }
  for (const name of names) {
    results[name] = {};
    for (const client of clients) {
      const entry = {};
      const record = client === "openai" ? join(recordings, `${name}.json`) : null;
      if (modes.includes("cold")) entry.cold = cold(name, client, {}, record);
      else if (record) cold(name, client, {}, record); // the SDK replay needs one recorded run
      if (modes.includes("hot")) entry.hot = hot(name, client);
      const counts = entry.cold ?? entry.hot;
      entry.messages = counts.messages;
      entry.llm_calls = counts.llm_calls;
      if (client === "openai") {
        entry.sdk = {};
        entry.overhead_us_per_msg = {};
        entry.overhead_cpu_us_per_msg = {};
        for (const mode of modes) {
          entry.sdk[mode] = sdk(name, record, mode, entry.messages);
          entry.overhead_us_per_msg[mode] = round(entry[mode].us_per_msg - entry.sdk[mode].us_per_msg, 2);
          entry.overhead_cpu_us_per_msg[mode] = round(entry[mode].cpu_us_per_msg - entry.sdk[mode].cpu_us_per_msg, 2);
        }
        if (overhead) entry.paired = paired(name);
      }
      results[name][client] = entry;
    }
  }
  var imp = importTimes();
  var scaling = {};
  for (const client of scalingClients) {
    scaling[client] = {};
    for (const messages of SCALING_SIZES) {
      scaling[client][messages] = {};
      if (modes.includes("cold")) scaling[client][messages].cold = cold("S1", client, { messages });
    }
    if (modes.includes("hot")) {
      // One process per size gives a ratio anywhere from ~1x to ~2.4x on this host: each size gets
      // --scaling-processes fresh processes, the sizes interleaved so that the host's drift hits
      // them alike, and the medians are compared. Short runs get more warm-ups and samples so that
      // each size sees a warm JIT.
      const samples = Object.fromEntries(SCALING_SIZES.map((m) => [m, []]));
      for (let i = 0; i < scalingProcesses; i++) {
        for (const messages of SCALING_SIZES) {
          samples[messages].push(hot("S1", client, { messages }, Math.max(warmups, Math.ceil(4000 / messages)), Math.max(runs, Math.ceil(10000 / messages))));
        }
      }
      for (const messages of SCALING_SIZES) scaling[client][messages].hot = medianHot(samples[messages]);
    }
  }
} finally {
  server?.stop();
  if (recordings) rmSync(recordings, { recursive: true, force: true });
  progress("");
  if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
}
const elapsed_s = round((performance.now() - t0) / 1000, 1);

if (json) {
  const out = { ...results, import: imp, scaling, config: { runs, warmups, imports, cold_processes: coldProcesses, clients, modes, pairs: overhead ? pairs : null, node: process.version, elapsed_s } };
  process.stdout.write(JSON.stringify(out) + "\n");
} else {
  const table = (data) => {
    const widths = data[0].map((_, c) => Math.max(...data.map((row) => String(row[c]).length)));
    return data
      .map((row) => row.map((cell, c) => (c <= 1 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join("  "))
      .join("\n");
  };
  const f = (v, d = 2) => (v === null || v === undefined ? "-" : v.toFixed(d));
  console.log(
    `ag2ts bench (${process.version}, ${elapsed_s} s): every cell from its own fresh Node process.\n` +
      `cold: one run in a fresh process, as a script runs it${coldProcesses > 1 ? ` (median of ${coldProcesses} processes)` : ""} (import ms: dist/index.mjs in that process; script ms: process start to end of the run).\n` +
      `hot: median (and minimum) of ${runs} runs after ${warmups} warm-ups in one fresh process; CPU: median CPU time per message; RSS: that process's peak.\n` +
      `clients: custom = AG2-style model_client_cls + register_model_client; openai = the openai SDK through ag2ts's config entry (base_url)\n` +
      `against a fake server in another process; scripted = ScriptedModelClient from ag2ts/testing. AG2: 0.14.0 figures from issue 9.\n`,
  );
  const head = ["scenario", "client", "msgs", "calls"];
  if (modes.includes("cold")) head.push("cold µs/msg", "cold RSS MiB", "import ms", "script ms");
  if (modes.includes("hot")) head.push("hot µs/msg", "hot min", "hot CPU", "hot RSS MiB");
  head.push("AG2 µs/msg");
  const rows = [head];
  for (const name of names) {
    for (const client of clients) {
      const r = results[name][client];
      const row = [name, client, r.messages, r.llm_calls];
      if (r.cold) row.push(f(r.cold.us_per_msg), f(r.cold.peak_rss_mb, 1), f(r.cold.import_ms, 1), f(r.cold.script_ms, 0));
      if (r.hot) row.push(f(r.hot.us_per_msg), f(r.hot.min_us_per_msg), f(r.hot.cpu_us_per_msg), f(r.hot.peak_rss_mb, 1));
      row.push(AG2[name]);
      rows.push(row);
    }
  }
  console.log(table(rows));

  if (clients.includes("openai")) {
    const oh = [["scenario", "mode", "requests", "openai µs/msg", "SDK µs/msg", "overhead µs/msg", "CPU overhead µs/msg", "SDK µs/request", "overhead µs/request"]];
    for (const name of names) {
      const r = results[name].openai;
      for (const mode of modes) {
        const s = r.sdk[mode];
        oh.push([name, mode, s.requests, f(r[mode].us_per_msg), f(s.us_per_msg), f(r.overhead_us_per_msg[mode]), f(r.overhead_cpu_us_per_msg[mode]), f(s.us_per_request, 1), f((r.overhead_us_per_msg[mode] * r.messages) / s.requests, 1)]);
      }
    }
    console.log(
      `\nframework overhead with the openai client: openai µs/msg minus the SDK alone replaying the same requests\n` +
        `(same bodies, order and answers, straight chat.completions.create; cold: a fresh process, SDK import included;\n` +
        `CPU overhead: the same difference in CPU time of the client process, less disturbed by other load)\n${table(oh)}`,
    );
  }

  if (overhead) {
    const iqr = (s) => `${f(s.q1, 1)}..${f(s.q3, 1)}`;
    const custom = (name) => results[name].custom?.hot;
    const ratio = (a, b) => (b ? `${(a / b).toFixed(1)}x` : "-");
    const po = [["scenario", "pairs", "a-b wall", "IQR", "a-b CPU", "IQR", "split wall", "split CPU", "IQR", "custom hot", "custom CPU", "wall ratio", "CPU ratio", "within 2x"]];
    for (const name of names) {
      const p = results[name].openai.paired;
      const c = custom(name);
      const byCpu = p.split_cpu_us_per_msg.median <= 2 * c?.cpu_us_per_msg;
      const byWall = p.split_us_per_msg.median <= 2 * c?.us_per_msg;
      const verdict = !c ? "-" : byCpu && byWall ? "yes" : byCpu ? "CPU only" : byWall ? "wall only" : "no";
      po.push([name, p.pairs, f(p.overhead_us_per_msg.median, 1), iqr(p.overhead_us_per_msg), f(p.overhead_cpu_us_per_msg.median, 1), iqr(p.overhead_cpu_us_per_msg),
        f(p.split_us_per_msg.median, 1), f(p.split_cpu_us_per_msg.median, 1), iqr(p.split_cpu_us_per_msg),
        f(c?.us_per_msg), f(c?.cpu_us_per_msg), ratio(p.split_us_per_msg.median, c?.us_per_msg), ratio(p.split_cpu_us_per_msg.median, c?.cpu_us_per_msg), verdict]);
    }
    console.log(
      `\nframework overhead, paired (openai-overhead.mjs; ${pairs} pairs after ${warmups} warm-up pairs in one fresh process), µs/msg:\n` +
        `a-b: median (and quartiles) of ag2ts run minus SDK replay of its requests; split: the pair's difference of the time spent\n` +
        `outside the SDK's create calls (the steadier figure; ratios and verdict use it); custom: the custom client's hot median (wall, CPU)\n${table(po)}`,
    );
  }

  console.log(
    `\nimport: ${imp.import_ms} ms median (min ${imp.min_import_ms}) of ${imports} fresh processes for await import(dist/index.mjs) (AG2 ${AG2_IMPORT_MS} ms);` +
      ` ${imp.since_start_ms} ms from process start; such a process peaks at ${imp.rss_mb} MiB RSS`,
  );

  for (const client of scalingClients) {
    const sc = scaling[client];
    const headS = ["S1 messages", "client"];
    if (modes.includes("cold")) headS.push("cold µs/msg", "cold RSS MiB");
    if (modes.includes("hot")) headS.push("hot µs/msg", "hot min", "hot RSS MiB");
    headS.push("AG2 µs/msg");
    const rowsS = [headS];
    for (const size of SCALING_SIZES) {
      const r = sc[size];
      const row = [size, client];
      if (r.cold) row.push(f(r.cold.us_per_msg), f(r.cold.peak_rss_mb, 1));
      if (r.hot) row.push(f(r.hot.us_per_msg), f(r.hot.min_us_per_msg), f(r.hot.peak_rss_mb, 1));
      row.push(AG2_SCALING[size] ?? "-");
      rowsS.push(row);
    }
    const ratios = [];
    for (const mode of modes) {
      const key = mode === "hot" ? ["us_per_msg", "min_us_per_msg"] : ["us_per_msg"];
      for (const k of key) ratios.push(`${mode}${k === "min_us_per_msg" ? " min" : ""} ${(sc[4000][mode][k] / sc[100][mode][k]).toFixed(2)}x`);
    }
    const hotNote = sc[4000].hot ? `; hot: medians of ${sc[4000].hot.processes} processes per size, interleaved` : "";
    console.log(`\nscaling (S1, ${client}):\n${table(rowsS)}\nS1 at 4000 / S1 at 100: ${ratios.join(", ")} (target <= 1.3x, issue 15; AG2 1.37x${hotNote})`);
  }
}
