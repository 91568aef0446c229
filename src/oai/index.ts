// `ag2ts/oai`: model clients, config-list helpers, usage (Python `autogen.oai`).
export { OpenAIWrapper } from "./client";
export type { CreateOptions, ChatCompletionResponse } from "./client";
export type { ModelClient, ModelClientClass, ModelClientResponse, ModelUsage } from "./model-client";
export type { LLMConfig, LLMConfigEntry } from "./config-keys";
export type { UsageSummary, ModelUsageSummary } from "./usage";
export type { AbstractCacheLike } from "./cache-like";

// Built-in clients (their SDKs are imported on first use, not here).
export { OpenAIClient } from "./clients/openai-client";
export { AzureOpenAIClient } from "./clients/azure";
export { AnthropicClient } from "./clients/anthropic-client";
export { ProviderClient } from "./clients/provider-client";
export type { ProviderProfile } from "./providers";
export { oai_messages_to_anthropic_messages } from "./clients/anthropic-messages";

// Fallback errors and pricing.
export { AllConfigsFailedError } from "./fallback";
export type { EntryFailure } from "./fallback";
export { lookupPrice, costWithPrice } from "./pricing";
export type { Price1K } from "./pricing";

// config_list helpers.
export {
  config_list_from_json,
  filter_config,
  get_config_list,
  config_list_openai_aoai,
  config_list_from_models,
  config_list_gpt4_gpt35,
  config_list_from_dotenv,
  get_first_llm_config,
} from "./config-list";
export type { FilterDict, KeyFileOptions } from "./config-list";
