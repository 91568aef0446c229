/**
 * Token counting (AG2 token_count_utils, spec 60 §5): strings, message lists
 * with OpenAI's per-message overhead, and function (tool) schemas.
 * Synchronous as in AG2; see encodings.ts for when an encoding loads.
 */
import { NotImplementedError, ValueError } from "../errors";
import { log } from "../warnings";
import { encodingForModel, type Encoding } from "./encodings";
import { num_tokens_from_gpt_image } from "./images";
import { get_max_token_limit, modelArgument } from "./limits";
import { pythonJsonDumps } from "./python-json";

/** What `count_token` accepts: a text, a message list, or one message. */
export type TokenCountInput = string | Record<string, unknown>[] | Record<string, unknown>;

/** The model argument: `"gpt-4o"` or `{ model: "gpt-4o" }` (default "gpt-3.5-turbo-0613"). */
export type ModelOption = string | { model?: string };

/** Models whose per-message overhead is known exactly (OpenAI cookbook). */
const THREE_TOKEN_MODELS = new Set([
  "gpt-3.5-turbo-0613",
  "gpt-3.5-turbo-16k-0613",
  "gpt-4-0314",
  "gpt-4-32k-0314",
  "gpt-4-0613",
  "gpt-4-32k-0613",
  "gpt-4-turbo-preview",
  "gpt-4-vision-preview",
  "gpt-4o",
  "gpt-4o-2024-05-13",
  "gpt-4o-2024-08-06",
  "gpt-4o-2024-11-20",
  "gpt-4o-mini",
  "gpt-4o-mini-2024-07-18",
]);

/** Models counted as another one, with AG2's info message. */
const STAND_INS: [(model: string) => boolean, string, string][] = [
  [(m) => m.includes("gpt-3.5-turbo"), "gpt-3.5-turbo-0613", "gpt-3.5-turbo may update over time. Returning num tokens assuming gpt-3.5-turbo-0613."],
  [(m) => m.includes("gpt-4"), "gpt-4-0613", "gpt-4 may update over time. Returning num tokens assuming gpt-4-0613."],
  [(m) => m.includes("gemini"), "gpt-4-0613", "Gemini is not supported in tiktoken. Returning num tokens assuming gpt-4-0613."],
  [(m) => m.includes("claude"), "gpt-4-0613", "Claude is not supported in tiktoken. Returning num tokens assuming gpt-4-0613."],
  [
    (m) => m.includes("mistral-") || m.includes("mixtral-"),
    "gpt-4-0613",
    "Mistral.AI models are not supported in tiktoken. Returning num tokens assuming gpt-4-0613.",
  ],
  [(m) => m.includes("deepseek"), "gpt-4-0613", "Deepseek models are not supported in tiktoken. Returning num tokens assuming gpt-4-0613."],
];

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function textTokens(text: string, model: string): number {
  return encodingForModel(model).encode(text).length;
}

function imageTokens(part: Record<string, unknown>, model: string): number {
  const image = part.image_url;
  if (!isRecord(image) || typeof image.url !== "string") {
    throw new ValueError(`count_token: an image_url part needs {"image_url": {"url": "..."}}, got ${JSON.stringify(part)}.`);
  }
  try {
    return num_tokens_from_gpt_image(image.url, { model, low_quality: image.detail === "low" });
  } catch (err) {
    if (!(err instanceof ValueError)) throw err;
    log("warning", `Error in num_tokens_from_gpt_image: ${err.message}`);
    return 0;
  }
}

function contentPartsTokens(parts: unknown[], encoding: Encoding, model: string): number {
  let tokens = 0;
  for (const part of parts) {
    if (!isRecord(part) || !("type" in part)) continue;
    if (part.type === "text") tokens += encoding.encode(String(part.text)).length;
    if ("image_url" in part) tokens += imageTokens(part, model);
  }
  return tokens;
}

function messagesTokens(messages: Record<string, unknown>[], model: string): number {
  const encoding = encodingForModel(model);
  let perMessage: number;
  let perName: number;
  if (THREE_TOKEN_MODELS.has(model)) {
    perMessage = 3;
    perName = 1;
  } else if (model === "gpt-3.5-turbo-0301") {
    perMessage = 4; // <|start|>{role/name}\n{content}<|end|>\n
    perName = -1; // a name replaces the role
  } else {
    const standIn = STAND_INS.find(([matches]) => matches(model));
    if (!standIn) {
      throw new NotImplementedError(
        `_num_token_from_messages() is not implemented for model ${model}. See https://github.com/openai/openai-python/blob/main/chatml.md for information on how messages are converted to tokens.`,
        { model },
      );
    }
    log("info", standIn[2]);
    return messagesTokens(messages, standIn[1]);
  }
  let tokens = 0;
  for (const message of messages) {
    if (!isRecord(message)) throw new ValueError(`count_token: every message must be an object such as {"role": "user", "content": "hi"}, got ${typeof message}.`);
    tokens += perMessage;
    for (const [key, value] of Object.entries(message)) {
      if (value === null || value === undefined) continue;
      if (key === "content" && Array.isArray(value)) {
        tokens += contentPartsTokens(value, encoding, model);
        continue;
      }
      let text: string;
      if (typeof value === "string") text = value;
      else {
        try {
          text = pythonJsonDumps(value);
        } catch {
          log("warning", `Value ${String(value)} is not a string and cannot be converted to json. It is a type: ${typeof value} Skipping.`);
          continue;
        }
      }
      tokens += encoding.encode(text).length;
      if (key === "name") tokens += perName;
    }
  }
  return tokens + 3; // every reply is primed with <|start|>assistant<|message|>
}

/**
 * Tokens of `input` for `model` (default "gpt-3.5-turbo-0613"): a string's
 * tokens, or a message list's (one message may be passed alone) with the
 * per-message overhead, names, tool and function calls (as JSON) and image
 * parts. A model unknown to tiktoken is counted with cl100k_base (warning);
 * a message list for a model without known overhead is NotImplementedError.
 */
export function count_token(input: TokenCountInput, model?: ModelOption): number {
  const name = modelArgument("count_token", model);
  if (typeof input === "string") return textTokens(input, name);
  if (Array.isArray(input)) return messagesTokens(input, name);
  if (isRecord(input)) return messagesTokens([input], name);
  throw new ValueError(`input must be str, list or dict, but we got ${input === null ? "null" : typeof input}`);
}

/** The share of `model`'s context window that `input` uses (0..1). */
export function percentile_used(input: TokenCountInput, model?: ModelOption): number {
  const name = modelArgument("percentile_used", model);
  return count_token(input, name) / get_max_token_limit(name);
}

/** Tokens left in `model`'s context window after `input`. */
export function token_left(input: TokenCountInput, model?: ModelOption): number {
  const name = modelArgument("token_left", model);
  return get_max_token_limit(name) - count_token(input, name);
}

/** A function (tool) description as sent to the model. */
export interface FunctionDescription {
  name: string;
  description: string;
  parameters?: { properties?: Record<string, Record<string, unknown>>; [key: string]: unknown };
  [key: string]: unknown;
}

/** Tokens a list of function descriptions adds to a request (OpenAI's accounting, as AG2). */
export function num_tokens_from_functions(functions: FunctionDescription[], model?: ModelOption): number {
  const encoding = encodingForModel(modelArgument("num_tokens_from_functions", model));
  const count = (text: unknown) => encoding.encode(String(text)).length;
  let tokens = 0;
  for (const fn of functions) {
    let fnTokens = count(fn.name) + count(fn.description) - 2;
    const properties = fn.parameters?.properties;
    if (fn.parameters && properties) {
      for (const [key, schema] of Object.entries(properties)) {
        fnTokens += count(key);
        for (const field of Object.keys(schema)) {
          if (field === "type") fnTokens += 2 + count(schema.type);
          else if (field === "description") fnTokens += 2 + count(schema.description);
          else if (field === "enum") {
            fnTokens -= 3;
            for (const option of schema.enum as unknown[]) fnTokens += 3 + count(option);
          } else log("warning", `Not supported field ${field}`);
        }
      }
      fnTokens += 11;
      if (Object.keys(properties).length === 0) fnTokens -= 2;
    }
    tokens += fnTokens;
  }
  return tokens + 12;
}
