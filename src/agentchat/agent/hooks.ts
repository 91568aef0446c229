/**
 * Hooks (spec 10 §9): functions that adjust messages around sending and
 * replying. They never change the stored history.
 */
import { ValueError } from "../../errors";
import type { Agent } from "../../core/agent";
import { currentRunContext, within, type RunContext } from "../../core/run-context";
import type { Awaitable, Message } from "../../core/types";

export type HookName =
  | "process_message_before_send"
  | "update_agent_state"
  | "process_last_received_message"
  | "process_all_messages_before_reply";

export const HOOK_NAMES: readonly HookName[] = [
  "process_last_received_message",
  "process_all_messages_before_reply",
  "process_message_before_send",
  "update_agent_state",
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type HookFunction = (...args: any[]) => any;

export type HookLists = Record<HookName, HookFunction[]>;

/** What the hook runners use of an agent: its hooks (and the agent itself, which some hooks receive). */
export interface HookedAgent extends Agent {
  readonly hook_lists: HookLists;
}

export function emptyHookLists(): HookLists {
  // A plain loop, not Object.fromEntries: the lists are read on every message.
  const lists = {} as HookLists;
  for (const name of HOOK_NAMES) lists[name] = [];
  return lists;
}

export function registerHook(lists: HookLists, hookable_method: string, hook: HookFunction): void {
  if (!(HOOK_NAMES as readonly string[]).includes(hookable_method)) {
    throw new ValueError(`${hookable_method} is not a hookable method.`);
  }
  const list = lists[hookable_method as HookName];
  if (list.includes(hook)) throw new ValueError(`${hook.name || String(hook)} is already registered as a hook.`);
  list.push(hook);
}

export async function processMessageBeforeSend(
  agent: HookedAgent,
  message: Message | string,
  recipient: Agent,
  silent: boolean,
  context: RunContext = currentRunContext(),
): Promise<Message | string> {
  let out = message;
  for (const hook of agent.hook_lists.process_message_before_send) {
    const input = out;
    out = await within(context, () => hook({ sender: agent, message: input, recipient, silent }));
  }
  return out;
}

export async function updateAgentState(agent: HookedAgent, messages: Message[], context: RunContext = currentRunContext()): Promise<void> {
  for (const hook of agent.hook_lists.update_agent_state) await within(context, () => hook(agent, messages));
}

/** Applies `process_last_received_message` to a copy of the last message. */
export async function processLastReceivedMessage(
  agent: HookedAgent,
  messages: Message[] | null,
  context: RunContext = currentRunContext(),
): Promise<Message[] | null> {
  const hooks = agent.hook_lists.process_last_received_message;
  if (hooks.length === 0 || !messages || messages.length === 0) return messages;
  const last = messages[messages.length - 1];
  if (last.function_call || last.context || !("content" in last)) return messages;
  const content = last.content;
  if (typeof content !== "string" && !Array.isArray(content)) return messages;
  if (content === "exit") return messages;
  let processed: unknown = content;
  for (const hook of hooks) {
    const input = processed;
    processed = await within(context, () => hook(input));
  }
  if (processed === content) return messages;
  return [...messages.slice(0, -1), { ...last, content: processed as Message["content"] }];
}

export async function processAllMessagesBeforeReply(
  agent: HookedAgent,
  messages: Message[] | null,
  context: RunContext = currentRunContext(),
): Promise<Message[] | null> {
  const hooks = agent.hook_lists.process_all_messages_before_reply;
  if (hooks.length === 0 || messages === null) return messages;
  let out: Message[] = messages;
  for (const hook of hooks) {
    const input = out;
    out = (await within(context, () => hook(input))) as Message[];
  }
  return out;
}

export type { Awaitable };
