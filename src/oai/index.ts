// `ag2ts/oai`: model clients, config-list helpers, usage (Python `autogen.oai`).
export { OpenAIWrapper } from "./client";
export type { CreateOptions, ChatCompletionResponse } from "./client";
export type { ModelClient, ModelClientClass, ModelClientResponse, ModelUsage } from "./model-client";
export type { LLMConfig, LLMConfigEntry } from "./config-keys";
export type { UsageSummary, ModelUsageSummary } from "./usage";
export type { AbstractCacheLike } from "./cache-like";
