/**
 * ag2ts's own cost with the openai client, measured in pairs in one process
 * (README: "Framework overhead with the openai client", "Paired
 * measurement"): after warm-up, each pair is (a) one ag2ts run of the
 * scenario with the openai client against the fake server, exactly as
 * child.mjs runs it, the server recording the request bodies of that run,
 * and (b) those requests replayed through the openai SDK alone (one SDK
 * client per queue, same bodies, order and scripts; sdk-replay.mjs). The
 * difference a - b of each pair is the framework's work; the report is the
 * median and quartiles of those differences, wall clock and CPU time of this
 * process (the server runs in another), per message of the scenario. Writes
 * one JSON line.
 *
 * usage: node bench/openai-overhead.mjs <scenario> [warmups=5] [pairs=21] [params-json={}]
 * env: AG2TS_BENCH_DIST (default ../dist), AG2TS_BENCH_OPENAI_URL (the fake
 *   server; without it one is started here), AG2TS_BENCH_NO_GC=1 (do not
 *   collect garbage before each timed part), AG2TS_BENCH_AA=1 (null test: both
 *   parts are SDK replays of one recorded ag2ts run; the differences should centre on 0).
 *
 * Before each timed part (a or b) a full garbage collection runs, untimed,
 * so that neither part pays for the other's garbage (the recording's parse
 * in particular); each part's own scavenges stay in its time.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { SCENARIOS } from "./scenarios.mjs";
import { makeEnv, silence } from "./clients.mjs";
import { parseRecording, replay } from "./sdk-replay.mjs";
import { quantile } from "./stats.mjs";

const [name, warmupsArg = "5", pairsArg = "21", paramsJson = "{}"] = process.argv.slice(2);
const scenario = SCENARIOS[name];
if (!scenario) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(", ")}`);
const warmups = Number(warmupsArg);
const pairs = Number(pairsArg);
if (!(Number.isInteger(warmups) && warmups >= 0 && Number.isInteger(pairs) && pairs >= 1)) {
  throw new Error(`warmups must be an integer >= 0 and pairs >= 1, got ${warmupsArg}, ${pairsArg}`);
}
const params = JSON.parse(paramsJson);
const dist = resolve(process.env.AG2TS_BENCH_DIST ?? new URL("../dist", import.meta.url).pathname);

// A full collection between the timed parts. Without --expose-gc on the command line, the
// flag is set at run time and `gc` taken from a new context (the flag applies to contexts
// created after it is set).
let gc = null;
if (process.env.AG2TS_BENCH_NO_GC !== "1") {
  if (typeof globalThis.gc === "function") gc = globalThis.gc;
  else {
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc");
  }
}

const lib = await import(pathToFileURL(`${dist}/index.mjs`).href);
// The same SDK module instance ag2ts loads (both resolve node_modules/openai).
const { default: OpenAI } = await import("openai");

// In-run split (a second estimator, README "Paired measurement"): every
// chat.completions.create call, ag2ts's and the replay's alike, is timed from
// the call until its promise settles (this callback is registered before the
// caller's await, so it runs first). What a part spends outside those calls
// is its own work: ag2ts's code in (a); constructing the SDK clients and the
// loop in (b).
const inside = { ms: 0, cpu_ms: 0, calls: 0 };
const sdkCreate = OpenAI.Chat.Completions.prototype.create;
OpenAI.Chat.Completions.prototype.create = function create(...args) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const promise = sdkCreate.apply(this, args);
  const stop = () => {
    inside.ms += performance.now() - t0;
    const d = process.cpuUsage(c0);
    inside.cpu_ms += (d.user + d.system) / 1000;
    inside.calls += 1;
  };
  promise.then(stop, stop);
  return promise;
};
/** Runs `fn` (one timed part) and adds what it spent inside the SDK's create calls. */
async function split(fn) {
  Object.assign(inside, { ms: 0, cpu_ms: 0, calls: 0 });
  const r = await fn();
  return { ...r, in_ms: inside.ms, in_cpu_ms: inside.cpu_ms, in_calls: inside.calls };
}

let serverUrl = process.env.AG2TS_BENCH_OPENAI_URL;
let ownServer = null;
if (!serverUrl) {
  const { startServer } = await import("./server-control.mjs");
  ownServer = await startServer();
  serverUrl = ownServer.url;
}

// Silent as child.mjs: the null IOStream as the global default, a null logger.
const { stream: nullStream, counts } = silence(lib);
lib.IOStream.set_global_default(nullStream);

const dir = mkdtempSync(join(tmpdir(), "ag2ts-overhead-"));
let recordings = 0;

const recordFile = () => join(dir, `run-${++recordings}.json`);
/** The SDK replaying `parsed`; the server records it too (same server work as for an ag2ts run). */
async function sdkReplay(parsed) {
  const record = recordFile();
  const r = await split(() => replay(serverUrl, parsed, () => OpenAI, undefined, record));
  rmSync(record);
  return r;
}

// AG2TS_BENCH_AA=1: a null test of the method: (a) is a second SDK replay of the
// requests of one ag2ts run recorded at the start, so the differences should centre on 0.
const nullTest = process.env.AG2TS_BENCH_AA === "1";
let nullRecording = null;

/** One pair: (a) the ag2ts run, recorded; (b) the SDK replaying its requests. */
async function pair() {
  let a;
  let parsed;
  if (nullTest) {
    nullRecording ??= await agRun();
    parsed = nullRecording.parsed;
    gc?.();
    a = { ...(await sdkReplay(parsed)), messages: nullRecording.a.messages, llm_calls: nullRecording.a.llm_calls };
  } else {
    ({ a, parsed } = await agRun());
  }
  gc?.();
  const b = await sdkReplay(parsed);
  return { a, b, requests: parsed.requests.length };
}

async function agRun() {
  const record = recordFile();
  gc?.();
  const a = await split(() => scenario(lib, makeEnv("openai", { serverUrl, record }), params));
  if (a.in_calls !== a.llm_calls) throw new Error(`${name}: ${a.in_calls} SDK create calls timed, the run counted ${a.llm_calls}`);
  // The server wrote the run's requests when the run read its state (env.done(), untimed).
  const parsed = parseRecording(JSON.parse(readFileSync(record, "utf8")));
  rmSync(record);
  if (parsed.requests.length !== a.llm_calls) throw new Error(`${name}: recorded ${parsed.requests.length} requests, the run counted ${a.llm_calls} calls`);
  return { a, parsed };
}

const round = (v) => Math.round(v * 100) / 100;
const stats = (values) => ({ median: round(quantile(values, 0.5)), q1: round(quantile(values, 0.25)), q3: round(quantile(values, 0.75)) });

const samples = [];
try {
  for (let i = 0; i < warmups; i++) await pair();
  for (let i = 0; i < pairs; i++) samples.push(await pair());
} finally {
  ownServer?.stop();
  rmSync(dir, { recursive: true, force: true });
}
const { messages, llm_calls } = samples[0].a;
const perMsg = (ms) => (ms * 1000) / messages;
const a_ms = samples.map((s) => s.a.ms);
const b_ms = samples.map((s) => s.b.ms);
const a_cpu_ms = samples.map((s) => s.a.cpu_ms);
const b_cpu_ms = samples.map((s) => s.b.cpu_ms);

process.stdout.write(
  JSON.stringify({
    scenario: name,
    params,
    messages,
    llm_calls,
    requests: samples[0].requests,
    warmups,
    pairs,
    forced_gc: gc !== null,
    null_test: nullTest,
    // µs per message of the scenario: the paired differences a - b, and each side alone.
    overhead_us_per_msg: stats(samples.map((s) => perMsg(s.a.ms - s.b.ms))),
    overhead_cpu_us_per_msg: stats(samples.map((s) => perMsg(s.a.cpu_ms - s.b.cpu_ms))),
    // In-run split: each part's time outside the SDK's create calls, and the pair's difference of those.
    split_us_per_msg: stats(samples.map((s) => perMsg(s.a.ms - s.a.in_ms - (s.b.ms - s.b.in_ms)))),
    split_cpu_us_per_msg: stats(samples.map((s) => perMsg(s.a.cpu_ms - s.a.in_cpu_ms - (s.b.cpu_ms - s.b.in_cpu_ms)))),
    ag2ts_outside_sdk_us_per_msg: stats(samples.map((s) => perMsg(s.a.ms - s.a.in_ms))),
    ag2ts_outside_sdk_cpu_us_per_msg: stats(samples.map((s) => perMsg(s.a.cpu_ms - s.a.in_cpu_ms))),
    replay_outside_sdk_cpu_us_per_msg: stats(samples.map((s) => perMsg(s.b.cpu_ms - s.b.in_cpu_ms))),
    sdk_inside_cpu_us_per_msg: { ag2ts: stats(samples.map((s) => perMsg(s.a.in_cpu_ms))), replay: stats(samples.map((s) => perMsg(s.b.in_cpu_ms))) },
    ag2ts_us_per_msg: stats(a_ms.map(perMsg)),
    sdk_us_per_msg: stats(b_ms.map(perMsg)),
    ag2ts_cpu_us_per_msg: stats(a_cpu_ms.map(perMsg)),
    sdk_cpu_us_per_msg: stats(b_cpu_ms.map(perMsg)),
    ms: { a: a_ms, b: b_ms, a_in: samples.map((s) => s.a.in_ms), b_in: samples.map((s) => s.b.in_ms) },
    cpu_ms: { a: a_cpu_ms, b: b_cpu_ms, a_in: samples.map((s) => s.a.in_cpu_ms), b_in: samples.map((s) => s.b.in_cpu_ms) },
    printed: counts.printed,
    logged: counts.logged,
    max_rss_kb: process.resourceUsage().maxRSS,
  }) + "\n",
);
