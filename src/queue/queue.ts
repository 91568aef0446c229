/**
 * ConversationQueue: the client side of a fleet (a web server, a CLI, a
 * test): starts runs, reads their status and events, answers a run that
 * waits for a person, cancels runs. It holds no agents: workers build them.
 *
 *   const queue = new ConversationQueue({ connection: "redis://127.0.0.1:6379" });
 *   const runId = await queue.start("translate", { text: "Hello" });
 *   const info = await queue.wait(runId);            // completed, failed, cancelled or waiting_for_input
 *   if (info.status === "waiting_for_input") await queue.submitHumanInput(runId, "Thanks!");
 */
import { TimeoutError, ValueError } from "../errors";
import { is, validateOptions, type Check } from "../options";
import type { ConversationState } from "../persistence/state";
import { loadBullMQ, type BullQueue, type RedisLike } from "./bullmq";
import { CONNECTION_CHECKS, resolveConnection, type QueueConnectionOptions, type ResolvedConnection } from "./connection";
import { ConversationRegistry } from "./registry";
import { RunNotFoundError, RunStateError } from "./errors";
import { RunStore, type QueueEvent, type RunInfo, type RunStatus } from "./store";

export interface ConversationQueueOptions extends QueueConnectionOptions {
  /** When given, `start` checks the conversation name against it (else the worker reports an unknown name as a failed run). */
  conversations?: ConversationRegistry;
  /** BullMQ job options for every job (attempts, priority, ...), passed as they are. */
  jobOptions?: Record<string, unknown>;
}

const CHECKS: Record<string, Check> = { ...CONNECTION_CHECKS, conversations: is.object, jobOptions: is.object };
const RUN_ID = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/;
const STATUSES: RunStatus[] = ["queued", "running", "waiting_for_input", "completed", "failed", "cancelled"];
const SETTLED: RunStatus[] = ["completed", "failed", "cancelled"];
const IDLE: RunStatus[] = [...SETTLED, "waiting_for_input"];

export interface WaitOptions {
  /** Give up after this many ms with a TimeoutError (default 60000). */
  timeout?: number;
  /** Statuses to wait for (default: completed, failed, cancelled, waiting_for_input). */
  until?: RunStatus[];
}

export interface EventsOptions {
  /** Stream id to start after ("0", the default: from the run's first event); give the last id seen to go on. */
  after?: string;
  /**
   * Also end at waiting_for_input (default false: end when the run is completed, failed or cancelled).
   * Read from the start, a run that waited before ends at its first wait: give `after` (the last id seen) to wait for the next.
   */
  untilWaiting?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ConversationQueue {
  private readonly resolved: ResolvedConnection;
  private readonly options: ConversationQueueOptions;
  private opened: Promise<{ queue: BullQueue; store: RunStore }> | null = null;
  private readers = new Set<RedisLike>();

  constructor(options: ConversationQueueOptions) {
    if (options === null || typeof options !== "object") throw new ValueError("ConversationQueue: give an options object { connection, ... }.");
    validateOptions("ConversationQueue", options, CHECKS);
    if (options.conversations !== undefined && !(options.conversations instanceof ConversationRegistry)) {
      throw new ValueError("ConversationQueue: 'conversations' must be a ConversationRegistry.");
    }
    this.resolved = resolveConnection("ConversationQueue", options);
    this.options = options;
  }

  private open(): Promise<{ queue: BullQueue; store: RunStore }> {
    this.opened ??= (async () => {
      const { Queue } = await loadBullMQ();
      const queue = new Queue(this.resolved.queueName, { connection: { ...this.resolved.redis }, prefix: this.resolved.prefix });
      (queue as unknown as { on(e: string, f: () => void): void }).on("error", () => {});
      const client = await queue.client;
      return { queue, store: new RunStore(client, this.resolved.base) };
    })();
    this.opened.catch(() => (this.opened = null));
    return this.opened;
  }

  private async enqueue(conversation: string, runId: string, segment: number): Promise<void> {
    const { queue } = await this.open();
    await queue.add(conversation, { runId, segment }, { removeOnComplete: 1000, removeOnFail: 1000, ...this.options.jobOptions, jobId: `run.${runId}.${segment}` });
  }

  /**
   * Starts a run of the registered conversation `conversation` with `input`
   * (JSON data, handed to its definition); resolves with the run id.
   */
  async start(conversation: string, input: unknown = null, options: { runId?: string } = {}): Promise<string> {
    validateOptions("ConversationQueue.start", options, { runId: is.string });
    if (typeof conversation !== "string" || conversation.length === 0) throw new ValueError("ConversationQueue.start: the conversation name must be a non-empty string.");
    this.options.conversations?.get(conversation);
    const runId = options.runId ?? globalThis.crypto.randomUUID();
    if (!RUN_ID.test(runId)) throw new ValueError(`ConversationQueue.start: runId ${JSON.stringify(runId)} must be 1-128 letters, digits, '_', '-' or '.'.`);
    let json: string;
    try {
      json = JSON.stringify(input ?? null);
    } catch (err) {
      throw new ValueError("ConversationQueue.start: the input must be JSON data (it travels through Redis).", { cause: err });
    }
    const { store } = await this.open();
    if (!(await store.create(runId, conversation, JSON.parse(json)))) throw new RunStateError(`ConversationQueue.start: a run '${runId}' exists already; give another runId.`);
    await this.enqueue(conversation, runId, 0);
    return runId;
  }

  /** The run's record; RunNotFoundError for an unknown id. */
  async status(runId: string): Promise<RunInfo> {
    const { store } = await this.open();
    const info = await store.info(runId);
    if (!info) throw new RunNotFoundError(`No run '${runId}' in queue '${this.resolved.queueName}' (prefix '${this.resolved.prefix}').`);
    return info;
  }

  /** The saved conversation (save_conversation's format) as of the run's last message; null before the first. */
  async state(runId: string): Promise<ConversationState | null> {
    await this.status(runId);
    const { store } = await this.open();
    return store.state(runId);
  }

  /** Resolves with the run's record once its status is one of `until`. */
  async wait(runId: string, options: WaitOptions = {}): Promise<RunInfo> {
    validateOptions("ConversationQueue.wait", options, { timeout: is.number, until: is.array });
    for (const status of options.until ?? []) {
      if (!STATUSES.includes(status)) throw new ValueError(`ConversationQueue.wait: unknown status ${JSON.stringify(status)} in 'until'; the statuses are ${STATUSES.join(", ")}.`);
    }
    const until = options.until ?? IDLE;
    const deadline = Date.now() + (options.timeout ?? 60_000);
    for (;;) {
      const info = await this.status(runId);
      if (until.includes(info.status)) return info;
      if (Date.now() >= deadline) {
        throw new TimeoutError(`Run '${runId}' is still ${info.status} after ${options.timeout ?? 60_000} ms (waited for ${until.join(", ")}). Are workers running on this queue?`);
      }
      await sleep(20);
    }
  }

  /**
   * Answers a run that waits for a person: `text` is what the person typed
   * ("" to let the agent auto-reply, "exit" to end, as in AG2). Any worker
   * then continues the run.
   */
  async submitHumanInput(runId: string, text: string): Promise<void> {
    if (typeof text !== "string") throw new ValueError("submitHumanInput: the answer must be a string.");
    const { store } = await this.open();
    const { outcome, segment } = await store.submit(runId, text);
    if (outcome === "missing") throw new RunNotFoundError(`submitHumanInput: no run '${runId}'.`);
    if (outcome !== "ok") throw new RunStateError(`submitHumanInput: run '${runId}' is ${outcome}, not waiting_for_input; answer only a run that asks (status().prompt).`);
    const info = await this.status(runId);
    await this.enqueue(info.conversation, runId, segment);
  }

  /**
   * Cancels a run wherever it is: a queued or waiting run at once, a running
   * one through its worker (its chat ends with stop_reason "aborted", status
   * "cancelled"). Resolves with the run's status after the request; a
   * finished run is left as it is.
   */
  async cancel(runId: string): Promise<RunStatus | "cancelling"> {
    const { store } = await this.open();
    const outcome = await store.cancel(runId);
    if (outcome === "missing") throw new RunNotFoundError(`cancel: no run '${runId}'.`);
    if (outcome === "requested") return "cancelling";
    return outcome as RunStatus;
  }

  /**
   * The run's events as they come (library events and run_status changes),
   * from its first one (or after `after`) until it ends. A run taken over
   * from a dead worker publishes `run_status` running with `resumed: true`
   * and `messages`: events after that many messages seen before it are
   * superseded by the ones that follow.
   */
  async *events(runId: string, options: EventsOptions = {}): AsyncGenerator<QueueEvent> {
    validateOptions("ConversationQueue.events", options, { after: is.string, untilWaiting: is.boolean });
    await this.status(runId);
    const { store } = await this.open();
    const reader = store.redis.duplicate();
    reader.on("error", () => {});
    this.readers.add(reader);
    const end = options.untilWaiting ? IDLE : SETTLED;
    let after = options.after ?? "0";
    try {
      for (;;) {
        const batch = await store.events(runId, after, 1000, reader);
        for (const event of batch) {
          after = event.id;
          yield event;
          if (event.type === "run_status" && end.includes(event.status)) return;
        }
      }
    } finally {
      this.readers.delete(reader);
      reader.disconnect();
    }
  }

  /** Closes the connections (readers of events() too). */
  async close(): Promise<void> {
    for (const reader of this.readers) reader.disconnect();
    this.readers.clear();
    const opened = this.opened;
    this.opened = null;
    if (!opened) return;
    const got = await opened.catch(() => null);
    if (got) await got.queue.close();
  }
}
