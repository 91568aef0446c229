/**
 * The OpenAI client for an OpenAI-compatible provider (`api_type` ollama,
 * groq, together, deepseek, cerebras, mistral, cohere, google, lmstudio,
 * vllm): its default endpoint and key variable, AG2's key names mapped onto
 * OpenAI's, and its price table.
 */
import type OpenAI from "openai";
import type { ModelClientResponse } from "../model-client";
import { providerCost } from "../pricing";
import { providerApiKey, providerBaseUrl, providerParams, type ProviderProfile } from "../providers";
import { OpenAIClient, createOpenAISdk } from "./openai-client";

export class ProviderClient extends OpenAIClient {
  readonly profile: ProviderProfile;

  constructor(sdk: OpenAI, profile: ProviderProfile) {
    super(sdk);
    this.profile = profile;
  }

  async create(params: Record<string, unknown>): Promise<ModelClientResponse> {
    return super.create(providerParams(this.profile, params));
  }

  cost(response: ModelClientResponse): number {
    const usage = response.usage ?? {};
    return providerCost(this.profile, response.model, usage.prompt_tokens ?? 0, usage.completion_tokens ?? 0);
  }
}

export async function createProviderClient(config: Record<string, unknown>, profile: ProviderProfile): Promise<ProviderClient> {
  const sdk = await createOpenAISdk({ ...config, api_key: providerApiKey(profile, config), base_url: providerBaseUrl(profile, config) });
  return new ProviderClient(sdk, profile);
}
