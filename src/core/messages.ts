/**
 * Message normalisation and storage (spec 10 §5): what a message becomes in
 * `chat_messages` when it is sent or received.
 */
import { ValueError } from "../errors";
import type { Content, ContentPart, Message } from "./types";

/** Deep copy of plain data; functions and class instances are kept by reference. */
export function deepCopy<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = deepCopy(value[i]);
    return out as T;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  // Own enumerable keys, in order (as Object.keys), without allocating the key list.
  for (const k in source) if (Object.prototype.hasOwnProperty.call(source, k)) out[k] = deepCopy(source[k]);
  return out as T;
}

/** A string becomes `{content}`; an object is returned as is. */
export function toMessage(message: Message | string): Message {
  return typeof message === "string" ? { content: message } : message;
}

/** Keys copied after `content`, in AG2's order. */
const OTHER_KEYS = ["function_call", "tool_calls", "tool_responses", "tool_call_id", "name", "context"] as const;

const present = (value: unknown): boolean => value !== undefined && value !== null;

/**
 * Builds the stored form of `message` (spec 10 §5.1), or null when the
 * message is invalid (no content, no function or tool call). Key order:
 * content, the other copied keys in AG2's order, a defaulted name, role.
 */
export function normalizeMessage(
  input: Message | string,
  role: "assistant" | "user",
  defaultName: string,
): Message | null {
  if (typeof input === "string") return { content: input, name: defaultName, role };
  const source = input;
  const toolCalls = source.tool_calls;
  const keepToolCalls = present(toolCalls) && !(Array.isArray(toolCalls) && toolCalls.length === 0);
  const functionCall = present(source.function_call) ? deepCopy(source.function_call) : undefined;
  const copiedToolCalls = keepToolCalls ? deepCopy(toolCalls) : undefined;
  const isCall = Boolean(functionCall) || Boolean(copiedToolCalls);
  const hasContent = present(source.content);
  if (!hasContent && !isCall) return null;

  const out: Message = { content: hasContent ? deepCopy(source.content) : null };
  // An indexed loop: every stored message passes here, often before the JIT has optimized it.
  for (let k = 0; k < OTHER_KEYS.length; k++) {
    const key = OTHER_KEYS[k];
    if (key === "function_call") {
      if (functionCall !== undefined) out.function_call = functionCall;
    } else if (key === "tool_calls") {
      if (copiedToolCalls !== undefined) out.tool_calls = copiedToolCalls;
    } else {
      const value = source[key];
      if (present(value)) (out as Record<string, unknown>)[key] = deepCopy(value);
    }
  }
  let storedRole: string = role;
  if (source.role === "function" || source.role === "tool") storedRole = source.role;
  else if (typeof source.override_role === "string") storedRole = source.override_role;
  if (isCall) storedRole = "assistant";
  else if (out.name === undefined) out.name = defaultName;
  out.role = storedRole;
  return out;
}

/**
 * Flattens content to text (AG2 `content_str`, spec 50 §1.4): null as "",
 * strings as is, parts joined with "\n" (`text`/`input_text` as their text,
 * media as `<image>`, `<audio>`, `<video>`, calls as `<function: NAME>`).
 */
export function content_str(content: Content | undefined): string {
  if (content === null || content === undefined) return "";
  if (typeof content === "string") return content;
  if (typeof content === "function") {
    throw new TypeError("content_str() cannot flatten a template function; resolve it with its context first.");
  }
  if (!Array.isArray(content)) {
    throw new TypeError(`content must be None, str, or list, but got ${typeof content}`);
  }
  const parts: string[] = [];
  for (const part of content as ContentPart[]) {
    if (part === null || typeof part !== "object" || Array.isArray(part)) {
      throw new TypeError("Wrong content format: every element of the content list should be an object with a 'type' key.");
    }
    if (!("type" in part)) throw new ValueError("Wrong content format: missing 'type' key in a content element.");
    const type = part.type;
    if (type === "text" || type === "input_text") parts.push(String((part as { text: unknown }).text));
    else if (type === "image_url" || type === "input_image") parts.push("<image>");
    else if (type === "audio_url" || type === "input_audio") parts.push("<audio>");
    else if (type === "video_url" || type === "input_video") parts.push("<video>");
    else if (type === "function" || type === "tool_call" || type === "tool_calls") {
      const name = (part as { name?: unknown }).name;
      parts.push(typeof name === "string" && name ? `<function: ${name}>` : "<function>");
    } else throw new ValueError(`Wrong content format: unknown type ${type} within the content`);
  }
  return parts.join("\n");
}
