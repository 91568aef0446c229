/**
 * The cache key of a model request (spec 60 §1.3): canonical JSON of the
 * create params, without credentials and endpoint.
 */

/** Params that never take part in the key (AG2 `NON_CACHE_KEY`). */
export const NON_CACHE_KEY = [
  "api_key",
  "base_url",
  "api_type",
  "api_version",
  "azure_ad_token",
  "azure_ad_token_provider",
  "credentials",
];

function canonical(value: unknown): unknown {
  if (typeof value === "function") return value.toString();
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(canonical);
  const withJson = value as { toJSON?: () => unknown; toJSONSchema?: () => unknown };
  if (typeof withJson.toJSONSchema === "function") return canonical(withJson.toJSONSchema());
  if (typeof withJson.toJSON === "function") return canonical(withJson.toJSON());
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = canonical(v);
  }
  return out;
}

/** Canonical JSON (keys sorted recursively, no whitespace) of `config` minus NON_CACHE_KEY. */
export function get_key(config: Record<string, unknown> | string): string {
  if (typeof config === "string") return config;
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) if (!NON_CACHE_KEY.includes(k)) copy[k] = v;
  return JSON.stringify(canonical(copy));
}
