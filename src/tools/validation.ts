/**
 * Argument validation of tool calls against their JSON schema (spec 40 §2.2).
 * Schemas are recorded per agent and tool name by the registration module.
 */
import type { ConversableAgent } from "../agentchat/conversable-agent";

type Validator = (args: Record<string, unknown>) => string | null;

const validators = new WeakMap<ConversableAgent, Map<string, Validator>>();

/** Records the validator of `name` on `agent` (null removes it). */
export function setToolValidator(agent: ConversableAgent, name: string, validator: Validator | null): void {
  let map = validators.get(agent);
  if (!map) validators.set(agent, (map = new Map()));
  if (validator) map.set(name, validator);
  else map.delete(name);
}

/** A readable validation error, or null when the arguments are valid or no schema is known. */
export function validateToolArguments(agent: ConversableAgent, name: string, args: Record<string, unknown>): string | null {
  return validators.get(agent)?.get(name)?.(args) ?? null;
}
