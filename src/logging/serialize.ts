/**
 * Values as the runtime loggers store them (AG2 logger_utils `to_dict`,
 * `get_current_ts`, `safe_serialize`): object ids, timestamps, redaction.
 */
import { Agent } from "../core/agent";

/** Keys never stored by any logger, at any depth (AG2's exclude list; ag2ts applies it in both loggers). */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  "self",
  "__class__",
  "api_key",
  "organization",
  "base_url",
  "azure_endpoint",
  "azure_ad_token",
  "azure_ad_token_provider",
]);

const ids = new WeakMap<object, number>();
let nextId = 1;

/** A stable integer per object (Python `id()`); 0 for non-objects. */
export function objectId(value: unknown): number {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return 0;
  let id = ids.get(value as object);
  if (id === undefined) ids.set(value as object, (id = nextId++));
  return id;
}

/** UTC `YYYY-MM-DD HH:MM:SS.ffffff`. */
export function currentTs(date: Date = new Date()): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`;
}

function typeName(value: unknown): string {
  if (typeof value === "function") return "Function";
  if (typeof value === "bigint") return "BigInt";
  if (typeof value === "symbol") return "Symbol";
  if (value !== null && typeof value === "object") return (value as object).constructor?.name ?? "Object";
  return typeof value;
}

export const nonSerializable = (value: unknown): string => `<<non-serializable: ${typeName(value)}>>`;

/**
 * Constructor and config arguments as plain data: secrets removed at every
 * depth, agents by name, functions by source text, Maps as objects,
 * cycles marked non-serializable.
 */
export function toLogDict(value: unknown, exclude: ReadonlySet<string> = SECRET_KEYS, seen: Set<object> = new Set()): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "bigint" || typeof value === "symbol") return String(value);
  if (typeof value === "function") return Function.prototype.toString.call(value);
  if (value instanceof Agent) return value.name;
  if (value instanceof Date) return value.toISOString();
  if (seen.has(value)) return nonSerializable(value);
  seen.add(value);
  try {
    if (Array.isArray(value) || value instanceof Set) return [...value].map((v) => toLogDict(v, exclude, seen));
    const entries: Array<[unknown, unknown]> = value instanceof Map ? [...value.entries()] : Object.entries(value);
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      const key = k instanceof Agent ? k.name : String(k);
      if (!exclude.has(key)) out[key] = toLogDict(v, exclude, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/** JSON text where anything JSON cannot hold becomes `<<non-serializable: Type>>` (AG2 `safe_serialize`). */
export function safeSerialize(value: unknown): string {
  const ancestors: object[] = [];
  return JSON.stringify(value, function (this: unknown, _key, v: unknown) {
    if (typeof v === "function" || typeof v === "bigint" || typeof v === "symbol") return nonSerializable(v);
    if (v === undefined) return null;
    if (v instanceof Agent || v instanceof Map || v instanceof Set) return nonSerializable(v);
    if (v !== null && typeof v === "object") {
      // `this` is the object holding v: drop ancestors that are not on the current path.
      while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
      if (ancestors.includes(v)) return nonSerializable(v);
      ancestors.push(v);
    }
    return v;
  }) ?? "null";
}

/** The name of a log source (`str | Agent`). */
export function sourceName(source: unknown): string {
  if (typeof source === "string") return source;
  const name = (source as { name?: unknown } | null)?.name;
  return typeof name === "string" ? name : String(source);
}
