/**
 * Azure OpenAI (spec 40 §7): an OpenAIClient over the SDK's `AzureOpenAI`.
 * Deployment names are model names without dots (`gpt-3.5-turbo` ->
 * `gpt-35-turbo`).
 */
import { ValueError } from "../../errors";
import type { ModelClientResponse } from "../model-client";
import { OpenAIClient } from "./openai-client";
import { commonSdkOptions, importOptional } from "./sdk-options";

const AZURE_SCOPE = "https://cognitiveservices.azure.com/.default";

export function azureModelName(model: string): string {
  return model.replaceAll(".", "");
}

async function tokenProvider(config: Record<string, unknown>): Promise<(() => Promise<string>) | undefined> {
  const provider = config.azure_ad_token_provider;
  if (provider === "DEFAULT") {
    const identity = await importOptional<{
      DefaultAzureCredential: new () => unknown;
      getBearerTokenProvider: (credential: unknown, scope: string) => () => Promise<string>;
    }>("@azure/identity", 'azure_ad_token_provider: "DEFAULT"');
    return identity.getBearerTokenProvider(new identity.DefaultAzureCredential(), AZURE_SCOPE);
  }
  if (typeof provider === "function") return async () => String(await (provider as () => unknown)());
  if (typeof config.azure_ad_token === "string") {
    const token = config.azure_ad_token;
    return async () => token;
  }
  return undefined;
}

export class AzureOpenAIClient extends OpenAIClient {
  async create(params: Record<string, unknown>): Promise<ModelClientResponse> {
    const model = params.model;
    return super.create(typeof model === "string" ? Object.assign({}, params, { model: azureModelName(model) }) : params);
  }
}

export async function createAzureClient(config: Record<string, unknown>): Promise<AzureOpenAIClient> {
  const { AzureOpenAI } = await import("openai");
  const { baseURL, ...common } = commonSdkOptions(config);
  const endpoint = (config.azure_endpoint as string | undefined) ?? baseURL;
  if (!endpoint) {
    throw new ValueError('An Azure config entry needs "azure_endpoint" (or "base_url"): the https://<resource>.openai.azure.com/ address.');
  }
  const apiVersion = config.api_version;
  if (typeof apiVersion !== "string" || apiVersion === "") {
    throw new ValueError('An Azure config entry needs "api_version" (for example "2024-02-01").');
  }
  const provider = await tokenProvider(config);
  const options: ConstructorParameters<typeof AzureOpenAI>[0] = { ...common, endpoint, apiVersion };
  if (provider) {
    options.azureADTokenProvider = provider;
    delete options.apiKey;
  }
  if (typeof config.azure_deployment === "string") options.deployment = config.azure_deployment;
  return new AzureOpenAIClient(new AzureOpenAI(options));
}
