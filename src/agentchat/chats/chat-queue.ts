/**
 * Sequential chats with carryover (spec 20 §6) and the entry points of
 * concurrent chats (§7, implemented in concurrent-chats.ts).
 */
import { subscribe_events, type AG2Event } from "../../io/events";
import { is, validateOptions } from "../../options";
import type { ChatResult } from "./chat-result";
import { runConcurrentChats } from "./concurrent-chats";
import type { ChatAgent } from "../agent/chat-agent";
import { ownCarryover, prepareQueue, startQueuedChat, type ChatQueueEntryOf, type ReadyEntry } from "./queue-entries";
import { currentRunContext, withRunContext, within } from "../../core/run-context";


/** Options of a whole chat queue (ag2ts). */
export interface ChatQueueOptions {
  /** Aborts the running chat (it resolves with stop_reason "aborted") and every later one. */
  signal?: AbortSignal;
  /** Receives the events of every chat in the queue. */
  on_event?: (event: AG2Event) => void;
}

function withQueueOptions<T>(where: string, options: ChatQueueOptions, fn: () => Promise<T>): Promise<T> {
  validateOptions(where, options, { signal: is.object, on_event: is.function });
  // One numbering for the queue's chats: chat:1, chat:2, ...
  const counter = currentRunContext().counter ?? { next: 1 };
  const run = () => withRunContext({ signal: options.signal, counter }, fn);
  return options.on_event ? subscribe_events(options.on_event, run) : run();
}

async function runSequentialChats<A extends ChatAgent>(entries: ReadyEntry<A>[]): Promise<ChatResult[]> {
  // Each chat starts in the queue's context, also after the await for the one before (run-context.ts).
  const context = currentRunContext();
  const finished: ChatResult[] = [];
  const summaries: unknown[] = [];
  for (const entry of entries) {
    const excluded = entry.finished_chat_indexes_to_exclude_from_carryover;
    const carried = excluded && excluded.length > 0 ? summaries.filter((_, index) => !excluded.includes(index)) : summaries;
    const carryover = ownCarryover(entry).concat(carried);
    const result = await within(context, () => startQueuedChat(entry, carryover));
    finished.push(result);
    summaries.push(result.summary);
    // An aborted chat ends the queue: the later chats do not start.
    if (result.stop_reason === "aborted") break;
  }
  return finished;
}

/**
 * Runs the chats one after another. Each chat's first message carries the
 * summaries of all earlier chats (except the excluded indexes) after its own
 * carryover. Every entry needs a `sender`. The queue is not modified.
 */
export async function initiate_chats<A extends ChatAgent>(chat_queue: ChatQueueEntryOf<A>[], options: ChatQueueOptions = {}): Promise<ChatResult[]> {
  return withQueueOptions("initiate_chats", options, () => runSequentialChats(prepareQueue(chat_queue, null)));
}

/**
 * Runs the chats concurrently: each starts as soon as its `prerequisites`
 * (chat ids) have finished, and carries over their summaries only. Every
 * entry needs a unique `chat_id` and a `sender`. Returns results keyed by chat id.
 */
export async function a_initiate_chats<A extends ChatAgent>(chat_queue: ChatQueueEntryOf<A>[], options: ChatQueueOptions = {}): Promise<Record<number, ChatResult>> {
  return withQueueOptions("a_initiate_chats", options, () => runConcurrentChats(prepareQueue(chat_queue, null)));
}

/** `agent.initiate_chats(queue)`: entries without a sender are sent by `agent`. */
export async function initiateChatsFrom<A extends ChatAgent>(agent: A, queue: ChatQueueEntryOf<A>[], options: ChatQueueOptions = {}): Promise<ChatResult[]> {
  const results = await withQueueOptions("initiate_chats", options, () => runSequentialChats(prepareQueue(queue, agent)));
  agent._finished_chats = results;
  return results;
}

/** `agent.a_initiate_chats(queue)`: entries without a sender are sent by `agent`. */
export async function aInitiateChatsFrom<A extends ChatAgent>(agent: A, queue: ChatQueueEntryOf<A>[], options: ChatQueueOptions = {}): Promise<Record<number, ChatResult>> {
  const results = await withQueueOptions("a_initiate_chats", options, () => runConcurrentChats(prepareQueue(queue, agent)));
  agent._finished_chats = results;
  return results;
}
