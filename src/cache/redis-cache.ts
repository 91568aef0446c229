/**
 * RedisCache (spec 60 §1.2): keys `autogen:<seed>:<key>`, JSON values. Uses
 * the `redis` npm package (optional peer), connected on first use.
 */
import { ValueError } from "../errors";
import type { AbstractCache } from "./abstract-cache";

interface RedisModule {
  createClient(options: { url: string }): RedisClientLike;
}

interface RedisClientLike {
  connect(): Promise<unknown>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<unknown>;
  quit?(): Promise<unknown>;
  close?(): Promise<unknown>;
  on?(event: string, listener: (...args: unknown[]) => void): unknown;
}

/** Whether `err` says that the package `name` itself cannot be found (not one of its dependencies). */
function isPackageNotFound(err: unknown, name: string): boolean {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") return false;
  const text = typeof message === "string" ? message : "";
  return text.includes(`'${name}'`) || text.includes(`"${name}"`);
}

let redisModule: Promise<RedisModule | null> | null = null;

/**
 * Loads the optional `redis` package, once per process: null when it is not
 * installed; any other failure to load it rejects.
 */
export function loadRedisModule(): Promise<RedisModule | null> {
  redisModule ??= import("redis").then(
    (mod) => mod as unknown as RedisModule,
    (err: unknown) => {
      if (isPackageNotFound(err, "redis")) return null;
      throw new ValueError(`The optional package "redis" is installed but could not be loaded: ${String((err as { message?: unknown })?.message ?? err)}`, {
        cause: err,
      });
    },
  );
  return redisModule;
}

export class RedisCache implements AbstractCache {
  readonly seed: string;
  readonly redis_url: string;
  private client: Promise<RedisClientLike> | null = null;

  constructor(seed: string | number, redis_url: string) {
    this.seed = String(seed);
    this.redis_url = redis_url;
  }

  private connect(): Promise<RedisClientLike> {
    this.client ??= (async () => {
      const redis = await loadRedisModule();
      if (redis === null) {
        throw new ValueError('RedisCache needs the optional package "redis", which is not installed. Install it with: npm install redis');
      }
      const client = redis.createClient({ url: this.redis_url });
      client.on?.("error", () => {});
      await client.connect();
      return client;
    })();
    return this.client;
  }

  /** The Redis key of a cache key. */
  _prefixed_key(key: string): string {
    return `autogen:${this.seed}:${key}`;
  }

  async get(key: string, default_: unknown = null): Promise<unknown> {
    const client = await this.connect();
    const raw = await client.get(this._prefixed_key(key));
    if (raw === null) return default_;
    try {
      return JSON.parse(raw);
    } catch {
      return default_;
    }
  }

  async set(key: string, value: unknown): Promise<void> {
    const client = await this.connect();
    await client.set(this._prefixed_key(key), JSON.stringify(value));
  }

  async close(): Promise<void> {
    if (!this.client) return;
    const pending = this.client;
    this.client = null;
    const client = await pending.catch(() => null);
    if (!client) return;
    if (typeof client.close === "function") await client.close();
    else if (typeof client.quit === "function") await client.quit();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
