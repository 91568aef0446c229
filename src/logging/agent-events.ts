/**
 * The agent-side log points (called by ConversableAgent and the tool
 * registration): new agents, `received_message`, `reply_func_executed`,
 * function use.
 */
import type { Agent } from "../core/agent";
import type { Message, ReplyValue } from "../core/types";
import { log_event, log_function_use, log_new_agent, logging_enabled } from "./runtime";

/** `reply_func_module`: "ag2ts" for the library's reply functions (statics of the agent's classes), else null. */
function replyFuncModule(agent: Agent, fn: Function): string | null {
  for (let cls = agent.constructor; cls && cls !== Function.prototype; cls = Object.getPrototypeOf(cls)) {
    if (Object.values(cls).includes(fn)) return "ag2ts";
  }
  return null;
}

export function logNewAgent(agent: Agent, init_args: object): void {
  if (logging_enabled()) log_new_agent(agent, { ...init_args });
}

export function logReceivedMessage(agent: Agent, message: Message | string, sender: Agent, valid: boolean): void {
  if (logging_enabled()) log_event(agent, "received_message", { message, sender: sender.name, valid });
}

/** The `onExecuted` callback of the reply chain while logging is on; undefined otherwise. */
/** The part of a reply-chain entry the log reads. */
interface LoggedReplyEntry {
  reply_func: Function;
}

export function replyExecutedLogger(agent: Agent): ((entry: LoggedReplyEntry, final: boolean, reply: ReplyValue) => void) | undefined {
  if (!logging_enabled()) return undefined;
  return (entry, final, reply) =>
    log_event(agent, "reply_func_executed", {
      reply_func_module: replyFuncModule(agent, entry.reply_func),
      reply_func_name: entry.reply_func.name,
      final,
      reply,
    });
}

export function logFunctionUse(agent: Agent, func: Function, args: unknown, returns: unknown): void {
  if (logging_enabled()) log_function_use(agent, func, args, returns);
}
