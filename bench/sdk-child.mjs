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
import { startServer } from "./server-control.mjs";
import { parseRecording, replay } from "./sdk-replay.mjs";

const [file, warmupsArg = "0", runsArg = "1"] = process.argv.slice(2);
const parsed = parseRecording(JSON.parse(readFileSync(file, "utf8")));

let serverUrl = process.env.AG2TS_BENCH_OPENAI_URL;
let ownServer = null;
if (!serverUrl) {
  ownServer = await startServer();
  serverUrl = ownServer.url;
}

let OpenAI = null;
let sdk_import_ms = null;
const loadSdk = async () => {
  if (OpenAI) return;
  const t0 = performance.now();
  ({ default: OpenAI } = await import("openai"));
  sdk_import_ms = performance.now() - t0;
};
const once = () => replay(serverUrl, parsed, () => OpenAI, loadSdk);

const runs = [];
for (let i = 0; i < Number(warmupsArg); i++) await once();
for (let i = 0; i < Number(runsArg); i++) runs.push(await once());
const max_rss_kb = process.resourceUsage().maxRSS;
ownServer?.stop();

process.stdout.write(
  JSON.stringify({
    requests: parsed.requests.length,
    ms: runs.map((r) => r.ms),
    cpu_ms: runs.map((r) => r.cpu_ms),
    sdk_import_ms,
    max_rss_kb,
  }) + "\n",
);
