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
  const merged = { ...currentRunContext(), ...context };
  if (!context.signal) merged.signal = currentRunContext().signal;
  return storage.run(merged, fn);
}
