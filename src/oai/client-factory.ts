/**
 * Builds the provider client of one config entry from its `api_type`
 * (spec 40 §5.1). Provider SDKs are imported lazily, on the first call.
 */
import { ValueError } from "../errors";
import type { ModelClient } from "./model-client";

export type BuiltinClientLoader = (config: Record<string, unknown>) => Promise<ModelClient>;

const builtinLoaders = new Map<string, BuiltinClientLoader>();

/** Registers the loader of a built-in provider (`openai`, `azure`, `anthropic`). */
export function registerBuiltinClient(apiType: string, loader: BuiltinClientLoader): void {
  builtinLoaders.set(apiType, loader);
}

/** The provider family of an `api_type` (by prefix, as AG2). */
export function providerOf(apiType: unknown): string {
  const type = typeof apiType === "string" && apiType !== "" ? apiType : "openai";
  if (type.startsWith("azure")) return "azure";
  if (type.startsWith("anthropic")) return "anthropic";
  if (type === "openai") return "openai";
  throw new ValueError(
    `api_type "${type}" is not built into ag2ts. For an OpenAI-compatible server (Ollama, vLLM, LM Studio, ...) ` +
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
