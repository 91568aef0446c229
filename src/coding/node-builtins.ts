/**
 * Synchronous access to Node built-ins without a top-level import, so that
 * `import "ag2ts"` never loads them (Deno, notebooks, browsers). Async code
 * uses `await import("node:...")` instead; this is only for the few places
 * AG2 is synchronous (`infer_lang`).
 */
type ProcessWithBuiltins = { getBuiltinModule?: (id: string) => unknown };

export function loadBuiltinSync<T>(id: string): T | null {
  const proc = (globalThis as { process?: ProcessWithBuiltins }).process;
  try {
    const viaProcess = proc?.getBuiltinModule?.(id);
    if (viaProcess) return viaProcess as T;
  } catch {
    // fall through
  }
  try {
    // CommonJS builds (and ts-jest) have `require`; ESM builds rely on getBuiltinModule.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (typeof require === "function") return require(id) as T;
  } catch {
    // not available
  }
  return null;
}
