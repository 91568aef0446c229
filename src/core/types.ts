/**
 * Core message and callable types (spec 10 §1, conventions §4-5).
 */
import type { Agent } from "./agent";

/** A value, or a promise of it: what a function that may or may not wait returns. */
export type Awaitable<T> = T | Promise<T>;

export type Role = "system" | "user" | "assistant" | "function" | "tool";

export type ContentPart =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string; detail?: string } }
  | { type: string; [k: string]: unknown };

/** Message content; a function is a template resolved with the message `context`. */
export type Content = string | ContentPart[] | null | ((context: Record<string, unknown>) => string);

export interface FunctionCall {
  name: string;
  arguments: string;
}

export interface ToolCall {
  id?: string;
  type?: "function";
  function: FunctionCall;
}

export type ToolResponse =
  | { tool_call_id?: string; role: "tool"; content: string }
  | { role: "function"; name: string; content: string };

export interface Message {
  content?: Content;
  role?: Role | string;
  name?: string;
  function_call?: FunctionCall | null;
  tool_calls?: ToolCall[] | null;
  tool_responses?: ToolResponse[];
  tool_call_id?: string;
  context?: Record<string, unknown>;
  /** Input only: forces the stored role. */
  override_role?: string;
  [key: string]: unknown;
}

export type ReplyValue = string | Message | null;

export type HumanInputMode = "ALWAYS" | "TERMINATE" | "NEVER";
