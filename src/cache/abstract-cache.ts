/** The cache protocol (spec 60 §1.1): anything with get/set/close works. */
export interface AbstractCache {
  /** The stored value, or `default_` when missing. */
  get(key: string, default_?: unknown): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** A JSON round-trip: what every backend stores. */
export function jsonClone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
