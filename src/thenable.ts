/**
 * Whether a value is a promise (or another thenable) rather than a plain
 * value. The hot paths call user code that may answer either way (reply
 * functions, termination checks, model clients) and await only a promise:
 * an `await` of a plain value still costs a promise and a microtask.
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as { then?: unknown }).then === "function";
}
