/**
 * ConversableAgent constructor options: their types, checks and defaults
 * (spec 10 §3).
 */
import { ValueError } from "../../errors";
import { is, validateOptions, type Check } from "../../options";
import type { LLMConfig } from "../../oai/config-keys";
import { warn } from "../../warnings";
import { Agent } from "../../core/agent";
import { deepCopy } from "../../core/messages";
import type { Awaitable, ContentPart, HumanInputMode, Message } from "../../core/types";

export interface CodeExecutionConfig {
  work_dir?: string | null;
  use_docker?: boolean | string | string[] | null;
  timeout?: number;
  last_n_messages?: number | "auto";
  executor?: unknown;
  [key: string]: unknown;
}

export interface ConversableAgentOptions {
  name?: string;
  /** Default "You are a helpful AI assistant." */
  system_message?: string | ContentPart[] | null;
  /** Default: content is exactly "TERMINATE". */
  is_termination_msg?: ((message: Message) => Awaitable<boolean>) | null;
  /** Default 100 (`ConversableAgent.MAX_CONSECUTIVE_AUTO_REPLY`). */
  max_consecutive_auto_reply?: number | null;
  /** Default "TERMINATE". */
  human_input_mode?: HumanInputMode;
  /** Functions the agent can execute, by name. Default {}. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  function_map?: Record<string, (args: any) => unknown> | null;
  /** Default false (no code execution). */
  code_execution_config?: CodeExecutionConfig | false | null;
  /** Default false (no model). */
  llm_config?: LLMConfig | false | null;
  /** Default "". */
  default_auto_reply?: string | Message;
  /** Default: the system message. */
  description?: string | null;
  /** Preloaded history, used by reference. Default a new Map. */
  chat_messages?: Map<Agent, Message[]> | null;
  /** Overrides every `silent` argument when not null. Default null. */
  silent?: boolean | null;
  /** Functions to register for the LLM (each needs a description and schema). */
  functions?: Function | Function[] | null;
  /** Hooks run before each reply (`update_agent_state`). */
  update_agent_state_before_reply?: Function | Function[] | null;
  context_variables?: unknown;
  handoffs?: unknown;
}

export const CONVERSABLE_AGENT_OPTION_CHECKS: Record<string, Check> = {
  name: is.string,
  system_message: is.nullable(is.union(is.string, is.array)),
  is_termination_msg: is.nullable(is.function),
  max_consecutive_auto_reply: is.nullable(is.integer),
  human_input_mode: is.oneOf("ALWAYS", "TERMINATE", "NEVER"),
  function_map: is.nullable(is.object),
  code_execution_config: is.any,
  llm_config: is.any,
  default_auto_reply: is.union(is.string, is.object),
  description: is.nullable(is.string),
  chat_messages: is.nullable((v) => (v instanceof Map ? null : "a Map")),
  silent: is.nullable(is.boolean),
  functions: is.nullable(is.union(is.function, is.array)),
  update_agent_state_before_reply: is.nullable(is.union(is.function, is.array)),
  context_variables: is.any,
  handoffs: is.any,
};

/** Accepts `(name, options)` or `(options)` and returns the options with `name`. */
export function resolveConstructorArgs<T extends { name?: string }>(
  className: string,
  nameOrOptions: string | (T & { name: string }),
  options: T | undefined,
): T & { name: string } {
  if (typeof nameOrOptions === "string") {
    if (options !== undefined && (options === null || typeof options !== "object")) {
      throw new ValueError(`${className}: the second argument must be an options object.`);
    }
    if (options && "name" in options && options.name !== undefined && options.name !== nameOrOptions) {
      throw new ValueError(`${className}: name given twice ('${nameOrOptions}' and '${options.name}').`);
    }
    // Object.assign then set: same result as `{ ...options, name }`, which V8 runs much slower.
    const resolved = Object.assign({}, options) as T & { name: string };
    resolved.name = nameOrOptions;
    return resolved;
  }
  if (nameOrOptions === null || typeof nameOrOptions !== "object" || typeof nameOrOptions.name !== "string") {
    throw new ValueError(`${className} needs a name: new ${className}("name", {...}) or new ${className}({ name: "name", ... }).`);
  }
  return { ...nameOrOptions };
}

export function checkAgentOptions(className: string, options: object, extra: Record<string, Check> = {}): void {
  const spec = Object.keys(extra).length === 0 ? CONVERSABLE_AGENT_OPTION_CHECKS : Object.assign({}, CONVERSABLE_AGENT_OPTION_CHECKS, extra);
  validateOptions(className, options, spec);
  const o = options as ConversableAgentOptions;
  if (o.context_variables !== undefined || o.handoffs !== undefined) {
    throw new ValueError(`${className}: 'context_variables' and 'handoffs' (swarm features) are not supported by ag2ts.`);
  }
}

const MODEL_REQUIRED =
  "Please either set llm_config to False, or specify a non-empty 'model' either in 'llm_config' or in each config of 'config_list'.";

/** Validates and copies an llm_config (spec 10 §3, 40 §3). */
export function validateLlmConfig(llm_config: unknown, name: string): LLMConfig | false {
  if (llm_config === null || llm_config === undefined || llm_config === false) return false;
  if (typeof llm_config !== "object" || Array.isArray(llm_config)) {
    throw new ValueError(`llm_config must be an object or false, got ${Array.isArray(llm_config) ? "an array" : typeof llm_config}.`);
  }
  const config = deepCopy(llm_config as LLMConfig);
  const list = config.config_list;
  if (list !== undefined && list !== null && !Array.isArray(list)) {
    throw new ValueError("llm_config.config_list must be an array of config entries.");
  }
  const topModel = typeof config.model === "string" && config.model !== "";
  const entries = (list ?? []) as Array<Record<string, unknown>>;
  const everyEntryHasModel = entries.length > 0 && entries.every((e) => typeof e?.model === "string" && e.model !== "");
  if (!topModel && !everyEntryHasModel) throw new ValueError(MODEL_REQUIRED);
  const apiTypes = entries.length > 0 ? entries.map((e) => e.api_type ?? config.api_type) : [config.api_type];
  if (apiTypes.some((t) => t === undefined || t === "openai") && /\s/.test(name)) {
    throw new ValueError(`The name of the agent cannot contain any whitespace. The name provided is: '${name}'`);
  }
  return config;
}

/** Normalises `code_execution_config` (spec 10 §3). */
export function validateCodeExecutionConfig(value: unknown): CodeExecutionConfig | false {
  if (value === undefined || value === false) return false;
  if (value === null) {
    warn("Using None to signal a default code_execution_config is deprecated. Use {} to use default or False to disable code execution.");
    return {};
  }
  if (typeof value !== "object" || Array.isArray(value)) throw new ValueError("code_execution_config must be a dict or False.");
  return value as CodeExecutionConfig;
}

/** `fn(agent)` and `fn({ key: agent })` are the same call (spec 10 §13a). */
export function agentArg(value: unknown, key: string): Agent | null {
  if (value === null || value === undefined) return null;
  // The options form ({agent}) is a plain object without send: neither an Agent nor a structural one.
  const options = value as Record<string, unknown>;
  if (typeof options.send !== "function" && Object.getPrototypeOf(options) === Object.prototype) return (options[key] as Agent | null | undefined) ?? null;
  if (value instanceof Agent) return value;
  return (value as Record<string, Agent | null | undefined>)[key] ?? null;
}
