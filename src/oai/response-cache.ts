/**
 * How OpenAIWrapper reads and writes its response cache (spec 60 §1.4):
 * the `cache` extra first, else a legacy disk cache for `cache_seed`.
 */
import { Cache } from "../cache/cache";
import { get_key } from "../cache/cache-key";
import type { AbstractCacheLike } from "./cache-like";
import type { ModelClientResponse } from "./model-client";

export const LEGACY_CACHE_DIR = ".cache";

/** The cache of one attempt; `owned` caches are closed by the wrapper after the call. */
export function openCache(extras: Record<string, unknown>): { cache: AbstractCacheLike | null; owned: boolean } {
  const given = extras.cache as AbstractCacheLike | null | undefined;
  if (given !== undefined && given !== null) return { cache: given, owned: false };
  const seed = extras.cache_seed as string | number | null | undefined;
  if (seed === undefined || seed === null) return { cache: null, owned: false };
  return { cache: Cache.disk({ cache_seed: seed, cache_path_root: LEGACY_CACHE_DIR }), owned: true };
}

/** The response as stored: provider JSON plus `cost`, without wrapper fields. */
export function storedForm(response: ModelClientResponse): Record<string, unknown> {
  const { config_id: _c, pass_filter: _p, ...rest } = JSON.parse(JSON.stringify(response)) as Record<string, unknown>;
  return rest;
}

export async function cacheLookup(cache: AbstractCacheLike, params: Record<string, unknown>): Promise<ModelClientResponse | null> {
  const value = await cache.get(get_key(params), null);
  if (value === null || value === undefined || typeof value !== "object") return null;
  return value as ModelClientResponse;
}

export async function cacheStore(cache: AbstractCacheLike, params: Record<string, unknown>, response: ModelClientResponse): Promise<void> {
  await cache.set(get_key(params), storedForm(response));
}
