/**
 * The openai SDK's own cost, without ag2ts: replays the chat.completions
 * requests that one ag2ts run of a scenario sent (recorded by the fake
 * server, same bodies, same order, same scripted answers) straight through
 * `client.chat.completions.create` against the same fake server, and writes
 * one JSON line like child.mjs's.
 *
 * usage: node bench/sdk-child.mjs <recording.json> [warmups] [runs]
 * env: AG2TS_BENCH_OPENAI_URL (the fake server; without it one is started here).
 *
 * The recording is read and its bodies parsed before anything is timed
 * (messages that repeat across requests are shared, as the history objects
 * are in ag2ts). A timed run constructs one SDK client per queue (per
 * base_url, as ag2ts has one per agent; S3's selector gets one, not one per
 * round) and sends every request in order; in the first run of the process
 * the timed part also includes `import("openai")`, as ag2ts's cold run
 * includes loading the SDK lazily on the first model call.
 */
import { readFileSync } from "node:fs";
import { control, startServer } from "./server-control.mjs";
import { OPENAI_MODEL } from "./clients.mjs";

const [file, warmupsArg = "0", runsArg = "1"] = process.argv.slice(2);
const recording = JSON.parse(readFileSync(file, "utf8"));
const interned = new Map();
const requests = recording.requests.map(({ queue, body }) => {
  const parsed = JSON.parse(body);
  parsed.messages = parsed.messages.map((m) => {
    const key = JSON.stringify(m);
    let shared = interned.get(key);
    if (!shared) interned.set(key, (shared = m));
    return shared;
  });
  return { queue, body: parsed };
});
interned.clear();
const queueNames = Object.keys(recording.queues);

let serverUrl = process.env.AG2TS_BENCH_OPENAI_URL;
let ownServer = null;
if (!serverUrl) {
  ownServer = await startServer();
  serverUrl = ownServer.url;
}

let OpenAI = null;
let sdk_import_ms = null;
let run = 0;

async function replay() {
  const runId = `sdk-${process.pid}-${++run}`;
  await control(serverUrl, "POST", `/r/${runId}/__script`, { queues: recording.queues, record: null });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  if (!OpenAI) {
    ({ default: OpenAI } = await import("openai"));
    sdk_import_ms = performance.now() - t0;
  }
  const clients = {};
  for (const q of queueNames) clients[q] = new OpenAI({ apiKey: "sk-bench-fake-key", baseURL: `${serverUrl}/r/${runId}/${q}/v1` });
  let last = null;
  for (const { queue, body } of requests) last = await clients[queue].chat.completions.create(body);
  const ms = performance.now() - t0;
  const d = process.cpuUsage(c0);
  const state = await control(serverUrl, "GET", `/r/${runId}/__state`);
  for (const [q, s] of Object.entries(state.queues)) {
    if (s.remaining !== 0) throw new Error(`sdk replay: queue ${q} left ${s.remaining} step(s)`);
  }
  if (last.model !== OPENAI_MODEL || !Array.isArray(last.choices)) throw new Error("sdk replay: unexpected response");
  return { ms, cpu_ms: (d.user + d.system) / 1000 };
}

const runs = [];
for (let i = 0; i < Number(warmupsArg); i++) await replay();
for (let i = 0; i < Number(runsArg); i++) runs.push(await replay());
const max_rss_kb = process.resourceUsage().maxRSS;
ownServer?.stop();

process.stdout.write(
  JSON.stringify({
    requests: requests.length,
    ms: runs.map((r) => r.ms),
    cpu_ms: runs.map((r) => r.cpu_ms),
    sdk_import_ms,
    max_rss_kb,
  }) + "\n",
);
