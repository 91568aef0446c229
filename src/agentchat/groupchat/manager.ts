/**
 * GroupChatManager: a ConversableAgent whose reply runs the group chat
 * (spec 30 §7). The loop is in run-chat.ts, resuming in resume.ts.
 */
import { ValueError } from "../../errors";
import { subscribe_events, type AG2Event } from "../../io/events";
import { withRunContext } from "../../core/run-context";
import { Agent } from "../../core/agent";
import type { ConversableAgentOptions } from "../agent/agent-options";
import { ConversableAgent } from "../agent/conversable-agent";
import { markSignalAware } from "../agent/reply-chain";
import type { ReplyFunction } from "../agent/public-types";
import type { Message } from "../../core/types";
import { GroupChat } from "./groupchat";
import { messagesFromString, messagesToString, resumeGroupChat, type ResumeOptions } from "./resume";
import { run_chat } from "./run-chat";

// The loop checks the signal before every send and passes it to the speakers.
markSignalAware(run_chat);

export interface RunChatOptions {
  messages?: Message[] | null;
  sender?: Agent | null;
  config?: GroupChat | null;
  /** Aborts the loop (ag2ts). */
  signal?: AbortSignal;
  /** Receives the loop's events (ag2ts). */
  on_event?: (event: AG2Event) => void;
}

export interface GroupChatManagerOptions extends ConversableAgentOptions {
  /** The group chat to run (required). */
  groupchat: GroupChat;
  /** Default "chat_manager". */
  name?: string;
  /** Default `Number.MAX_SAFE_INTEGER`. */
  max_consecutive_auto_reply?: number | null;
  /** Default "NEVER". */
  human_input_mode?: ConversableAgentOptions["human_input_mode"];
  /** Default "Manager of the group chat." */
  system_message?: string | null;
  /** Hide the "Next speaker" line and the speakers' messages to the manager. Default false. */
  silent?: boolean | null;
}

const MANAGER_DEFAULTS = {
  name: "chat_manager",
  max_consecutive_auto_reply: Number.MAX_SAFE_INTEGER,
  human_input_mode: "NEVER" as const,
  system_message: "Manager of the group chat.",
};

function hasToolConfig(llm_config: unknown): boolean {
  if (llm_config === null || typeof llm_config !== "object") return false;
  const { functions, tools } = llm_config as { functions?: unknown; tools?: unknown };
  const nonEmpty = (v: unknown) => Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null;
  return nonEmpty(functions) || nonEmpty(tools);
}

function splitOptions(nameOrOptions: string | GroupChatManagerOptions, options?: Partial<GroupChatManagerOptions>) {
  const given: Partial<GroupChatManagerOptions> =
    typeof nameOrOptions === "string" ? { ...(options ?? {}), name: nameOrOptions } : { ...(nameOrOptions ?? {}) };
  const { groupchat, silent, ...rest } = given;
  if (!(groupchat instanceof GroupChat)) {
    throw new ValueError("GroupChatManager needs a GroupChat: new GroupChatManager({ groupchat: new GroupChat({ agents }) }).");
  }
  if (silent !== undefined && silent !== null && typeof silent !== "boolean") {
    throw new ValueError("GroupChatManager: option 'silent' must be a boolean.");
  }
  if (hasToolConfig(rest.llm_config)) {
    throw new ValueError(
      "GroupChatManager is not allowed to make function/tool calls. Please remove the 'functions' or 'tools' config in 'llm_config' you passed in.",
    );
  }
  const base: Record<string, unknown> = { ...MANAGER_DEFAULTS };
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) base[key] = value;
  return { groupchat, silent: Boolean(silent), base: base as unknown as ConversableAgentOptions & { name: string } };
}

export class GroupChatManager extends ConversableAgent {
  /** The loop (spec 30 §7.3); `a_run_chat` is the same function. */
  static run_chat: ReplyFunction = run_chat;
  static a_run_chat: ReplyFunction = run_chat;

  readonly _groupchat: GroupChat;
  /** Manager-level silence (not the agent's `silent` attribute). */
  _silent: boolean;
  _last_speaker: Agent | null = null;
  /** Why the last run ended (ag2ts; AG2 0.2 prints nothing). */
  termination_reason: string | null = null;

  constructor(options: GroupChatManagerOptions);
  constructor(name: string, options: Omit<GroupChatManagerOptions, "name">);
  constructor(nameOrOptions: string | GroupChatManagerOptions, maybeOptions?: Omit<GroupChatManagerOptions, "name">) {
    const { groupchat, silent, base } = splitOptions(nameOrOptions, maybeOptions);
    super(base);
    this._groupchat = groupchat;
    this._silent = silent;
    this.register_reply(Agent, run_chat, {
      config: groupchat,
      reset_config: (config) => (config as GroupChat).reset(),
    });
  }

  get groupchat(): GroupChat {
    return this._groupchat;
  }

  /** The agent that sent the message being processed. */
  get last_speaker(): Agent | null {
    return this._last_speaker;
  }

  /** The whole group transcript, whoever asks. */
  override chat_messages_for_summary(_agent: Agent | { agent: Agent }): Message[] {
    return this._groupchat.messages;
  }

  override _prepare_chat(recipient: ConversableAgent, clear_history: boolean, prepare_recipient = true, reply_at_receive = true): void {
    super._prepare_chat(recipient, clear_history, prepare_recipient, reply_at_receive);
    if (clear_history) this._groupchat.reset();
    for (const agent of this._groupchat.agents) {
      if ((recipient !== agent || prepare_recipient) && agent instanceof ConversableAgent) {
        agent._prepare_chat(this, clear_history, false, reply_at_receive);
      }
    }
  }

  /**
   * Runs the loop directly. `signal` aborts it (rejects with AbortError);
   * `on_event` receives its events.
   */
  run_chat(options: RunChatOptions = {}) {
    const run = () =>
      withRunContext({ signal: options.signal }, async () =>
        run_chat(this, options.messages ?? null, options.sender ?? null, options.config ?? this._groupchat),
      );
    return options.on_event ? subscribe_events(options.on_event, run) : run();
  }
  a_run_chat(options: RunChatOptions = {}) {
    return this.run_chat(options);
  }

  // ---- resuming (spec 30 §7.6) --------------------------------------------

  resume(messages: Message[] | string, options: ResumeOptions = {}): Promise<[Agent | null, Message]> {
    return resumeGroupChat(this, messages, options);
  }
  a_resume(messages: Message[] | string, options: ResumeOptions = {}): Promise<[Agent | null, Message]> {
    return this.resume(messages, options);
  }
  messages_to_string(messages: Message[]): string {
    return messagesToString(messages);
  }
  messages_from_string(message_string: string): Message[] {
    return messagesFromString(message_string);
  }
}
