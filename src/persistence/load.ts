/**
 * load_conversation: restores a saved conversation into existing agents,
 * matched by name.
 */
import { KeyError, ValueError } from "../errors";
import type { Agent } from "../core/agent";
import { ChatResult } from "../agentchat/chats/chat-result";
import type { ConversableAgent } from "../agentchat/agent/conversable-agent";
import type { GroupChatManager } from "../agentchat/groupchat/manager";
import type { Message } from "../core/types";
import { resolveTarget, type ConversationTarget } from "./agents";
import { parseConversationState, type AgentState, type ChatResultState, type ConversationState } from "./state";

export interface LoadedConversation {
  kind: ConversationState["kind"];
  /** The agents restored, by name. */
  agents: Map<string, ConversableAgent>;
  /** Group chats: the manager's last speaker; null otherwise. */
  last_speaker: Agent | null;
  /** Group chats: the last transcript message; null otherwise. */
  last_message: Message | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function checkAgentState(name: string, s: unknown): asserts s is AgentState {
  const bad = (field: string, expected: string) =>
    new ValueError(`Saved conversation: agents.${name}.${field} must be ${expected}.`);
  if (!isRecord(s)) throw bad("", "an object");
  if (!isRecord(s.chat_messages) || !Object.values(s.chat_messages).every(Array.isArray)) throw bad("chat_messages", "an object of message lists");
  if (!isRecord(s.consecutive_auto_reply_counter) || !Object.values(s.consecutive_auto_reply_counter).every((n) => typeof n === "number")) {
    throw bad("consecutive_auto_reply_counter", "an object of numbers");
  }
  if (!isRecord(s.reply_at_receive) || !Object.values(s.reply_at_receive).every((b) => typeof b === "boolean")) {
    throw bad("reply_at_receive", "an object of booleans");
  }
  if (!Array.isArray(s.human_input) || !s.human_input.every((h) => typeof h === "string")) throw bad("human_input", "a list of strings");
  if (!Array.isArray(s.finished_chats) && !isRecord(s.finished_chats)) throw bad("finished_chats", "a list or an object");
}

/** Names the state refers to, with where each was found. */
function referencedNames(state: ConversationState): Map<string, string> {
  const names = new Map<string, string>();
  const note = (name: string, where: string) => {
    if (!names.has(name)) names.set(name, where);
  };
  for (const [name, s] of Object.entries(state.agents)) {
    note(name, `agents.${name}`);
    for (const key of ["chat_messages", "consecutive_auto_reply_counter", "reply_at_receive"] as const) {
      for (const other of Object.keys(s[key])) note(other, `agents.${name}.${key}`);
    }
  }
  if (state.group_chat) {
    note(state.group_chat.manager, "group_chat.manager");
    if (state.group_chat.last_speaker) note(state.group_chat.last_speaker, "group_chat.last_speaker");
  }
  return names;
}

function chatResult(s: ChatResultState): ChatResult {
  const result = new ChatResult(clone(s) as unknown as Partial<ChatResult>);
  // Fields added by later versions of ChatResult (kept as saved).
  for (const [key, value] of Object.entries(s)) if (!(key in result)) (result as unknown as Record<string, unknown>)[key] = clone(value);
  return result;
}

function restoreAgent(agent: ConversableAgent, s: AgentState, byName: Map<string, ConversableAgent>): void {
  agent._oai_messages.clear();
  for (const [other, messages] of Object.entries(s.chat_messages)) agent._oai_messages.set(byName.get(other) as Agent, clone(messages));
  agent._consecutive_auto_reply_counter.clear();
  for (const [other, n] of Object.entries(s.consecutive_auto_reply_counter)) agent._consecutive_auto_reply_counter.set(byName.get(other) as Agent, n);
  if (typeof s.consecutive_auto_reply_counter_without_sender === "number") {
    agent._consecutive_auto_reply_counter.set(null, s.consecutive_auto_reply_counter_without_sender);
  }
  agent.reply_at_receive.clear();
  for (const [other, b] of Object.entries(s.reply_at_receive)) agent.reply_at_receive.set(byName.get(other) as Agent, b);
  agent._human_input = [...s.human_input];
  if (Array.isArray(s.finished_chats)) {
    agent._finished_chats = s.finished_chats.map(chatResult);
  } else {
    const chats: Record<number, ChatResult> = {};
    for (const [id, r] of Object.entries(s.finished_chats)) chats[Number(id)] = chatResult(r);
    agent._finished_chats = chats;
  }
  if (agent.client && s.usage) {
    agent.client.total_usage_summary = clone(s.usage.total);
    agent.client.actual_usage_summary = clone(s.usage.actual);
  }
}

/**
 * Restores `state` (from save_conversation, or its JSON text) into existing
 * agents, matched by name: the agents of a two-agent chat, or the
 * GroupChatManager of a group chat. Everything is checked before anything
 * changes, so a failed load leaves the agents as they were.
 *
 * Then continue a two-agent chat with
 * `initiate_chat(recipient, { message, clear_history: false })`, and a group
 * chat the same way towards the manager.
 */
export function load_conversation(state: ConversationState | string, target: ConversationTarget): LoadedConversation {
  const s = parseConversationState(state);
  const { byName, manager } = resolveTarget(target, "load_conversation");
  for (const [name, agentState] of Object.entries(s.agents)) checkAgentState(name, agentState);

  const missing = [...referencedNames(s)].filter(([name]) => !byName.has(name));
  if (missing.length > 0) {
    const list = missing.map(([name, where]) => `'${name}' (in ${where})`).join(", ");
    throw new KeyError(
      `load_conversation: the saved conversation refers to agent(s) ${list} that are not among the agents given ` +
        `(${[...byName.keys()].map((n) => `'${n}'`).join(", ")}). Create agents with those names and pass them all` +
        `${s.kind === "group_chat" ? " (for a group chat, pass its GroupChatManager)" : ""}.`,
    );
  }
  let groupManager: GroupChatManager | null = null;
  if (s.kind === "group_chat") {
    const gcState = s.group_chat!;
    if (!manager || manager.name !== gcState.manager) {
      throw new ValueError(
        `load_conversation: this is a saved group chat managed by '${gcState.manager}'; pass that GroupChatManager ` +
          `(got ${manager ? `the manager '${manager.name}'` : "no GroupChatManager"}).`,
      );
    }
    if (!Array.isArray(gcState.messages)) throw new ValueError("Saved conversation: group_chat.messages must be a list of messages.");
    groupManager = manager;
  }

  for (const [name, agentState] of Object.entries(s.agents)) restoreAgent(byName.get(name)!, agentState, byName);
  let last_speaker: Agent | null = null;
  let last_message: Message | null = null;
  if (groupManager && s.group_chat) {
    const gc = groupManager.groupchat;
    gc.messages.length = 0;
    gc.messages.push(...clone(s.group_chat.messages));
    last_speaker = s.group_chat.last_speaker ? (byName.get(s.group_chat.last_speaker) ?? null) : null;
    groupManager._last_speaker = last_speaker;
    gc.send_introductions = s.group_chat.send_introductions === true;
    last_message = gc.messages.at(-1) ?? null;
  }
  return { kind: s.kind, agents: byName, last_speaker, last_message };
}
