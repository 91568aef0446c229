/**
 * Cost of a response from the price tables (spec 40 §8). The tables are
 * JSON data files in `./prices` (USD per 1K tokens), so they can be updated
 * without touching code.
 */
import { ValueError } from "../errors";
import { warn } from "../warnings";
import openaiPrices from "./prices/openai.json";
import anthropicPrices from "./prices/anthropic.json";
import groqPrices from "./prices/groq.json";
import togetherPrices from "./prices/together.json";
import deepseekPrices from "./prices/deepseek.json";
import cerebrasPrices from "./prices/cerebras.json";
import mistralPrices from "./prices/mistral.json";
import coherePrices from "./prices/cohere.json";
import googlePrices from "./prices/google.json";
import type { ProviderProfile } from "./providers";

/** `[prompt_per_1k, completion_per_1k]`, or one number for every token. */
export type Price1K = number | [number, number] | readonly number[];

type PriceTable = Record<string, Price1K | string>;

/** The price tables by provider (`api_type`). */
export type PriceProvider = "openai" | "anthropic" | "groq" | "together" | "deepseek" | "cerebras" | "mistral" | "cohere" | "google";

const TABLES: Record<PriceProvider, PriceTable> = {
  openai: openaiPrices as PriceTable,
  anthropic: anthropicPrices as PriceTable,
  groq: groqPrices as PriceTable,
  together: togetherPrices as PriceTable,
  deepseek: deepseekPrices as PriceTable,
  cerebras: cerebrasPrices as PriceTable,
  mistral: mistralPrices as PriceTable,
  cohere: coherePrices as PriceTable,
  google: googlePrices as PriceTable,
};

/** Prices already looked up, per provider and model name (every response asks again). */
const looked = new Map<string, Map<string, Price1K | null>>();

/** The table price of a model: exact name first, then without a trailing `-YYYY-MM-DD` (or Gemini's `models/` prefix). */
export function lookupPrice(provider: PriceProvider, model: string): Price1K | null {
  let known = looked.get(provider);
  if (!known) looked.set(provider, (known = new Map()));
  let price = known.get(model);
  if (price === undefined) {
    price = findPrice(provider, model);
    if (known.size < 1000) known.set(model, price);
  }
  return price;
}

function findPrice(provider: PriceProvider, model: string): Price1K | null {
  const table = TABLES[provider];
  if (!table) return null;
  const bare = model.replace(/^models\//, "");
  const candidates = [model, bare, bare.replace(/-\d{4}-\d{2}-\d{2}$/, "")];
  for (const name of candidates) {
    if (name.startsWith("_")) continue;
    const price = Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
    if (typeof price === "number" || Array.isArray(price)) return price as Price1K;
  }
  return null;
}

/** `(prompt * in + completion * out) / 1000`; a single number prices every token. */
export function costWithPrice(price: Price1K, prompt_tokens: number, completion_tokens: number): number {
  if (typeof price === "number") return (price * (prompt_tokens + completion_tokens)) / 1000;
  const [input, output] = price;
  return (prompt_tokens * Number(input) + completion_tokens * Number(output)) / 1000;
}

/** Cost from the provider's table; an unknown model warns once and costs 0. */
export function tableCost(
  provider: PriceProvider,
  model: string,
  prompt_tokens: number,
  completion_tokens: number,
): number {
  const price = lookupPrice(provider, model);
  if (price === null) {
    warn(
      `Model ${model} is not found. The cost will be 0. In your config_list, add field ` +
        `{"price" : [prompt_price_per_1k, completion_token_price_per_1k]} for customized pricing.`,
    );
    return 0;
  }
  return costWithPrice(price, prompt_tokens, completion_tokens);
}

/** Normalises an entry's `price` option (a single number warns and is used for both). */
export function entryPrice(price: unknown): Price1K | null {
  if (price === undefined || price === null) return null;
  if (typeof price === "number") {
    warn(`price should be a list of two numbers [prompt_price_per_1k, completion_token_price_per_1k]; ${price} is used for both.`);
    return [price, price];
  }
  if (Array.isArray(price) && price.length === 2 && price.every((p) => typeof p === "number")) return price as [number, number];
  throw new ValueError(`price must be [prompt_price_per_1k, completion_token_price_per_1k], got ${JSON.stringify(price)}.`);
}


/**
 * Cost of a provider's response: its table, or 0 for a local server. An
 * unknown model warns as AG2's client for that provider does (OpenAI's
 * warning where AG2 uses the OpenAI client).
 */
export function providerCost(profile: ProviderProfile, model: string, prompt_tokens: number, completion_tokens: number): number {
  if (profile.prices === null) return 0;
  if (!profile.unknown_price_warning) return tableCost(profile.prices as PriceProvider, model, prompt_tokens, completion_tokens);
  const price = lookupPrice(profile.prices as PriceProvider, model);
  if (price === null) {
    warn(profile.unknown_price_warning(model));
    return 0;
  }
  return costWithPrice(price, prompt_tokens, completion_tokens);
}
