/**
 * save_conversation: the JSON state of a two-agent or group chat.
 */
import { ValueError } from "../errors";
import { Agent } from "../core/agent";
import type { ChatResult } from "../agentchat/chats/chat-result";
import type { ConversableAgent } from "../agentchat/agent/conversable-agent";
import type { Message } from "../core/types";
import type { UsageSummary } from "../oai/usage";
import { resolveTarget, type ConversationTarget } from "./agents";
import {
  CONVERSATION_STATE_VERSION,
  toJsonValue,
  type AgentState,
  type ChatResultState,
  type ConversationState,
  type GroupChatState,
} from "./state";

function byOtherName<V, T>(map: Map<Agent | null, V> | Map<Agent, V>, convert: (value: V, name: string) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [other, value] of map as Map<Agent | null, V>) {
    if (other === null) continue;
    out[other.name] = convert(value, other.name);
  }
  return out;
}

function chatResultState(result: ChatResult, where: string): ChatResultState {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(result)) plain[key] = value instanceof Agent ? value.name : value;
  return toJsonValue(plain, where) as ChatResultState;
}

function finishedChats(agent: ConversableAgent): AgentState["finished_chats"] {
  const where = `${agent.name}._finished_chats`;
  const chats = agent._finished_chats;
  if (Array.isArray(chats)) return chats.map((r, i) => chatResultState(r, `${where}[${i}]`));
  const out: Record<string, ChatResultState> = {};
  for (const [id, r] of Object.entries(chats)) out[id] = chatResultState(r, `${where}[${id}]`);
  return out;
}

function agentState(agent: ConversableAgent): AgentState {
  const name = agent.name;
  const state: AgentState = {
    chat_messages: byOtherName(agent.chat_messages, (messages: Message[], other) =>
      toJsonValue(messages, `${name}.chat_messages[${other}]`) as Message[],
    ),
    consecutive_auto_reply_counter: byOtherName(agent._consecutive_auto_reply_counter, (n: number) => n),
    reply_at_receive: byOtherName(agent.reply_at_receive, (b: boolean) => b),
    human_input: [...agent._human_input],
    finished_chats: finishedChats(agent),
    usage: agent.client
      ? {
          total: toJsonValue(agent.client.total_usage_summary, `${name}.client.total_usage_summary`) as UsageSummary | null,
          actual: toJsonValue(agent.client.actual_usage_summary, `${name}.client.actual_usage_summary`) as UsageSummary | null,
        }
      : null,
  };
  const withoutSender = agent._consecutive_auto_reply_counter.get(null);
  if (withoutSender !== undefined) state.consecutive_auto_reply_counter_without_sender = withoutSender;
  return state;
}

/** Every agent the state refers to must be saved too, or loading could not restore it. */
function checkClosed(agents: Record<string, AgentState>, byName: Map<string, ConversableAgent>): void {
  const outside: string[] = [];
  for (const [name, s] of Object.entries(agents)) {
    for (const other of [...Object.keys(s.chat_messages), ...Object.keys(s.consecutive_auto_reply_counter), ...Object.keys(s.reply_at_receive)]) {
      if (!byName.has(other) && !outside.includes(`'${other}' (talked to ${name})`)) outside.push(`'${other}' (talked to ${name})`);
    }
  }
  if (outside.length > 0) {
    throw new ValueError(
      `save_conversation: the agents have conversations with ${outside.join(", ")}, not among the agents given. ` +
        "Pass those agents too (e.g. save_conversation([manager, user]) for a group chat started by user), " +
        "or clear_history() with them first.",
    );
  }
}

/**
 * The state of a conversation as plain JSON (`JSON.stringify` it to store it).
 * Give the two agents of a chat (`[user, assistant]`, more agents are fine),
 * or the GroupChatManager of a group chat (its members are included).
 */
export function save_conversation(target: ConversationTarget): ConversationState {
  const { byName, manager } = resolveTarget(target, "save_conversation");
  const agents: Record<string, AgentState> = {};
  for (const [name, agent] of byName) agents[name] = agentState(agent);
  checkClosed(agents, byName);
  let group_chat: GroupChatState | null = null;
  if (manager) {
    const gc = manager.groupchat;
    group_chat = {
      manager: manager.name,
      messages: toJsonValue(gc.messages, "groupchat.messages") as Message[],
      last_speaker: manager.last_speaker ? manager.last_speaker.name : null,
      send_introductions: gc.send_introductions,
    };
  }
  return {
    version: CONVERSATION_STATE_VERSION,
    kind: manager ? "group_chat" : "two_agent",
    saved_at: new Date().toISOString(),
    agents,
    group_chat,
  };
}
