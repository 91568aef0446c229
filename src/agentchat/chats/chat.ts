/**
 * initiate_chat: a two-agent conversation from first message to summary
 * (spec 20 §1-5).
 */
import { ValueError, throwIfAborted } from "../../errors";
import { is, validateOptions, type Check } from "../../options";
import type { AbstractCacheLike } from "../../oai/cache-like";
import { withCarryover } from "./carryover";
import { isBuiltinMethod, replyOf, sendOf } from "../agent/messaging";
import { isThenable } from "../../thenable";
import { leaseChatCache, type CacheLease } from "./chat-cache";
import { ChatResult, gather_usage_summary, type InitiateChatOptionsOf, type SummaryMethodOf } from "./chat-result";
import type { ChatAgent } from "../agent/chat-agent";
import { copyMessages } from "../../core/messages";
import { emit, eventsWanted, subscribe_events } from "../../io/events";
import { currentRunContext, withChatScope, within, type ChatState, type RunContext, type StopRecord } from "../../core/run-context";
import { summarize, validateSummaryMethod } from "./summary";
import type { Awaitable, Message } from "../../core/types";

const NAMED_OPTIONS: Record<string, Check> = {
  message: is.any,
  clear_history: is.boolean,
  silent: is.nullable(is.boolean),
  cache: is.nullable(is.object),
  max_turns: is.nullable(is.integer),
  summary_method: is.any,
  summary_args: is.nullable(is.object),
  carryover: is.any,
  verbose: is.boolean,
  signal: is.object,
  on_event: is.function,
};

/** Keys of a chat-queue entry; accepted by initiate_chat and passed on in `context`. */
export const QUEUE_KEYS = [
  "sender",
  "recipient",
  "chat_id",
  "prerequisites",
  "finished_chat_indexes_to_exclude_from_carryover",
  "carryover_config",
];

/** NAMED_OPTIONS plus the queue keys, built once (this check runs for every chat). */
const CHAT_OPTIONS: Record<string, Check> = Object.assign({}, NAMED_OPTIONS, Object.fromEntries(QUEUE_KEYS.map((key) => [key, is.any])));

/**
 * The options of the queued chat being started now, checked already with its
 * whole queue (prepareQueue): set just before that chat's initiate_chat, taken
 * by its start. One slot, not a set: nothing else runs in between, and an
 * object it does not name is checked as usual.
 */
let preChecked: object | null = null;

/** Records that `options` has been checked (and is not changed before its chat starts). */
export function markChecked<A extends ChatAgent>(options: InitiateChatOptionsOf<A>): void {
  preChecked = options;
}

/** Checks the option keys and types of one chat (also used to check a chat queue up front). */
export function checkChatOptions<A extends ChatAgent>(options: InitiateChatOptionsOf<A>): void {
  if (options === preChecked) {
    preChecked = null;
    return;
  }
  let spec = CHAT_OPTIONS;
  if (typeof options.message === "function") {
    // Extra keys reach a callable message through its context (spec 20 §1).
    spec = Object.assign({}, CHAT_OPTIONS);
    for (const key of Object.keys(options)) spec[key] ??= is.any;
  }
  validateOptions("initiate_chat", options, spec);
}

export function prepareChat<A extends ChatAgent>(
  agent: A,
  recipient: A,
  clear_history: boolean,
  prepare_recipient: boolean,
  reply_at_receive: boolean,
): void {
  agent.reset_consecutive_auto_reply_counter({ sender: recipient });
  agent.reply_at_receive.set(recipient, reply_at_receive);
  if (clear_history) {
    agent.clear_history({ recipient });
    agent._human_input = [];
  }
  if (prepare_recipient) recipient._prepare_chat(agent, clear_history, false, reply_at_receive);
}

export async function generateInitMessage<A extends ChatAgent>(
  agent: A,
  message: string | Message | null | undefined,
  options: { carryover?: unknown; [k: string]: unknown } = {},
): Promise<string | Message> {
  const first = message ?? (await agent.a_get_human_input(">"));
  return withCarryover(first, options.carryover);
}

export async function summarizeChat<A extends ChatAgent>(
  agent: A,
  method: SummaryMethodOf<A> | undefined,
  summary_args: Record<string, unknown>,
  recipient: A,
  cache: unknown,
): Promise<string> {
  return summarize(method, summary_args, agent, recipient, cache as AbstractCacheLike | null);
}

function firstMessage<A extends ChatAgent>(sender: A, recipient: A, options: InitiateChatOptionsOf<A>): Awaitable<string | Message> {
  const message = options.message;
  if (typeof message === "function") {
    const { message: _callable, ...rest } = options;
    const context: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(rest)) if (!(key in NAMED_OPTIONS) || key === "carryover" || key === "verbose") context[key] = value;
    return message(sender, recipient, context);
  }
  // The built-in generate_init_message with a message given asks nobody: no promise.
  if (message !== null && message !== undefined && isBuiltinMethod(sender.generate_init_message)) return withCarryover(message, options.carryover);
  return sender.generate_init_message(message ?? null, { carryover: options.carryover });
}

/**
 * Runs the turns; returns why the chat stopped (also the selection chat's
 * turns, ../groupchat/selection-chat.ts). With max_turns, the sender's turns
 * run from `fromTurn` on, and `first` (when given) is the first one's
 * message; a chat continued from a saved state (ag2ts/queue) gives no
 * message and the turns the sender has taken.
 */
export async function runTurns<A extends ChatAgent>(
  sender: A,
  recipient: A,
  options: InitiateChatOptionsOf<A>,
  first: string | Message | null,
  state: ChatState,
  context: RunContext,
  fromTurn = 0,
): Promise<StopRecord> {
  const silent = options.silent ?? false;
  const maxTurns = options.max_turns;
  if (maxTurns === null || maxTurns === undefined) {
    if (first === null) throw new ValueError("runTurns without max_turns needs the first message.");
    throwIfAborted(context.signal);
    const sent = within(context, () => sendOf(sender, first, recipient, { silent }));
    if (isThenable(sent)) await sent;
    // The chat ran until a reply was null; that reply recorded why.
    return state.pending ?? { reason: "no_reply", agent: null };
  }
  const ask = () => replyOf(sender, { messages: sender.chat_messages_get(recipient), sender: recipient });
  for (let turn = fromTurn; turn < maxTurns; turn++) {
    throwIfAborted(context.signal);
    const pending = turn === fromTurn && first !== null ? first : within(context, ask);
    const message = isThenable(pending) ? await pending : pending;
    if (message === null || message === undefined) return state.pending ?? { reason: "no_reply", agent: sender.name };
    const sent = within(context, () => sendOf(sender, message, recipient, { request_reply: true, silent }));
    if (isThenable(sent)) await sent;
  }
  if (eventsWanted(false)) {
    within(context, () => emit({ type: "termination", agent: null, stop_reason: "max_turns", reason: `Maximum turns (${maxTurns}) reached` }, false));
  }
  return { reason: "max_turns", agent: null };
}

const reportedErrors = new WeakSet<object>();

/** Emits an `error` event once per error, however many chats it passes through. */
function reportError(err: unknown): void {
  if (err !== null && typeof err === "object") {
    if (reportedErrors.has(err)) return;
    reportedErrors.add(err);
  }
  const name = err instanceof Error ? err.name : "Error";
  const message = err instanceof Error ? err.message : String(err);
  emit({ type: "error", name, message }, false);
}

/**
 * A failed chat still has a partial result: it travels on the error as
 * `error.chat_result` (stop_reason "error"); the outermost chat's wins.
 */
function attachResult(err: unknown, result: ChatResult): void {
  if (err === null || typeof err !== "object" || !Object.isExtensible(err)) return;
  Object.defineProperty(err, "chat_result", { value: result, configurable: true, writable: true, enumerable: false });
}

function resultOf<A extends ChatAgent>(sender: A, recipient: A, options: InitiateChatOptionsOf<A>, summary: string, stop: StopRecord): ChatResult {
  return new ChatResult({
    chat_history: copyMessages(sender.chat_messages.get(recipient) ?? []),
    summary,
    cost: gather_usage_summary([sender, recipient]),
    human_input: [...sender._human_input],
    chat_id: typeof options.chat_id === "number" ? options.chat_id : null,
    stop_reason: stop.reason,
    stopped_by: stop.agent,
  });
}

function chatEnd<A extends ChatAgent>(sender: A, recipient: A, result: ChatResult): void {
  if (!eventsWanted(false)) return;
  emit(
    {
      type: "chat_end",
      sender: sender.name,
      recipient: recipient.name,
      stop_reason: result.stop_reason ?? "no_reply",
      stopped_by: result.stopped_by,
      summary: result.summary,
      messages: result.chat_history.length,
    },
    false,
  );
}

/** The summary of an aborted chat: "last_msg" needs no model call; other methods give "". */
async function abortedSummary<A extends ChatAgent>(sender: A, recipient: A, method: SummaryMethodOf<A> | undefined): Promise<string> {
  if (method !== "last_msg") return "";
  return sender._summarize_chat("last_msg", {}, recipient, {});
}

/** Runs the chat in its own scope, with its cache lease: one async step per chat. */
function runChat<A extends ChatAgent>(
  sender: A,
  recipient: A,
  options: InitiateChatOptionsOf<A>,
  summary_method: SummaryMethodOf<A>,
  cache: unknown,
  lease: CacheLease,
): Promise<ChatResult> {
  try {
    return withChatScope(options.signal, (state) => chatIn(sender, recipient, options, summary_method, cache, state, lease), lease.caches);
  } catch (err) {
    // The chat never started (chatIn releases the lease once it has).
    lease.release();
    throw err;
  }
}

async function chatIn<A extends ChatAgent>(
  sender: A,
  recipient: A,
  options: InitiateChatOptionsOf<A>,
  summary_method: SummaryMethodOf<A>,
  cache: unknown,
  state: ChatState,
  lease: CacheLease,
): Promise<ChatResult> {
  try {
    // After each await the chat's context is entered again (run-context.ts).
    const context = currentRunContext();
    const signal = context.signal;
    if (eventsWanted(false)) emit({ type: "chat_start", sender: sender.name, recipient: recipient.name }, false);
    return await settleChat(sender, recipient, options, summary_method, cache, context, async () => {
      throwIfAborted(signal);
      const clear = options.clear_history ?? true;
      const withTurns = options.max_turns !== null && options.max_turns !== undefined;
      sender._prepare_chat(recipient, clear, true, !withTurns);
      // Awaited even when it is a plain value: a chat starts running after the code that started it
      // (a caller may still register replies or hooks right after initiate_chat / initiate_chat_stream).
      const first = await firstMessage(sender, recipient, options);
      return within(context, () => runTurns(sender, recipient, options, first, state, context));
    });
  } finally {
    // Each agent gets its earlier cache back once the chat has settled.
    lease.release();
  }
}

/**
 * Runs a chat's turns (`turns`, in the chat's scope `context`) and ends the
 * chat as initiate_chat does: the summary, the ChatResult and chat_end; on
 * an abort the termination event and an "aborted" result; on a failure the
 * error event and the partial result on the error. ag2ts/queue ends a chat
 * it continues from a saved state with it too.
 */
export async function settleChat<A extends ChatAgent>(
  sender: A,
  recipient: A,
  options: InitiateChatOptionsOf<A>,
  summary_method: SummaryMethodOf<A>,
  cache: unknown,
  context: RunContext,
  turns: () => Promise<StopRecord>,
): Promise<ChatResult> {
  const signal = context.signal;
  let result: ChatResult;
  try {
    const stop = await turns();
    // With the built-in _summarize_chat, summarize itself: "last_msg" answers without a promise.
    const args = options.summary_args ?? {};
    const summarized = within(context, () =>
      isBuiltinMethod(sender._summarize_chat)
        ? summarize(summary_method, args, sender, recipient, cache as AbstractCacheLike | null)
        : sender._summarize_chat(summary_method, { ...args }, recipient, { cache }),
    );
    const summary = isThenable(summarized) ? await summarized : summarized;
    result = resultOf(sender, recipient, options, summary, stop);
  } catch (err) {
    if (!signal?.aborted) {
      reportError(err);
      const failed = resultOf(sender, recipient, options, "", { reason: "error", agent: null });
      chatEnd(sender, recipient, failed);
      attachResult(err, failed);
      throw err;
    }
    // A plain abort() gives a DOMException "AbortError": no reason worth showing.
    const why = signal.reason as { name?: unknown; message?: unknown } | undefined;
    const reason =
      why instanceof Error && why.name !== "AbortError" && typeof why.message === "string"
        ? `The chat was aborted: ${why.message}`
        : "The chat was aborted";
    emit({ type: "termination", agent: null, stop_reason: "aborted", reason }, false);
    result = resultOf(sender, recipient, options, await abortedSummary(sender, recipient, summary_method), { reason: "aborted", agent: null });
  }
  chatEnd(sender, recipient, result);
  return result;
}

export function initiateChat<A extends ChatAgent>(sender: A, recipient: A, options: InitiateChatOptionsOf<A> = {}): Promise<ChatResult> {
  // Not an async function (one promise less per chat): a problem found before the chat starts rejects all the same.
  try {
    return startChat(sender, recipient, options);
  } catch (err) {
    return Promise.reject(err);
  }
}

function startChat<A extends ChatAgent>(sender: A, recipient: A, options: InitiateChatOptionsOf<A>): Promise<ChatResult> {
  if (!recipient) throw new ValueError("recipient must be provided.");
  checkChatOptions(options);
  const summary_method = options.summary_method === undefined ? "last_msg" : options.summary_method;
  validateSummaryMethod(summary_method, sender, recipient);
  const cache = options.cache ?? null;

  // The chat's cache is installed on both agents for this chat only, and each
  // gets its earlier cache back when the chat ends, also when chats with the
  // same agent overlap (chat-cache.ts; AG2's single previous_cache slot cannot).
  const lease = leaseChatCache([sender, recipient], cache);
  const run = () => runChat(sender, recipient, options, summary_method, cache, lease);
  return options.on_event ? subscribe_events(options.on_event, run) : run();
}
