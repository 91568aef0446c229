/**
 * Per-run context carried through async calls: the abort signal of the
 * chat being run, so reply functions, tools and executors can see it
 * without changing AG2's reply-function signature.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface RunContext {
  signal?: AbortSignal;
}

const storage = new AsyncLocalStorage<RunContext>();

export function currentRunContext(): RunContext {
  return storage.getStore() ?? {};
}

/** The abort signal of the current run, if any. */
export function currentSignal(): AbortSignal | undefined {
  return storage.getStore()?.signal;
}

export function withRunContext<T>(context: RunContext, fn: () => Promise<T>): Promise<T> {
  // Nothing to add (no signal): the current context stays as it is. Not entering
  // the storage keeps Node's promise hooks off for runs without a signal.
  if (!context.signal) return fn();
  const merged = { ...currentRunContext(), ...context };
  if (!context.signal) merged.signal = currentRunContext().signal;
  return storage.run(merged, fn);
}
