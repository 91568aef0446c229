/**
 * check_termination_and_human_reply (spec 10 §8.1): decides, per turn,
 * whether the conversation stops, a human answers, or the agent auto-replies.
 */
import { emit } from "../../io/events";
import type { Agent } from "../../core/agent";
import type { ChatAgent } from "../agent/chat-agent";
import { isThenable } from "../../thenable";
import { content_str } from "../../core/messages";
import { currentRunContext, recordStop, within } from "../../core/run-context";
import type { Awaitable, Message, ReplyValue, ToolResponse } from "../../core/types";

/** The default `is_termination_msg`: the content is exactly "TERMINATE" (text parts joined, as content_str). */
export function isTerminateMessage(message: Message): boolean {
  const content = message.content;
  return typeof content === "string" ? content === "TERMINATE" : Array.isArray(content) && content_str(content) === "TERMINATE";
}

type StopBy = "termination_msg" | "human_exit" | "max_consecutive_auto_reply";
type Outcome = { kind: "stop"; reason: StopBy } | { kind: "auto" } | { kind: "human"; reply: string };

/** The outcomes that carry nothing of their own, shared (one is decided per reply). */
const AUTO: Outcome = Object.freeze({ kind: "auto" });
const STOP_HUMAN_EXIT: Outcome = Object.freeze({ kind: "stop", reason: "human_exit" });
const STOP_TERMINATION_MSG: Outcome = Object.freeze({ kind: "stop", reason: "termination_msg" });
const STOP_MAX_CONSECUTIVE_AUTO_REPLY: Outcome = Object.freeze({ kind: "stop", reason: "max_consecutive_auto_reply" });


function promptAlways(agent: ChatAgent, senderName: string): string {
  return `Replying as ${agent.name}. Give feedback to ${senderName}. Press enter to skip and use auto-reply, or type 'exit' to end the conversation: `;
}
function promptAuto(senderName: string): string {
  return `Give feedback to ${senderName}. Press enter to skip and use auto-reply, or type 'exit' to stop the conversation: `;
}
function promptStop(senderName: string): string {
  return `Give feedback to ${senderName}. Press enter or type 'exit' to stop the conversation: `;
}

async function ask(agent: ChatAgent, prompt: string): Promise<string> {
  emit({ type: "human_input_requested", agent: agent.name, prompt }, false);
  const reply = await agent.a_get_human_input(prompt);
  if (reply === "") emit({ type: "no_human_input", agent: agent.name });
  return reply;
}

/** What an answer means when the human could also have let the agent auto-reply. */
function answerWithAuto(reply: string, terminating: boolean, maxReplies: number): Outcome {
  if (reply === "exit") return STOP_HUMAN_EXIT;
  if (reply === "") {
    if (terminating) return STOP_TERMINATION_MSG;
    return maxReplies === 0 ? { kind: "human", reply: "" } : AUTO;
  }
  return { kind: "human", reply };
}

/** The outcome when no human needs to be asked (NEVER mode; TERMINATE mode mid-conversation), else null. */
function withoutAsking(agent: ChatAgent, terminating: boolean, sender: Agent | null): Outcome | null {
  const mode = agent.human_input_mode;
  if (mode === "ALWAYS" || (mode === "TERMINATE" && terminating)) return null;
  const count = agent._consecutive_auto_reply_counter.get(sender) ?? 0;
  const max = agent.max_consecutive_auto_reply(sender === null ? {} : { sender });
  if (mode === "NEVER") {
    if (count >= max) return STOP_MAX_CONSECUTIVE_AUTO_REPLY;
    return terminating ? STOP_TERMINATION_MSG : AUTO;
  }
  return count >= max ? null : AUTO;
}

async function decide(agent: ChatAgent, sender: Agent | null, isTermination: unknown): Promise<Outcome> {
  const terminating = Boolean(await isTermination);
  const count = agent._consecutive_auto_reply_counter.get(sender) ?? 0;
  const max = agent.max_consecutive_auto_reply(sender === null ? {} : { sender });
  const senderName = sender ? sender.name : "the sender";
  switch (agent.human_input_mode) {
    case "ALWAYS":
      return answerWithAuto(await ask(agent, promptAlways(agent, senderName)), terminating, max);
    case "NEVER":
      if (count >= max) return STOP_MAX_CONSECUTIVE_AUTO_REPLY;
      return terminating ? STOP_TERMINATION_MSG : AUTO;
    case "TERMINATE":
      if (count >= max) {
        const reply = await ask(agent, terminating ? promptStop(senderName) : promptAuto(senderName));
        return answerWithAuto(reply, terminating, max);
      }
      if (terminating) {
        const reply = await ask(agent, promptStop(senderName));
        if (reply === "exit") return STOP_HUMAN_EXIT;
        return reply === "" ? STOP_TERMINATION_MSG : { kind: "human", reply };
      }
      return AUTO;
  }
}

const REASONS: Record<StopBy, (agent: ChatAgent, sender: Agent | null) => string> = {
  termination_msg: (agent) => `Termination message condition on agent '${agent.name}' met`,
  human_exit: (agent) => `The human answering for agent '${agent.name}' ended the conversation`,
  max_consecutive_auto_reply: (agent, sender) =>
    `Maximum number of consecutive auto-replies (${agent.max_consecutive_auto_reply(sender === null ? {} : { sender })}) of agent '${agent.name}' reached`,
};

/** Responses that mark pending function or tool calls as interrupted by the human. */
function interruptedResponses(message: Message): ToolResponse[] {
  const responses: ToolResponse[] = [];
  if (message.function_call) {
    responses.push({ role: "function", name: message.function_call.name ?? "", content: "USER INTERRUPTED" });
  }
  for (const call of message.tool_calls ?? []) {
    responses.push({ role: "tool", tool_call_id: call.id ?? "", content: "USER INTERRUPTED" });
  }
  return responses;
}

export function check_termination_and_human_reply(
  recipient: ChatAgent,
  messages?: Message[] | null,
  sender?: Agent | null,
  _config?: unknown,
): Awaitable<[boolean, ReplyValue]> {
  const who = sender ?? null;
  const history = messages ?? (who ? recipient.chat_messages_get(who) : []);
  const message: Message = history.at(-1) ?? {};
  // Synchronous when the termination check is and nobody needs to be asked (the common turn): no await then.
  const terminating: unknown = recipient._is_termination_msg(message);
  if (!isThenable(terminating)) {
    const outcome = withoutAsking(recipient, Boolean(terminating), who);
    if (outcome) return settle(recipient, message, who, outcome);
  }
  const context = currentRunContext();
  return decide(recipient, who, terminating).then((outcome) => within(context, () => settle(recipient, message, who, outcome)));
}

/** Applies the outcome: counters, the stop record and events, and the reply. */
function settle(recipient: ChatAgent, message: Message, who: Agent | null, outcome: Outcome): [boolean, ReplyValue] {
  const counters = recipient._consecutive_auto_reply_counter;
  switch (outcome.kind) {
    case "stop":
      counters.set(who, 0);
      recordStop(outcome.reason, recipient.name);
      emit({ type: "termination", agent: recipient.name, stop_reason: outcome.reason, reason: REASONS[outcome.reason](recipient, who) }, false);
      return [true, null];
    case "auto":
      counters.set(who, (counters.get(who) ?? 0) + 1);
      if (recipient.human_input_mode !== "NEVER") emit({ type: "using_auto_reply", agent: recipient.name });
      return [false, null];
    case "human": {
      counters.set(who, 0);
      const reply: Message = { role: "user", content: outcome.reply };
      const responses = interruptedResponses(message);
      if (responses.length > 0) reply.tool_responses = responses;
      return [true, reply];
    }
  }
}
