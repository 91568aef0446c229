/** InMemoryCache (spec 60 §1.2): a Map, keys prefixed by the seed. */
import { jsonClone, type AbstractCache } from "./abstract-cache";

export class InMemoryCache implements AbstractCache {
  private readonly seed: string;
  private readonly store = new Map<string, unknown>();

  constructor(options: { seed?: string | number } = {}) {
    this.seed = String(options.seed ?? "");
  }

  private prefixed(key: string): string {
    return this.seed === "" ? key : `${this.seed}_${key}`;
  }

  async get(key: string, default_: unknown = null): Promise<unknown> {
    const value = this.store.get(this.prefixed(key));
    return value === undefined || value === null ? default_ : jsonClone(value);
  }

  async set(key: string, value: unknown): Promise<void> {
    this.store.set(this.prefixed(key), jsonClone(value));
  }

  /** The keys as stored (with the seed prefix). */
  keys(): string[] {
    return [...this.store.keys()];
  }

  async close(): Promise<void> {}

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
