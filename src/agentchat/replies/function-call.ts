import type { Agent } from "../agent";
import type { ConversableAgent } from "../conversable-agent";
import type { Message, ReplyValue } from "../types";

/** Runs a legacy `function_call` of the last message (spec 10 §8.2). */
export async function generate_function_call_reply(
  recipient: ConversableAgent,
  messages?: Message[] | null,
  sender?: Agent | null,
  _config?: unknown,
): Promise<[boolean, ReplyValue]> {
  const history = messages ?? (sender ? recipient.chat_messages_get(sender) : []);
  const message = history.at(-1);
  if (!message?.function_call) return [false, null];
  const [, result] = await recipient.execute_function(message.function_call);
  return [true, { ...result }];
}
