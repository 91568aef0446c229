/**
 * The optional `bullmq` package, loaded on first use (an optional peer:
 * `npm install bullmq`). Only the parts ag2ts/queue uses are declared here,
 * so the public types do not depend on bullmq's.
 */
import { ValueError } from "../errors";

/** What ag2ts/queue uses of an ioredis client (bullmq's connection). */
export interface RedisLike {
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
  hgetall(key: string): Promise<Record<string, string>>;
  hget(key: string, field: string): Promise<string | null>;
  xread(...args: Array<string | number>): Promise<Array<[string, Array<[string, string[]]>]> | null>;
  xrange(key: string, start: string, end: string): Promise<Array<[string, string[]]>>;
  subscribe(channel: string): Promise<unknown>;
  on(event: string, listener: (...args: never[]) => void): unknown;
  duplicate(): RedisLike;
  quit(): Promise<unknown>;
  disconnect(): void;
}

export interface BullJob {
  id?: string;
  name: string;
  data: { runId: string; segment: number };
  /** Puts the active job back in the queue (a processor then throws WaitingError). */
  moveToWait(token: string): Promise<unknown>;
}

export interface BullQueue {
  readonly client: Promise<RedisLike>;
  add(name: string, data: BullJob["data"], options: Record<string, unknown>): Promise<unknown>;
  remove(jobId: string): Promise<unknown>;
  waitUntilReady(): Promise<unknown>;
  close(): Promise<void>;
}

export interface BullWorker {
  readonly client: Promise<RedisLike>;
  on(event: string, listener: (...args: never[]) => void): unknown;
  waitUntilReady(): Promise<unknown>;
  cancelJob?(jobId: string, reason?: string): boolean;
  /** Stops fetching jobs; `doNotWaitActive`: without waiting for the active ones. */
  pause(doNotWaitActive?: boolean): Promise<void>;
  close(force?: boolean): Promise<void>;
}

export interface BullMQModule {
  /** Thrown by a processor that moved its job back to wait. */
  WaitingError: new () => Error;
  Queue: new (name: string, options: Record<string, unknown>) => BullQueue;
  Worker: new (
    name: string,
    processor: (job: BullJob, token?: string, signal?: AbortSignal) => Promise<unknown>,
    options: Record<string, unknown>,
  ) => BullWorker;
}

/** The error when bullmq is missing: what to install. */
export const BULLMQ_MISSING =
  'ag2ts/queue needs the optional package "bullmq" (5.x), which is not installed. Install it with: npm install bullmq@5';

function isPackageNotFound(err: unknown, name: string): boolean {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") return false;
  const text = typeof message === "string" ? message : "";
  return text.includes(`'${name}'`) || text.includes(`"${name}"`);
}

let loaded: Promise<BullMQModule> | null = null;

/** Loads bullmq once per process; rejects with a ValueError saying how to install it when it is missing. */
export function loadBullMQ(): Promise<BullMQModule> {
  loaded ??= import("bullmq").then(
    (mod) => mod as unknown as BullMQModule,
    (err: unknown) => {
      loaded = null;
      if (isPackageNotFound(err, "bullmq")) throw new ValueError(BULLMQ_MISSING, { cause: err });
      const why = String((err as { message?: unknown })?.message ?? err);
      throw new ValueError(`The optional package "bullmq" is installed but could not be loaded: ${why}`, { cause: err });
    },
  );
  return loaded;
}
