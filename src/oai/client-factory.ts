/**
 * Builds the provider client of one config entry from its `api_type`
 * (spec 40 §5.1). Provider SDKs are imported lazily, on the first call.
 */
import { ValueError } from "../errors";
import type { ModelClient } from "./model-client";
import { BEDROCK_MESSAGE, PROVIDER_API_TYPES, providerProfile } from "./providers";

export type BuiltinClientLoader = (config: Record<string, unknown>) => Promise<ModelClient>;

const builtinLoaders = new Map<string, BuiltinClientLoader>();

/** Registers the loader of a built-in provider (`openai`, `azure`, `anthropic`). */
export function registerBuiltinClient(apiType: string, loader: BuiltinClientLoader): void {
  builtinLoaders.set(apiType, loader);
}

/**
 * The provider family of an `api_type` (by prefix, as AG2): "openai",
 * "azure", "anthropic", or "provider" for the OpenAI-compatible providers
 * (providers.ts).
 */
export function providerOf(apiType: unknown): string {
  const type = typeof apiType === "string" && apiType !== "" ? apiType : "openai";
  if (type.startsWith("azure")) return "azure";
  if (type.startsWith("anthropic")) return "anthropic";
  if (type === "openai") return "openai";
  if (providerProfile(type)) return "provider";
  if (type.startsWith("bedrock")) throw new ValueError(BEDROCK_MESSAGE);
  throw new ValueError(
    `api_type "${type}" is not built into ag2ts. Built in: "openai", "azure", "anthropic", ` +
      `${PROVIDER_API_TYPES.map((t) => `"${t}"`).join(", ")}. For another OpenAI-compatible server ` +
      `use api_type "openai" with base_url; for another provider register a custom ModelClient ` +
      `(model_client_cls + register_model_client).`,
  );
}

export async function loadBuiltinClient(config: Record<string, unknown>): Promise<ModelClient> {
  const provider = providerOf(config.api_type);
  const loader = builtinLoaders.get(provider);
  if (!loader) {
    throw new ValueError(`No client for api_type "${provider}" is available in this build of ag2ts.`);
  }
  return loader(config);
}
