/**
 * Extension points of `OpenAIWrapper.create` that live in other modules:
 * caching (spec 60 §1), rate limiting and runtime logging. The defaults do
 * nothing; the cache and logging modules replace them when loaded.
 */
import type { ChatCompletionResponse, OpenAIWrapper } from "./client";

export interface CreateHooks {
  lookup(
    wrapper: OpenAIWrapper,
    attempt: { params: Record<string, unknown>; extras: Record<string, unknown>; slot: Record<string, unknown>; index: number },
  ): Promise<{ response: ChatCompletionResponse } | null>;
  store(
    wrapper: OpenAIWrapper,
    attempt: { params: Record<string, unknown>; extras: Record<string, unknown>; index: number; response: ChatCompletionResponse },
  ): Promise<void>;
  beforeCall(slot: Record<string, unknown>): Promise<void>;
  onError(wrapper: OpenAIWrapper, attempt: { params: Record<string, unknown>; index: number; error: unknown; code: unknown }): void;
}

export const createHooks: CreateHooks = {
  lookup: async () => null,
  store: async () => {},
  beforeCall: async () => {},
  onError: () => {},
};
