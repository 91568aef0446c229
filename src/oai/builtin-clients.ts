/**
 * Registers the built-in provider clients. Each loader imports its module
 * (and so its SDK) only when the first client of that kind is needed.
 */
import { registerBuiltinClient } from "./client-factory";
import { SystemError } from "../errors";
import { providerProfile } from "./providers";

registerBuiltinClient("openai", async (config) => {
  const { OpenAIClient, createOpenAISdk } = await import("./clients/openai-client");
  return new OpenAIClient(await createOpenAISdk(config));
});

registerBuiltinClient("azure", async (config) => {
  const { createAzureClient } = await import("./clients/azure");
  return createAzureClient(config);
});

registerBuiltinClient("anthropic", async (config) => {
  const { createAnthropicClient } = await import("./clients/anthropic-client");
  return createAnthropicClient(config);
});

registerBuiltinClient("provider", async (config) => {
  const { createProviderClient } = await import("./clients/provider-client");
  const profile = providerProfile(config.api_type);
  if (!profile) throw new SystemError(`No provider profile for api_type ${String(config.api_type)}`);
  return createProviderClient(config, profile);
});
