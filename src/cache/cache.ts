/**
 * Cache (spec 60 §1.2): the facade that picks a backend from a config —
 * Redis when `redis_url` is given, else a directory on disk. Usable with
 * `await using` or an explicit `close()`.
 *
 * Without the optional `redis` package, a `redis_url` falls back to the disk
 * cache a config without it would use, with one warning per process (AG2
 * logs "RedisCache is not available ..." and falls through the same way).
 * The package is loaded on construction but asynchronously, so the switch is
 * made before the first get/set/close completes.
 */
import { ValueError } from "../errors";
import { warn } from "../warnings";
import type { AbstractCache } from "./abstract-cache";
import { DiskCache } from "./disk-cache";
import { InMemoryCache } from "./in-memory-cache";
import { RedisCache, loadRedisModule } from "./redis-cache";

/** The warning given (once per process) when a redis_url is ignored because `redis` is missing. */
const REDIS_MISSING_WARNING =
  'RedisCache is not available: the optional package "redis" is not installed (install it with: npm install redis). ' +
  "Falling back to the disk cache, as Cache.disk: <cache_path_root>/<cache_seed>, by default .cache/<cache_seed>.";

let warnedRedisMissing = false;

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
  private backend: AbstractCache;
  /** Settles once a Redis backend is known to be usable or has been replaced by the disk fallback. */
  private readonly resolved: Promise<void> | null = null;

  constructor(config: CacheConfig = {}) {
    for (const key of Object.keys(config)) {
      if (!Cache.ALLOWED_CONFIG_KEYS.includes(key)) throw new ValueError(`Invalid config key: ${key}`);
    }
    this.config = { ...config, cache_seed: String(config.cache_seed ?? 42) };
    const seed = this.config.cache_seed as string;
    if (config.cosmos_db_config !== undefined && config.cosmos_db_config !== null) {
      throw new ValueError("Cosmos DB cache is not supported by ag2ts; use Cache.disk, Cache.redis or Cache.in_memory.");
    }
    const diskPath = joinPath(config.cache_path_root ?? ".cache", seed);
    if (typeof config.redis_url === "string" && config.redis_url !== "") {
      this.backend = new RedisCache(seed, config.redis_url);
      this.resolved = loadRedisModule().then(
        (redis) => {
          if (redis !== null) return;
          if (!warnedRedisMissing) {
            warnedRedisMissing = true;
            warn(REDIS_MISSING_WARNING);
          }
          this.backend = new DiskCache(diskPath);
        },
        // Installed but broken: the RedisCache reports it on first use.
        () => undefined,
      );
    } else {
      this.backend = new DiskCache(diskPath);
    }
  }

  /**
   * The backend: a DiskCache, or a RedisCache for a `redis_url`. When the
   * `redis` package is missing this is the RedisCache until the package
   * lookup has failed (at the latest when the first get/set/close returns),
   * and the fallback DiskCache from then on.
   */
  get cache(): AbstractCache {
    return this.backend;
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

  async get(key: string, default_: unknown = null): Promise<unknown> {
    if (this.resolved) await this.resolved;
    return this.backend.get(key, default_);
  }

  async set(key: string, value: unknown): Promise<void> {
    if (this.resolved) await this.resolved;
    return this.backend.set(key, value);
  }

  async close(): Promise<void> {
    if (this.resolved) await this.resolved;
    return this.backend.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
