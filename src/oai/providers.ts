/**
 * Providers that speak the OpenAI chat-completions protocol, reached through
 * the OpenAI client (spec 40 §5.1): each `api_type` has its documented
 * default `base_url`, the environment variable holding its key, the AG2
 * config keys of its native AG2 client that map onto OpenAI parameters, and
 * those AG2-only keys that have no equivalent (a clear error naming them).
 * Pure data and checks: no SDK import.
 */
import { ValueError } from "../errors";

/** An AG2-only key: why it cannot be honoured and what to use instead; `harmless` is a value equal to the behaviour here. */
export interface UnsupportedKey {
  fix: string;
  harmless?: unknown;
}

export interface ProviderProfile {
  /** The `api_type` as AG2 spells it. */
  api_type: string;
  /** Shown in messages. */
  label: string;
  /** Documented OpenAI-compatible endpoint. */
  base_url: string;
  /** Environment variables holding the API key, in order; empty for local servers. */
  key_env: readonly string[];
  /** For local servers, sent when no key is given (the SDK needs one; the server ignores it). */
  placeholder_key?: string;
  /** AG2 key of the native client -> the OpenAI request parameter. */
  renamed: Readonly<Record<string, string>>;
  /** AG2-only keys with no OpenAI-protocol equivalent. */
  unsupported: Readonly<Record<string, UnsupportedKey>>;
  /** The price table (`prices/<name>.json`); null: a local model, cost 0 without warning. */
  prices: string | null;
  /** AG2's warning for a model missing from the price table. */
  unknown_price_warning?: (model: string) => string;
}

const HIDE_TOOLS: UnsupportedKey = {
  fix: 'ag2ts always sends the tools; remove hide_tools, or leave out tools (update_tool_signature) once they have run.',
  harmless: "never",
};

const VERTEX = 'ag2ts reaches Gemini through its OpenAI-compatible endpoint with an API key: set api_key (or GOOGLE_GEMINI_API_KEY); for Vertex AI use base_url "https://<location>-aiplatform.googleapis.com/v1/projects/<project>/locations/<location>/endpoints/openapi" with an access token as api_key.';

const PROFILES: readonly ProviderProfile[] = [
  {
    api_type: "ollama",
    label: "Ollama",
    base_url: "http://localhost:11434/v1",
    key_env: [],
    placeholder_key: "ollama",
    renamed: { num_predict: "max_tokens" },
    unsupported: {
      num_ctx: { fix: "set the context size on the model instead (a Modelfile with PARAMETER num_ctx, or OLLAMA_CONTEXT_LENGTH)." },
      repeat_penalty: { fix: "use frequency_penalty, or PARAMETER repeat_penalty in the model's Modelfile." },
      top_k: { fix: "set PARAMETER top_k in the model's Modelfile (the OpenAI-compatible endpoint has no top_k)." },
      hide_tools: HIDE_TOOLS,
      native_tool_calls: { fix: "ag2ts uses Ollama's native tool calls; remove native_tool_calls.", harmless: true },
      manual_tool_call_instruction: { fix: "manual tool calling is not available; ag2ts uses Ollama's native tool calls." },
      manual_tool_call_step1: { fix: "manual tool calling is not available; ag2ts uses Ollama's native tool calls." },
      manual_tool_call_step2: { fix: "manual tool calling is not available; ag2ts uses Ollama's native tool calls." },
    },
    prices: null,
  },
  {
    api_type: "groq",
    label: "Groq",
    base_url: "https://api.groq.com/openai/v1",
    key_env: ["GROQ_API_KEY"],
    renamed: {},
    unsupported: { hide_tools: HIDE_TOOLS },
    prices: "groq",
    unknown_price_warning: (model) => `Cost calculation not available for model ${model}`,
  },
  {
    api_type: "together",
    label: "Together.AI",
    base_url: "https://api.together.xyz/v1",
    key_env: ["TOGETHER_API_KEY"],
    renamed: {},
    unsupported: { hide_tools: HIDE_TOOLS },
    prices: "together",
    unknown_price_warning: () => "The model isn't catered for costing, to apply costs you can use the 'price' key on your config_list.",
  },
  {
    api_type: "deepseek",
    label: "DeepSeek",
    base_url: "https://api.deepseek.com/v1",
    key_env: ["DEEPSEEK_API_KEY"],
    renamed: {},
    unsupported: {},
    prices: "deepseek",
  },
  {
    api_type: "cerebras",
    label: "Cerebras",
    base_url: "https://api.cerebras.ai/v1",
    key_env: ["CEREBRAS_API_KEY"],
    renamed: {},
    unsupported: { hide_tools: HIDE_TOOLS },
    prices: "cerebras",
    unknown_price_warning: (model) => `Cost calculation not available for model ${model}`,
  },
  {
    api_type: "mistral",
    label: "Mistral.AI",
    base_url: "https://api.mistral.ai/v1",
    key_env: ["MISTRAL_API_KEY"],
    renamed: {},
    unsupported: { hide_tools: HIDE_TOOLS },
    prices: "mistral",
    unknown_price_warning: (model) => `Cost calculation is not implemented for model ${model}, will return $0.`,
  },
  {
    api_type: "cohere",
    label: "Cohere",
    base_url: "https://api.cohere.ai/compatibility/v1",
    key_env: ["COHERE_API_KEY", "CO_API_KEY"],
    renamed: {},
    unsupported: { hide_tools: HIDE_TOOLS },
    prices: "cohere",
    unknown_price_warning: (model) => `Cost calculation not available for model ${model}`,
  },
  {
    api_type: "google",
    label: "Google Gemini",
    base_url: "https://generativelanguage.googleapis.com/v1beta/openai/",
    key_env: ["GOOGLE_GEMINI_API_KEY", "GEMINI_API_KEY"],
    renamed: { max_output_tokens: "max_tokens" },
    unsupported: {
      project_id: { fix: VERTEX },
      location: { fix: VERTEX },
      google_application_credentials: { fix: VERTEX },
      credentials: { fix: VERTEX },
      safety_settings: { fix: "the OpenAI-compatible endpoint applies the API's default safety settings; remove safety_settings." },
      tool_config: { fix: 'use tool_choice ("auto", "none", "required" or a named function).' },
      proxy: { fix: "pass a fetch function (fetch option) that goes through your proxy." },
      include_thoughts: { fix: 'use reasoning_effort ("low", "medium", "high").' },
      thinking_budget: { fix: 'use reasoning_effort ("low", "medium", "high").' },
      thinking_level: { fix: 'use reasoning_effort ("low", "medium", "high").' },
    },
    prices: "google",
    unknown_price_warning: (model) => `Cost calculation is not implemented for model ${model}. Cost will be calculated zero.`,
  },
  {
    api_type: "lmstudio",
    label: "LM Studio",
    base_url: "http://localhost:1234/v1",
    key_env: [],
    placeholder_key: "lm-studio",
    renamed: {},
    unsupported: {},
    prices: null,
  },
  {
    api_type: "vllm",
    label: "vLLM",
    base_url: "http://localhost:8000/v1",
    key_env: ["VLLM_API_KEY"],
    placeholder_key: "EMPTY",
    renamed: {},
    unsupported: {},
    prices: null,
  },
];

const BY_TYPE = new Map(PROFILES.map((p) => [p.api_type, p]));
BY_TYPE.set("gemini", BY_TYPE.get("google") as ProviderProfile);
BY_TYPE.set("lm_studio", BY_TYPE.get("lmstudio") as ProviderProfile);

/** The api_types routed to the OpenAI client with a provider profile. */
export const PROVIDER_API_TYPES: readonly string[] = Object.freeze([...BY_TYPE.keys()]);

/** The profile of an `api_type` (exact name, or a name it starts with, as AG2 matches prefixes), or null. */
export function providerProfile(apiType: unknown): ProviderProfile | null {
  if (typeof apiType !== "string") return null;
  const exact = BY_TYPE.get(apiType);
  if (exact) return exact;
  for (const [name, profile] of BY_TYPE) if (apiType.startsWith(name)) return profile;
  return null;
}

/** The message for `api_type: "bedrock"`, which has no client here. */
export const BEDROCK_MESSAGE =
  'api_type "bedrock" has no built-in client in ag2ts. For Claude on Amazon Bedrock use api_type "anthropic" with ' +
  "aws_access_key, aws_secret_key and aws_region (it needs the optional package @anthropic-ai/bedrock-sdk); for other " +
  'Bedrock models use Bedrock\'s OpenAI-compatible endpoint: api_type "openai" with base_url ' +
  '"https://bedrock-runtime.<region>.amazonaws.com/openai/v1" and a Bedrock API key as api_key; or register a custom ' +
  "ModelClient (model_client_cls + register_model_client).";

function env(name: string): string | undefined {
  const value = typeof process !== "undefined" ? process.env[name] : undefined;
  return value === "" ? undefined : value;
}

/** Throws for AG2-only keys the OpenAI protocol cannot honour (a value equal to the behaviour here passes). */
export function checkProviderKeys(profile: ProviderProfile, config: Record<string, unknown>): void {
  const bad = Object.keys(config).filter((key) => {
    const rule = profile.unsupported[key];
    return rule !== undefined && config[key] !== undefined && config[key] !== null && config[key] !== rule.harmless;
  });
  if (bad.length === 0) return;
  const lines = bad.map((key) => `${key}: ${profile.unsupported[key].fix}`);
  throw new ValueError(
    `api_type "${profile.api_type}" goes through ${profile.label}'s OpenAI-compatible API, which has no equivalent of ` +
      `AG2's ${bad.map((k) => `"${k}"`).join(", ")}. ${lines.join(" ")}`,
  );
}

/** The API key of an entry: `api_key`, else the provider's variable, else the local placeholder; missing -> a clear error. */
export function providerApiKey(profile: ProviderProfile, config: Record<string, unknown>): string {
  if (typeof config.api_key === "string" && config.api_key !== "") return config.api_key;
  for (const name of profile.key_env) {
    const value = env(name);
    if (value) return value;
  }
  if (profile.placeholder_key) return profile.placeholder_key;
  throw new ValueError(
    `An api_type "${profile.api_type}" entry needs an API key: set api_key in the entry or the ${profile.key_env.join(" or ")} environment variable.`,
  );
}

/** The endpoint of an entry: `base_url`, else Ollama's `client_host` + `/v1`, else the documented default. */
export function providerBaseUrl(profile: ProviderProfile, config: Record<string, unknown>): string {
  if (typeof config.base_url === "string" && config.base_url !== "") return config.base_url;
  if (profile.api_type === "ollama" && typeof config.client_host === "string" && config.client_host !== "") {
    return `${config.client_host.replace(/\/+$/, "")}/v1`;
  }
  return profile.base_url;
}

/** Keys an entry may hold for the client only (never sent to the model). */
const CLIENT_ONLY_KEYS = new Set(["client_host"]);

/** Create params for the provider: AG2 names renamed to OpenAI's, client-only keys removed; unsupported keys throw. */
export function providerParams(profile: ProviderProfile, params: Record<string, unknown>): Record<string, unknown> {
  checkProviderKeys(profile, params);
  let out: Record<string, unknown> | null = null;
  for (const key of Object.keys(params)) {
    const target = profile.renamed[key];
    const drop = CLIENT_ONLY_KEYS.has(key) || (key in profile.unsupported && target === undefined);
    if (target === undefined && !drop) continue;
    out ??= { ...params };
    const value = out[key];
    delete out[key];
    if (target !== undefined && !(target in out)) out[target] = value;
  }
  return out ?? params;
}
