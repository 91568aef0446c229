import type { Agent } from "../agent";
import type { ConversableAgent } from "../conversable-agent";
import type { Message, ReplyValue, ToolResponse } from "../types";

/**
 * Runs every tool call of the last message, in order, and answers with one
 * `role: "tool"` message holding all responses (spec 10 §8.3).
 */
export async function generate_tool_calls_reply(
  recipient: ConversableAgent,
  messages?: Message[] | null,
  sender?: Agent | null,
  _config?: unknown,
): Promise<[boolean, ReplyValue]> {
  const history = messages ?? (sender ? recipient.chat_messages_get(sender) : []);
  const message = history.at(-1);
  const calls = message?.tool_calls ?? [];
  if (calls.length === 0) return [false, null];
  const responses: ToolResponse[] = [];
  for (const call of calls) {
    const [, result] = await recipient.execute_function(call.function ?? ({} as never), { call_id: call.id ?? null });
    const response: ToolResponse = { role: "tool", content: result.content ?? "" };
    if (call.id != null) (response as { tool_call_id?: string }).tool_call_id = call.id;
    responses.push(response);
  }
  return [
    true,
    { role: "tool", tool_responses: responses, content: responses.map((r) => String(r.content ?? "")).join("\n\n") },
  ];
}
