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

/**
 * A deep copy of one stored message, as `deepCopy` makes it, but its own
 * keys cloned at once (V8 copies the object's layout: for the usual message
 * of strings ~2x faster than adding the keys one by one), then the values
 * that are objects deep-copied in place. Own symbol-keyed values are kept by
 * reference (`deepCopy` leaves them out).
 */
export function copyMessage(message: Message): Message {
  if (message === null || typeof message !== "object" || Array.isArray(message) || Object.getPrototypeOf(message) !== Object.prototype) return deepCopy(message);
  const out: Message = { ...message };
  for (const k in out) {
    if (!Object.prototype.hasOwnProperty.call(out, k)) continue;
    const v = out[k];
    if (v !== null && typeof v === "object") out[k] = deepCopy(v);
  }
  return out;
}

/** `copyMessage` of every message: a snapshot of a history. */
export function copyMessages(messages: readonly Message[]): Message[] {
  const out = new Array<Message>(messages.length);
  for (let i = 0; i < messages.length; i++) out[i] = copyMessage(messages[i]);
  return out;
}

/** A string becomes `{content}`; an object is returned as is. */
export function toMessage(message: Message | string): Message {
  return typeof message === "string" ? { content: message } : message;
}

/** A copy of a stored field: plain data deep-copied, anything else (strings, numbers) as is. */
function copyField<T>(value: T): T {
  return value !== null && typeof value === "object" ? deepCopy(value) : value;
}

/**
 * Builds the stored form of `message` (spec 10 §5.1), or null when the
 * message is invalid (no content, no function or tool call). Key order:
 * content, then function_call, tool_calls, tool_responses, tool_call_id,
 * name and context (AG2's order) when present, a defaulted name, role.
 */
export function normalizeMessage(
  input: Message | string,
  role: "assistant" | "user",
  defaultName: string,
): Message | null {
  if (typeof input === "string") return { content: input, name: defaultName, role };
  const source = input;
  // Every stored message passes here (twice per send, sixteen times per group message), often
  // before the JIT has optimized it: the keys are read one by one, with no helper per key.
  const toolCalls = source.tool_calls;
  const keepToolCalls = toolCalls !== undefined && toolCalls !== null && !(Array.isArray(toolCalls) && toolCalls.length === 0);
  const functionCall = source.function_call;
  const isCall = Boolean(functionCall) || (keepToolCalls && Boolean(toolCalls));
  const content = source.content;
  const hasContent = content !== undefined && content !== null;
  if (!hasContent && !isCall) return null;

  // Content and name are mostly strings: copied without a call.
  const out: Message = { content: hasContent ? (typeof content === "object" ? deepCopy(content) : content) : null };
  if (functionCall !== undefined && functionCall !== null) out.function_call = copyField(functionCall);
  if (keepToolCalls) out.tool_calls = copyField(toolCalls);
  const toolResponses = source.tool_responses;
  if (toolResponses !== undefined && toolResponses !== null) out.tool_responses = copyField(toolResponses);
  const toolCallId = source.tool_call_id;
  if (toolCallId !== undefined && toolCallId !== null) out.tool_call_id = copyField(toolCallId);
  const name = source.name;
  if (name !== undefined && name !== null) out.name = typeof name === "object" ? deepCopy(name) : name;
  const context = source.context;
  if (context !== undefined && context !== null) out.context = copyField(context);
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
