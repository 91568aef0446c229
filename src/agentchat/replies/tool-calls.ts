import type { Agent } from "../agent";
import type { ConversableAgent } from "../conversable-agent";
import type { Awaitable, Message, ReplyValue, ToolCall, ToolResponse } from "../types";
import { runWithOrderedEvents } from "../../io/events";

/**
 * Runs every tool call of the last message and answers with one
 * `role: "tool"` message holding all responses (spec 10 §8.3). The calls run
 * concurrently (AG2's async variant); responses and printed output are in
 * call order whatever order the calls finish in.
 */
export function generate_tool_calls_reply(
  recipient: ConversableAgent,
  messages?: Message[] | null,
  sender?: Agent | null,
  _config?: unknown,
): Awaitable<[boolean, ReplyValue]> {
  const history = messages ?? (sender ? recipient.chat_messages_get(sender) : []);
  const calls = history.at(-1)?.tool_calls ?? [];
  // Synchronous when there is nothing to run (as AG2's sync variant): the reply chain does not wait then.
  if (calls.length === 0) return [false, null];
  return runToolCalls(recipient, calls);
}

async function runToolCall(recipient: ConversableAgent, call: ToolCall): Promise<ToolResponse> {
  const result = (await recipient.execute_function(call.function ?? ({} as never), { call_id: call.id ?? null }))[1];
  const content = result.content ?? "";
  // tool_call_id is omitted when the call had none (Mistral compatibility).
  return (call.id != null ? { tool_call_id: call.id, role: "tool", content } : { role: "tool", content }) as ToolResponse;
}

async function runToolCalls(recipient: ConversableAgent, calls: ToolCall[]): Promise<[boolean, ReplyValue]> {
  // One call needs no event ordering; several run concurrently with their events in call order.
  const responses =
    calls.length === 1 ? [await runToolCall(recipient, calls[0])] : await runWithOrderedEvents(calls.map((call) => () => runToolCall(recipient, call)));
  return [
    true,
    { role: "tool", tool_responses: responses, content: responses.map((r) => String(r.content ?? "")).join("\n\n") },
  ];
}
