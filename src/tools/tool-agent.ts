/**
 * What the tool layer uses of an agent (ConversableAgent has all of it), and
 * the option types of tool registration. The tool modules import this shape
 * rather than the agent class, which imports them.
 */
import type { Agent } from "../core/agent";
import type { LLMConfig } from "../oai/config-keys";
import type { OpenAIWrapper } from "../oai/client";
import type { JSONSchema } from "./metadata";

export interface RegisterForLlmOptions {
  /** Tool name; default: the name from an earlier registration, else `func.name`. */
  name?: string | null;
  /** Tool description; required unless an earlier registration or a loaded schema file gave one. */
  description?: string | null;
  /** "tool" (default) adds to `llm_config.tools`, "function" to the legacy `llm_config.functions`. */
  api_style?: "tool" | "function";
  /** Do not warn when a tool of the same name is replaced. Default false. */
  silent_override?: boolean;
  /** JSON Schema (type "object") of the tool's one argument, or a zod v4 object schema. */
  parameters?: JSONSchema | object;
}

export interface RegisterForExecutionOptions {
  /** Name in the function map; default: the name from an earlier registration, else `func.name`. */
  name?: string | null;
  /** Do not warn when a function of the same name is replaced. Default false. */
  silent_override?: boolean;
}

/**
 * The second argument a tool function receives (ag2ts): the chat's abort
 * signal. Tools that start long work (requests, processes) should pass it on.
 */
export interface ToolCallContext {
  signal?: AbortSignal;
}

/** A function in an agent's function map: its one argument, then the call's context. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type MappedFunction = (args: any, context?: ToolCallContext) => unknown;

export interface ToolAgent extends Agent {
  llm_config: LLMConfig | false;
  client: OpenAIWrapper | null;
  _function_map: Record<string, MappedFunction>;
  register_for_llm(options?: RegisterForLlmOptions): <F extends Function>(func: F) => F;
  register_for_execution(options?: RegisterForExecutionOptions): <F extends Function>(func: F) => F;
  update_tool_signature(tool_sig: string | Record<string, unknown>, is_remove: boolean, options?: { silent_override?: boolean }): void;
  update_function_signature(func_sig: string | Record<string, unknown>, is_remove: boolean, options?: { silent_override?: boolean }): void;
}
