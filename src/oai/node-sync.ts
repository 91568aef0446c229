/**
 * Synchronous access to node:fs / node:path for the config-list helpers
 * (AG2's are synchronous). `process.getBuiltinModule` exists in Node >= 20.16
 * and Deno, so nothing Node-only is imported when ag2ts loads.
 */
import { RuntimeError } from "../errors";

type Builtins = { fs: typeof import("node:fs"); path: typeof import("node:path") };

export function nodeSync(): Builtins {
  const proc = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process;
  if (!proc || typeof proc.getBuiltinModule !== "function") {
    throw new RuntimeError("Reading config files needs Node >= 20.16 or Deno (process.getBuiltinModule is missing).");
  }
  return { fs: proc.getBuiltinModule("node:fs") as Builtins["fs"], path: proc.getBuiltinModule("node:path") as Builtins["path"] };
}

export function env(): Record<string, string | undefined> {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
}
