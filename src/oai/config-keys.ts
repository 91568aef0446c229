/**
 * How an llm_config's keys are split (spec 40 §3): SDK client options,
 * wrapper extras (never sent to the model) and create params (everything else).
 */

export const CLIENT_OPTION_KEYS = new Set([
  "api_key",
  "organization",
  "project",
  "base_url",
  "timeout",
  "max_retries",
  "default_headers",
  "default_query",
  "http_client",
  "fetch",
  "azure_endpoint",
  "azure_deployment",
  "api_version",
  "azure_ad_token",
  "azure_ad_token_provider",
]);

export const WRAPPER_EXTRA_KEYS = new Set([
  "agent",
  "cache",
  "cache_seed",
  "filter_func",
  "allow_format_str_template",
  "context",
  "api_type",
  "api_version",
  "tags",
  "price",
  "model_client_cls",
  "model_client",
  "api_rate_limit",
  "signal",
]);

export const WRAPPER_LEVEL_KEYS = new Set(["config_list", "routing_method"]);

export type LLMConfigEntry = Record<string, unknown> & { model?: string };

export interface LLMConfig {
  config_list?: LLMConfigEntry[] | null;
  routing_method?: "fixed_order" | "round_robin";
  [key: string]: unknown;
}

/** Splits a merged config into create params and wrapper extras. */
export function splitCreateConfig(
  full: Record<string, unknown>,
  overrides?: Record<string, unknown>,
): {
  params: Record<string, unknown>;
  extras: Record<string, unknown>;
} {
  // As if splitting `Object.assign({}, full, overrides)`, without building it: same keys, order and values.
  const request = { params: {} as Record<string, unknown>, extras: {} as Record<string, unknown> };
  for (const key in full) {
    if (!Object.prototype.hasOwnProperty.call(full, key)) continue;
    place(request, key, overrides !== undefined && Object.prototype.hasOwnProperty.call(overrides, key) ? overrides[key] : full[key]);
  }
  if (overrides !== undefined) {
    for (const key in overrides) {
      if (Object.prototype.hasOwnProperty.call(overrides, key) && !Object.prototype.hasOwnProperty.call(full, key)) place(request, key, overrides[key]);
    }
  }
  return request;
}

/** Puts one key of a create call where it belongs: the params, the wrapper's extras, or nowhere (client options). */
function place(request: { params: Record<string, unknown>; extras: Record<string, unknown> }, key: string, value: unknown): void {
  if (WRAPPER_EXTRA_KEYS.has(key)) request.extras[key] = value;
  else if (!CLIENT_OPTION_KEYS.has(key) && !WRAPPER_LEVEL_KEYS.has(key)) request.params[key] = value;
}
