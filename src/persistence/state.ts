/**
 * The saved-conversation format (issue #10 part 4): plain JSON, versioned.
 *
 * Version 1 layout:
 * ```json
 * { "version": 1, "kind": "two_agent" | "group_chat", "saved_at": "<ISO time>",
 *   "agents": { "<agent name>": AgentState },
 *   "group_chat": null | { "manager": "<name>", "messages": [...],
 *                          "last_speaker": "<name>" | null, "send_introductions": false } }
 * ```
 * Every reference to another agent is its name. Fixtures of each version live
 * in test/fixtures/ and must keep loading.
 */
import { ValueError } from "../errors";
import type { Message } from "../core/types";
import type { UsageSummary } from "../oai/usage";

export const CONVERSATION_STATE_VERSION = 1;
export const SUPPORTED_CONVERSATION_STATE_VERSIONS: readonly number[] = [1];

export type ConversationKind = "two_agent" | "group_chat";

/** A ChatResult as JSON; agents it refers to are replaced by their names. */
export type ChatResultState = Record<string, unknown> & {
  chat_id: number | null;
  chat_history: Message[];
  summary: string;
  cost: Record<string, unknown>;
  human_input: string[];
};

export interface AgentState {
  /** `chat_messages`, keyed by the name of the other agent. */
  chat_messages: Record<string, Message[]>;
  /** `_consecutive_auto_reply_counter`, keyed by the other agent's name. */
  consecutive_auto_reply_counter: Record<string, number>;
  /** The counter kept for "no sender" (AG2's `None` key), when there is one. */
  consecutive_auto_reply_counter_without_sender?: number;
  /** `reply_at_receive`, keyed by the other agent's name. */
  reply_at_receive: Record<string, boolean>;
  /** Human replies given so far (`_human_input`). */
  human_input: string[];
  /** `_finished_chats`: a list (initiate_chats) or an object keyed by chat id (a_initiate_chats). */
  finished_chats: ChatResultState[] | Record<string, ChatResultState>;
  /** Usage of the agent's model client, so costs keep adding up after a resume. */
  usage: { total: UsageSummary | null; actual: UsageSummary | null } | null;
}

export interface GroupChatState {
  /** Name of the GroupChatManager. */
  manager: string;
  /** The group transcript (`groupchat.messages`). */
  messages: Message[];
  /** Name of the manager's last speaker, or null. */
  last_speaker: string | null;
  /** Whether introductions are still to be sent when the chat continues. */
  send_introductions: boolean;
}

export interface ConversationState {
  version: number;
  kind: ConversationKind;
  saved_at: string;
  agents: Record<string, AgentState>;
  group_chat: GroupChatState | null;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return (value as object).constructor?.name ?? "Object";
  return typeof value;
}

/**
 * A JSON copy of `value`; anything JSON cannot hold (functions, bigint,
 * class instances other than plain data, cycles) is an error naming where
 * it was found.
 */
export function toJsonValue(value: unknown, where: string, seen: Set<object> = new Set()): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw notSerialisable(where, `the number ${value}`);
    return value;
  }
  if (value === undefined) return undefined;
  if (typeof value !== "object") throw notSerialisable(where, `a ${typeName(value)}`);
  if (seen.has(value)) throw notSerialisable(where, "a circular reference");
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v, i) => toJsonValue(v, `${where}[${i}]`, seen) ?? null);
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw notSerialisable(where, `a ${typeName(value)} object`);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const json = toJsonValue(v, `${where}.${k}`, seen);
      if (json !== undefined) out[k] = json;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

function notSerialisable(where: string, what: string): ValueError {
  return new ValueError(
    `Cannot save the conversation: ${where} holds ${what}, which JSON cannot represent. ` +
      "Saved conversations hold plain data only; replace it with a string or a plain object before saving.",
  );
}

/** Checks the envelope of a state (object, version, kind); accepts a JSON string too. */
export function parseConversationState(state: ConversationState | string): ConversationState {
  let parsed: unknown = state;
  if (typeof state === "string") {
    try {
      parsed = JSON.parse(state);
    } catch (err) {
      throw new ValueError("The saved conversation is not valid JSON.", { cause: err });
    }
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ValueError("A saved conversation must be an object as returned by save_conversation.");
  }
  const s = parsed as Partial<ConversationState>;
  if (!SUPPORTED_CONVERSATION_STATE_VERSIONS.includes(s.version as number)) {
    throw new ValueError(
      `Unknown saved-conversation version ${JSON.stringify(s.version)}: this ag2ts reads version(s) ` +
        `${SUPPORTED_CONVERSATION_STATE_VERSIONS.join(", ")}. Save it again with this version, or upgrade ag2ts.`,
    );
  }
  if (s.kind !== "two_agent" && s.kind !== "group_chat") {
    throw new ValueError(`Saved conversation has an unknown kind ${JSON.stringify(s.kind)}: expected "two_agent" or "group_chat".`);
  }
  if (s.agents === null || typeof s.agents !== "object" || Array.isArray(s.agents)) {
    throw new ValueError("Saved conversation has no 'agents' object.");
  }
  if (s.kind === "group_chat" && (s.group_chat === null || typeof s.group_chat !== "object")) {
    throw new ValueError("Saved group chat has no 'group_chat' section.");
  }
  return s as ConversationState;
}
