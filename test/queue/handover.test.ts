/**
 * ag2ts/queue with workers in this process, against a real redis-server:
 * a job that lost its run to another worker writes nothing more (fencing);
 * close({ force: true }) hands a run to another worker at once; a queued run
 * cancelled before any worker saw it stays cancelled; a resumed run that
 * fails reports it as initiate_chat does; cancel reaches a tool in flight.
 */
import { AbortError, IOStream, save_conversation } from "../../src/index";
import { CapturingIOStream } from "../../src/testing/index";
import { ConversationQueue, ConversationWorker, type QueueEvent } from "../../src/queue/index";
import { loadBullMQ } from "../../src/queue/bullmq";
import { resolveConnection } from "../../src/queue/connection";
import { checkSpec } from "../../src/queue/registry";
import { runJob } from "../../src/queue/run-job";
import { RunStore } from "../../src/queue/store";
import { gate, handover, toolSignals } from "./fixtures/handover-conversations";
import { startRedis, type RedisServer } from "./helpers";

jest.setTimeout(60_000);

let redis: RedisServer;
const queues: ConversationQueue[] = [];
const workers: ConversationWorker[] = [];

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  gate.open();
  for (const w of workers) await w.close({ force: true });
  for (const q of queues) await q.close();
  await redis?.stop();
});

function queueOf(queueName: string): ConversationQueue {
  const queue = new ConversationQueue({ connection: redis.url, queueName, conversations: handover });
  queues.push(queue);
  return queue;
}

async function workerOf(queueName: string, name: string, options: { lockDuration?: number } = {}): Promise<ConversationWorker> {
  const worker = new ConversationWorker({ connection: redis.url, queueName, conversations: handover, name, ...options });
  workers.push(worker);
  await worker.start();
  return worker;
}

async function eventsOf(queue: ConversationQueue, runId: string): Promise<QueueEvent[]> {
  const out: QueueEvent[] = [];
  for await (const event of queue.events(runId)) out.push(event);
  return out;
}

const statuses = (events: QueueEvent[]) => events.filter((e) => e.type === "run_status").map((e) => (e as { status: string }).status);
const until = async (check: () => Promise<boolean> | boolean, what: string) => {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
};

async function localHistory(name: string, input: unknown): Promise<unknown> {
  const { sender, recipient, ...options } = checkSpec(name, await handover.get(name)(input, { runId: "local", cache: null, resumed: false }));
  const result = await IOStream.set_default(new CapturingIOStream(), () => sender.initiate_chat(recipient, options));
  return { history: result.chat_history, agents: save_conversation([sender, recipient]).agents };
}

test("a job that lost its run to another worker writes nothing more, and the run goes on from the last saved message", async () => {
  const queue = queueOf("fencing");
  const runId = await queue.start("gated", null);
  const { redis: options, base } = resolveConnection("test", { connection: redis.url, queueName: "fencing" });
  const { Queue } = await loadBullMQ();
  const bull = new Queue("fencing", { connection: options, prefix: "ag2ts" });
  try {
    const store = new RunStore(await bull.client, base);
    const deps = { store, registry: handover, worker: "old", cache: () => null, active: new Map<string, AbortController>() };
    gate.waiting = 0;
    const old = runJob(deps, runId, 0);
    // The first message is saved; the model call of the first reply is held at the gate.
    await until(async () => gate.waiting === 1 && (await queue.status(runId)).messages === 1, "the first model call");
    // Another worker takes the run over (as after the old one's lock expired).
    expect(await store.claim(runId, "new:token", "new", 0)).toEqual({ outcome: "ok", previous: "running" });
    gate.open();
    expect(await old).toEqual({ status: "superseded" });
    const info = await queue.status(runId);
    expect({ status: info.status, worker: info.worker, messages: info.messages }).toEqual({ status: "running", worker: "new", messages: 1 });
    const events = (await store.events(runId, "0", 0)).map(({ id: _id, ...e }) => e);
    expect(events.map((e) => e.type)).toEqual(["run_status", "run_status", "chat_start", "sent_message", "received_message", "run_status"]);
    expect(events[5]).toEqual({ type: "run_status", status: "running", worker: "new", resumed: true, messages: 1, dropped_events: 0 });
    // The old job's reply never reached the saved conversation.
    expect((await queue.state(runId))!.agents.user.chat_messages.assistant.map((m) => m.content)).toEqual(["Hello."]);

    // A worker that now runs the job goes on from there, and the chat ends as in one process.
    const resume = runJob({ ...deps, worker: "third" }, runId, 0);
    await until(() => gate.release.length > 0 || false, "the resumed model call");
    const opener = setInterval(() => gate.open(), 5);
    try {
      expect(await resume).toEqual({ status: "completed" });
    } finally {
      clearInterval(opener);
    }
    const done = await queue.status(runId);
    const local = localHistory("gated", null);
    gate.waiting = 0;
    const localOpener = setInterval(() => gate.open(), 5);
    const expected = await local.finally(() => clearInterval(localOpener));
    expect({ history: done.result!.chat_history, agents: (await queue.state(runId))!.agents }).toEqual(expected);
    const all = await store.events(runId, "0", 0);
    expect(all.filter((e) => e.type === "received_message").map((e) => (e as { content: string }).content)).toEqual(done.result!.chat_history.map((m) => m.content));
  } finally {
    await bull.close();
  }
});

test("close({ force: true }) stops its runs without a trace and another worker goes on at once", async () => {
  const queue = queueOf("force");
  const first = await workerOf("force", "first", { lockDuration: 30_000 });
  const runId = await queue.start("steady", { id: 7 });
  await until(async () => (await queue.status(runId)).messages >= 3, "three saved messages");
  await first.close({ force: true });
  const left = await queue.status(runId);
  expect({ status: left.status, worker: left.worker }).toEqual({ status: "running", worker: "first" });
  const t0 = Date.now();
  await workerOf("force", "second", { lockDuration: 30_000 });
  const info = await queue.wait(runId, { until: ["completed", "failed", "cancelled"], timeout: 10_000 });
  // Moved back to the queue, not left for the 30 s lock to expire.
  expect(Date.now() - t0).toBeLessThan(5_000);
  expect(info).toMatchObject({ status: "completed", worker: "second" });
  const local = (await localHistory("steady", { id: 7 })) as { history: unknown; agents: unknown };
  expect(info.result!.chat_history).toEqual(local.history);
  expect((await queue.state(runId))!.agents).toEqual(local.agents);
  const events = await eventsOf(queue, runId);
  expect(statuses(events)).toEqual(["queued", "running", "running", "completed"]);
  expect(events.filter((e) => e.type === "run_status")[2]).toMatchObject({ worker: "second", resumed: true });
  expect(events.filter((e) => e.type === "termination").map((e) => (e as { stop_reason: string }).stop_reason)).toEqual(["max_turns"]);
  expect(events.filter((e) => e.type === "received_message").map((e) => (e as { content: string }).content)).toEqual(info.result!.chat_history.map((m) => m.content));
});

test("a queued run cancelled before any worker took it stays cancelled", async () => {
  const queue = queueOf("idle");
  const cancelled = await queue.start("steady", { id: 1 });
  expect((await queue.status(cancelled)).status).toBe("queued");
  expect(await queue.cancel(cancelled)).toBe("cancelled");
  const later = await queue.start("ask-then-fail", null);
  // One job at a time, in order: once the later run was taken, the cancelled one's job has been seen.
  await workerOf("idle", "late");
  await queue.wait(later);
  const info = await queue.status(cancelled);
  expect({ status: info.status, worker: info.worker, messages: info.messages, result: info.result }).toEqual({ status: "cancelled", worker: null, messages: 0, result: null });
  expect(statuses(await eventsOf(queue, cancelled))).toEqual(["queued", "cancelled"]);
});

test("a run that fails after a person's answer reports the error and ends its chat as initiate_chat does", async () => {
  const queue = queueOf("failing");
  await workerOf("failing", "w");
  const runId = await queue.start("ask-then-fail", null);
  expect(await queue.wait(runId)).toMatchObject({ status: "waiting_for_input", messages: 2 });
  await queue.submitHumanInput(runId, "Why?");
  const info = await queue.wait(runId);
  expect(info).toMatchObject({ status: "failed", messages: 3, error: { name: "Error", message: "The model is down." } });
  const events = await eventsOf(queue, runId);
  expect(statuses(events)).toEqual(["queued", "running", "waiting_for_input", "queued", "running", "failed"]);
  const tail = events.slice(events.findIndex((e) => e.type === "received_message" && (e as { content: string }).content === "Why?"));
  expect(tail.map(({ id: _id, ...e }) => e)).toEqual([
    expect.objectContaining({ type: "received_message", sender: "user", recipient: "assistant", content: "Why?" }),
    { type: "error", name: "Error", message: "The model is down.", path: ["chat:1"] },
    expect.objectContaining({ type: "chat_end", stop_reason: "error", stopped_by: null, messages: 3 }),
    { type: "run_status", status: "failed", error: { name: "Error", message: "The model is down." } },
  ]);
});

test("cancel aborts a tool in flight and stops the run within 1 s", async () => {
  const queue = queueOf("tools");
  await workerOf("tools", "w");
  toolSignals.length = 0;
  const runId = await queue.start("slow-tool", null);
  await until(() => toolSignals.length === 1, "the tool call");
  const t0 = Date.now();
  expect(await queue.cancel(runId)).toBe("cancelling");
  const info = await queue.wait(runId, { until: ["cancelled", "completed", "failed"], timeout: 5000 });
  expect(Date.now() - t0).toBeLessThan(1000);
  expect(toolSignals[0].aborted).toBe(true);
  expect(toolSignals[0].reason).toEqual(new AbortError("The run was cancelled."));
  expect(info.status).toBe("cancelled");
  expect(info.result!.stop_reason).toBe("aborted");
  expect(info.result!.chat_history.map((m) => m.content)).toEqual(["Run the tool.", null]);
  const events = await eventsOf(queue, runId);
  expect(events.filter((e) => e.type === "termination")).toEqual([
    expect.objectContaining({ stop_reason: "aborted", reason: "The chat was aborted" }),
  ]);
});
