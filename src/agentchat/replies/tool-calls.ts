import type { Agent } from "../../core/agent";
import type { ChatAgent } from "../agent/chat-agent";
import type { Awaitable, Message, ReplyValue, ToolCall, ToolResponse } from "../../core/types";
import { runWithOrderedEvents } from "../../io/events";
import { isThenable } from "../../thenable";
import { executeOf } from "./execute-of";

/**
 * Runs every tool call of the last message and answers with one
 * `role: "tool"` message holding all responses (spec 10 §8.3). The calls run
 * concurrently (AG2's async variant); responses and printed output are in
 * call order whatever order the calls finish in.
 */
export function generate_tool_calls_reply(
  recipient: ChatAgent,
  messages?: Message[] | null,
  sender?: Agent | null,
  _config?: unknown,
): Awaitable<[boolean, ReplyValue]> {
  const history = messages ?? (sender ? recipient.chat_messages_get(sender) : []);
  const calls = history.at(-1)?.tool_calls;
  // Synchronous when there is nothing to run (as AG2's sync variant): the reply chain does not wait then.
  if (!calls || calls.length === 0) return [false, null];
  // One call needs no event ordering, and no promise when the tool answers synchronously.
  if (calls.length === 1) {
    const call = calls[0];
    const done = executeOf(recipient, call.function ?? ({} as never), { call_id: call.id ?? null });
    return isThenable(done) ? done.then(([, result]) => toolReply([responseOf(call, result)])) : toolReply([responseOf(call, done[1])]);
  }
  // Several run concurrently with their events in call order.
  return runWithOrderedEvents(calls.map((call) => () => runToolCall(recipient, call))).then(toolReply);
}

function responseOf(call: ToolCall, result: { content?: unknown }): ToolResponse {
  const content = result.content ?? "";
  // tool_call_id is omitted when the call had none (Mistral compatibility).
  return (call.id != null ? { tool_call_id: call.id, role: "tool", content } : { role: "tool", content }) as ToolResponse;
}

async function runToolCall(recipient: ChatAgent, call: ToolCall): Promise<ToolResponse> {
  return responseOf(call, (await executeOf(recipient, call.function ?? ({} as never), { call_id: call.id ?? null }))[1]);
}

function toolReply(responses: ToolResponse[]): [boolean, ReplyValue] {
  const content = responses.length === 1 ? String(responses[0].content ?? "") : responses.map((r) => String(r.content ?? "")).join("\n\n");
  return [true, { role: "tool", tool_responses: responses, content }];
}
