/**
 * Nested chats (spec 20 §8). Issue #6 completes this module.
 */
import { NotImplementedError } from "../errors";
import type { Agent } from "./agent";
import type { ChatQueueEntry } from "./chat-queue";
import type { ConversableAgent } from "./conversable-agent";
import type { Trigger } from "./reply-chain";
import type { Awaitable, Message, ReplyValue } from "./types";

export interface RegisterNestedChatsOptions {
  reply_func_from_nested_chats?:
    | "summary_from_nested_chats"
    | ((chat_queue: ChatQueueEntry[], recipient: ConversableAgent, messages: Message[] | null, sender: Agent | null, config: unknown) => Awaitable<[boolean, ReplyValue]>);
  position?: number;
  use_async?: boolean | null;
  config?: unknown;
  reset_config?: (config: unknown) => void;
  ignore_async_in_sync_chat?: boolean;
}

export function registerNestedChats(_agent: ConversableAgent, _queue: ChatQueueEntry[], _trigger: Trigger, _options: RegisterNestedChatsOptions): void {
  throw new NotImplementedError("register_nested_chats is not implemented yet (issue #6).");
}
