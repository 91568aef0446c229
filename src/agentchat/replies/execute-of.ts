import { executeFunctionNow, type FunctionResult } from "../../tools/execute";
import type { ChatAgent } from "../agent/chat-agent";
import { isBuiltinMethod } from "../agent/messaging";
import type { Awaitable } from "../../core/types";

/** `agent.execute_function(...)`, without a promise for a synchronous tool when it is the built-in one. */
export function executeOf(
  agent: ChatAgent,
  func_call: { name?: string; arguments?: string },
  options: { verbose?: boolean; call_id?: string | null } = {},
): Awaitable<[boolean, FunctionResult]> {
  return isBuiltinMethod(agent.execute_function) ? executeFunctionNow(agent, func_call, options) : agent.execute_function(func_call, options);
}
