/**
 * The selection chat of "auto" speaker selection (spec 30 §5.2): the
 * checking agent opens a two-agent chat with the selector and reads its
 * last message. As an `initiate_chat` whenever anything could see it as a
 * chat (an event listener, printed output, a runtime logger, an abort
 * signal); otherwise only its turns run, the same sends and replies in the
 * same order, without what only a chat's observers would see (its events,
 * ChatResult, summary and cache lease: the selection agents have no cache).
 */
import { eventsWanted } from "../../io/events";
import { logging_enabled } from "../../logging/runtime";
import { runTurns } from "../chats/chat";
import type { ConversableAgent } from "../agent/conversable-agent";
import { currentRunContext, within, type ChatState, type RunContext } from "../../core/run-context";
import type { Message } from "../../core/types";

/** Runs the selection chat; resolves with its last message (the checking agent's record). */
export async function runSelectionChat(
  checking: ConversableAgent,
  selector: ConversableAgent,
  start: Message,
  maxTurns: number,
  verbose: boolean,
): Promise<Message | undefined> {
  const outer = currentRunContext();
  if (verbose || outer.signal !== undefined || eventsWanted(false) || logging_enabled()) {
    const result = await checking.initiate_chat(selector, { message: start, cache: null, max_turns: maxTurns, clear_history: false, silent: !verbose });
    return result.chat_history.at(-1);
  }
  // Its own stop record (so the outer chat's is left alone), and its number in the run, as a chat would take.
  if (outer.counter) outer.counter.next += 1;
  const state: ChatState = { pending: null };
  const context: RunContext = Object.assign({}, outer, { chat: state });
  // As initiate_chat with max_turns: prepared without clearing, the selector not answering on its own, then the same turns.
  within(context, () => checking._prepare_chat(selector, false, true, false));
  await within(context, () => runTurns(checking, selector, { max_turns: maxTurns, silent: true }, start, state, context));
  return checking.chat_messages.get(selector)?.at(-1);
}
