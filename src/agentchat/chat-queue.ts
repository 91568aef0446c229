/**
 * Sequential and concurrent chats (spec 20 §6-7). Issue #6 completes this module.
 */
import { NotImplementedError } from "../errors";
import type { ChatResult, InitiateChatOptions } from "./chat-result";
import type { ConversableAgent } from "./conversable-agent";

export type ChatQueueEntry = InitiateChatOptions & {
  sender?: ConversableAgent;
  recipient: ConversableAgent;
  chat_id?: number;
  prerequisites?: number[];
  finished_chat_indexes_to_exclude_from_carryover?: number[];
};

export async function initiateChatsFrom(_agent: ConversableAgent, _queue: ChatQueueEntry[]): Promise<ChatResult[]> {
  throw new NotImplementedError("initiate_chats is not implemented yet (issue #6).");
}

export async function aInitiateChatsFrom(_agent: ConversableAgent, _queue: ChatQueueEntry[]): Promise<Record<number, ChatResult>> {
  throw new NotImplementedError("a_initiate_chats is not implemented yet (issue #6).");
}
