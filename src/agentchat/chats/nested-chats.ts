/**
 * Nested chats (spec 20 §8): a reply function that answers for its agent by
 * running a queue of chats and replying with the last chat's summary.
 */
import { ValueError } from "../../errors";
import { is, validateOptions } from "../../options";
import type { Agent } from "../../core/agent";
import { a_initiate_chats, initiate_chats } from "./chat-queue";
import type { ChatResult, InitiateChatOptionsOf } from "./chat-result";
import type { ChatAgent } from "../agent/chat-agent";
import { applyCarryoverConfig, type CarryoverConfigOf } from "./nested-carryover";
import type { ChatQueueEntryOf } from "./queue-entries";
import { markSignalAware, type ReplyFunctionOf, type Trigger } from "../agent/reply-chain";
import { currentRunContext, withPathSegment, within } from "../../core/run-context";
import type { Awaitable, Message, ReplyValue } from "../../core/types";

export type { CarryoverConfigOf };

/** A nested chat's first message computed from the triggering conversation. */
export type NestedChatMessageFunctionOf<A> = (
  recipient: A,
  messages: Message[] | null,
  sender: Agent | null,
  config: unknown,
) => Awaitable<string | Message | null | undefined>;

/**
 * A chat of a nested-chat queue: the chat-queue keys, with a `message`
 * callable that receives `(recipient, messages, sender, config)` of the
 * reply that triggered the nested chats.
 */
export interface NestedChatQueueEntryOf<A> {
  recipient: A;
  /** Default: the agent that owns the nested chats. */
  sender?: A;
  /** Absent on the first entry: the triggering message's content. Absent later: the entry is skipped. */
  message?: string | Message | NestedChatMessageFunctionOf<A> | null;
  clear_history?: boolean;
  silent?: boolean | null;
  cache?: InitiateChatOptionsOf<A>["cache"];
  max_turns?: number | null;
  summary_method?: InitiateChatOptionsOf<A>["summary_method"];
  summary_args?: InitiateChatOptionsOf<A>["summary_args"];
  carryover?: string | unknown[];
  verbose?: boolean;
  chat_id?: number;
  prerequisites?: number[];
  finished_chat_indexes_to_exclude_from_carryover?: number[];
  /** First entry only (§8.1): how the parent conversation is summarised into its message. */
  carryover_config?: CarryoverConfigOf<A>;
  [extra: string]: unknown;
}

export type NestedChatsReplyFunctionOf<A> = (
  chat_queue: NestedChatQueueEntryOf<A>[],
  recipient: A,
  messages: Message[] | null,
  sender: Agent | null,
  config: unknown,
) => Awaitable<[boolean, ReplyValue]>;

export interface RegisterNestedChatsOptionsOf<A> {
  /** Default "summary_from_nested_chats". */
  reply_func_from_nested_chats?: "summary_from_nested_chats" | NestedChatsReplyFunctionOf<A>;
  /** Position in the reply chain. Default 1: right after the termination/human-input check. */
  position?: number;
  /** Run the queue with a_initiate_chats semantics (every entry needs chat_id). Default null. */
  use_async?: boolean | null;
  /** Passed to the reply function as `config`. Default null. */
  config?: unknown;
  /** Called by `reset()` to restore `config`. Default null. */
  reset_config?: ((config: unknown) => void) | null;
  /** Accepted; no effect. */
  ignore_async_in_sync_chat?: boolean;
}

/** The entries that will run, with their first messages resolved (AG2 `_get_chats_to_run`). */
async function chatsToRun<A extends ChatAgent>(
  chat_queue: NestedChatQueueEntryOf<A>[],
  recipient: A,
  messages: Message[] | null,
  sender: Agent | null,
  config: unknown,
): Promise<ChatQueueEntryOf<A>[]> {
  const triggering = messages && messages.length > 0 ? messages[messages.length - 1].content : undefined;
  const runnable: ChatQueueEntryOf<A>[] = [];
  for (const [index, entry] of chat_queue.entries()) {
    // Object.assign, not a spread (see prepareQueue): the keys are added after the copy.
    const copy = Object.assign({}, entry);
    copy.sender = entry.sender ?? recipient;
    let message: unknown = entry.message;
    if ((message === undefined || message === null) && index === 0) message = triggering;
    if (typeof message === "function") message = await (message as NestedChatMessageFunctionOf<A>)(recipient, messages, sender, config);
    if (!message) continue;
    copy.message = message as string | Message;
    runnable.push(copy as ChatQueueEntryOf<A>);
  }
  return runnable;
}

/** The entries of `chat_queue` that can run for this trigger (carryover_config applied). */
async function runnableChats<A extends ChatAgent>(
  chat_queue: NestedChatQueueEntryOf<A>[],
  recipient: A,
  messages: Message[] | null,
  sender: Agent | null,
  config: unknown,
): Promise<ChatQueueEntryOf<A>[]> {
  const context = currentRunContext();
  const queue = await applyCarryoverConfig(chat_queue, recipient, messages, sender, config);
  return within(context, () => chatsToRun(queue, recipient, messages, sender, config));
}

/**
 * The built-in nested-chats reply: runs the runnable entries with
 * `initiate_chats` (later chats get earlier summaries as carryover) and
 * replies with the last summary. No runnable entry → `[true, null]`, which
 * ends the outer conversation.
 */
export async function summary_from_nested_chats<A extends ChatAgent>(
  chat_queue: NestedChatQueueEntryOf<A>[],
  recipient: A,
  messages: Message[] | null,
  sender: Agent | null,
  config: unknown,
): Promise<[boolean, string | null]> {
  const context = currentRunContext();
  const runnable = await runnableChats(chat_queue, recipient, messages, sender, config);
  if (runnable.length === 0) return [true, null];
  const results = await within(context, () => initiate_chats(runnable));
  return [true, (results[results.length - 1] as ChatResult).summary];
}

/** The `use_async: true` form: runs the queue with `a_initiate_chats`; replies with the last runnable entry's summary. */
export async function a_summary_from_nested_chats<A extends ChatAgent>(
  chat_queue: NestedChatQueueEntryOf<A>[],
  recipient: A,
  messages: Message[] | null,
  sender: Agent | null,
  config: unknown,
): Promise<[boolean, string | null]> {
  const context = currentRunContext();
  const runnable = await runnableChats(chat_queue, recipient, messages, sender, config);
  if (runnable.length === 0) return [true, null];
  const results = await within(context, () => a_initiate_chats(runnable));
  return [true, results[runnable[runnable.length - 1].chat_id as number].summary];
}

const OPTION_SPEC = {
  reply_func_from_nested_chats: is.union(is.string, is.function),
  position: is.integer,
  use_async: is.nullable(is.boolean),
  config: is.any,
  reset_config: is.nullable(is.function),
  ignore_async_in_sync_chat: is.boolean,
};

export function registerNestedChats<A extends ChatAgent>(
  agent: A,
  chat_queue: NestedChatQueueEntryOf<A>[],
  trigger: Trigger,
  options: RegisterNestedChatsOptionsOf<A> = {},
): void {
  validateOptions("register_nested_chats", options, OPTION_SPEC);
  if (!Array.isArray(chat_queue)) throw new ValueError("register_nested_chats: chat_queue must be an array of chat entries.");
  const useAsync = options.use_async === true;
  if (useAsync) {
    chat_queue.forEach((entry, index) => {
      if (entry.chat_id === undefined || entry.chat_id === null) {
        throw new ValueError(`chat_id is required for async nested chats (the entry at index ${index} has none).`);
      }
    });
  }
  const chosen = options.reply_func_from_nested_chats ?? "summary_from_nested_chats";
  let replyFunc: NestedChatsReplyFunctionOf<A>;
  if (chosen === "summary_from_nested_chats") replyFunc = useAsync ? a_summary_from_nested_chats : summary_from_nested_chats;
  else if (typeof chosen === "function") replyFunc = chosen;
  else {
    throw new ValueError(
      `register_nested_chats: unknown reply_func_from_nested_chats ${JSON.stringify(chosen)}; ` +
        `use "summary_from_nested_chats" or a function (chat_queue, recipient, messages, sender, config) => [final, reply].`,
    );
  }
  // The queue is held by reference: later edits to it are seen by the next run.
  // Events of the nested chats carry a "nested:<agent>" path segment.
  const nested_chats_reply: ReplyFunctionOf<A> = (recipient, messages, sender, config) =>
    withPathSegment(`nested:${recipient.name}`, async () => replyFunc(chat_queue, recipient, messages ?? null, sender ?? null, config));
  // The nested chats share the outer chat's signal, so they stop with it.
  agent.register_reply(trigger, markSignalAware(nested_chats_reply), {
    position: options.position ?? 1,
    config: options.config ?? null,
    reset_config: options.reset_config ?? null,
    ignore_async_in_sync_chat: options.ignore_async_in_sync_chat ?? false,
  });
}
