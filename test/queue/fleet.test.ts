/**
 * ag2ts/queue against a real redis-server (started here) and real worker
 * processes (fixtures/worker-process.cjs): histories of runs spread over a
 * fleet equal the same conversations run in one process, also when a worker
 * is killed mid-chat; a run waiting for a person survives every worker
 * restarting; cancel stops a run within 1 s.
 */
import { ConversationQueue, RunStateError, type QueueEvent, type RunInfo } from "../../src/queue/index";
import type { ChatInput } from "./fixtures/conversations";
import { runLocally, startRedis, startWorkers, stopWorkers, type RedisServer, type WorkerProcess } from "./helpers";

jest.setTimeout(120_000);

let redis: RedisServer;
let workers: WorkerProcess[] = [];
let queue: ConversationQueue;
const QUEUE = "fleet";

beforeAll(async () => {
  redis = await startRedis();
  workers = await startWorkers(redis.url, QUEUE, ["w1", "w2", "w3"]);
  queue = new ConversationQueue({ connection: redis.url, queueName: QUEUE });
});

afterAll(async () => {
  await queue?.close();
  await stopWorkers(workers, "SIGKILL");
  await redis?.stop();
});

async function eventsOf(runId: string): Promise<QueueEvent[]> {
  const out: QueueEvent[] = [];
  for await (const event of queue.events(runId)) out.push(event);
  return out;
}

/** A message without its role (the stream reports what the recipient stored, the history is the sender's view). */
const unroled = ({ role: _role, ...rest }: { role?: unknown; [k: string]: unknown }) => rest;

/** The messages the run's stream reported, top-level chat only. */
const reported = (events: QueueEvent[]) =>
  events
    .filter((e) => e.type === "received_message" && (e as { path: string[] }).path.length === 1)
    .map((e) => unroled((e as unknown as { message: { role?: unknown } }).message));

async function expectLikeLocal(info: RunInfo, name: string, input: unknown, inputs: string[] = []): Promise<void> {
  const local = await runLocally(name, input, inputs);
  expect(info.status).toBe("completed");
  const r = info.result!;
  expect({ history: r.chat_history, summary: r.summary, stop: [r.stop_reason, r.stopped_by], human: r.human_input, cost: r.cost }).toEqual({
    history: local.result.chat_history,
    summary: local.result.summary,
    stop: [local.result.stop_reason, local.result.stopped_by],
    human: local.result.human_input,
    cost: local.result.cost,
  });
  expect((await queue.state(info.runId))!.agents).toEqual(local.agents);
  expect(info.messages).toBe(local.result.chat_history.length);
}

const KINDS: ChatInput["kind"][] = ["turns", "terminate", "auto", "tool"];

test("50 scripted conversations over 3 worker processes end as the same conversations run in one process", async () => {
  const inputs: ChatInput[] = Array.from({ length: 50 }, (_, i) => ({ id: i, kind: KINDS[i % 4], length: 2 + (i % 5), delay: 10 }));
  const ids = await Promise.all(inputs.map((input) => queue.start("chat", input)));
  const infos = await Promise.all(ids.map((id) => queue.wait(id, { timeout: 90_000 })));
  for (let i = 0; i < inputs.length; i++) await expectLikeLocal(infos[i], "chat", inputs[i]);
  // The stop reasons cover every way these chats end.
  expect(new Set(infos.map((i) => i.result!.stop_reason))).toEqual(new Set(["max_turns", "termination_msg", "max_consecutive_auto_reply"]));
  // The runs were shared by the workers.
  expect(new Set(infos.map((i) => i.worker)).size).toBeGreaterThanOrEqual(2);
  // Each run's stream reported every message once, in order, and ended completed.
  for (const info of infos) {
    const events = await eventsOf(info.runId);
    expect(reported(events)).toEqual(info.result!.chat_history.map(unroled));
    expect(events.at(-1)).toMatchObject({ type: "run_status", status: "completed" });
    expect(events.filter((e) => e.type === "chat_end")).toHaveLength(1);
  }
});

test("a worker killed (SIGKILL) mid-chat: its runs finish on the other workers with no message lost or duplicated", async () => {
  const inputs: ChatInput[] = Array.from({ length: 9 }, (_, i) => ({ id: 100 + i, kind: KINDS[i % 4], length: 6, delay: 150 }));
  const ids = await Promise.all(inputs.map((input) => queue.start("chat", input)));
  // Wait until the victim is in the middle of some chats (a few messages saved, not finished).
  const victim = workers[0];
  let mid: RunInfo[] = [];
  for (let i = 0; i < 200 && mid.length === 0; i++) {
    const infos = await Promise.all(ids.map((id) => queue.status(id)));
    mid = infos.filter((info) => info.worker === victim.name && info.status === "running" && info.messages >= 2);
    if (mid.length === 0) await new Promise((r) => setTimeout(r, 25));
  }
  expect(mid.length).toBeGreaterThan(0);
  victim.child.kill("SIGKILL");
  await victim.exited;
  workers = workers.slice(1);

  const infos = await Promise.all(ids.map((id) => queue.wait(id, { timeout: 60_000 })));
  for (let i = 0; i < inputs.length; i++) await expectLikeLocal(infos[i], "chat", inputs[i]);
  for (const killed of mid) {
    const info = infos[ids.indexOf(killed.runId)];
    expect(info.worker).not.toBe(victim.name);
    const events = await eventsOf(info.runId);
    // Taken over from the saved messages; the dead worker's unsaved events are gone from the stream.
    const resumed = events.filter((e) => e.type === "run_status" && e.status === "running" && e.resumed === true);
    expect(resumed.length).toBeGreaterThanOrEqual(1);
    expect(reported(events)).toEqual(info.result!.chat_history.map(unroled));
    expect(events.filter((e) => e.type === "chat_start")).toHaveLength(1);
    expect(events.filter((e) => e.type === "chat_end")).toHaveLength(1);
  }
  workers.push(...(await startWorkers(redis.url, QUEUE, ["w4"])));
});

test("a run waiting for input survives all workers restarting and resumes with the submitted answer", async () => {
  const input = { topic: "queues" };
  const runId = await queue.start("ask", input);
  const waiting = await queue.wait(runId);
  expect(waiting).toMatchObject({ status: "waiting_for_input", prompt: "Give feedback to assistant. Press enter or type 'exit' to stop the conversation: ", messages: 2 });
  await expect(queue.submitHumanInput("no-such-run", "hi")).rejects.toThrow("submitHumanInput: no run 'no-such-run'.");

  await stopWorkers(workers);
  workers = await startWorkers(redis.url, QUEUE, ["w5", "w6", "w7"]);
  expect((await queue.status(runId)).status).toBe("waiting_for_input");

  await queue.submitHumanInput(runId, "Tell me more");
  const again = await queue.wait(runId);
  expect(again).toMatchObject({ status: "waiting_for_input", messages: 4 });
  await expect(queue.submitHumanInput(runId, "")).resolves.toBeUndefined();
  const done = await queue.wait(runId);
  await expectLikeLocal(done, "ask", input, ["Tell me more", ""]);
  expect(done.result!.human_input).toEqual(["Tell me more", ""]);
  expect(done.result!.stop_reason).toBe("termination_msg");

  const events = await eventsOf(runId);
  expect(events.filter((e) => e.type === "human_input_requested")).toHaveLength(2);
  expect(events.filter((e) => e.type === "run_status").map((e) => (e as { status: string }).status)).toEqual([
    "queued", "running", "waiting_for_input", "queued", "running", "waiting_for_input", "queued", "running", "completed",
  ]);
  await expect(queue.submitHumanInput(runId, "late")).rejects.toThrow(
    new RunStateError(`submitHumanInput: run '${runId}' is completed, not waiting_for_input; answer only a run that asks (status().prompt).`),
  );
});

test("cancel stops a running run within 1 s, and a waiting run at once", async () => {
  const runId = await queue.start("slow", { seconds: 60 });
  // The second model call (60 s) is in flight once the user's second message is saved.
  for (let i = 0; i < 400 && (await queue.status(runId)).messages < 3; i++) await new Promise((r) => setTimeout(r, 25));
  expect((await queue.status(runId)).status).toBe("running");
  const t0 = Date.now();
  expect(await queue.cancel(runId)).toBe("cancelling");
  const info = await queue.wait(runId, { until: ["cancelled", "completed", "failed"], timeout: 5000 });
  const elapsed = Date.now() - t0;
  expect(info.status).toBe("cancelled");
  expect(elapsed).toBeLessThan(1000);
  expect(info.result).toMatchObject({ stop_reason: "aborted", summary: "more" });
  expect(info.result!.chat_history.map((m) => m.content)).toEqual(["Take your time.", "first answer", "more"]);
  expect(await queue.cancel(runId)).toBe("cancelled");

  const asking = await queue.start("ask", { topic: "cancel" });
  await queue.wait(asking);
  expect(await queue.cancel(asking)).toBe("cancelled");
  expect((await queue.status(asking)).status).toBe("cancelled");
  await expect(queue.submitHumanInput(asking, "hello?")).rejects.toThrow(RunStateError);
});

test("a conversation no worker knows fails its run with an error naming the registered ones", async () => {
  const runId = await queue.start("nope", {});
  const info = await queue.wait(runId);
  expect(info.status).toBe("failed");
  expect(info.error).toEqual({
    name: "UnknownConversationError",
    message:
      "Unknown conversation 'nope': registered here are 'chat', 'ask', 'slow', 'cached'. Register it with registry.register('nope', build) in the module every worker and client imports.",
  });
});

test("workers share Cache.redis: a repeated model call is answered from the fleet's cache", async () => {
  const first = await queue.wait(await queue.start("cached", { question: "capital of France" }));
  const second = await queue.wait(await queue.start("cached", { question: "capital of France" }));
  expect(second.result!.chat_history).toEqual(first.result!.chat_history);
  const usage = async (runId: string) => (await eventsOf(runId)).filter((e) => e.type === "usage").map((e) => (e as { cached: boolean }).cached);
  expect(await usage(first.runId)).toEqual([false]);
  expect(await usage(second.runId)).toEqual([true]);
});
