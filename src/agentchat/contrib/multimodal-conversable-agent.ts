/**
 * MultimodalConversableAgent (AG2 autogen/agentchat/contrib/
 * multimodal_conversable_agent.py): a ConversableAgent whose messages are
 * stored as content parts, `<img path_or_url>` tags turned into image parts
 * (gpt4v_formatter), so the model sees the images and the printed
 * conversation shows `<image>` where they are.
 */
import type { ContentPart, Message } from "../../core/types";
import { content_str } from "../../core/messages";
import { resolveConstructorArgs } from "../agent/agent-options";
import { ConversableAgent, type ConversableAgentOptions } from "../agent/conversable-agent";
import { gpt4v_formatter } from "./img-utils";

export const DEFAULT_LMM_SYS_MSG = "You are a helpful AI assistant.";

export class MultimodalConversableAgent extends ConversableAgent {
  static DEFAULT_LMM_SYS_MSG = DEFAULT_LMM_SYS_MSG;

  constructor(name: string, options?: ConversableAgentOptions);
  constructor(options: ConversableAgentOptions & { name: string });
  constructor(nameOrOptions: string | (ConversableAgentOptions & { name: string }), maybeOptions?: ConversableAgentOptions) {
    const options = resolveConstructorArgs(new.target.name, nameOrOptions, maybeOptions);
    const system_message = options.system_message ?? DEFAULT_LMM_SYS_MSG;
    super({
      ...options,
      system_message,
      description: options.description ?? (typeof system_message === "string" ? system_message : content_str(system_message)),
      // AG2: the termination check reads the text of the parts.
      is_termination_msg: options.is_termination_msg ?? ((m: Message) => content_str(m.content as Message["content"]) === "TERMINATE"),
    });
    this.update_system_message(system_message);
  }

  /** The system message as parts (its `<img>` tags as images). */
  update_system_message(system_message: string | ContentPart[]): void {
    super.update_system_message(typeof system_message === "string" ? gpt4v_formatter(system_message) : system_message);
  }

  /** A message with its text content as parts: how every message sent or received is stored. */
  _message_to_dict(message: Message | string): Message | string {
    if (typeof message === "string") return { content: gpt4v_formatter(message) };
    if (typeof message.content === "string") return { ...message, content: gpt4v_formatter(message.content) };
    return message;
  }
}
