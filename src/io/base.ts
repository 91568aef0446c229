/**
 * IOStream: where every line the library prints goes, and where human input
 * comes from (spec 60 §2). The default stream is scoped to an async context,
 * so two concurrent chats can print to different streams.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { RuntimeError } from "../errors";
import type { Awaitable } from "../core/types";

export type { Awaitable };

/** Options of `print`, as Python's `print(..., sep, end, flush)`. */
export interface PrintOptions {
  sep?: string;
  end?: string;
  flush?: boolean;
}

export interface OutputStream {
  /** Prints objects like Python's `print`; the last argument may be `PrintOptions`. */
  print(...objects: unknown[]): void;
  /** Optional structured events, for user code (the library never calls it). */
  send?(event: { type: string; [k: string]: unknown }): void;
  /** Whether ANSI colours are wanted. */
  supports_color?: boolean;
}

export interface InputStream {
  input(prompt?: string, options?: { password?: boolean }): Awaitable<string>;
}

export interface IOStream extends InputStream, OutputStream {}

const PRINT_OPTION_KEYS = new Set(["sep", "end", "flush"]);

function isPrintOptions(value: unknown): value is PrintOptions {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => PRINT_OPTION_KEYS.has(k));
}

/** Converts one object the way Python's `print` shows it. */
export function toPrintable(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "function") return `<function ${value.name || "anonymous"}>`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Splits `print` arguments into objects and options and renders the text,
 * `end` included. Shared by every stream implementation.
 */
export function formatPrint(args: unknown[]): { text: string; options: PrintOptions } {
  let objects = args;
  let options: PrintOptions = {};
  if (args.length > 0 && isPrintOptions(args[args.length - 1])) {
    options = args[args.length - 1] as PrintOptions;
    objects = args.slice(0, -1);
  }
  const sep = options.sep ?? " ";
  const end = options.end ?? "\n";
  return { text: objects.map(toPrintable).join(sep) + end, options };
}

const scoped = new AsyncLocalStorage<IOStream>();
let globalDefault: IOStream | null = null;

/** Static access to the default streams (Python `IOStream.get_default()` etc.). */
export const IOStream = {
  /** Sets the stream used where no scoped default is active. */
  set_global_default(stream: IOStream): void {
    globalDefault = stream;
  },
  /** The global default; throws when none has been set. */
  get_global_default(): IOStream {
    if (globalDefault === null) throw new RuntimeError("No global default IOStream has been set");
    return globalDefault;
  },
  /** The stream of the current async context, else the global default. */
  get_default(): IOStream {
    return scoped.getStore() ?? IOStream.get_global_default();
  },
  /**
   * Runs `fn` with `stream` as the default for everything it awaits
   * (Python: `with IOStream.set_default(stream): ...`). `null` keeps the
   * global default.
   */
  async set_default<T>(stream: IOStream | null, fn: () => Awaitable<T>): Promise<T> {
    if (stream === null) return scoped.exit(() => Promise.resolve(fn()));
    return scoped.run(stream, () => Promise.resolve(fn()));
  },
};
