/**
 * Translates an entry's snake_case client options (spec 40 §3) into the
 * camelCase options of the `openai` / `@anthropic-ai/sdk` constructors.
 */
import { ValueError } from "../../errors";

export interface SdkCommonOptions {
  apiKey?: string;
  baseURL?: string;
  timeout?: number;
  maxRetries?: number;
  defaultHeaders?: Record<string, string>;
  defaultQuery?: Record<string, string>;
  fetch?: typeof fetch;
}

/** `timeout` is in seconds, as in AG2; the SDKs want milliseconds. */
export function timeoutMs(config: Record<string, unknown>): number | undefined {
  const t = config.timeout;
  if (t === undefined || t === null) return undefined;
  if (typeof t !== "number" || !(t > 0)) {
    throw new ValueError(`timeout must be a positive number of seconds, got ${JSON.stringify(t)}.`);
  }
  return Math.round(t * 1000);
}

export function commonSdkOptions(config: Record<string, unknown>): SdkCommonOptions {
  const out: SdkCommonOptions = {};
  if (typeof config.api_key === "string") out.apiKey = config.api_key;
  if (typeof config.base_url === "string") out.baseURL = config.base_url;
  const timeout = timeoutMs(config);
  if (timeout !== undefined) out.timeout = timeout;
  if (config.max_retries !== undefined && config.max_retries !== null) {
    if (!Number.isInteger(config.max_retries) || (config.max_retries as number) < 0) {
      throw new ValueError(`max_retries must be a non-negative integer, got ${JSON.stringify(config.max_retries)}.`);
    }
    out.maxRetries = config.max_retries as number;
  }
  if (config.default_headers) out.defaultHeaders = config.default_headers as Record<string, string>;
  if (config.default_query) out.defaultQuery = config.default_query as Record<string, string>;
  const customFetch = config.fetch ?? config.http_client;
  if (customFetch !== undefined && customFetch !== null) {
    if (typeof customFetch !== "function") throw new ValueError("fetch (or http_client) must be a fetch-compatible function.");
    out.fetch = customFetch as typeof fetch;
  } else {
    out.fetch = abortAwareFetch;
  }
  return out;
}

/**
 * `fetch` whose abort errors are plain `Error`s named "AbortError" of this
 * realm. The SDKs recognise a timeout by that name; a DOMException from
 * another realm (jest, vm-based notebooks) would otherwise turn into a
 * generic connection error and the timeout would go unnoticed.
 */
export const abortAwareFetch: typeof fetch = async (input, init) => {
  try {
    return await globalThis.fetch(input, init);
  } catch (err) {
    if (init?.signal?.aborted && !(err instanceof Error && err.name === "AbortError")) {
      const abort = new Error("The request was aborted (timed out).", { cause: err });
      abort.name = "AbortError";
      throw abort;
    }
    throw err;
  }
};

/** Imports an optional package, with an error naming it when it is missing. */
export async function importOptional<T>(name: string, purpose: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND" || /Cannot find (module|package)/.test(String(err))) {
      throw new ValueError(`${purpose} needs the optional package "${name}", which is not installed. Install it with: npm install ${name}`, {
        cause: err,
      });
    }
    throw err;
  }
}
