/**
 * ConversationWorker: a BullMQ worker that runs conversation jobs. Start as
 * many as you like, in as many processes and machines as you like, each
 * with the same ConversationRegistry; BullMQ gives each job to one of them.
 *
 *   const worker = new ConversationWorker({ connection: "redis://127.0.0.1:6379", conversations });
 *   await worker.start();
 *   ...
 *   await worker.close();
 */
import { hostname } from "node:os";
import { AbortError, ValueError } from "../errors";
import { is, validateOptions, type Check } from "../options";
import { Cache } from "../cache/cache";
import { loadBullMQ, type BullJob, type BullWorker, type RedisLike } from "./bullmq";
import { CONNECTION_CHECKS, resolveConnection, type QueueConnectionOptions, type ResolvedConnection } from "./connection";
import { ConversationRegistry } from "./registry";
import { abandonJob, runJob, type JobDeps, type JobOutcome } from "./run-job";
import { RunStore } from "./store";

export interface ConversationWorkerOptions extends QueueConnectionOptions {
  /** The conversations this worker can run (the same registry in every worker). Required. */
  conversations: ConversationRegistry;
  /** Name in run records and status events (default `<hostname>:<pid>`). */
  name?: string;
  /** BullMQ `concurrency`: runs at once in this worker (default 1). */
  concurrency?: number;
  /** BullMQ `limiter`: at most `max` jobs started per `duration` ms, across the whole queue. */
  limiter?: { max: number; duration: number };
  /** BullMQ `lockDuration` in ms (default 30000): how soon a dead worker's runs go to another worker. */
  lockDuration?: number;
  /** BullMQ `stalledInterval` in ms (default 30000): how often workers look for runs of dead workers. */
  stalledInterval?: number;
  /** BullMQ `maxStalledCount` (default 5 here, BullMQ's is 1): how many times a run may be taken over before it fails. */
  maxStalledCount?: number;
  /**
   * The fleet's shared model cache: `Cache.redis({ cache_seed, redis_url })`
   * on the queue's server unless `redis_url` is given, handed to each
   * definition as `context.cache` (needs the optional `redis` package).
   * Default: none.
   */
  cache?: { cache_seed?: string | number; redis_url?: string } | null;
  /** Further BullMQ WorkerOptions, passed as they are. */
  bullmq?: Record<string, unknown>;
}

const positive: Check = (v) => (Number.isInteger(v) && (v as number) > 0 ? null : "a positive integer");
const CHECKS: Record<string, Check> = {
  ...CONNECTION_CHECKS,
  conversations: is.object,
  name: is.string,
  concurrency: positive,
  limiter: (v) =>
    v !== null && typeof v === "object" && positive((v as { max?: unknown }).max) === null && positive((v as { duration?: unknown }).duration) === null
      ? null
      : "{ max, duration } with positive integers",
  lockDuration: positive,
  stalledInterval: positive,
  maxStalledCount: (v) => (Number.isInteger(v) && (v as number) >= 0 ? null : "a non-negative integer"),
  cache: is.nullable(is.object),
  bullmq: is.object,
};

export class ConversationWorker {
  readonly name: string;
  private readonly options: ConversationWorkerOptions;
  private readonly resolved: ResolvedConnection;
  private readonly active = new Map<string, AbortController>();
  private readonly jobs = new Set<Promise<unknown>>();
  private worker: BullWorker | null = null;
  private subscriber: RedisLike | null = null;
  private sharedCache: Cache | null = null;
  private starting: Promise<void> | null = null;

  constructor(options: ConversationWorkerOptions) {
    if (options === null || typeof options !== "object") throw new ValueError("ConversationWorker: give an options object { connection, conversations, ... }.");
    validateOptions("ConversationWorker", options, CHECKS);
    if (!(options.conversations instanceof ConversationRegistry)) {
      throw new ValueError("ConversationWorker: 'conversations' is required: a ConversationRegistry with every conversation this fleet runs.");
    }
    if (options.conversations.names.length === 0) {
      throw new ValueError("ConversationWorker: the ConversationRegistry is empty; register conversations (registry.register(name, build)) before starting a worker.");
    }
    this.resolved = resolveConnection("ConversationWorker", options);
    this.options = options;
    this.name = options.name ?? `${hostname()}:${process.pid}`;
  }

  /** Connects and starts taking jobs; resolves once the worker is ready. Rejects when bullmq is not installed. */
  start(): Promise<void> {
    this.starting ??= this.open();
    return this.starting;
  }

  private async open(): Promise<void> {
    const { Worker, WaitingError } = await loadBullMQ();
    const o = this.options;
    const deps: Partial<JobDeps> = {
      registry: o.conversations,
      worker: this.name,
      active: this.active,
      cache: () => this.cache(),
    };
    const handle = async (job: BullJob, token?: string, signal?: AbortSignal): Promise<JobOutcome> => {
      const outcome = await runJob(deps as JobDeps, job.data.runId, job.data.segment, signal);
      if (outcome.status !== "abandoned" || token === undefined) return outcome;
      // Given up by close({ force: true }): back to the queue at once, for another worker to resume.
      await job.moveToWait(token);
      throw new WaitingError();
    };
    const processor = (job: BullJob, token?: string, signal?: AbortSignal): Promise<JobOutcome> => {
      const processing = handle(job, token, signal);
      this.jobs.add(processing);
      const forget = () => this.jobs.delete(processing);
      processing.then(forget, forget);
      return processing;
    };
    const workerOptions: Record<string, unknown> = {
      connection: { ...this.resolved.redis, maxRetriesPerRequest: null },
      prefix: this.resolved.prefix,
      concurrency: o.concurrency ?? 1,
      maxStalledCount: o.maxStalledCount ?? 5,
      autorun: false,
      ...o.bullmq,
    };
    if (o.limiter) workerOptions.limiter = o.limiter;
    if (o.lockDuration !== undefined) workerOptions.lockDuration = o.lockDuration;
    if (o.stalledInterval !== undefined) workerOptions.stalledInterval = o.stalledInterval;
    const worker = new Worker(this.resolved.queueName, processor, workerOptions);
    // Connection errors are retried by ioredis; a failed job is in its run record.
    worker.on("error", () => {});
    this.worker = worker;
    const client = await worker.client;
    deps.store = new RunStore(client, this.resolved.base);
    const subscriber = client.duplicate();
    subscriber.on("error", () => {});
    this.subscriber = subscriber;
    subscriber.on("message", (_channel: never, runId: never) => {
      this.active.get(runId as string)?.abort(new AbortError("The run was cancelled."));
    });
    await subscriber.subscribe(deps.store.cancelChannel);
    (worker as unknown as { run(): Promise<void> }).run().catch(() => {});
    await worker.waitUntilReady();
  }

  private cache(): Cache | null {
    const wanted = this.options.cache;
    if (!wanted) return null;
    this.sharedCache ??= Cache.redis({ cache_seed: wanted.cache_seed ?? 42, redis_url: wanted.redis_url ?? this.resolved.url });
    return this.sharedCache;
  }

  /** Runs in progress in this worker. */
  get running(): string[] {
    return [...this.active.keys()];
  }

  /**
   * Stops taking jobs. By default waits for the runs in progress to end;
   * `force: true` aborts them here, writing nothing more, and puts their
   * jobs back in the queue: they stay `running`, and another worker goes on
   * from their last saved message.
   */
  async close(options: { force?: boolean } = {}): Promise<void> {
    const starting = this.starting;
    if (!starting) return;
    await starting.catch(() => {});
    const worker = this.worker;
    this.worker = null;
    this.starting = null;
    if (worker && options.force) {
      // No new job; the chats in progress stop here, writing nothing more, and their jobs go back to the queue.
      await worker.pause(true);
      for (const controller of this.active.values()) abandonJob(controller, this.name);
      await Promise.allSettled([...this.jobs]);
    }
    if (worker) await worker.close(options.force ?? false);
    const subscriber = this.subscriber;
    this.subscriber = null;
    if (subscriber) await subscriber.quit().catch(() => subscriber.disconnect());
    const cache = this.sharedCache;
    this.sharedCache = null;
    if (cache) await cache.close();
  }
}
