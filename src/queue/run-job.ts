/**
 * One job of a run: the chat from where its saved state left it (or from
 * the start) to its end, or to the next question for a person. Every message
 * of the chat saves the conversation (save_conversation) with the event
 * that reported it, in one atomic write, so a job taken over by another
 * worker goes on from the last saved message and drops the events of the
 * turn that was lost.
 */
import { AbortError } from "../errors";
import { IOStream } from "../io/base";
import { subscribe_events, type AG2Event } from "../io/events";
import { save_conversation } from "../persistence/save";
import { load_conversation } from "../persistence/load";
import type { ChatResult } from "../agentchat/chats/chat-result";
import type { Cache } from "../cache/cache";
import { checkSpec, type ConversationRegistry, type ConversationSpec } from "./registry";
import { continueChat, type ChatPosition } from "./continue-chat";
import { Recorder } from "./recorder";
import type { RunStatus, RunStore } from "./store";
import { RunStateError } from "./errors";

export interface JobDeps {
  store: RunStore;
  registry: ConversationRegistry;
  /** This worker's name (in run records and status events). */
  worker: string;
  /** The shared model cache, created on first use; null when the worker has none. */
  cache: () => Cache | null;
  /** The runs this worker is running, for cancel(). */
  active: Map<string, AbortController>;
}

export interface JobOutcome {
  /** "abandoned": the worker closed with force; the run stays running for another worker to take over. */
  status: RunStatus | "stale" | "missing" | "superseded" | "abandoned";
  prompt?: string;
}

/** The abort reason of a job its worker gives up (close({ force: true })): nothing more is written, another worker resumes the run. */
export class WorkerClosingError extends AbortError {}

/** Stops a job without a trace in Redis: its run is left for another worker (ConversationWorker.close({ force: true })). */
export function abandonJob(controller: AbortController, worker: string): void {
  controller.abort(new WorkerClosingError(`Worker ${worker} closed; the run goes on on another worker.`));
}

/** Thrown by the job's input stream when a person must answer: the job saves and ends waiting. */
class WaitingForInput extends Error {
  constructor(readonly prompt: string) {
    super(`Waiting for human input: ${prompt}`);
    this.name = "WaitingForInput";
  }
}

/** The job's IOStream: nothing is printed (events carry everything); input is the submitted answer, once. */
class JobIOStream implements IOStream {
  waiting: string | null = null;
  constructor(
    private answer: string | null,
    private readonly onAnswer: () => void,
  ) {}
  print(): void {}
  input(prompt = ""): string {
    if (this.answer !== null) {
      const answer = this.answer;
      this.answer = null;
      this.onAnswer();
      return answer;
    }
    this.waiting = prompt;
    throw new WaitingForInput(prompt);
  }
}

function chatOptions(spec: ConversationSpec, signal: AbortSignal): Record<string, unknown> {
  const options: Record<string, unknown> = { signal };
  for (const key of ["message", "max_turns", "summary_method", "summary_args", "silent", "cache"] as const) {
    if (spec[key] !== undefined) options[key] = spec[key];
  }
  return options;
}

/** A ChatResult as JSON. */
export function resultJson(result: ChatResult): Record<string, unknown> {
  return JSON.parse(JSON.stringify(result)) as Record<string, unknown>;
}

function errorJson(err: unknown): { name: string; message: string } {
  return err instanceof Error ? { name: err.name, message: err.message } : { name: "Error", message: String(err) };
}

export async function runJob(deps: JobDeps, runId: string, segment: number, jobSignal?: AbortSignal): Promise<JobOutcome> {
  const { store } = deps;
  const owner = `${deps.worker}:${globalThis.crypto.randomUUID()}`;
  const claim = await store.claim(runId, owner, deps.worker, segment);
  if (claim.outcome !== "ok") return { status: claim.outcome as JobOutcome["status"] };

  const controller = new AbortController();
  deps.active.set(runId, controller);
  const onJobAbort = () => controller.abort(jobSignal?.reason);
  jobSignal?.addEventListener("abort", onJobAbort, { once: true });
  let lost = false;
  const abandoned = () => controller.signal.reason instanceof WorkerClosingError;
  const recorder = new Recorder(store, runId, owner, (err) => {
    lost = err === null;
    controller.abort(err ?? new RunStateError(`Run ${runId} was taken over by another worker.`));
  });
  const fail = async (err: unknown): Promise<never> => {
    await recorder.flush().catch(() => {});
    const error = errorJson(err);
    await store.finish(runId, owner, "failed", { type: "run_status", status: "failed", error }, { error: JSON.stringify(error) });
    throw err;
  };
  try {
    // A cancel published between the claim and the line above is seen here.
    if ((await store.redis.hget(store.runKey(runId), "cancel_requested")) === "1") controller.abort(new AbortError("The run was cancelled."));
    const record = await store.read(runId);
    if (!record) return { status: "missing" };
    let spec: ConversationSpec;
    let position: ChatPosition;
    try {
      const definition = deps.registry.get(record.conversation);
      const resumed = record.state !== null;
      spec = checkSpec(record.conversation, await definition(record.input, { runId, cache: deps.cache(), resumed }));
      if (record.state !== null) {
        if (!record.position) throw new RunStateError(`Run ${runId} has a saved conversation but no position; its record is damaged.`);
        load_conversation(record.state, [spec.sender, spec.recipient]);
      }
      position = record.position ?? { from: "", to: "", messages: 0, turns: 0 };
    } catch (err) {
      return await fail(err);
    }
    const { sender, recipient } = spec;
    const answer = record.answer !== null && record.answer_for === record.messages ? record.answer : null;
    // The question this answer is for was published by the job that stopped to wait: not again.
    let replayedQuestion = answer !== null;
    const io = new JobIOStream(answer, () => (replayedQuestion = false));
    const listener = (event: AG2Event) => {
      if (io.waiting !== null || lost || abandoned()) return;
      if (replayedQuestion && event.type === "human_input_requested") {
        replayedQuestion = false;
        return;
      }
      const top = event.path.length === 1;
      if (top && event.type === "received_message" && (event.sender === sender.name || event.sender === recipient.name)) {
        const messages = sender.chat_messages_get(recipient).length;
        position = { from: event.sender, to: event.recipient, messages, turns: position.turns + (event.sender === sender.name ? 1 : 0) };
        recorder.push(event, JSON.stringify(save_conversation([sender, recipient])), position);
      } else {
        recorder.push(event);
      }
    };
    const resumeAt = record.state !== null ? position : null;
    const chat = () =>
      resumeAt ? continueChat(spec, resumeAt, controller.signal) : sender.initiate_chat(recipient, chatOptions(spec, controller.signal));
    let result: ChatResult;
    try {
      result = await IOStream.set_default(io, () => subscribe_events(listener, chat));
    } catch (err) {
      if (lost) return { status: "superseded" };
      if (abandoned()) return { status: "abandoned" };
      if (io.waiting !== null) {
        await recorder.flush().catch(fail);
        const prompt = io.waiting;
        await store.finish(runId, owner, "waiting_for_input", { type: "run_status", status: "waiting_for_input", prompt }, { prompt });
        return { status: "waiting_for_input", prompt };
      }
      return await fail(err);
    }
    if (lost) return { status: "superseded" };
    if (abandoned()) return { status: "abandoned" };
    // A write that failed aborted the chat: the run fails (it is not cancelled).
    await recorder.flush().catch(fail);
    const status: RunStatus = result.stop_reason === "aborted" ? "cancelled" : "completed";
    const finalState = JSON.stringify(save_conversation([sender, recipient]));
    await store.finish(runId, owner, status, { type: "run_status", status }, {
      result: JSON.stringify(resultJson(result)),
      state: finalState,
      messages: String(sender.chat_messages_get(recipient).length),
    });
    return { status };
  } finally {
    jobSignal?.removeEventListener("abort", onJobAbort);
    if (deps.active.get(runId) === controller) deps.active.delete(runId);
  }
}
