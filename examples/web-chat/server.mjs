// A group chat in a web page, over IOWebsockets.
//
//   npm run build
//   node examples/web-chat/server.mjs        then open http://127.0.0.1:8000/ (PORT to change; 0 = any free port)
//
// The page (index.html, served here) opens a WebSocket to the IOWebsockets
// server and sends {"type":"start","topic":...}. on_connect builds a fresh
// group (planner, coder, executor and "you", in turn) and runs it: every
// event the page shows is sent as JSON (iostream.send), what agents print
// goes as text frames, and when "you" speaks (human_input_mode "ALWAYS")
// the page is asked and its answer is the reply. The Stop button posts
// /api/stop, which aborts the run (its code execution's process tree is
// killed); closing the page aborts it as well. The scripted model answers,
// so no key is needed. Each run's end is printed here and listed at /api/runs.
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ConversableAgent,
  GroupChat,
  GroupChatManager,
  IOWebsockets,
  LocalCommandLineCodeExecutor,
  subscribe_events,
} from "../../dist/index.mjs";
import { ScriptedModelClient } from "../../dist/testing.mjs";

const PAGE = readFileSync(new URL("./index.html", import.meta.url), "utf8");

/** The events the page shows, as they happen. */
const FOR_THE_PAGE = new Set(["sent_message", "group_chat_next_speaker", "execute_function", "function_result", "execute_code_blocks", "human_input_requested", "termination"]);

function makeGroup(work_dir) {
  const scripted = (script) => new ScriptedModelClient(script).llm_config();
  const planner = new ConversableAgent("planner", {
    system_message: "You plan the work in short steps.",
    llm_config: scripted([
      "Plan: the coder adds 4 and 3 with the add tool, then we check the sum in the shell.",
      "Coder, check the sum in the shell.",
      "Coder, start the long job.",
    ]),
    human_input_mode: "NEVER",
  });
  const coder = new ConversableAgent("coder", {
    system_message: "You call tools and write shell code.",
    llm_config: scripted([
      { tool_calls: [{ name: "add", arguments: { a: 4, b: 3 } }] },
      '```sh\necho "4 + 3 = $((4 + 3))"\n```',
      "```sh\necho starting the long job\nsleep 60\necho done\n```",
    ]),
    human_input_mode: "NEVER",
  });
  const executor = new ConversableAgent("executor", {
    llm_config: false,
    human_input_mode: "NEVER",
    code_execution_config: { executor: new LocalCommandLineCodeExecutor({ work_dir, timeout: 120 }) },
  });
  executor.register_for_execution()(
    coder.register_for_llm({
      description: "Adds two numbers.",
      parameters: { type: "object", properties: { a: { type: "number" }, b: { type: "number" } }, required: ["a", "b"] },
    })(function add({ a, b }) {
      return String(a + b);
    }),
  );
  // The person in the page: asked every time it is their turn.
  const you = new ConversableAgent("you", { llm_config: false, human_input_mode: "ALWAYS" });
  const groupchat = new GroupChat({ agents: [planner, coder, executor, you], messages: [], max_round: 20, speaker_selection_method: "round_robin" });
  const manager = new GroupChatManager({ groupchat, llm_config: false, silent: true });
  return { you, manager };
}

const runs = []; // { id, topic, stop_reason, stopped_by, messages } once ended
const running = new Map(); // id -> AbortController
let nextId = 1;

async function onConnect(iostream) {
  const id = nextId++;
  iostream.send({ type: "run", id });
  // The page's first frame asks for the chat.
  const request = JSON.parse(await iostream.input());
  if (request?.type !== "start" || typeof request.topic !== "string") throw new Error(`expected {"type":"start","topic":...}, got ${JSON.stringify(request)}`);
  const work_dir = mkdtempSync(join(tmpdir(), "ag2ts-web-chat-"));
  const controller = new AbortController();
  running.set(id, controller);
  console.log(`run ${id} started: ${request.topic}`);
  try {
    const { you, manager } = makeGroup(work_dir);
    const forward = (event) => {
      // Members' messages reach the manager once each; its broadcasts to the others are not repeated.
      if (event.type === "sent_message" && event.recipient !== manager.name) return;
      if (FOR_THE_PAGE.has(event.type)) iostream.send(event);
    };
    // The run's own signal (Stop) is combined with the connection's (the page went away).
    const result = await subscribe_events(forward, () => you.initiate_chat(manager, { message: request.topic, signal: controller.signal }));
    const end = { id, topic: request.topic, stop_reason: result.stop_reason, stopped_by: result.stopped_by, messages: result.chat_history.length };
    runs.push(end);
    console.log(`run ${id} ended: stop_reason=${end.stop_reason} messages=${end.messages}`);
    iostream.send({ type: "run_end", ...end });
  } finally {
    running.delete(id);
    rmSync(work_dir, { recursive: true, force: true });
  }
}

const port = Number(process.env.PORT ?? 8000);
const ws = await IOWebsockets.run_server({ on_connect: onConnect, host: "127.0.0.1", port: Number(process.env.WS_PORT ?? 0) });

const json = (res, status, body) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};
const http = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (req.method === "GET" && url.pathname === "/") {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(PAGE);
  } else if (req.method === "GET" && url.pathname === "/api/config") {
    json(res, 200, { ws_url: ws.url });
  } else if (req.method === "GET" && url.pathname === "/api/runs") {
    json(res, 200, { runs, running: [...running.keys()] });
  } else if (req.method === "POST" && url.pathname === "/api/stop") {
    const controller = running.get(Number(url.searchParams.get("run")));
    if (!controller) return json(res, 404, { error: "no such run" });
    controller.abort(new Error("stopped from the page"));
    json(res, 200, { stopping: true });
  } else {
    json(res, 404, { error: "not found" });
  }
});
await new Promise((resolve) => http.listen(port, "127.0.0.1", resolve));
console.log(`web-chat: http://127.0.0.1:${http.address().port}/ (websocket ${ws.url})`);

// Ctrl-C or a test's SIGTERM: stop both servers (running chats end as aborted), then exit.
const shutdown = async () => {
  http.closeAllConnections();
  await Promise.all([new Promise((resolve) => http.close(resolve)), ws.close()]);
  process.exit(0);
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
