/**
 * Tool and function registration (spec 40 §1). Issue #4 completes this
 * module (register_for_llm, register_for_execution, signature updates).
 */
import type { ConversableAgent } from "../agentchat/conversable-agent";
import { NotImplementedError } from "../errors";
import { warn } from "../warnings";

export interface RegisterForLlmOptions {
  name?: string | null;
  description?: string | null;
  api_style?: "tool" | "function";
  silent_override?: boolean;
  parameters?: Record<string, unknown>;
}

export interface RegisterForExecutionOptions {
  name?: string | null;
  silent_override?: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunction = (...args: any[]) => any;

/** `register_function(function_map)`: merges functions by name; null removes. */
export function registerFunctionMap(
  agent: ConversableAgent,
  function_map: Record<string, AnyFunction | null>,
  options: { silent_override?: boolean } = {},
): void {
  const ctor = agent.constructor as typeof ConversableAgent;
  for (const [name, fn] of Object.entries(function_map)) {
    ctor._assert_valid_name(name);
    if (fn === null && !(name in agent._function_map)) warn(`The function ${name} to remove doesn't exist`);
    else if (fn !== null && name in agent._function_map && !options.silent_override) warn(`Function '${name}' is being overridden.`);
  }
  for (const [name, fn] of Object.entries(function_map)) {
    if (fn === null) delete agent._function_map[name];
    else agent._function_map[name] = fn;
  }
}

export function registerForLlm(_agent: ConversableAgent, _options: RegisterForLlmOptions): <F extends Function>(func: F) => F {
  throw new NotImplementedError("register_for_llm is not implemented yet (issue #4).");
}

export function registerForExecution(_agent: ConversableAgent, _options: RegisterForExecutionOptions): <F extends Function>(func: F) => F {
  throw new NotImplementedError("register_for_execution is not implemented yet (issue #4).");
}

export function updateToolSignature(_agent: ConversableAgent, _sig: string | Record<string, unknown>, _is_remove: boolean, _options: { silent_override?: boolean }): void {
  throw new NotImplementedError("update_tool_signature is not implemented yet (issue #4).");
}

export function updateFunctionSignature(_agent: ConversableAgent, _sig: string | Record<string, unknown>, _is_remove: boolean, _options: { silent_override?: boolean }): void {
  throw new NotImplementedError("update_function_signature is not implemented yet (issue #4).");
}
