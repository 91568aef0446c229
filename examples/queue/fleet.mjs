// The fleet on one machine: worker processes plus a web page showing runs.
//
//   redis-server --bind 127.0.0.1 --port 6379 --save '' --appendonly no
//   node examples/queue/fleet.mjs              workers + http://127.0.0.1:8080 (WORKERS=2, PORT, REDIS_URL)
//   node examples/queue/fleet.mjs --once       CI: own redis-server, 2 workers, a few runs through the HTTP API, exit
//
// HTTP API (the page uses it): POST /start?conversation=research&topic=...,
// GET /runs, GET /events?run=ID (server-sent events relayed from the run's
// Redis stream), POST /input?run=ID&text=..., POST /cancel?run=ID.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { createServer as netServer } from "node:net";
import { fileURLToPath } from "node:url";
import { ConversationQueue } from "../../dist/queue.mjs";
import { conversations } from "./conversations.mjs";

const once = process.argv.includes("--once");
const children = [];
const stopAll = () => children.forEach((c) => c.exitCode === null && c.kill("SIGTERM"));
process.on("exit", stopAll);

const freePort = () => new Promise((resolve) => { const s = netServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); }); });

let redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
if (once && !process.env.REDIS_URL) {
  const port = await freePort();
  children.push(spawn("redis-server", ["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no"], { stdio: "ignore" }));
  redisUrl = `redis://127.0.0.1:${port}`;
  await new Promise((r) => setTimeout(r, 300));
}
const workerScript = fileURLToPath(new URL("./worker.mjs", import.meta.url));
const count = Number(process.env.WORKERS ?? 2);
await Promise.all(
  Array.from({ length: count }, (_, i) => new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [workerScript, `worker-${i + 1}`], { env: { ...process.env, REDIS_URL: redisUrl }, stdio: ["ignore", "pipe", "inherit"] });
    children.push(child);
    child.stdout.on("data", (d) => String(d).includes("ready") && resolve());
    child.on("exit", (code) => reject(new Error(`worker-${i + 1} exited with ${code}`)));
  })),
);

const queue = new ConversationQueue({ connection: redisUrl, conversations });
const runs = [];

const PAGE = `<!doctype html><meta charset="utf-8"><title>ag2ts fleet</title>
<form id="f"><select name="conversation"><option>research</option><option>support</option></select>
<input name="topic" value="BullMQ" size="30"> <button>Start</button></form>
<table id="runs" border="1" cellpadding="4"></table><pre id="log"></pre>
<script>
const post = (path) => fetch(path, { method: "POST" }).then((r) => r.json());
f.onsubmit = (e) => { e.preventDefault(); post("/start?" + new URLSearchParams(new FormData(f))).then(({ runId }) => show(runId)); };
function show(id) {
  log.textContent = "";
  const source = new EventSource("/events?run=" + id);
  source.onmessage = (m) => {
    const ev = JSON.parse(m.data);
    if (ev.type === "received_message") log.textContent += ev.sender + ": " + ev.content + "\\n";
    if (ev.type === "run_status") log.textContent += "[" + ev.status + (ev.worker ? " on " + ev.worker : "") + "]\\n";
  };
  source.addEventListener("end", () => source.close());
}
async function refresh() {
  const list = await (await fetch("/runs")).json();
  runs.innerHTML = "<tr><th>run</th><th>conversation</th><th>status</th><th>worker</th><th>messages</th><th></th></tr>" + list.map((r) =>
    "<tr><td><a href=# onclick='show(\\"" + r.runId + "\\")'>" + r.runId.slice(0, 8) + "</a></td><td>" + r.conversation + "</td><td>" + r.status +
    "</td><td>" + (r.worker ?? "") + "</td><td>" + r.messages + "</td><td>" +
    (r.status === "waiting_for_input" ? "<input id='a" + r.runId + "' placeholder='answer (empty: done)'><button onclick='post(\\"/input?run=" + r.runId + "&text=\\" + encodeURIComponent(document.getElementById(\\"a" + r.runId + "\\").value))'>send</button>" : "") +
    (["queued", "running", "waiting_for_input"].includes(r.status) ? " <button onclick='post(\\"/cancel?run=" + r.runId + "\\")'>cancel</button>" : "") + "</td></tr>").join("");
}
setInterval(refresh, 1000); refresh();
</script>`;

async function handle(req, res, url) {
  const json = (data, status = 200) => { res.writeHead(status, { "content-type": "application/json" }); res.end(JSON.stringify(data)); };
  const run = url.searchParams.get("run");
  switch (url.pathname) {
    case "/start": {
      const runId = await queue.start(url.searchParams.get("conversation") ?? "research", { topic: url.searchParams.get("topic") ?? "queues" });
      runs.push(runId);
      return json({ runId });
    }
    case "/runs":
      return json(await Promise.all(runs.map((id) => queue.status(id))));
    case "/input":
      await queue.submitHumanInput(run, url.searchParams.get("text") ?? "");
      return json({ ok: true });
    case "/cancel":
      return json({ status: await queue.cancel(run) });
    case "/events": {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
      // Last-Event-ID (a reconnecting EventSource) or ?after= go on after that stream id.
      const after = req.headers["last-event-id"] ?? url.searchParams.get("after") ?? "0";
      const events = queue.events(run, { after, untilWaiting: url.searchParams.get("until") === "idle" });
      req.on("close", () => events.return(undefined));
      for await (const event of events) res.write(`id: ${event.id}\ndata: ${JSON.stringify(event)}\n\n`);
      res.end("event: end\ndata: {}\n\n");
      return;
    }
    default:
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(PAGE);
  }
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  handle(req, res, url).catch((err) => {
    if (!res.headersSent) res.writeHead(400, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: `${err.name}: ${err.message}` }));
  });
});

/** Reads /events like a browser's EventSource; returns the events. */
async function readEvents(base, runId, until = "", after = "0") {
  const response = await fetch(`${base}/events?run=${runId}&until=${until}&after=${after}`);
  const decoder = new TextDecoder();
  let buffer = "";
  const events = [];
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) !== -1) {
      const data = /^data: (.*)$/m.exec(buffer.slice(0, end))?.[1];
      buffer = buffer.slice(end + 2);
      if (data && data !== "{}") events.push(JSON.parse(data));
    }
  }
  return events;
}

if (once) {
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  const post = (path) => fetch(base + path, { method: "POST" }).then((r) => r.json());
  const started = await Promise.all(["Redis", "BullMQ", "SSE"].map((topic) => post(`/start?conversation=research&topic=${topic}`)));
  for (const { runId } of started) {
    const events = await readEvents(base, runId);
    const said = events.filter((e) => e.type === "received_message").length;
    const end = events.find((e) => e.type === "chat_end");
    console.log(`research run: ${said} messages, stop_reason=${end.stop_reason}, status=${events.at(-1).status}`);
  }
  const { runId } = await post("/start?conversation=support&topic=billing");
  let events = await readEvents(base, runId, "idle");
  console.log(`support run: ${events.at(-1).status}, prompt: ${events.at(-1).prompt}`);
  const answered = await post(`/input?run=${runId}&text=${encodeURIComponent("Where is my invoice?")}`);
  if (!answered.ok) throw new Error(answered.error);
  events = await readEvents(base, runId, "idle", events.at(-1).id);
  console.log(`support run: ${events.at(-1).status} again`);
  const ended = await post(`/input?run=${runId}&text=`);
  if (!ended.ok) throw new Error(ended.error);
  const final = await queue.wait(runId);
  console.log(`support run: ${final.status}, human_input=${JSON.stringify(final.result.human_input)}, stop_reason=${final.result.stop_reason}`);
  server.close();
  await queue.close();
  stopAll();
  await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.on("exit", r)) : null)));
  process.exit(0);
} else {
  const port = Number(process.env.PORT ?? 8080);
  server.listen(port, "127.0.0.1", () => console.log(`${count} workers on ${redisUrl}; runs at http://127.0.0.1:${port}`));
  process.on("SIGINT", () => { stopAll(); process.exit(0); });
}
