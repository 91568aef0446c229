/**
 * Code-execution replies (spec 50 §2-3). Issue #5 completes this module.
 */
import { NotImplementedError } from "../../errors";
import type { Agent } from "../agent";
import type { CodeExecutionConfig } from "../agent-options";
import type { ConversableAgent } from "../conversable-agent";
import type { ReplyFunction } from "../reply-chain";
import type { Message, ReplyValue } from "../types";

/** Validates the config at construction and returns the reply function to register. */
export function initCodeExecution(_agent: ConversableAgent, _config: CodeExecutionConfig): ReplyFunction {
  return generate_code_execution_reply;
}

export async function generate_code_execution_reply(
  _recipient: ConversableAgent,
  _messages?: Message[] | null,
  _sender?: Agent | null,
  _config?: unknown,
): Promise<[boolean, ReplyValue]> {
  throw new NotImplementedError("Code execution is not implemented yet (issue #5).");
}

export async function _generate_code_execution_reply_using_executor(
  _recipient: ConversableAgent,
  _messages?: Message[] | null,
  _sender?: Agent | null,
  _config?: unknown,
): Promise<[boolean, ReplyValue]> {
  throw new NotImplementedError("Code execution is not implemented yet (issue #5).");
}

export async function runCode(_agent: ConversableAgent, _code: string, _options: Record<string, unknown>): Promise<[number, string, unknown]> {
  throw new NotImplementedError("run_code is not implemented yet (issue #5).");
}

export async function executeCodeBlocks(_agent: ConversableAgent, _blocks: Array<[string, string]>): Promise<[number, string, unknown]> {
  throw new NotImplementedError("execute_code_blocks is not implemented yet (issue #5).");
}
