import type { Agent } from "../../core/agent";
import type { ChatAgent } from "../agent/chat-agent";
import type { Awaitable, Message, ReplyValue } from "../../core/types";
import { isThenable } from "../../thenable";
import { executeOf } from "./execute-of";

/** Runs a legacy `function_call` of the last message (spec 10 §8.2). */
export function generate_function_call_reply(
  recipient: ChatAgent,
  messages?: Message[] | null,
  sender?: Agent | null,
  _config?: unknown,
): Awaitable<[boolean, ReplyValue]> {
  const history = messages ?? (sender ? recipient.chat_messages_get(sender) : []);
  const message = history.at(-1);
  // Synchronous when there is nothing to run (as AG2's sync variant): the reply chain does not wait then.
  if (!message?.function_call) return [false, null];
  const done = executeOf(recipient, message.function_call);
  return isThenable(done) ? done.then(([, result]): [boolean, ReplyValue] => [true, { ...result }]) : [true, { ...done[1] }];
}
