/**
 * `carryover_config` of a nested-chat queue (spec 20 §8.1): the parent
 * conversation, minus its last messages, is summarised into the first nested
 * chat's message. Works on copies; the caller's queue is never changed.
 */
import { ValueError } from "../../errors";
import type { Agent } from "../../core/agent";
import type { ChatAgent } from "../agent/chat-agent";
import { content_str, deepCopy } from "../../core/messages";
import type { NestedChatMessageFunctionOf, NestedChatQueueEntryOf } from "./nested-chats";
import { reflectionSummary } from "./summary";
import type { Awaitable, Message } from "../../core/types";

export interface CarryoverConfigOf<A> {
  summary_method:
    | "all"
    | "last_msg"
    | "reflection_with_llm"
    | ((recipient: A, messages: Message[], summary_args: Record<string, unknown>) => Awaitable<string | Message[]>);
  summary_args?: Record<string, unknown> | null;
}

/** Messages at the end of the parent conversation left out of the carryover (the hand-off itself). */
const TRIMMED_MESSAGES = 2;

function text(content: Message["content"]): string {
  return typeof content === "string" ? content : content_str(content ?? null);
}

function combine(chatMessage: string, carried: string | Message[]): string {
  const prefix = chatMessage ? `${chatMessage}\n` : "";
  const body =
    typeof carried === "string"
      ? carried
      : carried
          .filter((m) => m.content !== undefined && m.content !== null)
          .map((m) => text(m.content))
          .join("\n");
  return `${prefix}Context:\n${body}`;
}

async function reflect<A extends ChatAgent>(
  chatRecipient: A,
  sender: Agent | null,
  history: Message[],
  summary_args: Record<string, unknown>,
): Promise<string> {
  if (!sender) throw new ValueError("carryover_config with reflection_with_llm needs the sender of the triggering message.");
  // The nested chat's recipient reflects on the parent history; its own history is restored afterwards.
  const previous = chatRecipient.chat_messages.get(sender);
  chatRecipient.chat_messages.set(sender, history);
  try {
    return await reflectionSummary(sender as A, chatRecipient, summary_args);
  } finally {
    if (previous === undefined) chatRecipient.chat_messages.delete(sender);
    else chatRecipient.chat_messages.set(sender, previous);
  }
}

/** Returns the queue with the first entry's message rewritten when it has a `carryover_config`. */
export async function applyCarryoverConfig<A extends ChatAgent>(
  chat_queue: NestedChatQueueEntryOf<A>[],
  recipient: A,
  messages: Message[] | null,
  sender: Agent | null,
  config: unknown,
): Promise<NestedChatQueueEntryOf<A>[]> {
  const first = chat_queue[0];
  if (!first || first.carryover_config === undefined || first.carryover_config === null) return chat_queue;
  const carryoverConfig = first.carryover_config;
  if (typeof carryoverConfig !== "object" || !("summary_method" in carryoverConfig)) {
    throw new ValueError("Carryover configuration must contain a 'summary_method' key");
  }
  const method = carryoverConfig.summary_method;
  const summary_args = { ...(carryoverConfig.summary_args ?? {}) };
  let chatMessage = "";
  if (first.message) {
    const resolved =
      typeof first.message === "function"
        ? await (first.message as NestedChatMessageFunctionOf<A>)(recipient, messages, sender, config)
        : first.message;
    chatMessage = resolved === null || resolved === undefined ? "" : typeof resolved === "string" ? resolved : text(resolved.content);
  }
  const all = deepCopy(messages ?? []);
  const history = all.slice(0, Math.max(0, all.length - TRIMMED_MESSAGES));

  let carried: string | Message[];
  if (method === "all") carried = history;
  else if (method === "last_msg") carried = history.length > 0 ? text(history[history.length - 1].content) : "";
  else if (method === "reflection_with_llm") carried = await reflect(first.recipient, sender, history, summary_args);
  else if (typeof method === "function") carried = await method(recipient, history, summary_args);
  else {
    throw new ValueError(
      `carryover_config summary_method must be "all", "last_msg", "reflection_with_llm" or a function, got ${JSON.stringify(method)}.`,
    );
  }
  if (typeof carried !== "string" && !Array.isArray(carried)) {
    throw new ValueError("Carryover message must be a string or a list of messages.");
  }
  return [{ ...first, message: combine(chatMessage, carried) }, ...chat_queue.slice(1)];
}
