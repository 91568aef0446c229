/**
 * Synchronous access to Node built-ins without a top-level import, so that
 * `import "ag2ts"` never loads them (Deno, notebooks, browsers). Async code
 * uses `await import("node:...")` instead; this is only for the few places
 * AG2 is synchronous (`infer_lang`, the executors' work_dir creation).
 */
import { ValueError } from "../errors";

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

type FsPath = { fs: typeof import("node:fs"); path: typeof import("node:path") };

/**
 * Creates an executor's `work_dir` (and its missing parents) synchronously,
 * as AG2's executors do in `__init__`. Throws a ValueError naming the
 * directory and the cause when it cannot be created (a regular file in the
 * way, no permission, ...). Where node:fs cannot be loaded synchronously
 * (ESM on Node < 20.16) it does nothing: the executor then creates the
 * directory before its first execution, as it always does.
 */
export function createWorkDirSync(owner: string, work_dir: string): void {
  const fs = loadBuiltinSync<FsPath["fs"]>("node:fs");
  const path = loadBuiltinSync<FsPath["path"]>("node:path");
  if (!fs || !path) return;
  const abs = path.resolve(work_dir);
  try {
    fs.mkdirSync(abs, { recursive: true });
  } catch (err) {
    // Not `instanceof Error`: the error may come from another realm (vm contexts, jest).
    const message = (err as { message?: unknown } | null)?.message;
    const cause = typeof message === "string" ? message : String(err);
    throw new ValueError(
      `${owner} could not create its work_dir '${abs}': ${cause}. Pass a work_dir that is a directory, or can be created as one, and that you can write to.`,
      { cause: err, work_dir: abs },
    );
  }
}
