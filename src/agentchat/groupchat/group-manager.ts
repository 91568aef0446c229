/**
 * What the group loop (run-chat.ts) and resuming (resume.ts) use of their
 * manager; GroupChatManager has all of it. They import this shape rather
 * than the manager class, which imports them.
 */
import type { Agent } from "../../core/agent";
import type { Message } from "../../core/types";
import type { ConversableAgent } from "../agent/conversable-agent";
import type { GroupChat } from "./groupchat";

export interface GroupManager extends ConversableAgent {
  readonly groupchat: GroupChat;
  readonly _silent: boolean;
  _last_speaker: Agent | null;
  termination_reason: string | null;
  messages_from_string(message_string: string): Message[];
}
