/**
 * Resuming a saved group chat (spec 30 §7.6).
 */
import { ValueError } from "../../errors";
import { emit } from "../../io/events";
import { log } from "../../warnings";
import type { Agent } from "../../core/agent";
import { ConversableAgent } from "../agent/conversable-agent";
import { deepCopy } from "../../core/messages";
import type { Message } from "../../core/types";
import type { GroupManager } from "./group-manager";

export interface ResumeOptions {
  /** Removed from the last message's content (every occurrence), or a function that rewrites it. Default null. */
  remove_termination_string?: string | ((content: string) => string) | null;
  /** Skip the "Prepared group chat ..." line. Default false. */
  silent?: boolean | null;
}

export function messagesToString(messages: Message[]): string {
  return JSON.stringify(messages);
}

export function messagesFromString(message_string: string): Message[] {
  try {
    return JSON.parse(message_string) as Message[];
  } catch (err) {
    throw new ValueError("Messages string is not a valid JSON string", { cause: err });
  }
}

function toMessageList(messages: unknown, manager: GroupManager): Message[] {
  if (typeof messages === "string") return manager.messages_from_string(messages);
  if (Array.isArray(messages) && messages.every((m) => m !== null && typeof m === "object" && !Array.isArray(m))) {
    return deepCopy(messages as Message[]);
  }
  throw new ValueError("Messages is not of type str or List[Dict]");
}

function validate(manager: GroupManager, messages: Message[]): void {
  const gc = manager.groupchat;
  if (messages.length === 0) {
    throw new ValueError(
      "Cannot resume group chat as no messages were provided. Use GroupChatManager.run_chat or ConversableAgent.initiate_chat to start a new chat.",
    );
  }
  for (const message of messages) {
    const name = message.name;
    if (name && name !== gc.admin_name && name !== manager.name && !gc.agent_by_name(name)) {
      throw new ValueError(`Agent name in message doesn't exist as agent in group chat: ${name}`);
    }
  }
}

async function processTermination(manager: GroupManager, last: Message, remove: ResumeOptions["remove_termination_string"]): Promise<void> {
  const rewrite = typeof remove === "string" ? (content: string) => content.replaceAll(remove, "") : remove;
  if (rewrite && typeof last.content === "string" && last.content !== "") last.content = rewrite(last.content);
  if (await manager.is_termination_msg(last)) {
    log("warning", "The last message meets the termination condition, so the resumed chat may end immediately.");
  }
}

/** Loads `messages` into the group and its members; returns the last speaker and message. */
export async function resumeGroupChat(
  manager: GroupManager,
  messages: Message[] | string,
  options: ResumeOptions = {},
): Promise<[Agent | null, Message]> {
  const gc = manager.groupchat;
  const list = toMessageList(messages, manager);
  for (const agent of gc.agents) if (agent instanceof ConversableAgent) agent.clear_history();
  manager.clear_history();
  gc.reset();
  validate(manager, list);

  for (const message of list.slice(0, -1)) {
    if (!message.name) message.name = manager.name;
    const speaker: Agent | null = gc.agent_by_name(message.name) ?? (message.name === manager.name ? manager : null);
    for (const agent of gc.agents) {
      if (agent.name === message.name) await agent.send(message, manager, { request_reply: false, silent: true });
      else await manager.send(message, agent, { request_reply: false, silent: true });
    }
    if (speaker) gc.append(message, speaker);
    else gc.messages.push(message);
  }
  const last = list[list.length - 1];
  if (!last.name) last.name = manager.name;
  const lastName = last.name;
  let lastSpeaker: Agent | null = gc.agent_by_name(lastName);
  if (!lastSpeaker && (lastName === gc.admin_name || lastName === manager.name)) lastSpeaker = manager;

  await processTermination(manager, last, options.remove_termination_string ?? null);
  if (!options.silent) emit({ type: "group_chat_resumed", messages: list.length, last_speaker: lastName });
  gc.send_introductions = false;
  return [lastSpeaker, last];
}
