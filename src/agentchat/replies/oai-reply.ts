/**
 * generate_oai_reply (spec 10 §8.5): asks the agent's model client for the
 * next message.
 */
import { OpenAIWrapper, type ChatCompletionResponse } from "../../oai/client";
import { isThenable } from "../../thenable";
import { warn } from "../../warnings";
import type { Agent } from "../../core/agent";
import type { ChatAgent } from "../agent/chat-agent";
import { deepCopy } from "../../core/messages";
import { lendMessageLog, pushUnrolled, returnMessageLog } from "../../core/message-log";
import { abortable, currentSignal } from "../../core/run-context";
import type { Awaitable, Message, ReplyValue, ToolCall } from "../../core/types";

/** Expands `tool_responses` into separate messages, as the model API expects. */
export function unrollToolResponses(messages: Message[]): Message[] {
  const out: Message[] = [];
  for (const message of messages) pushUnrolled(out, message);
  return out;
}

/** Replaces characters a model API rejects in function names. */
export function normalizeName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64);
}

function cleanExtracted(extracted: Message): Message {
  // A deep copy, then cleaned in place (it is ours).
  const out = deepCopy(extracted) as Message;
  for (const k in out) if (out[k] === null && k !== "content") delete out[k];
  if (out.function_call) out.function_call.name = normalizeName(out.function_call.name ?? "");
  if (Array.isArray(out.tool_calls)) {
    if (out.tool_calls.length === 0) delete out.tool_calls;
    else
      for (const call of out.tool_calls as Array<ToolCall & { [k: string]: unknown }>) {
        call.function ??= {} as ToolCall["function"];
        call.function.name = normalizeName(call.function.name ?? "");
        if (call.id == null) delete call.id;
        if (call.type == null) delete call.type;
      }
  }
  return out;
}

export function generate_oai_reply(
  recipient: ChatAgent,
  messages?: Message[] | null,
  sender?: Agent | null,
  config?: unknown,
): Awaitable<[boolean, ReplyValue]> {
  const client = config instanceof OpenAIWrapper ? config : recipient.client;
  // Synchronous for an agent without a model (as AG2's sync variant): the reply chain does not wait then.
  if (!client) return [false, null];
  return askModel(recipient, client, messages, sender);
}

/**
 * Asks the model. Synchronous when the wrapper's answer is (createNow: a
 * custom client that answers synchronously, as AG2's do): the reply chain
 * then goes on without a promise.
 */
function askModel(recipient: ChatAgent, client: OpenAIWrapper, messages?: Message[] | null, sender?: Agent | null): Awaitable<[boolean, ReplyValue]> {
  const history = messages ?? (sender ? recipient.chat_messages_get(sender) : []);
  // The history as it is now, with what is unchanged since the last call reused (message-log.ts).
  const all = lendMessageLog(recipient, recipient._oai_system_message, history);
  const context = history.at(-1)?.context ?? null;
  const signal = currentSignal();
  const request = { context, messages: all, cache: recipient.client_cache, agent: recipient, signal };
  let pending: ReturnType<OpenAIWrapper["createNow"]>;
  try {
    // The wrapper's own create (not an override) may answer synchronously.
    pending = client.create === OpenAIWrapper.prototype.create ? client.createNow(request) : client.create(request);
  } catch (err) {
    returnMessageLog(recipient, history, all);
    throw err;
  }
  if (!isThenable(pending)) {
    returnMessageLog(recipient, history, all);
    return replyFrom(client, pending);
  }
  return awaitAnswer(client, recipient, history, all, pending, signal);
}

async function awaitAnswer(
  client: OpenAIWrapper,
  recipient: ChatAgent,
  history: Message[],
  all: Message[],
  pending: Promise<ChatCompletionResponse>,
  signal: AbortSignal | undefined,
): Promise<[boolean, ReplyValue]> {
  let response: ChatCompletionResponse;
  try {
    // A custom model client may ignore the signal: the chat stops waiting anyway.
    response = await abortable(pending, signal);
  } finally {
    returnMessageLog(recipient, history, all);
  }
  return replyFrom(client, response);
}

function replyFrom(client: OpenAIWrapper, response: ChatCompletionResponse): [boolean, ReplyValue] {
  const extracted = client.extract_text_or_completion_object(response)[0];
  if (extracted === null || extracted === undefined) {
    warn(`Extracted_response from ${JSON.stringify(response)} is None.`);
    return [false, null];
  }
  return [true, typeof extracted === "string" ? extracted : cleanExtracted(extracted)];
}
