/**
 * The per-sender auto-reply counters and limits, and reply_at_receive
 * (spec 10 §10). `null` as sender means "every sender".
 */
import type { Agent } from "../../core/agent";
import type { ChatAgent } from "./chat-agent";

export function updateMaxConsecutiveAutoReply(agent: ChatAgent, value: number, sender: Agent | null): void {
  const limits = agent._max_consecutive_auto_reply_dict;
  if (sender !== null) {
    limits.set(sender, value);
    return;
  }
  agent._max_consecutive_auto_reply = value;
  for (const key of limits.keys()) limits.set(key, value);
}

/** The limit for `sender`; the agent-wide value is read once and then kept per sender (AG2). */
export function maxConsecutiveAutoReply(agent: ChatAgent, sender: Agent | null): number {
  if (sender === null) return agent._max_consecutive_auto_reply;
  const limits = agent._max_consecutive_auto_reply_dict;
  if (!limits.has(sender)) limits.set(sender, agent._max_consecutive_auto_reply);
  return limits.get(sender) as number;
}

export function resetConsecutiveAutoReplyCounter(agent: ChatAgent, sender: Agent | null): void {
  if (sender === null) agent._consecutive_auto_reply_counter.clear();
  else agent._consecutive_auto_reply_counter.set(sender, 0);
}

export function stopReplyAtReceive(agent: ChatAgent, sender: Agent | null): void {
  if (sender === null) agent.reply_at_receive.clear();
  else agent.reply_at_receive.set(sender, false);
}
