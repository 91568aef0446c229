/**
 * Per-run context: the abort signal of the chat being run (so reply
 * functions, tools and executors see it without changing AG2's
 * reply-function signature), the path of the chat an event belongs to, the
 * record of why the current chat stopped, and the chat caches of the agents
 * taking part (chat-cache.ts).
 *
 * How it travels. The context of the code running now is `ambient`, a plain
 * variable that `within(context, fn)` sets for the synchronous run of `fn`
 * and restores after it. The library's own async code takes the context at
 * its start and re-enters it with `within` after each await (its
 * continuations), so the library's own path through a chat never needs
 * AsyncLocalStorage. Node 20's AsyncLocalStorage costs every promise of
 * the process a hook once it is entered (a third of a short chat's time),
 * so it is entered only where user code may need the context after an await
 * of its own: when the run has an abort signal (a tool, an executor or a
 * nested chat started after an await still sees it), or while an event
 * listener is subscribed (events keep their chat path; the listener's own
 * scope is an AsyncLocalStorage already). Without either, code of the user's
 * that runs after its own await sees no context: there is no signal to see,
 * and event paths have no listener.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { AbortError, throwIfAborted } from "../errors";

/** Why a chat ended (`ChatResult.stop_reason`). */
export type StopReason =
  | "max_turns"
  | "termination_msg"
  | "human_exit"
  | "max_consecutive_auto_reply"
  | "no_reply"
  | "max_round"
  | "aborted"
  | "error";

export interface StopRecord {
  reason: StopReason;
  /** Name of the agent whose decision ended the chat; null when nobody did (abort, max_turns). */
  agent: string | null;
}

/** The mutable state of one running chat (one `initiate_chat`). */
export interface ChatState {
  /** Why the most recent reply in this chat was null, set by the code that decided it. */
  pending: StopRecord | null;
}

/** One chat's cache for one agent (chat-cache.ts). */
export interface CacheSlot {
  cache: unknown;
  /** The agent's `client_cache` when the chat started. */
  previous: unknown;
}

export interface RunContext {
  signal?: AbortSignal;
  /** Where the current code runs, outermost first, e.g. ["chat:1", "group:chat_manager", "nested:writer", "chat:2"]. */
  path?: readonly string[];
  /** The innermost running chat. */
  chat?: ChatState;
  /** Numbers chats within one top-level run. */
  counter?: { next: number };
  /** Per agent taking part in a chat running here, that chat's cache slot (the innermost such chat's). */
  caches?: ReadonlyMap<object, CacheSlot>;
}

const storage = new AsyncLocalStorage<RunContext>();
const NO_CONTEXT: RunContext = Object.freeze({});

/** The context of the synchronous code running now (set by `within`). */
let ambient: RunContext | undefined;
/** Runs carried by AsyncLocalStorage that have not settled: while there are none, no store can hold a context. */
let carried = 0;
/** Why runs must be carried by AsyncLocalStorage now, besides a signal (event subscriptions). */
let carryDemand = 0;

export function currentRunContext(): RunContext {
  return ambient ?? (carried === 0 ? undefined : storage.getStore()) ?? NO_CONTEXT;
}

/**
 * Runs `fn` (its synchronous part) with `context` as the current one. The
 * library's async code calls it in its continuations, with the context it
 * took at its start.
 */
export function within<T>(context: RunContext, fn: () => T): T {
  const previous = ambient;
  ambient = context;
  try {
    return fn();
  } finally {
    ambient = previous;
  }
}

/**
 * Makes runs started from now on carried by AsyncLocalStorage, until the
 * returned function is called (an event subscription: its listeners need
 * the chat path of code that runs after a user's own await).
 */
export function demandCarrying(): () => void {
  carryDemand += 1;
  let released = false;
  return () => {
    if (!released) carryDemand -= 1;
    released = true;
  };
}

/** The abort signal of the current run, if any. */
export function currentSignal(): AbortSignal | undefined {
  return currentRunContext().signal;
}

/** The chat path of the code running now ([] outside any chat). */
export function currentPath(): readonly string[] {
  return currentRunContext().path ?? [];
}

/** A signal that aborts when either does. */
export function combineSignals(outer: AbortSignal | undefined, inner: AbortSignal | undefined): AbortSignal | undefined {
  if (!outer || outer === inner) return inner;
  if (!inner) return outer;
  return AbortSignal.any([outer, inner]);
}

/**
 * Runs `fn` with `context` added to the current one. A given signal is
 * combined with the outer one (either aborts the inner run).
 */
export function withRunContext<T>(context: RunContext, fn: () => Promise<T>): Promise<T> {
  const outer = currentRunContext();
  const merged: RunContext = Object.assign({}, outer, context);
  merged.signal = combineSignals(outer.signal, context.signal);
  return enterContext(merged, fn);
}

/** Runs `fn` in `context` (a complete one), carried by AsyncLocalStorage when the run needs it. */
function enterContext<T>(merged: RunContext, fn: () => Promise<T>): Promise<T> {
  if (merged.signal === undefined && carryDemand === 0) return within(merged, fn);
  carried += 1;
  let running: Promise<T>;
  try {
    running = storage.run(merged, () => within(merged, fn));
  } catch (err) {
    carried -= 1;
    throw err;
  }
  return running.finally(() => {
    carried -= 1;
  });
}

/** Runs `fn` one level deeper in the chat path. */
export function withPathSegment<T>(segment: string, fn: () => Promise<T>): Promise<T> {
  return withRunContext({ path: [...currentPath(), segment] }, fn);
}

/** Starts a chat scope: a fresh stop record and the next `chat:<n>` path segment (and the chat's caches, when given). */
export function withChatScope<T>(
  signal: AbortSignal | undefined,
  fn: (state: ChatState, path: readonly string[]) => Promise<T>,
  caches?: RunContext["caches"],
): Promise<T> {
  const outer = currentRunContext();
  const counter = outer.counter ?? { next: 1 };
  const segment = `chat:${counter.next++}`;
  const path = outer.path ? outer.path.concat(segment) : [segment];
  const state: ChatState = { pending: null };
  // The scope's whole context in one object (withRunContext would copy it once more).
  const context: RunContext = { signal: combineSignals(outer.signal, signal), path, chat: state, counter, caches: caches ?? outer.caches };
  return enterContext(context, () => fn(state, path));
}

/** Records why the reply being generated in the chat of `context` (the current one) is null. */
export function recordStop(reason: StopReason, agent: string | null, context: RunContext = currentRunContext()): void {
  const chat = context.chat;
  if (chat) chat.pending = { reason, agent };
}

/** Forgets an earlier record (a new reply is being generated). */
export function clearPendingStop(context: RunContext = currentRunContext()): void {
  const chat = context.chat;
  if (chat) chat.pending = null;
}

/** The record left by the last null reply in the chat of `context` (the current one). */
export function pendingStop(context: RunContext = currentRunContext()): StopRecord | null {
  return context.chat?.pending ?? null;
}

/** The AbortError for an aborted signal, naming its reason. */
export function abortErrorOf(signal: AbortSignal): AbortError {
  if (signal.reason instanceof AbortError) return signal.reason;
  try {
    throwIfAborted(signal);
  } catch (err) {
    return err as AbortError;
  }
  return new AbortError();
}

/**
 * Resolves like `work`, or rejects with AbortError as soon as `signal`
 * aborts (the work is abandoned; code that owns resources must listen to the
 * signal itself, as the executors and tools given `{ signal }` do).
 */
export function abortable<T>(work: T | Promise<T>, signal: AbortSignal | undefined): T | Promise<T> {
  // Without a signal there is nothing to race: the work itself (no extra promise).
  if (!signal) return work;
  const promise = Promise.resolve(work);
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(abortErrorOf(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => {});
      reject(abortErrorOf(signal));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (err) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}
