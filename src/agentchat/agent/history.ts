/**
 * clear_history and last_message (spec 10 §10).
 */
import { KeyError, ValueError } from "../../errors";
import { emit } from "../../io/events";
import type { Agent } from "../../core/agent";
import type { ChatAgent } from "./chat-agent";
import type { Message } from "../../core/types";

export function clearHistory(agent: ChatAgent, recipient: Agent | null, nr_messages_to_preserve: number | null): void {
  const all = agent.chat_messages;
  // AG2 tests `if nr_messages_to_preserve:`, so 0 behaves like no number.
  const n = nr_messages_to_preserve ? nr_messages_to_preserve : null;
  if (recipient !== null) {
    const list = all.get(recipient);
    if (list) list.length = 0;
    else all.set(recipient, []);
    if (n !== null) {
      emit({
        type: "note",
        text: "WARNING: `nr_preserved_messages` is ignored when clearing chat history with a specific agent.",
        color: "yellow",
      });
    }
    return;
  }
  if (n === null) {
    all.clear();
    return;
  }
  for (const list of all.values()) {
    // AG2 raises IndexError when n exceeds the conversation; ag2ts keeps it whole.
    if (n > list.length) continue;
    let keep = n;
    if (list[list.length - keep].tool_responses) {
      keep += 1;
      emit({
        type: "note",
        text: `Preserving one more message for ${agent.name} to not divide history between tool call and tool response.`,
      });
    }
    const kept = list.slice(-keep);
    list.length = 0;
    list.push(...kept);
  }
}

export function lastMessage(agent: ChatAgent, other: Agent | null): Message | null {
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
