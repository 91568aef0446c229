/**
 * Extension points of `OpenAIWrapper.create` that live in other modules:
 * caching (spec 60 §1), rate limiting and runtime logging. `lookup`/`store`
 * use the attempt's cache (`extras.cache`, resolved by the wrapper from the
 * `cache` extra or the legacy `cache_seed`); logging may wrap them.
 */
import type { ChatCompletionResponse, OpenAIWrapper } from "./client";
import type { AbstractCacheLike } from "./cache-like";
import { cacheLookup, cacheStore } from "./response-cache";
import * as completionLog from "../logging/completions";

export interface CreateHooks {
  lookup(
    wrapper: OpenAIWrapper,
    attempt: { params: Record<string, unknown>; extras: Record<string, unknown>; slot: Record<string, unknown>; index: number },
  ): Promise<{ response: ChatCompletionResponse } | null>;
  store(
    wrapper: OpenAIWrapper,
    attempt: { params: Record<string, unknown>; extras: Record<string, unknown>; index: number; response: ChatCompletionResponse },
  ): Promise<void>;
  onError(wrapper: OpenAIWrapper, attempt: { params: Record<string, unknown>; index: number; error: unknown; code: unknown }): void;
}

function cacheOf(extras: Record<string, unknown>): AbstractCacheLike | null {
  return (extras.cache as AbstractCacheLike | null | undefined) ?? null;
}

export const createHooks: CreateHooks = {
  lookup: async (wrapper, { params, extras, index }) => {
    completionLog.attemptStarted(params, extras);
    const cache = cacheOf(extras);
    if (!cache) return null;
    const response = await cacheLookup(cache, params);
    if (!response) return null;
    completionLog.cacheHit(wrapper, params, index, response as ChatCompletionResponse);
    return { response: response as ChatCompletionResponse };
  },
  store: async (wrapper, { params, extras, index, response }) => {
    const cache = cacheOf(extras);
    if (cache) await cacheStore(cache, params, response);
    completionLog.stored(wrapper, params, index, response);
  },
  onError: (wrapper, { params, index, code }) => completionLog.failed(wrapper, params, index, code),
};
