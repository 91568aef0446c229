/**
 * Message normalisation and storage (spec 10 §5): what a message becomes in
 * `chat_messages` when it is sent or received.
 */
import { ValueError } from "../errors";
import type { Content, ContentPart, Message } from "./types";

const COPIED_KEYS = ["content", "function_call", "tool_calls", "tool_responses", "tool_call_id", "name", "context"] as const;

/** Deep copy of plain data; functions and class instances are kept by reference. */
export function deepCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => deepCopy(v)) as T;
  if (value !== null && typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = deepCopy(v);
    return out as T;
  }
  return value;
}

/** A string becomes `{content}`; an object is returned as is. */
export function toMessage(message: Message | string): Message {
  return typeof message === "string" ? { content: message } : message;
}

/**
 * Builds the stored form of `message` (spec 10 §5.1), or null when the
 * message is invalid (no content, no function or tool call).
 */
export function normalizeMessage(
  input: Message | string,
  role: "assistant" | "user",
  defaultName: string,
): Message | null {
  const source = toMessage(input);
  const out: Message = {};
  for (const key of COPIED_KEYS) {
    const value = source[key];
    if (value !== undefined && value !== null) (out as Record<string, unknown>)[key] = deepCopy(value);
  }
  if (Array.isArray(out.tool_calls) && out.tool_calls.length === 0) delete out.tool_calls;
  if (!("content" in out)) {
    if (out.function_call || out.tool_calls) out.content = null;
    else return null;
  }
  let storedRole: string = role;
  if (source.role === "function" || source.role === "tool") storedRole = source.role;
  else if (typeof source.override_role === "string") storedRole = source.override_role;

  if (out.function_call || out.tool_calls) {
    storedRole = "assistant";
  } else if (out.name === undefined) {
    out.name = defaultName;
  }
  // Keep AG2's key order: content first, then the rest, then role.
  const ordered: Message = { content: out.content };
  for (const [k, v] of Object.entries(out)) if (k !== "content") ordered[k] = v;
  ordered.role = storedRole;
  return ordered;
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
