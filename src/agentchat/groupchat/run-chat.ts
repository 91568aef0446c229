/**
 * The group chat loop (spec 30 §7.3) and the "clear history" command (§7.5).
 */
import { throwIfAborted } from "../../errors";
import { emit } from "../../io/events";
import { withChatCache } from "../chats/chat-cache";
import { currentRunContext, pendingStop, recordStop, withPathSegment, within, type RunContext, type StopReason } from "../../core/run-context";
import { log } from "../../warnings";
import type { Agent } from "../../core/agent";
import type { ConversableAgent } from "../agent/conversable-agent";
import type { Message, ReplyValue } from "../../core/types";
import { NoEligibleSpeakerError } from "./errors";
import { relayDirect, replyOf, sendOf } from "../agent/messaging";
import { isThenable } from "../../thenable";
import { selectSpeakerNow } from "./speaker-selection";
import { GroupChat } from "./groupchat";
import type { GroupManager } from "./group-manager";

/** How the manager relays a message to the members: no reply asked, nothing printed. */
const RELAY = Object.freeze({ request_reply: false, silent: true });

function isClearHistoryCommand(reply: ReplyValue): reply is Message & { content: string } {
  return (
    reply !== null &&
    typeof reply === "object" &&
    typeof reply.content === "string" &&
    reply.content !== "" &&
    reply.content.toUpperCase().includes("CLEAR HISTORY")
  );
}

const isDigits = (word: string) => /^\d+$/.test(word);

/**
 * Runs a "clear history" command found in `reply` and returns the content
 * without it (AG2 `clear_agents_history`). Without a standalone `clear`
 * word the content is returned unchanged.
 */
export function clearAgentsHistory(reply: Message, groupchat: GroupChat): string {
  const content = typeof reply.content === "string" ? reply.content : "";
  const words = content.split(/\s+/).filter((w) => w !== "");
  let k = -1;
  for (let i = words.length - 1; i >= 0; i--) {
    if (words[i].toUpperCase() === "CLEAR") {
      k = i;
      break;
    }
  }
  if (k === -1) return content;
  let n: number | null = null;
  let nGiven = false;
  let target: Agent | null = null;
  for (const word of words.slice(k + 2, k + 4)) {
    if (isDigits(word)) {
      n = Number(word);
      nGiven = true;
    } else if (word.length > 1 && isDigits(word.slice(0, -1))) {
      n = Number(word.slice(0, -1));
      nGiven = true;
    } else {
      const found = groupchat.agents.find((a) => a.name === word || a.name === word.slice(0, -1));
      if (found) target = found;
    }
  }
  if (reply.tool_responses && !n) {
    n = 1;
    log("warning", "The last tool call message will be kept, so that no tool response is left without its tool call.");
  }
  emit({ type: "clear_agents_history", agent: target ? target.name : null, nr_messages_to_preserve: n || null });
  const clear = (agent: Agent) =>
    (agent as Partial<ConversableAgent>).clear_history?.call(agent, { nr_messages_to_preserve: n });
  if (target) {
    clear(target);
  } else {
    const kept = n ? groupchat.messages.slice(-n) : [];
    groupchat.messages.length = 0;
    groupchat.messages.push(...kept);
    for (const agent of groupchat.agents) clear(agent);
  }
  const skip = 2 + (target ? 1 : 0) + (nGiven ? 1 : 0);
  return [...words.slice(0, k), ...words.slice(k + skip)].join(" ");
}

/**
 * Runs `fn` with the manager's chat cache lent to every member (when the
 * manager has one, as AG2). Each member's own cache is kept per run
 * (chat-cache.ts), not in its `previous_cache` slot, which `initiate_chat`
 * already uses for the initiator and for a member that runs a nested chat
 * (AG2 overwrites it, so those agents lose their cache); a member also in
 * another chat running meanwhile keeps that chat's cache there.
 */
function withSharedCache<T>(manager: ConversableAgent, agents: readonly Agent[], fn: () => Promise<T>): Promise<T> {
  const cache = manager.client_cache;
  if (cache === null || cache === undefined) return fn();
  return withChatCache(agents, cache, fn);
}

/** Records why the group chat ended, for the chat's ChatResult and the event stream. */
function stopGroup(manager: GroupManager, reason: StopReason, agent: string | null, text: string, context: RunContext): void {
  manager.termination_reason = text;
  recordStop(reason, agent, context);
  within(context, () => emit({ type: "termination", agent, stop_reason: reason, reason: text }, false));
}

/** Sends `entry` from the manager to every member from `start` on but `speaker` (null: to all), in order; synchronous while no send waits. */
function relay(
  manager: GroupManager,
  agents: readonly Agent[],
  entry: Message | string,
  speaker: Agent | null,
  context: RunContext,
  start: number,
): Promise<void> | undefined {
  for (let i = relayDirect(manager, entry, agents, speaker, start); i < agents.length; i++) {
    const agent = agents[i];
    if (agent === speaker) continue;
    const sent = sendOf(manager, entry, agent, RELAY);
    if (isThenable(sent)) return Promise.resolve(sent).then(() => within(context, () => relay(manager, agents, entry, speaker, context, i + 1)));
  }
  return undefined;
}

/** The manager's reply function: runs the group chat until it ends (spec 30 §7.3). */
export async function run_chat(
  recipient: ConversableAgent,
  messages?: Message[] | null,
  sender?: Agent | null,
  config?: unknown,
): Promise<[boolean, ReplyValue]> {
  const manager = recipient as GroupManager;
  const gc = config instanceof GroupChat ? config : manager.groupchat;
  const history = messages ?? (sender ? manager.chat_messages_get(sender) : []);
  const message: Message | null | undefined = history.at(-1);
  if (!message || !sender) return [true, null];
  // Events of the group carry a "group:<manager>" path segment.
  return withPathSegment(`group:${manager.name}`, () => runGroup(manager, gc, message, sender));
}

async function runGroup(manager: GroupManager, gc: GroupChat, first: Message, sender: Agent): Promise<[boolean, ReplyValue]> {
  manager.termination_reason = null;

  if (gc.send_introductions) {
    const relayed = relay(manager, gc.agents, gc.introductions_msg(), null, currentRunContext(), 0);
    if (relayed) await relayed;
  }
  await withSharedCache(manager, gc.agents, async () => {
    // Every step after an await runs in the group's context again (run-context.ts).
    const context = currentRunContext();
    const step = <T>(fn: () => T): T => within(context, fn);
    let message: Message | null = first;
    let speaker: Agent = sender;
    for (let i = 0; i < gc.max_round; i++) {
      throwIfAborted(context.signal);
      manager._last_speaker = speaker;
      const entry = gc.append(message, speaker);
      // The relay to every other member: synchronous where nothing in it can wait.
      const from = speaker;
      const relayed = step(() => relay(manager, gc.agents, entry, from, context, 0));
      if (relayed) await relayed;
      const terminating = step(() => manager.is_termination_msg(entry));
      if (isThenable(terminating) ? await terminating : terminating) {
        stopGroup(manager, "termination_msg", manager.name, `Termination message condition on the GroupChatManager '${manager.name}' met`, context);
        break;
      }
      if (i === gc.max_round - 1) {
        stopGroup(manager, "max_round", manager.name, `Maximum rounds (${gc.max_round}) reached`, context);
        break;
      }
      let reply: ReplyValue;
      try {
        // GroupChat's own select_speaker answers synchronously where nothing waits (round_robin, random).
        const last = speaker;
        const next = step(() => (gc.select_speaker === GroupChat.prototype.select_speaker ? selectSpeakerNow(gc, last, manager) : gc.select_speaker(last, manager)));
        const chosen: Agent = next instanceof Promise ? await next : next;
        speaker = chosen;
        const pending = step(() => {
          emit({ type: "group_chat_next_speaker", agent: chosen.name }, !manager._silent);
          return replyOf(chosen, { sender: manager });
        });
        reply = isThenable(pending) ? await pending : pending;
      } catch (err) {
        if (err instanceof NoEligibleSpeakerError) {
          stopGroup(manager, "no_reply", manager.name, "No next speaker selected", context);
          break;
        }
        throw err;
      }
      if (reply === null || reply === undefined) {
        // The speaker's reply chain recorded why it had nothing to say.
        const why = pendingStop(context) ?? { reason: "no_reply" as const, agent: speaker.name };
        stopGroup(manager, why.reason, why.agent, "No reply generated", context);
        break;
      }
      if (gc.enable_clear_history && isClearHistoryCommand(reply)) {
        reply = { ...reply, content: step(() => clearAgentsHistory(reply as Message, gc)) };
      }
      const said = reply;
      const by = speaker;
      await step(() => by.send(said, manager, { request_reply: false, silent: manager._silent }));
      message = manager.last_message({ agent: speaker });
      if (!message) {
        stopGroup(manager, "no_reply", speaker.name, "No reply generated", context);
        break;
      }
    }
  });
  return [true, null];
}
