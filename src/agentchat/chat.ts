/**
 * initiate_chat: a two-agent conversation from first message to summary
 * (spec 20 §1-5).
 */
import { ValueError, throwIfAborted } from "../errors";
import { is, validateOptions, type Check } from "../options";
import type { AbstractCacheLike } from "../oai/cache-like";
import { withCarryover } from "./carryover";
import { ChatResult, gather_usage_summary, type InitiateChatOptions, type SummaryMethod } from "./chat-result";
import type { ConversableAgent } from "./conversable-agent";
import { deepCopy } from "./messages";
import { withRunContext } from "./run-context";
import { summarize, validateSummaryMethod } from "./summary";
import type { Message } from "./types";

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

/** Checks the option keys and types of one chat (also used to check a chat queue up front). */
/** NAMED_OPTIONS plus the queue keys, built once (this check runs for every chat). */
const CHAT_OPTIONS: Record<string, Check> = Object.assign({}, NAMED_OPTIONS, Object.fromEntries(QUEUE_KEYS.map((key) => [key, is.any])));

export function checkChatOptions(options: InitiateChatOptions): void {
  let spec = CHAT_OPTIONS;
  if (typeof options.message === "function") {
    // Extra keys reach a callable message through its context (spec 20 §1).
    spec = Object.assign({}, CHAT_OPTIONS);
    for (const key of Object.keys(options)) spec[key] ??= is.any;
  }
  validateOptions("initiate_chat", options, spec);
}

export function prepareChat(
  agent: ConversableAgent,
  recipient: ConversableAgent,
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

export async function generateInitMessage(
  agent: ConversableAgent,
  message: string | Message | null | undefined,
  options: { carryover?: unknown; [k: string]: unknown } = {},
): Promise<string | Message> {
  const first = message ?? (await agent.a_get_human_input(">"));
  return withCarryover(first, options.carryover);
}

export function summarizeChat(
  agent: ConversableAgent,
  method: SummaryMethod | undefined,
  summary_args: Record<string, unknown>,
  recipient: ConversableAgent,
  cache: unknown,
): Promise<string> {
  return summarize(method, summary_args, agent, recipient, cache as AbstractCacheLike | null);
}

async function firstMessage(sender: ConversableAgent, recipient: ConversableAgent, options: InitiateChatOptions): Promise<string | Message> {
  const { message, ...rest } = options;
  if (typeof message === "function") {
    const context: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(rest)) if (!(key in NAMED_OPTIONS) || key === "carryover" || key === "verbose") context[key] = value;
    return message(sender, recipient, context);
  }
  return sender.generate_init_message(message ?? null, { carryover: options.carryover });
}

async function runTurns(sender: ConversableAgent, recipient: ConversableAgent, options: InitiateChatOptions, first: string | Message, signal?: AbortSignal) {
  const silent = options.silent ?? false;
  const maxTurns = options.max_turns;
  if (maxTurns === null || maxTurns === undefined) {
    throwIfAborted(signal);
    await sender.send(first, recipient, { silent });
    return;
  }
  for (let turn = 0; turn < maxTurns; turn++) {
    throwIfAborted(signal);
    const message = turn === 0 ? first : await sender.generate_reply({ messages: sender.chat_messages_get(recipient), sender: recipient });
    if (message === null || message === undefined) break;
    await sender.send(message, recipient, { request_reply: true, silent });
  }
}

export async function initiateChat(sender: ConversableAgent, recipient: ConversableAgent, options: InitiateChatOptions = {}): Promise<ChatResult> {
  if (!recipient) throw new ValueError("recipient must be provided.");
  checkChatOptions(options);
  const summary_method = options.summary_method === undefined ? "last_msg" : options.summary_method;
  validateSummaryMethod(summary_method, sender, recipient);
  const cache = options.cache ?? null;
  const signal = options.signal;

  for (const agent of [sender, recipient]) {
    agent.previous_cache = agent.client_cache;
    agent.client_cache = cache;
  }
  try {
    return await withRunContext({ signal }, async () => {
      throwIfAborted(signal);
      const clear = options.clear_history ?? true;
      const withTurns = options.max_turns !== null && options.max_turns !== undefined;
      sender._prepare_chat(recipient, clear, true, !withTurns);
      const first = await firstMessage(sender, recipient, options);
      await runTurns(sender, recipient, options, first, signal);
      const summary = await sender._summarize_chat(summary_method, { ...(options.summary_args ?? {}) }, recipient, { cache });
      return new ChatResult({
        chat_history: deepCopy(sender.chat_messages.get(recipient) ?? []),
        summary,
        cost: gather_usage_summary([sender, recipient]),
        human_input: [...sender._human_input],
        chat_id: typeof options.chat_id === "number" ? options.chat_id : null,
      });
    });
  } finally {
    for (const agent of [sender, recipient]) {
      agent.client_cache = agent.previous_cache;
      agent.previous_cache = null;
    }
  }
}
