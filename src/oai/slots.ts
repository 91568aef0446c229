/**
 * The config entries an OpenAIWrapper holds, one slot each: the entry's
 * create config, its client's config, the client once built or registered,
 * and its rate limiter.
 */
import { ValueError } from "../errors";
import { log } from "../warnings";
import { providerOf } from "./client-factory";
import { CLIENT_OPTION_KEYS, type LLMConfigEntry } from "./config-keys";
import type { ModelClient } from "./model-client";
import type { RetrievalHolder } from "./answer-records";
import { entryPrice } from "./pricing";
import { checkProviderKeys, providerApiKey, providerProfile } from "./providers";
import { RateLimiter } from "./rate-limit";
import { responseFormatSpec } from "./structured-output";

export interface Slot {
  /** Entry config without client options: base extras + entry keys. */
  config: Record<string, unknown>;
  /** Client options and entry, as given to the client constructor. */
  clientConfig: Record<string, unknown>;
  client: ModelClient | null;
  /** Name of the custom class still to be registered. */
  placeholder: string | null;
  /** Spaces calls when the entry sets `api_rate_limit`. */
  limiter: RateLimiter | null;
  /** A user ModelClient (model_client / model_client_cls) rather than a built-in one. */
  custom: boolean;
  /** The descriptor of `message_retrieval_function` for its client (answer-records.ts), once made. */
  retrieval: RetrievalHolder["retrieval"];
}

/** The custom client classes of the entries still to be registered (`register_model_client`). */
export function placeholderNames(slots: Slot[]): string[] {
  let names: string[] | null = null;
  for (let i = 0; i < slots.length; i++) if (slots[i].placeholder !== null) (names ??= []).push(slots[i].placeholder as string);
  return names ?? NONE;
}

const NONE: string[] = [];

/** The slot of one config entry (`baseClient`: client options of the llm_config, `baseRest`: its other keys). */
export function buildSlot(baseClient: Record<string, unknown>, baseRest: Record<string, unknown>, entry: LLMConfigEntry): Slot {
  const clientConfig: Record<string, unknown> = { ...baseRest, ...baseClient };
  const config: Record<string, unknown> = { ...baseRest };
  for (const [k, v] of Object.entries(entry)) {
    clientConfig[k] = v;
    if (!CLIENT_OPTION_KEYS.has(k) || k === "api_version") config[k] = v;
  }
  // A response_format of a shape ag2ts cannot send fails here, not at the first call.
  if (clientConfig.response_format !== undefined && clientConfig.response_format !== null) responseFormatSpec(clientConfig.response_format);
  if (entry.model_client !== undefined) {
    const client = entry.model_client as ModelClient;
    if (!client || typeof client.create !== "function" || typeof client.message_retrieval !== "function") {
      throw new ValueError("model_client in a config entry must implement the ModelClient protocol (create, message_retrieval, cost).");
    }
    return { config, clientConfig, client, placeholder: null, limiter: null, custom: true, retrieval: null };
  }
  if (entry.model_client_cls !== undefined) {
    if (typeof entry.model_client_cls !== "string") {
      throw new ValueError("model_client_cls must be the class name as a string; then call register_model_client(TheClass).");
    }
    log("info", `Detected custom model client in config: ${entry.model_client_cls}, model client can not be used until register_model_client is called.`);
    return { config, clientConfig, client: null, placeholder: entry.model_client_cls, limiter: null, custom: true, retrieval: null };
  }
  providerOf(clientConfig.api_type);
  const profile = providerProfile(clientConfig.api_type);
  if (profile) {
    // Misconfiguration shows at construction: AG2-only keys, a missing key.
    checkProviderKeys(profile, clientConfig);
    providerApiKey(profile, clientConfig);
  }
  if (clientConfig.price !== undefined) entryPrice(clientConfig.price);
  const rate = clientConfig.api_rate_limit;
  const limiter = rate === undefined || rate === null ? null : new RateLimiter(rate);
  return { config, clientConfig, client: null, placeholder: null, limiter, custom: false, retrieval: null };
}
