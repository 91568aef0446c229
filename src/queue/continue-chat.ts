/**
 * Continues a two-agent chat restored from a saved state (load_conversation)
 * at the message where it stopped, turn for turn as initiate_chat's runner
 * (agentchat/chats/chat.ts `runTurns`, which runs the remaining turns) would have gone on, and ends it as
 * initiate_chat does: the stop reason, the summary, the ChatResult, the
 * chat_end event. The next move follows from who sent the last message:
 *
 * - without max_turns, the agent that received it answers, and the exchange
 *   goes on through reply_at_receive, as inside `receive`;
 * - with max_turns, the recipient answers a message of the sender, then the
 *   sender's turns go on from the number it has taken so far.
 */
import { throwIfAborted } from "../errors";
import { currentRunContext, withChatScope, within, type ChatState, type RunContext, type StopRecord } from "../core/run-context";
import type { ConversableAgent } from "../agentchat/agent/conversable-agent";
import type { ChatResult } from "../agentchat/chats/chat-result";
import { leaseChatCache } from "../agentchat/chats/chat-cache";
import { runTurns, settleChat } from "../agentchat/chats/chat";
import { validateSummaryMethod } from "../agentchat/chats/summary";
import type { ConversationSpec } from "./registry";

/** Where a saved chat stands: who sent its last message to whom, and how many turns the sender has taken. */
export interface ChatPosition {
  from: string;
  to: string;
  /** Messages in the sender's history with the recipient. */
  messages: number;
  /** Messages the sender has sent (its turns, for max_turns). */
  turns: number;
}

async function answer(agent: ConversableAgent, other: ConversableAgent, silent: boolean): Promise<void> {
  const reply = await agent.generate_reply({ messages: agent.chat_messages_get(other), sender: other });
  if (reply !== null && reply !== undefined) await agent.send(reply, other, { silent });
}

export function continueChat(spec: ConversationSpec, position: ChatPosition, signal: AbortSignal): Promise<ChatResult> {
  const { sender, recipient } = spec;
  const summary_method = spec.summary_method === undefined ? "last_msg" : spec.summary_method;
  validateSummaryMethod(summary_method, sender, recipient);
  const cache = spec.cache ?? null;
  const lease = leaseChatCache([sender, recipient], cache);
  const silent = spec.silent ?? false;
  const maxTurns = spec.max_turns;
  const options = { max_turns: maxTurns, summary_method, summary_args: spec.summary_args ?? null, silent, cache };
  const run = async (state: ChatState, context: RunContext): Promise<StopRecord> => {
    throwIfAborted(signal);
    if (maxTurns === null || maxTurns === undefined) {
      const from = position.from === sender.name ? sender : recipient;
      const to = from === sender ? recipient : sender;
      if (to.reply_at_receive.get(from) === true) await answer(to, from, silent);
      return state.pending ?? { reason: "no_reply", agent: null };
    }
    if (position.from === sender.name) await answer(recipient, sender, silent);
    // The sender's remaining turns, as initiate_chat runs them.
    return within(context, () => runTurns(sender, recipient, options, null, state, context, position.turns));
  };
  return withChatScope(
    signal,
    async (state) => {
      try {
        const context = currentRunContext();
        return await settleChat(sender, recipient, options, summary_method, cache, context, () => within(context, () => run(state, context)));
      } finally {
        lease.release();
      }
    },
    lease.caches,
  );
}
