/**
 * send / receive / generate_reply (spec 10 §6): how a message is stored on
 * both sides, printed by the receiver, and answered through the reply chain.
 */
import { ValueError, throwIfAborted } from "../../errors";
import { isThenable } from "../../thenable";
import { emit, eventsWanted } from "../../io/events";
import { logReceivedMessage, replyExecutedLogger } from "../../logging/agent-events";
import { logging_enabled } from "../../logging/runtime";
import { OpenAIWrapper } from "../../oai/client";
import type { Agent, GenerateReplyOptions, SendOptions } from "../../core/agent";
import type { ChatAgent } from "./chat-agent";
import {
  processAllMessagesBeforeReply,
  processLastReceivedMessage,
  processMessageBeforeSend,
  updateAgentState,
} from "./hooks";
import { content_str, normalizeMessage } from "../../core/messages";
import type { ReplyChain } from "./reply-chain";
import { clearPendingStop, currentRunContext, currentSignal, pendingStop, recordStop, withRunContext, within, type RunContext } from "../../core/run-context";
import type { Awaitable, Message, ReplyValue } from "../../core/types";

/** `agent.silent` overrides the call's `silent` (spec 10 §6.4). */
function isSilent(agent: Agent, silent: boolean | null | undefined): boolean {
  const own = (agent as { silent?: boolean | null }).silent;
  return Boolean(own ?? silent ?? false);
}

/** Stores the normalised message in the conversation with `other`; null when invalid. */
function append(agent: ChatAgent, message: Message | string, role: "assistant" | "user", other: Agent): Message | null {
  // An agent may store messages in its own form (MultimodalConversableAgent: content as parts).
  const own = agent._message_to_dict ? agent._message_to_dict(message) : message;
  const stored = normalizeMessage(own, role, role === "assistant" ? agent.name : other.name);
  if (stored) agent.chat_messages_get(other).push(stored);
  return stored;
}

export async function sendMessage(agent: ChatAgent, message: Message | string, recipient: Agent, options: SendOptions): Promise<void> {
  return sendNow(agent, message, recipient, options);
}

/** `agent.send(...)`, without a promise where nothing waits when it is the built-in one (every group relay). */
export function sendOf(agent: Agent, message: Message | string, recipient: Agent, options: SendOptions): Awaitable<void> {
  return isBuiltinMethod(agent.send) ? sendNow(agent as ChatAgent, message, recipient, options) : agent.send(message, recipient, options);
}

/** send, synchronous while nothing in it waits: no send hook, and a recipient that will not answer. */
function sendNow(agent: ChatAgent, message: Message | string, recipient: Agent, options: SendOptions): Awaitable<void> {
  throwIfAborted(currentSignal());
  // Hooks run only when registered (no extra await otherwise: the message path is hot).
  if (agent.hook_lists.process_message_before_send.length > 0) {
    const context = currentRunContext();
    return processMessageBeforeSend(agent, message, recipient, isSilent(agent, options.silent), context).then((processed) =>
      within(context, () => deliver(agent, processed, recipient, options)),
    );
  }
  return deliver(agent, message, recipient, options);
}

function deliver(agent: ChatAgent, processed: Message | string, recipient: Agent, options: SendOptions): Awaitable<void> {
  storeSent(agent, processed, recipient);
  const request_reply = options.request_reply ?? null;
  const silent = options.silent ?? false;
  if (!isBuiltinMethod((recipient as { receive?: unknown }).receive)) return recipient.receive(processed, agent, { request_reply, silent });
  // The built-in receive without its promise. A message the recipient will not answer is stored
  // without an options object (every group relay).
  if (!wantsReply(recipient as ChatAgent, agent, request_reply)) {
    storeReceived(recipient as ChatAgent, processed, agent, silent);
    return;
  }
  return receiveNow(recipient as ChatAgent, processed, agent, { request_reply, silent });
}

/**
 * The group manager's relay of `entry` to every member of `agents` from
 * `start` on but `speaker`, each as `send(entry, member, {request_reply:
 * false, silent: true})` would store it; returns the index of the first
 * member it left to the caller (agents.length when it relayed to all).
 *
 * It stores directly only where nothing in the relay can run anyone's code
 * but the library's: the manager's built-in send without a send hook, the
 * members' built-in receive, no message form of their own
 * (`_message_to_dict`), no event listener, no runtime log, nothing printed
 * (the manager not `silent: false`). Then what depends on the manager alone
 * (those checks, the abort check) is done once per relay, not per member;
 * otherwise it leaves every member to the caller's `send`.
 */
export function relayDirect(manager: ChatAgent, entry: Message | string, agents: readonly Agent[], speaker: Agent | null, start: number): number {
  if (
    !isBuiltinMethod(manager.send) ||
    manager.hook_lists.process_message_before_send.length > 0 ||
    manager._message_to_dict !== undefined ||
    eventsWanted(false) ||
    logging_enabled() ||
    !isSilent(manager, true)
  ) {
    return start;
  }
  const from = manager.name;
  // An invalid message: the caller's send raises the error. A valid one is the first member's copy.
  let unused = normalizeMessage(entry, "assistant", from);
  if (unused === null) return start;
  throwIfAborted(currentSignal());
  let i = start;
  for (; i < agents.length; i++) {
    const member = agents[i] as ChatAgent;
    if (member === speaker) continue;
    if (!isBuiltinMethod(member.receive) || member._message_to_dict !== undefined) break;
    manager.chat_messages_get(member).push(unused ?? (normalizeMessage(entry, "assistant", from) as Message));
    unused = null;
    member.chat_messages_get(manager).push(normalizeMessage(entry, "user", from) as Message);
  }
  return i;
}

/** Whether `agent`, receiving from `sender`, answers (spec 10 §6.2: request_reply, else reply_at_receive). */
function wantsReply(agent: ChatAgent, sender: Agent, request: boolean | null): boolean {
  return request === true || (request === null && agent.reply_at_receive.get(sender) === true);
}

/** ConversableAgent's own methods (not overrides), where the library may skip their async round trips. */
const builtins = new WeakSet<Function>();

/** Marks methods of ConversableAgent's prototype as built-in. */
export function markBuiltinMethods(...methods: Function[]): void {
  for (const method of methods) builtins.add(method);
}

/** Whether `method` (read off an agent) is ConversableAgent's own, not an override. */
export function isBuiltinMethod(method: unknown): boolean {
  return typeof method === "function" && builtins.has(method);
}

/** The part of send that stores the message on the sender's side and reports it. */
function storeSent(agent: ChatAgent, message: Message | string, recipient: Agent): void {
  const stored = append(agent, message, "assistant", recipient);
  if (!stored) {
    throw new ValueError(
      "Message can't be converted into a valid ChatCompletion message. Either content or function_call must be provided.",
    );
  }
  if (eventsWanted(false)) emit({ type: "sent_message", sender: agent.name, recipient: recipient.name, message: stored }, false);
}

function receivedEvent(agent: ChatAgent, message: Message, sender: Agent) {
  let content: string | null = null;
  if (message.content !== null && message.content !== undefined) {
    const allow = agent.llm_config !== false && agent.llm_config.allow_format_str_template === true;
    const resolved = message.context ? OpenAIWrapper.instantiate(message.content, message.context, allow) : message.content;
    content = content_str(resolved as Message["content"]);
  }
  return { type: "received_message" as const, sender: sender.name, recipient: agent.name, message, content };
}

/** The part of receive that stores, logs and shows the message. */
function storeReceived(agent: ChatAgent, message: Message | string, sender: Agent, silent: boolean | null | undefined): void {
  const stored = append(agent, message, "user", sender);
  logReceivedMessage(agent, message, sender, stored !== null);
  if (!stored) {
    throw new ValueError(
      "Received message can't be converted into a valid ChatCompletion message. Either content or function_call must be provided.",
    );
  }
  const print = !isSilent(sender, silent);
  if (eventsWanted(print)) emit(receivedEvent(agent, stored, sender), print);
}

export async function receiveMessage(agent: ChatAgent, message: Message | string, sender: Agent, options: SendOptions): Promise<void> {
  return receiveNow(agent, message, sender, options);
}

/**
 * Answers sent on one call stack before the next is sent from a fresh one:
 * a long chat of synchronous replies (send -> receive -> send ...) recurses,
 * and every this many answers one await unwinds the stack.
 */
const ANSWERS_PER_STACK = 32;
let answersOnStack = 0;

/** receive, synchronous while the reply and its send are (the built-in receive of every answering agent). */
function receiveNow(agent: ChatAgent, message: Message | string, sender: Agent, options: SendOptions): Awaitable<void> {
  storeReceived(agent, message, sender, options.silent);
  if (!wantsReply(agent, sender, options.request_reply ?? null)) return;
  const reply = replyOf(agent, { messages: agent.chat_messages_get(sender), sender });
  if (isThenable(reply) || answersOnStack >= ANSWERS_PER_STACK) return answerLater(agent, reply, sender, options.silent ?? false, currentRunContext());
  if (reply === null || reply === undefined) return;
  answersOnStack += 1;
  try {
    return sendOf(agent, reply, sender, { silent: options.silent ?? false });
  } finally {
    answersOnStack -= 1;
  }
}

/** Sends the answer after an await: its send starts on a fresh stack, in the run context the receive ran in. */
async function answerLater(agent: ChatAgent, pending: Awaitable<ReplyValue>, sender: Agent, silent: boolean, context: RunContext): Promise<void> {
  const reply = await pending;
  if (reply === null || reply === undefined) return;
  const sent = within(context, () => sendOf(agent, reply, sender, { silent }));
  if (isThenable(sent)) await sent;
}

/** `agent.generate_reply(options)`, without a promise where nothing waits when it is the built-in one. */
export function replyOf(agent: Agent, options: GenerateReplyOptions): Awaitable<ReplyValue> {
  const own = agent as ChatAgent;
  return isBuiltinMethod(own.generate_reply) ? generateReplyNow(own, own.replyChain, options) : agent.generate_reply(options);
}

export async function generateReply(agent: ChatAgent, chain: ReplyChain<ChatAgent>, options: GenerateReplyOptions): Promise<ReplyValue> {
  return generateReplyNow(agent, chain, options);
}

/**
 * generate_reply, synchronous while nothing in it waits (no signal to
 * scope, no hook registered, reply functions that answer synchronously);
 * the library's own callers use it when the agent's generate_reply is the
 * built-in one.
 */
function generateReplyNow(agent: ChatAgent, chain: ReplyChain<ChatAgent>, options: GenerateReplyOptions): Awaitable<ReplyValue> {
  const sender = options.sender ?? null;
  if ((options.messages === null || options.messages === undefined) && sender === null) {
    throw new ValueError("Either messages or sender must be provided.");
  }
  if (options.signal) {
    const { signal, ...rest } = options;
    return withRunContext({ signal }, () => generateReply(agent, chain, rest));
  }
  const context = currentRunContext();
  throwIfAborted(context.signal);
  const messages: Message[] = options.messages ?? agent.chat_messages_get(sender as Agent);
  clearPendingStop(context);
  const hooks = agent.hook_lists;
  if (hooks.update_agent_state.length > 0 || hooks.process_last_received_message.length > 0 || hooks.process_all_messages_before_reply.length > 0) {
    return withReplyHooks(agent, chain, options, messages, context);
  }
  return runChain(agent, chain, options, messages, context);
}

async function withReplyHooks(agent: ChatAgent, chain: ReplyChain<ChatAgent>, options: GenerateReplyOptions, given: Message[], context: RunContext): Promise<ReplyValue> {
  let messages: Message[] | null = given;
  const hooks = agent.hook_lists;
  if (hooks.update_agent_state.length > 0) await updateAgentState(agent, messages, context);
  if (hooks.process_last_received_message.length > 0) messages = await processLastReceivedMessage(agent, messages, context);
  if (hooks.process_all_messages_before_reply.length > 0) messages = await processAllMessagesBeforeReply(agent, messages, context);
  const processed = messages;
  return within(context, () => runChain(agent, chain, options, processed, context));
}

const NOTHING_EXCLUDED: readonly unknown[] = Object.freeze([]);

function runChain(agent: ChatAgent, chain: ReplyChain<ChatAgent>, options: GenerateReplyOptions, messages: Message[] | null, context: RunContext): Awaitable<ReplyValue> {
  const ran = chain.run(agent, messages, options.sender ?? null, options.exclude ?? NOTHING_EXCLUDED, replyExecutedLogger(agent));
  return isThenable(ran) ? ran.then((result) => within(context, () => chosenReply(agent, result, context))) : chosenReply(agent, ran, context);
}

/** The chain's final reply, else the default auto-reply; a null reply without a recorded reason is "no_reply". */
function chosenReply(agent: ChatAgent, result: { reply: ReplyValue } | undefined, context: RunContext): ReplyValue {
  const reply = result ? result.reply : agent._default_auto_reply;
  if ((reply === null || reply === undefined) && pendingStop(context) === null) {
    // A reply function ended the conversation without saying why.
    recordStop("no_reply", agent.name, context);
    emit({ type: "termination", agent: agent.name, stop_reason: "no_reply", reason: `Agent '${agent.name}' has no reply` }, false);
  }
  return reply;
}
