/**
 * Translation between OpenAI chat format and the Anthropic Messages API
 * (spec 40 §6.3, §6.4). Pure functions, no SDK import.
 */
import type { ContentPart, Message, ToolCall } from "../../core/types";
import type { ModelClientResponse } from "../model-client";

export type AnthropicBlock = Record<string, unknown> & { type: string };
export interface AnthropicMessage {
  role: "user" | "assistant";
  content: string | AnthropicBlock[];
}

export const FILLER = "Please continue.";

function textOf(content: Message["content"]): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return (content as ContentPart[])
      .filter((p) => p.type === "text")
      .map((p) => String((p as { text?: unknown }).text ?? ""))
      .join(" ");
  }
  return content == null ? "" : String(content);
}

function imageBlock(url: string): AnthropicBlock | null {
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (data) return { type: "image", source: { type: "base64", media_type: data[1], data: data[2] } };
  if (/^https?:\/\//.test(url)) return { type: "image", source: { type: "url", url } };
  return null;
}

/** Text parts kept, images converted, other parts dropped. */
function convertContent(content: Message["content"]): string | AnthropicBlock[] {
  if (!Array.isArray(content)) return typeof content === "string" ? content : textOf(content);
  const blocks: AnthropicBlock[] = [];
  for (const part of content as ContentPart[]) {
    if (part.type === "text") blocks.push({ type: "text", text: String((part as { text?: unknown }).text ?? "") });
    else if (part.type === "image_url") {
      const url = (part as { image_url?: { url?: string } }).image_url?.url;
      const block = typeof url === "string" ? imageBlock(url) : null;
      if (block) blocks.push(block);
    }
  }
  return blocks;
}

function parseArguments(args: string | undefined): unknown {
  if (!args) return {};
  try {
    return JSON.parse(args);
  } catch {
    return { arguments: args };
  }
}

/** OpenAI history -> Anthropic `system` + alternating `messages`. */
export function oai_messages_to_anthropic_messages(
  messages: Message[],
  has_tools: boolean,
): { system: string | undefined; messages: AnthropicMessage[] } {
  const system: string[] = [];
  const out: AnthropicMessage[] = [];
  const expected = (): "user" | "assistant" => (out.length % 2 === 0 ? "user" : "assistant");
  const fill = (role: "user" | "assistant") => out.push({ role, content: FILLER });
  let toolUse = 0;
  let toolResult = 0;
  let lastToolUse = -1;
  let lastToolResult = -1;
  for (const message of messages) {
    const role = message.role ?? "user";
    if (role === "system") {
      system.push(textOf(message.content));
      continue;
    }
    const calls = message.tool_calls as ToolCall[] | undefined;
    if (Array.isArray(calls) && calls.length > 0) {
      if (expected() === "user") fill("user");
      if (has_tools) {
        const blocks = calls.map((call) => ({
          type: "tool_use",
          id: call.id,
          name: call.function?.name,
          input: parseArguments(call.function?.arguments),
        }));
        out.push({ role: "assistant", content: blocks });
        toolUse += 1;
        lastToolUse = out.length - 1;
      } else {
        const names = calls.map((c) => c.function?.name ?? "").join(", ");
        out.push({ role: "assistant", content: `Functions that could be used: [${names}]` });
      }
      continue;
    }
    if (typeof message.tool_call_id === "string") {
      const result = textOf(message.content);
      if (has_tools) {
        const block: AnthropicBlock = { type: "tool_result", tool_use_id: message.tool_call_id, content: result };
        if (lastToolResult >= 0 && lastToolResult === out.length - 1) {
          (out[lastToolResult].content as AnthropicBlock[]).push(block);
        } else {
          if (expected() === "assistant") fill("assistant");
          out.push({ role: "user", content: [block] });
          toolResult += 1;
          lastToolResult = out.length - 1;
        }
      } else {
        if (expected() === "assistant") fill("assistant");
        out.push({ role: "user", content: `The function returned: ${result}` });
      }
      continue;
    }
    if (message.content === "" || message.content === null || message.content === undefined) continue;
    const target: "user" | "assistant" = role === "assistant" ? "assistant" : "user";
    if (target !== expected()) fill(expected());
    out.push({ role: target, content: convertContent(message.content) });
  }
  if (has_tools && toolUse !== toolResult && lastToolUse >= 0) {
    out[lastToolUse] = { role: "assistant", content: FILLER };
  }
  if (out.length === 0 || out[out.length - 1].role !== "user") fill("user");
  return { system: system.length > 0 ? system.join("\n") : undefined, messages: out };
}

/** OpenAI `tools`/`functions` -> Anthropic tools (`$defs` refs made property-local). */
export function openai_tools_to_anthropic(params: Record<string, unknown>): AnthropicBlock[] | undefined {
  const fns: Array<Record<string, unknown>> = [];
  for (const tool of (params.tools as Array<{ function?: Record<string, unknown> }> | undefined) ?? []) {
    if (tool.function) fns.push(tool.function);
  }
  for (const fn of (params.functions as Array<Record<string, unknown>> | undefined) ?? []) fns.push(fn);
  if (fns.length === 0) return undefined;
  return fns.map((fn) => ({
    name: fn.name,
    description: fn.description ?? "",
    input_schema: localiseRefs((fn.parameters as Record<string, unknown>) ?? { type: "object", properties: {} }),
  })) as unknown as AnthropicBlock[];
}

function rewriteRefs(value: unknown, prefix: string): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, prefix));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === "$ref" && typeof v === "string" && v.startsWith("#/$defs/") ? `${prefix}${v.slice(1)}` : rewriteRefs(v, prefix);
  }
  return out;
}

function localiseRefs(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = schema.properties as Record<string, unknown> | undefined;
  if (!properties) return schema;
  const rewritten: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(properties)) {
    const local = prop && typeof prop === "object" && "$defs" in (prop as object);
    rewritten[name] = local ? rewriteRefs(prop, `#/properties/${name}`) : prop;
  }
  return { ...schema, properties: rewritten };
}

export interface AnthropicResponseLike {
  id?: string;
  content: AnthropicBlock[];
  stop_reason?: string | null;
  usage?: { input_tokens?: number; output_tokens?: number };
}

/** Anthropic message -> OpenAI ChatCompletion (spec 40 §6.4). */
export function anthropic_response_to_oai(response: AnthropicResponseLike, model: string): ModelClientResponse {
  const texts: string[] = [];
  const thoughts: string[] = [];
  const tool_calls: ToolCall[] = [];
  for (const block of response.content) {
    if (block.type === "text") texts.push(String(block.text ?? ""));
    else if (block.type === "thinking") thoughts.push(String(block.thinking ?? ""));
    else if (block.type === "tool_use") {
      tool_calls.push({
        id: String(block.id),
        type: "function",
        function: { name: String(block.name), arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  const text = texts.join("\n\n");
  const thinking = thoughts.join("\n\n");
  const content = thinking ? (text ? `[Thinking]\n${thinking}\n\n${text}` : `[Thinking]\n${thinking}`) : text;
  const prompt_tokens = response.usage?.input_tokens ?? 0;
  const completion_tokens = response.usage?.output_tokens ?? 0;
  return {
    id: response.id ?? "",
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        finish_reason: response.stop_reason === "tool_use" ? "tool_calls" : "stop",
        message: { role: "assistant", content, ...(tool_calls.length > 0 ? { tool_calls } : {}) },
      },
    ],
    usage: { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens },
  };
}
