/**
 * clear_history and last_message (spec 10 §10).
 */
import { KeyError, ValueError } from "../errors";
import { emit } from "../io/events";
import type { Agent } from "./agent";
import type { ConversableAgent } from "./conversable-agent";
import type { Message } from "./types";

export function clearHistory(agent: ConversableAgent, recipient: Agent | null, nr_messages_to_preserve: number | null): void {
  const all = agent.chat_messages;
  if (recipient !== null) {
    const list = all.get(recipient);
    if (list) list.length = 0;
    else all.set(recipient, []);
    if (nr_messages_to_preserve !== null) {
      emit({
        type: "note",
        text: "WARNING: `nr_preserved_messages` is ignored when clearing chat history with a specific agent.",
        color: "yellow",
      });
    }
    return;
  }
  if (nr_messages_to_preserve === null) {
    all.clear();
    return;
  }
  for (const [key, list] of all) {
    let keep = nr_messages_to_preserve;
    if (keep >= list.length) continue;
    const first = list[list.length - keep];
    if (keep > 0 && first?.tool_responses) {
      keep += 1;
      emit({
        type: "note",
        text: `Preserving one more message for ${agent.name} to not divide history between tool call and tool response.`,
      });
    }
    const kept = keep === 0 ? [] : list.slice(-keep);
    list.length = 0;
    list.push(...kept);
    all.set(key, list);
  }
}

export function lastMessage(agent: ConversableAgent, other: Agent | null): Message | null {
  const all = agent.chat_messages;
  if (other === null) {
    if (all.size === 0) return null;
    if (all.size === 1) return [...all.values()][0].at(-1) ?? null;
    throw new ValueError("More than one conversation is found. Please specify the sender to get the last message.");
  }
  const list = all.get(other);
  if (list === undefined) {
    throw new KeyError(`The agent '${other.name}' is not present in any conversation. No history available for this agent.`);
  }
  return list.at(-1) ?? null;
}
