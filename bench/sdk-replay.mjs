/**
 * Replaying one ag2ts run's chat.completions requests through the openai SDK
 * alone (used by sdk-child.mjs and openai-overhead.mjs).
 *
 * A recording is what the fake server writes for a run started with
 * `record`: {"queues": {name: steps}, "requests": [{"queue", "body"}]}, the
 * bodies as the server received them, in order.
 */
import { control } from "./server-control.mjs";
import { OPENAI_MODEL } from "./clients.mjs";

/**
 * The recorded bodies parsed, untimed. Messages that repeat across requests
 * are shared, as the history objects are in ag2ts (each request's list is its
 * own array, as ag2ts sends a fresh list per call).
 */
export function parseRecording(recording) {
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
  return { queues: recording.queues, queueNames: Object.keys(recording.queues), requests };
}

let replays = 0;

/**
 * Posts the recording's scripts under a new run id (untimed), then, timed:
 * `before()` (sdk-child: the SDK's import in a cold run), one SDK client per
 * queue (per base_url, as ag2ts builds one per agent on its first call), and
 * every request in order; then checks with the server (untimed) that every
 * step was consumed. Resolves to { ms, cpu_ms } of the timed part.
 * `record`: file the server writes the replayed requests to (so that the
 * server does the same recording work as for the ag2ts run it is paired with).
 */
export async function replay(serverUrl, parsed, getOpenAI, before = async () => {}, record = null) {
  const runId = `sdk-${process.pid}-${++replays}`;
  await control(serverUrl, "POST", `/r/${runId}/__script`, { queues: parsed.queues, record });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await before();
  const OpenAI = getOpenAI();
  const clients = {};
  for (const q of parsed.queueNames) clients[q] = new OpenAI({ apiKey: "sk-bench-fake-key", baseURL: `${serverUrl}/r/${runId}/${q}/v1` });
  let last = null;
  for (const { queue, body } of parsed.requests) last = await clients[queue].chat.completions.create(body);
  const ms = performance.now() - t0;
  const d = process.cpuUsage(c0);
  const state = await control(serverUrl, "GET", `/r/${runId}/__state`);
  for (const [q, s] of Object.entries(state.queues)) {
    if (s.remaining !== 0) throw new Error(`sdk replay: queue ${q} left ${s.remaining} step(s)`);
  }
  if (last.model !== OPENAI_MODEL || !Array.isArray(last.choices)) throw new Error("sdk replay: unexpected response");
  return { ms, cpu_ms: (d.user + d.system) / 1000 };
}
