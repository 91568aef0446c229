/**
 * A run's record in Redis: the hash with its status, input, saved
 * conversation (the versioned save_conversation format) and result, and the
 * stream of its events. Shared by workers (writes) and the client (reads,
 * start, input, cancel).
 */
import type { ConversationState } from "../persistence/state";
import type { AG2Event } from "../io/events";
import type { Message } from "../core/types";
import type { RedisLike } from "./bullmq";
import type { ChatPosition } from "./continue-chat";
import { CANCEL, CLAIM, CREATE, FINISH, RECORD, SUBMIT } from "./scripts";

export type RunStatus = "queued" | "running" | "waiting_for_input" | "completed" | "failed" | "cancelled";

/** A status change, published on the run's stream next to the library's events. */
export interface RunStatusEvent {
  type: "run_status";
  status: RunStatus;
  /** running: the worker that took the run, whether it resumed one a worker was running, and how many unsaved events of that worker were dropped. */
  worker?: string;
  resumed?: boolean;
  messages?: number;
  dropped_events?: number;
  /** waiting_for_input: the question for the person. */
  prompt?: string;
  /** queued after submitHumanInput: the run's segment number. */
  segment?: number;
  /** failed: the error. */
  error?: { name: string; message: string };
}

/** An entry of a run's stream: a library event (src/io/events.ts) or a status change; `id` is the stream id. */
export type QueueEvent = (AG2Event | RunStatusEvent) & { id: string };

/** The ChatResult of a finished run, as JSON (agents by name). */
export interface RunResult {
  chat_history: Message[];
  summary: string;
  cost: Record<string, unknown>;
  human_input: string[];
  stop_reason: string | null;
  stopped_by: string | null;
}

export interface RunInfo {
  runId: string;
  conversation: string;
  status: RunStatus;
  input: unknown;
  /** Messages saved so far (the sender's history with the recipient). */
  messages: number;
  /** waiting_for_input: what the person is asked. */
  prompt: string | null;
  /** completed / cancelled while running: the chat's result. */
  result: RunResult | null;
  /** failed: the error's name and message. */
  error: { name: string; message: string } | null;
  /** The worker that ran the run last. */
  worker: string | null;
  created_at: string;
  updated_at: string;
}

/** What a job reads of its run when it starts. */
export interface RunRecord {
  conversation: string;
  input: unknown;
  state: string | null;
  position: ChatPosition | null;
  messages: number;
  answer: string | null;
  answer_for: number | null;
}

const now = () => new Date().toISOString();
const parse = <T>(text: string | undefined | null, fallback: T): T => (text === undefined || text === null || text === "" ? fallback : (JSON.parse(text) as T));

export class RunStore {
  constructor(
    readonly redis: RedisLike,
    /** `<prefix>:<queue name>`. */
    readonly base: string,
  ) {}

  runKey(runId: string): string {
    return `${this.base}:run:${runId}`;
  }
  eventsKey(runId: string): string {
    return `${this.base}:events:${runId}`;
  }
  get cancelChannel(): string {
    return `${this.base}:cancel`;
  }

  private script(script: string, runId: string, ...args: Array<string | number>): Promise<unknown> {
    return this.redis.eval(script, 2, this.runKey(runId), this.eventsKey(runId), ...args);
  }

  async create(runId: string, conversation: string, input: unknown): Promise<boolean> {
    const queued: RunStatusEvent = { type: "run_status", status: "queued" };
    return (await this.script(CREATE, runId, conversation, JSON.stringify(input ?? null), now(), JSON.stringify(queued))) === 1;
  }

  async claim(runId: string, owner: string, worker: string, segment: number): Promise<{ outcome: string; previous: string | null }> {
    const cancelled: RunStatusEvent = { type: "run_status", status: "cancelled" };
    const reply = (await this.script(CLAIM, runId, owner, worker, now(), segment, JSON.stringify(cancelled))) as string[];
    return { outcome: reply[0], previous: reply[1] ?? null };
  }

  async read(runId: string): Promise<RunRecord | null> {
    const h = await this.redis.hgetall(this.runKey(runId));
    if (!h || h.status === undefined) return null;
    return {
      conversation: h.conversation,
      input: parse(h.input, null),
      state: h.state ?? null,
      position: parse<ChatPosition | null>(h.position, null),
      messages: Number(h.messages ?? 0),
      answer: h.answer ?? null,
      answer_for: h.answer_for === undefined ? null : Number(h.answer_for),
    };
  }

  /** Appends events (each with the state saved after it, or none); false when `owner` no longer holds the run. */
  async record(runId: string, owner: string, items: Array<{ event: string; state?: string; messages?: number; position?: string }>): Promise<boolean> {
    const args: string[] = [owner, now()];
    for (const item of items) args.push(item.event, item.state ?? "", String(item.messages ?? 0), item.position ?? "");
    return (await this.script(RECORD, runId, ...args)) === 1;
  }

  async finish(runId: string, owner: string, status: RunStatus, event: RunStatusEvent, fields: Record<string, string>): Promise<boolean> {
    const args: string[] = [owner, status, now(), JSON.stringify(event)];
    for (const [k, v] of Object.entries(fields)) args.push(k, v);
    return (await this.script(FINISH, runId, ...args)) === 1;
  }

  async submit(runId: string, text: string): Promise<{ outcome: string; segment: number }> {
    const reply = (await this.script(SUBMIT, runId, text, now())) as string[];
    return { outcome: reply[0], segment: Number(reply[1] ?? -1) };
  }

  async cancel(runId: string): Promise<string> {
    return (await this.script(CANCEL, runId, now(), this.cancelChannel, runId)) as string;
  }

  async info(runId: string): Promise<RunInfo | null> {
    const h = await this.redis.hgetall(this.runKey(runId));
    if (!h || h.status === undefined) return null;
    return {
      runId,
      conversation: h.conversation,
      status: h.status as RunStatus,
      input: parse(h.input, null),
      messages: Number(h.messages ?? 0),
      prompt: h.prompt ?? null,
      result: parse<RunResult | null>(h.result, null),
      error: parse<{ name: string; message: string } | null>(h.error, null),
      worker: h.worker ?? null,
      created_at: h.created_at,
      updated_at: h.updated_at,
    };
  }

  async state(runId: string): Promise<ConversationState | null> {
    return parse<ConversationState | null>(await this.redis.hget(this.runKey(runId), "state"), null);
  }

  /** Events after stream id `after` ("0": from the start), waiting up to `blockMs` for some (0: no wait). */
  async events(runId: string, after: string, blockMs: number, client: RedisLike = this.redis): Promise<QueueEvent[]> {
    const args: Array<string | number> = blockMs > 0 ? ["BLOCK", blockMs] : [];
    const reply = await client.xread(...args, "STREAMS", this.eventsKey(runId), after);
    if (!reply) return [];
    const out: QueueEvent[] = [];
    for (const [, entries] of reply) {
      for (const [id, fields] of entries) out.push({ ...(JSON.parse(fields[1]) as AG2Event | RunStatusEvent), id });
    }
    return out;
  }
}
