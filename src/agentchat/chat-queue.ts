/**
 * Sequential chats with carryover (spec 20 §6) and the entry points of
 * concurrent chats (§7, implemented in concurrent-chats.ts).
 */
import type { ChatResult } from "./chat-result";
import { runConcurrentChats } from "./concurrent-chats";
import type { ConversableAgent } from "./conversable-agent";
import { ownCarryover, prepareQueue, startQueuedChat, type ChatQueueEntry, type ReadyEntry } from "./queue-entries";

export type { ChatQueueEntry };

async function runSequentialChats(entries: ReadyEntry[]): Promise<ChatResult[]> {
  const finished: ChatResult[] = [];
  for (const entry of entries) {
    const excluded = entry.finished_chat_indexes_to_exclude_from_carryover ?? [];
    const carryover = [
      ...ownCarryover(entry),
      ...finished.filter((_, index) => !excluded.includes(index)).map((result) => result.summary),
    ];
    finished.push(await startQueuedChat(entry, carryover));
  }
  return finished;
}

/**
 * Runs the chats one after another. Each chat's first message carries the
 * summaries of all earlier chats (except the excluded indexes) after its own
 * carryover. Every entry needs a `sender`. The queue is not modified.
 */
export async function initiate_chats(chat_queue: ChatQueueEntry[]): Promise<ChatResult[]> {
  return runSequentialChats(prepareQueue(chat_queue, null));
}

/**
 * Runs the chats concurrently: each starts as soon as its `prerequisites`
 * (chat ids) have finished, and carries over their summaries only. Every
 * entry needs a unique `chat_id` and a `sender`. Returns results keyed by chat id.
 */
export async function a_initiate_chats(chat_queue: ChatQueueEntry[]): Promise<Record<number, ChatResult>> {
  return runConcurrentChats(prepareQueue(chat_queue, null));
}

/** `agent.initiate_chats(queue)`: entries without a sender are sent by `agent`. */
export async function initiateChatsFrom(agent: ConversableAgent, queue: ChatQueueEntry[]): Promise<ChatResult[]> {
  const results = await runSequentialChats(prepareQueue(queue, agent));
  agent._finished_chats = results;
  return results;
}

/** `agent.a_initiate_chats(queue)`: entries without a sender are sent by `agent`. */
export async function aInitiateChatsFrom(agent: ConversableAgent, queue: ChatQueueEntry[]): Promise<Record<number, ChatResult>> {
  const results = await runConcurrentChats(prepareQueue(queue, agent));
  agent._finished_chats = results;
  return results;
}
