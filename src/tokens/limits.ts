/**
 * Context-window sizes of OpenAI models (AG2 token_count_utils.get_max_token_limit).
 * A model outside the table is a KeyError, as in AG2; callers that want a
 * default catch it (MessageTokenLimiter does).
 */
import { KeyError, ValueError } from "../errors";

const MAX_TOKEN_LIMIT: Record<string, number> = {
  "gpt-3.5-turbo": 16385,
  "gpt-3.5-turbo-0125": 16385,
  "gpt-3.5-turbo-0301": 4096,
  "gpt-3.5-turbo-0613": 4096,
  "gpt-3.5-turbo-instruct": 4096,
  "gpt-3.5-turbo-16k": 16385,
  "gpt-3.5-turbo-16k-0613": 16385,
  "gpt-3.5-turbo-1106": 16385,
  "gpt-4": 8192,
  "gpt-4-turbo": 128000,
  "gpt-4-turbo-2024-04-09": 128000,
  "gpt-4-32k": 32768,
  "gpt-4-32k-0314": 32768,
  "gpt-4-0314": 8192,
  "gpt-4-0613": 8192,
  "gpt-4-32k-0613": 32768,
  "gpt-4-1106-preview": 128000,
  "gpt-4-0125-preview": 128000,
  "gpt-4-turbo-preview": 128000,
  "gpt-4-vision-preview": 128000,
  "gpt-4o": 128000,
  "gpt-4o-2024-05-13": 128000,
  "gpt-4o-2024-08-06": 128000,
  "gpt-4o-2024-11-20": 128000,
  "gpt-4o-mini": 128000,
  "gpt-4o-mini-2024-07-18": 128000,
};

/** Azure spellings (`gpt-35-turbo`, `gpt35-turbo`, `gpt4`, `gpt4o`) name the same models. */
export function normalizeModelAlias(model: string): string {
  return model.replace(/^gpt-?35/, "gpt-3.5").replace(/^gpt4/, "gpt-4");
}

/** The model name from `get_max_token_limit("gpt-4")` or `get_max_token_limit({ model: "gpt-4" })`. */
export function modelArgument(where: string, model: string | { model?: string } | undefined): string {
  if (model === undefined) return "gpt-3.5-turbo-0613";
  if (typeof model === "string") return model;
  if (model === null || typeof model !== "object" || Array.isArray(model)) {
    throw new ValueError(`${where}: the model must be a string such as "gpt-4o" or an options object { model }, got ${model === null ? "null" : typeof model}.`);
  }
  for (const key of Object.keys(model)) {
    if (key !== "model") throw new ValueError(`${where}: unknown option '${key}'. The only option is 'model' (a model name such as "gpt-4o").`, { option: key });
  }
  if (model.model === undefined) return "gpt-3.5-turbo-0613";
  if (typeof model.model !== "string") throw new ValueError(`${where}: option 'model' must be a string, got ${typeof model.model}.`, { option: "model" });
  return model.model;
}

/**
 * The context window of `model` in tokens (default model "gpt-3.5-turbo-0613").
 * Throws KeyError for a model outside AG2's table.
 */
export function get_max_token_limit(model?: string | { model?: string }): number {
  const name = normalizeModelAlias(modelArgument("get_max_token_limit", model));
  if (!Object.prototype.hasOwnProperty.call(MAX_TOKEN_LIMIT, name)) {
    throw new KeyError(
      `get_max_token_limit: unknown model '${name}'. Known models: ${Object.keys(MAX_TOKEN_LIMIT).join(", ")}. ` +
        "Pass one of them, or use your own limit for other models.",
      { model: name },
    );
  }
  return MAX_TOKEN_LIMIT[name];
}
