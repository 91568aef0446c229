/**
 * A fake OpenAI chat-completions server for the bench (node:http on 127.0.0.1,
 * port 0). It runs in its own process (see README: "The fake OpenAI server"),
 * prints one line `{"port": N}` on stdout when listening, and exits when its
 * stdin closes (the parent went away) or on SIGTERM.
 *
 * Each bench run posts its scripts first, under a run id of its own, one
 * script (queue) per simulated model:
 *
 *   POST /r/<run>/__script   {"queues": {"<queue>": [step, ...]}, "record": "/path.json" | null}
 *   POST /r/<run>/<queue>/v1/chat/completions   -> the queue's next step as a chat.completion
 *   GET  /r/<run>/__state    -> {"queues": {"<queue>": {"requests", "remaining", "with_tools", "messages"}}}
 *                               (and forgets the run; with `record`, first writes
 *                               {"queues", "requests": [{"queue", "body"}]} to that file)
 *
 * A step is a text reply (string) or {"tool_calls": [{"name", "arguments"}]}.
 * A request past the end of a queue, or to an unknown run or queue, gets an
 * OpenAI-style 400 error (the SDK does not retry a 400), so a run that makes
 * more model calls than scripted fails instead of being measured.
 */
import { createServer } from "node:http";
import { writeFileSync } from "node:fs";

const runs = new Map();
let served = 0;
const created = Math.floor(Date.now() / 1000);
const USAGE = {
  prompt_tokens: 10,
  completion_tokens: 20,
  total_tokens: 30,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
};

function completion(model, step) {
  served += 1;
  const message = { role: "assistant", content: null, refusal: null, annotations: [] };
  let finish_reason = "stop";
  if (typeof step === "string") {
    message.content = step;
  } else {
    message.tool_calls = step.tool_calls.map((call, i) => ({
      id: `call_bench_${served}_${i}`,
      type: "function",
      function: { name: call.name, arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments ?? {}) },
    }));
    finish_reason = "tool_calls";
  }
  return {
    id: `chatcmpl-bench${served}`,
    object: "chat.completion",
    created,
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason }],
    usage: USAGE,
    service_tier: "default",
    system_fingerprint: "fp_bench",
  };
}

function send(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function fail(res, status, message) {
  send(res, status, { error: { message, type: "invalid_request_error", param: null, code: "bench_script" } });
}

function handle(req, res, raw) {
  const parts = req.url.split("?")[0].split("/");
  // ["", "r", run, ...rest]
  if (parts[1] !== "r" || parts.length < 4) return fail(res, 404, `unknown path ${req.url}`);
  const runId = parts[2];
  if (parts[3] === "__script" && req.method === "POST") {
    const { queues, record = null } = JSON.parse(raw);
    const state = { record, requests: record ? [] : null, scripts: queues, queues: {} };
    for (const [name, steps] of Object.entries(queues)) state.queues[name] = { steps, next: 0, with_tools: 0, messages: 0 };
    runs.set(runId, state);
    return send(res, 200, { ok: true });
  }
  if (parts[3] === "__state" && req.method === "GET") {
    const state = runs.get(runId);
    if (!state) return fail(res, 404, `unknown run ${runId}`);
    runs.delete(runId);
    const queues = {};
    for (const [name, q] of Object.entries(state.queues)) {
      queues[name] = { requests: q.next, remaining: q.steps.length - q.next, with_tools: q.with_tools, messages: q.messages };
    }
    if (state.record) writeFileSync(state.record, JSON.stringify({ queues: state.scripts, requests: state.requests }));
    return send(res, 200, { queues });
  }
  if (req.method === "POST" && parts.slice(4).join("/") === "v1/chat/completions") {
    const state = runs.get(runId);
    const q = state?.queues[parts[3]];
    if (!q) return fail(res, 400, `unknown run/queue ${runId}/${parts[3]}`);
    const body = JSON.parse(raw);
    if (!Array.isArray(body.messages) || typeof body.model !== "string") return fail(res, 400, "messages and model are required");
    if (q.next >= q.steps.length) return fail(res, 400, `queue ${parts[3]} has no step left (request #${q.next + 1})`);
    if (Array.isArray(body.tools) && body.tools.length > 0) q.with_tools += 1;
    q.messages += body.messages.length;
    if (state.requests) state.requests.push({ queue: parts[3], body: raw });
    return send(res, 200, completion(body.model, q.steps[q.next++]));
  }
  return fail(res, 404, `unknown path ${req.method} ${req.url}`);
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    try {
      handle(req, res, Buffer.concat(chunks).toString("utf8"));
    } catch (err) {
      fail(res, 500, String(err?.stack ?? err));
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + "\n");
});
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
