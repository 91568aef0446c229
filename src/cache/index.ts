// `ag2ts/cache`: response caches (Python `autogen.cache`); re-exported from the root.
export { Cache } from "./cache";
export type { CacheConfig } from "./cache";
export type { AbstractCache } from "./abstract-cache";
export { DiskCache } from "./disk-cache";
export { InMemoryCache } from "./in-memory-cache";
export { RedisCache } from "./redis-cache";
export { get_key, NON_CACHE_KEY } from "./cache-key";
