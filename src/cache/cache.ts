/**
 * Cache (spec 60 §1.2): the facade that picks a backend from a config —
 * Redis when `redis_url` is given, else a directory on disk. Usable with
 * `await using` or an explicit `close()`.
 */
import { ValueError } from "../errors";
import type { AbstractCache } from "./abstract-cache";
import { DiskCache } from "./disk-cache";
import { InMemoryCache } from "./in-memory-cache";
import { RedisCache } from "./redis-cache";

export interface CacheConfig {
  cache_seed?: string | number;
  redis_url?: string;
  cache_path_root?: string;
  cosmos_db_config?: unknown;
}

function joinPath(root: string, seed: string): string {
  return root.endsWith("/") || root.endsWith("\\") ? `${root}${seed}` : `${root}/${seed}`;
}

export class Cache implements AbstractCache {
  static readonly ALLOWED_CONFIG_KEYS = ["cache_seed", "redis_url", "cache_path_root", "cosmos_db_config"];

  /** A copy of the config, `cache_seed` as a string. */
  readonly config: Record<string, unknown>;
  /** The backend. */
  readonly cache: AbstractCache;

  constructor(config: CacheConfig = {}) {
    for (const key of Object.keys(config)) {
      if (!Cache.ALLOWED_CONFIG_KEYS.includes(key)) throw new ValueError(`Invalid config key: ${key}`);
    }
    this.config = { ...config, cache_seed: String(config.cache_seed ?? 42) };
    const seed = this.config.cache_seed as string;
    if (config.cosmos_db_config !== undefined && config.cosmos_db_config !== null) {
      throw new ValueError("Cosmos DB cache is not supported by ag2ts; use Cache.disk, Cache.redis or Cache.in_memory.");
    }
    if (typeof config.redis_url === "string" && config.redis_url !== "") {
      this.cache = new RedisCache(seed, config.redis_url);
    } else {
      this.cache = new DiskCache(joinPath(config.cache_path_root ?? ".cache", seed));
    }
  }

  /** A cache in `<cache_path_root>/<cache_seed>` (defaults 42 and ".cache"). */
  static disk(options: { cache_seed?: string | number; cache_path_root?: string } = {}): Cache {
    return new Cache({ cache_seed: options.cache_seed ?? 42, cache_path_root: options.cache_path_root ?? ".cache" });
  }

  /** A Redis cache (defaults: seed 42, redis://localhost:6379/0). */
  static redis(options: { cache_seed?: string | number; redis_url?: string } = {}): Cache {
    return new Cache({ cache_seed: options.cache_seed ?? 42, redis_url: options.redis_url ?? "redis://localhost:6379/0" });
  }

  /** A process-local cache (ag2ts addition; nothing is written anywhere). */
  static in_memory(options: { cache_seed?: string | number } = {}): InMemoryCache {
    return new InMemoryCache({ seed: options.cache_seed ?? "" });
  }

  static cosmos_db(..._args: unknown[]): never {
    throw new ValueError("Cosmos DB cache is not supported by ag2ts; use Cache.disk, Cache.redis or Cache.in_memory.");
  }

  get(key: string, default_: unknown = null): Promise<unknown> {
    return this.cache.get(key, default_);
  }

  set(key: string, value: unknown): Promise<void> {
    return this.cache.set(key, value);
  }

  close(): Promise<void> {
    return this.cache.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
