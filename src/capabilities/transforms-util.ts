/**
 * Helpers shared by the message transforms (AG2 transforms_util.py).
 */
import type { Message } from "../core/types";
import { filter_config } from "../oai/config-list";
import { count_token } from "../tokens/count";

/** The part of a cache a transform uses: anything with async get/set (every ag2ts cache). */
export interface TransformCache {
  get(key: string, default_?: unknown): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

/** Python's `str()` of a value, so cache keys read as AG2's do. */
export function pythonStr(value: unknown): string {
  return typeof value === "string" ? value : pythonRepr(value);
}

function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") {
    // Python prefers single quotes, and double quotes when the text holds a single quote but no double quote.
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    const body = value
      .replace(/\\/g, "\\\\")
      .replace(/\n/g, "\\n")
      .replace(/\r/g, "\\r")
      .replace(/\t/g, "\\t")
      .split(quote)
      .join("\\" + quote);
    return quote + body + quote;
  }
  if (Array.isArray(value)) return "[" + value.map(pythonRepr).join(", ") + "]";
  if (typeof value === "object") {
    return "{" + Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`).join(", ") + "}";
  }
  return String(value);
}

/** The cache key of `content` and extra values: their Python `str()`s joined, as AG2. */
export function cache_key(content: unknown, ...args: unknown[]): string {
  return [content, ...args].map(pythonStr).join("");
}

/** The cached `[content, ...extra]` for `key`, or null (no cache, or nothing stored). */
export async function cache_content_get(cache: TransformCache | null, key: string): Promise<unknown[] | null> {
  if (!cache) return null;
  const value = await cache.get(key);
  return Array.isArray(value) && value.length > 0 ? value : null;
}

/** Stores `[content, ...extra]` under `key` (nothing without a cache). */
export async function cache_content_set(cache: TransformCache | null, key: string, content: unknown, ...extra: unknown[]): Promise<void> {
  if (cache) await cache.set(key, [content, ...extra]);
}

/** Whether the text tokens of `messages` reach `min_tokens` (always, when it is 0 or null). */
export function min_tokens_reached(messages: Message[], min_tokens: number | null | undefined): boolean {
  if (!min_tokens) return true;
  let tokens = 0;
  for (const message of messages) if ("content" in message) tokens += count_text_tokens(message.content);
  return tokens >= min_tokens;
}

/** Text tokens of a message content (string, or the text of each part), counted as AG2 does (gpt-3.5-turbo-0613). */
export function count_text_tokens(content: unknown): number {
  if (typeof content === "string") return count_token(content);
  let tokens = 0;
  if (Array.isArray(content)) {
    for (const item of content) {
      if (typeof item === "string") tokens += count_token(item);
      else if (item !== null && typeof item === "object") tokens += count_text_tokens((item as { text?: unknown }).text ?? "");
    }
  }
  return tokens;
}

/** Content a transform can work on: a string or a list of parts. */
export function is_content_right_type(content: unknown): content is string | unknown[] {
  return typeof content === "string" || Array.isArray(content);
}

/** Whether `content` holds no text at all. */
export function is_content_text_empty(content: unknown): boolean {
  if (typeof content === "string") return content === "";
  if (Array.isArray(content)) {
    return !content.some((item) =>
      typeof item === "string" ? item !== "" : item !== null && typeof item === "object" ? Boolean((item as { text?: unknown }).text) : false,
    );
  }
  return true;
}

/**
 * Whether a transform applies to `message` under `filter_dict` (filter_config
 * criteria, 40 §4): every message without a filter; with one, the messages
 * that match it (`exclude` false) or those that do not (`exclude` true).
 */
export function should_transform_message(message: Message, filter_dict: Record<string, unknown> | null | undefined, exclude: boolean): boolean {
  if (!filter_dict || Object.keys(filter_dict).length === 0) return true;
  return filter_config([message] as never[], filter_dict as never, { exclude }).length > 0;
}

/** Leading tool responses whose tool call is no longer in the list: they would reach the API as orphans. */
export function dropLeadingToolResponses(messages: Message[], from = 0): Message[] {
  let end = from;
  while (end < messages.length && messages[end].role === "tool") end++;
  return end === from ? messages : [...messages.slice(0, from), ...messages.slice(end)];
}
