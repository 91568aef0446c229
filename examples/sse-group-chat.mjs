// Streams a group chat's events to a web page over server-sent events.
//
//   node examples/sse-group-chat.mjs          serve http://127.0.0.1:8080 (PORT to change)
//   node examples/sse-group-chat.mjs --once   run two chats through the server, print, exit (CI)
//
// GET /events?topic=...&timeout_ms=... runs one group chat and sends every
// event as it happens (`event: <type>`, `data: <JSON>`), then `event: result`.
// The chat is cancelled by a timer (AbortSignal.timeout) or when the page
// goes away. With OPENAI_API_KEY set the members use OpenAI; otherwise
// scripted models answer, so the example needs no key.
import { createServer } from "node:http";
import { ConversableAgent, GroupChat, GroupChatManager } from "../dist/index.mjs";
import { ScriptedModelClient } from "../dist/testing.mjs";

function llmConfig(script) {
  if (process.env.OPENAI_API_KEY) return { config_list: [{ model: "gpt-4o-mini", api_key: process.env.OPENAI_API_KEY }] };
  return new ScriptedModelClient(script).llm_config();
}

/** A fresh group per request: a planner, a writer and a critic, in turn. */
function makeGroup({ slow = false } = {}) {
  // A model that takes its time, to show cancellation (its timer must not keep the process alive).
  const slowly = (text) => () => new Promise((resolve) => setTimeout(() => resolve(text), 10_000).unref());
  const member = (name, system_message, script) =>
    new ConversableAgent(name, { system_message, llm_config: llmConfig(script), human_input_mode: "NEVER" });
  const planner = member("planner", "You plan the answer in short steps.", ["1. Say what SSE is. 2. Give one use."]);
  const writer = member("writer", "You write the answer.", [
    slow ? slowly("too late") : "Server-sent events stream updates from a server to a browser over one HTTP response.",
  ]);
  const critic = member("critic", "You check the answer; say TERMINATE when it is good.", ["Clear and correct. TERMINATE"]);
  const groupchat = new GroupChat({ agents: [planner, writer, critic], messages: [], max_round: 6, speaker_selection_method: "round_robin" });
  const manager = new GroupChatManager({
    groupchat,
    llm_config: false,
    silent: true, // the web page shows the chat; the console stays quiet
    is_termination_msg: (m) => typeof m.content === "string" && m.content.includes("TERMINATE"),
  });
  const user = new ConversableAgent("user", { llm_config: false, human_input_mode: "NEVER" });
  return { user, manager };
}

const PAGE = `<!doctype html>
<meta charset="utf-8"><title>ag2ts group chat</title>
<form><input name="topic" value="Explain server-sent events" size="40"> <button>Run</button></form>
<pre id="log"></pre>
<script>
const log = document.getElementById("log");
document.querySelector("form").onsubmit = (e) => {
  e.preventDefault();
  log.textContent = "";
  const source = new EventSource("/events?topic=" + encodeURIComponent(e.target.topic.value));
  source.addEventListener("received_message", (m) => {
    const ev = JSON.parse(m.data);
    if (ev.path.length > 1) log.textContent += ev.message.name + ": " + ev.content + "\\n";
  });
  source.addEventListener("group_chat_next_speaker", (m) => (log.textContent += "[next: " + JSON.parse(m.data).agent + "]\\n"));
  source.addEventListener("result", (m) => {
    const r = JSON.parse(m.data);
    log.textContent += "-- stopped: " + r.stop_reason + " (" + (r.stopped_by ?? "nobody") + ")\\n";
    source.close();
  });
};
</script>`;

async function streamChat(req, res, url) {
  const topic = url.searchParams.get("topic") ?? "Explain server-sent events";
  const timeout = Number(url.searchParams.get("timeout_ms") ?? 60_000);
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  const send = (type, data) => res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);

  const { user, manager } = makeGroup({ slow: url.searchParams.get("slow") === "1" });
  // Cancel from a timer; run.abort() below also cancels when the page goes away.
  const run = user.initiate_chat_stream(manager, { message: topic, silent: true, signal: AbortSignal.timeout(timeout) });
  req.on("close", () => run.abort(new Error("the page went away")));
  for await (const event of run) send(event.type, event);
  const result = await run.result;
  send("result", { stop_reason: result.stop_reason, stopped_by: result.stopped_by, summary: result.summary, messages: result.chat_history.length });
  res.end();
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname === "/events") {
    streamChat(req, res, url).catch((err) => {
      res.write(`event: failure\ndata: ${JSON.stringify({ message: String(err?.message ?? err) })}\n\n`);
      res.end();
    });
    return;
  }
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  res.end(PAGE);
});

/** Reads one /events stream like a browser's EventSource and prints what arrives. */
async function readEvents(base, query) {
  const response = await fetch(`${base}/events?${query}`);
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const type = /^event: (.*)$/m.exec(block)?.[1];
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? "null");
      if (type === "group_chat_next_speaker") console.log(`next speaker: ${data.agent}`);
      else if (type === "sent_message" && data.recipient === "chat_manager") console.log(`${data.sender} [${data.path.join(" > ")}]: ${data.message.content}`);
      else if (type === "termination") console.log(`termination: ${data.stop_reason} by ${data.agent ?? "nobody"} (${data.reason})`);
      else if (type === "result") console.log(`result: stop_reason=${data.stop_reason} stopped_by=${data.stopped_by} messages=${data.messages}`);
      else if (type === "failure") throw new Error(data.message);
    }
  }
}

if (process.argv.includes("--once")) {
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  console.log("== a full group chat ==");
  await readEvents(base, "topic=Explain%20server-sent%20events");
  console.log("== cancelled by a 1000 ms timer while the writer's model is busy ==");
  await readEvents(base, "topic=Explain%20server-sent%20events&slow=1&timeout_ms=1000");
  server.close();
} else {
  const port = Number(process.env.PORT ?? 8080);
  server.listen(port, "127.0.0.1", () => console.log(`Open http://127.0.0.1:${port}/`));
}
