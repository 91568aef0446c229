/**
 * GroupChat: the shared transcript and the rules for who speaks next
 * (spec 30 §1-2). Selection itself lives in speaker-selection.ts.
 */
import { ValueError } from "../../errors";
import type { LLMConfig } from "../../oai/config-keys";
import type { ModelClientClass } from "../../oai/model-client";
import { is, validateOptions, type Check } from "../../options";
import { Agent } from "../../core/agent";
import type { ConversableAgent } from "../agent/conversable-agent";
import { content_str, copyMessage } from "../../core/messages";
import type { Awaitable, Message } from "../../core/types";
import { AgentNameConflictError, UndefinedNextAgentError } from "./errors";
import { VALID_METHODS, validateMethodName, type SpeakerSelectionMethodName } from "./selection-methods";
import { mentionedAgents } from "./mentions";
import * as selection from "./speaker-selection";
import type { TransformMessagesLike } from "./auto-selection";
import {
  DEFAULT_INTRO_MSG,
  DEFAULT_SELECT_SPEAKER_AUTO_MULTIPLE_TEMPLATE,
  DEFAULT_SELECT_SPEAKER_AUTO_NONE_TEMPLATE,
  DEFAULT_SELECT_SPEAKER_MESSAGE_TEMPLATE,
  DEFAULT_SELECT_SPEAKER_PROMPT_TEMPLATE,
  agentList,
  fillTemplate,
  rolesText,
} from "./templates";
import { deriveAllowedTransitions, normalizeTransitionsType, type SpeakerTransitionsType, type TransitionsMap } from "./transitions";

export type SelectionFn = (
  last_speaker: Agent,
  groupchat: GroupChat,
) => Awaitable<Agent | SpeakerSelectionMethodName | string | null>;


export interface GroupChatOptions {
  /** The members. At least 2 are needed when a speaker is selected. */
  agents: Agent[];
  /** The shared transcript, used by reference. Default a new array. */
  messages?: Message[];
  /** Maximum number of transcript messages, the initial one included. Default 10. */
  max_round?: number;
  /** Name tolerated in `resume` transcripts. Default "Admin". */
  admin_name?: string;
  /** Route function/tool calls to an agent that can execute them. Default true. */
  func_call_filter?: boolean;
  /** "auto" | "manual" | "random" | "round_robin" (any case) or a function. Default "auto". */
  speaker_selection_method?: SpeakerSelectionMethodName | string | SelectionFn;
  /** Extra attempts of the "auto" selector. Default 2. */
  max_retries_for_selecting_speaker?: number;
  /** Whether (or which agents) may speak twice in a row. Default null (true without transitions). */
  allow_repeat_speaker?: boolean | Agent[] | null;
  /** Transition graph; needs `speaker_transitions_type`. Default null. */
  allowed_or_disallowed_speaker_transitions?: Map<Agent, Agent[]> | null;
  /** "allowed" or "disallowed" (any case). Default null. */
  speaker_transitions_type?: string | null;
  /** Honour the "clear history" command in replies. Default false. */
  enable_clear_history?: boolean;
  /** Send an introduction of every member at the start. Default false. */
  send_introductions?: boolean;
  /** System message of the "auto" selector; `{roles}`, `{agentlist}`. */
  select_speaker_message_template?: string;
  /** Last message of the "auto" selector; `{agentlist}`. `""` or null: none. */
  select_speaker_prompt_template?: string | null;
  /** Reminder when the selector named several agents; `{agentlist}`. */
  select_speaker_auto_multiple_template?: string;
  /** Reminder when the selector named no agent; `{agentlist}`. */
  select_speaker_auto_none_template?: string;
  /** Applied to the internal selector agent. Default null. */
  select_speaker_transform_messages?: TransformMessagesLike | null;
  /** Print the selector's attempts. Default false. */
  select_speaker_auto_verbose?: boolean;
  /** Classes for `model_client_cls` entries of `select_speaker_auto_llm_config`. Default null. */
  select_speaker_auto_model_client_cls?: ModelClientClass | ModelClientClass[] | null;
  /** LLM config of the selector; default: the manager's. */
  select_speaker_auto_llm_config?: LLMConfig | false | null;
  /** Role of the selection prompt and reminders. Default "system". */
  role_for_select_speaker_messages?: string;
  /** ag2ts: source of random numbers in [0, 1) for "random". Default `Math.random`. */
  random_source?: () => number;
}

const OPTION_CHECKS: Record<string, Check> = {
  agents: is.array,
  messages: is.array,
  max_round: is.integer,
  admin_name: is.string,
  func_call_filter: is.boolean,
  speaker_selection_method: is.union(is.string, is.function),
  max_retries_for_selecting_speaker: is.any,
  allow_repeat_speaker: is.any,
  allowed_or_disallowed_speaker_transitions: is.any,
  speaker_transitions_type: is.any,
  enable_clear_history: is.boolean,
  send_introductions: is.boolean,
  select_speaker_message_template: is.any,
  select_speaker_prompt_template: is.any,
  select_speaker_auto_multiple_template: is.any,
  select_speaker_auto_none_template: is.any,
  select_speaker_transform_messages: is.any,
  select_speaker_auto_verbose: is.any,
  select_speaker_auto_model_client_cls: is.nullable(is.union(is.function, is.array)),
  select_speaker_auto_llm_config: is.any,
  role_for_select_speaker_messages: is.any,
  random_source: is.function,
};

function requiredText(name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || value === "") throw new ValueError(`${name} cannot be empty or None.`);
  return value;
}

function isAgentsOwner(agent: Agent): agent is Agent & { groupchat: GroupChat } {
  return (agent as { groupchat?: unknown }).groupchat instanceof GroupChat;
}

export class GroupChat {
  static readonly DEFAULT_INTRO_MSG = DEFAULT_INTRO_MSG;
  static readonly DEFAULT_SELECT_SPEAKER_MESSAGE_TEMPLATE = DEFAULT_SELECT_SPEAKER_MESSAGE_TEMPLATE;
  static readonly DEFAULT_SELECT_SPEAKER_PROMPT_TEMPLATE = DEFAULT_SELECT_SPEAKER_PROMPT_TEMPLATE;
  static readonly DEFAULT_SELECT_SPEAKER_AUTO_MULTIPLE_TEMPLATE = DEFAULT_SELECT_SPEAKER_AUTO_MULTIPLE_TEMPLATE;
  static readonly DEFAULT_SELECT_SPEAKER_AUTO_NONE_TEMPLATE = DEFAULT_SELECT_SPEAKER_AUTO_NONE_TEMPLATE;
  static readonly VALID_SPEAKER_SELECTION_METHODS = VALID_METHODS;
  static readonly VALID_SPEAKER_TRANSITIONS_TYPES = ["allowed", "disallowed", null] as const;

  agents: Agent[];
  messages: Message[];
  max_round: number;
  admin_name: string;
  func_call_filter: boolean;
  speaker_selection_method: SpeakerSelectionMethodName | string | SelectionFn;
  max_retries_for_selecting_speaker: number;
  allow_repeat_speaker: boolean | Agent[] | null;
  allowed_or_disallowed_speaker_transitions: TransitionsMap | null;
  speaker_transitions_type: SpeakerTransitionsType | null;
  enable_clear_history: boolean;
  send_introductions: boolean;
  select_speaker_message_template: string;
  select_speaker_prompt_template: string | null;
  select_speaker_auto_multiple_template: string;
  select_speaker_auto_none_template: string;
  select_speaker_transform_messages: TransformMessagesLike | null;
  select_speaker_auto_verbose: boolean;
  select_speaker_auto_model_client_cls: ModelClientClass | ModelClientClass[] | null;
  select_speaker_auto_llm_config: LLMConfig | false | null;
  role_for_select_speaker_messages: string;
  random_source: () => number;
  /** Derived: who may follow whom (spec 30 §1.1). */
  allowed_speaker_transitions_dict: TransitionsMap;

  constructor(options: GroupChatOptions) {
    if (options === null || typeof options !== "object" || Array.isArray(options)) {
      throw new ValueError("GroupChat takes one options object: new GroupChat({ agents: [...], ... }).");
    }
    validateOptions("GroupChat", options, OPTION_CHECKS);
    if (!Array.isArray(options.agents)) throw new ValueError("GroupChat: option 'agents' is required (an array of agents).");
    const bad = options.agents.find((a) => !(a instanceof Agent));
    if (bad !== undefined) throw new ValueError(`GroupChat: every element of 'agents' must be an agent, got ${JSON.stringify(bad)}.`);
    this.agents = options.agents;
    this.messages = options.messages ?? [];
    this.max_round = options.max_round ?? 10;
    this.admin_name = options.admin_name ?? "Admin";
    this.func_call_filter = options.func_call_filter ?? true;

    const method = options.speaker_selection_method ?? "auto";
    if (typeof method === "string") validateMethodName(method);
    this.speaker_selection_method = method;

    const retries = options.max_retries_for_selecting_speaker ?? 2;
    if (!Number.isInteger(retries) || retries < 0) {
      throw new ValueError("max_retries_for_selecting_speaker must be an integer greater than or equal to 0.");
    }
    this.max_retries_for_selecting_speaker = retries;

    const repeat = options.allow_repeat_speaker ?? null;
    if (repeat !== null && typeof repeat !== "boolean" && !Array.isArray(repeat)) {
      throw new ValueError("GroupChat allow_repeat_speaker should be a bool or a list of Agents.");
    }
    const transitions = options.allowed_or_disallowed_speaker_transitions ?? null;
    if (transitions !== null && repeat !== null) {
      throw new ValueError(
        "Don't provide both allowed_or_disallowed_speaker_transitions and allow_repeat_speaker in group chat. Please set one of them to None.",
      );
    }
    const type = normalizeTransitionsType(options.speaker_transitions_type);
    if (transitions !== null && type === null) {
      throw new ValueError(
        "GroupChat allowed_or_disallowed_speaker_transitions is not None, but speaker_transitions_type is None. Please set speaker_transitions_type to either 'allowed' or 'disallowed'.",
      );
    }
    this.allow_repeat_speaker = transitions === null && repeat === null ? true : repeat;
    this.allowed_or_disallowed_speaker_transitions = transitions;
    this.speaker_transitions_type = type;
    this.allowed_speaker_transitions_dict = deriveAllowedTransitions(this.agents, transitions, type, this.allow_repeat_speaker);

    this.enable_clear_history = options.enable_clear_history ?? false;
    this.send_introductions = options.send_introductions ?? false;
    this.select_speaker_message_template = requiredText(
      "select_speaker_message_template",
      options.select_speaker_message_template,
      DEFAULT_SELECT_SPEAKER_MESSAGE_TEMPLATE,
    );
    const prompt = options.select_speaker_prompt_template === undefined ? DEFAULT_SELECT_SPEAKER_PROMPT_TEMPLATE : options.select_speaker_prompt_template;
    if (prompt !== null && typeof prompt !== "string") throw new ValueError("select_speaker_prompt_template must be a string or None.");
    this.select_speaker_prompt_template = prompt === "" ? null : prompt;
    this.select_speaker_auto_multiple_template = requiredText(
      "select_speaker_auto_multiple_template",
      options.select_speaker_auto_multiple_template,
      DEFAULT_SELECT_SPEAKER_AUTO_MULTIPLE_TEMPLATE,
    );
    this.select_speaker_auto_none_template = requiredText(
      "select_speaker_auto_none_template",
      options.select_speaker_auto_none_template,
      DEFAULT_SELECT_SPEAKER_AUTO_NONE_TEMPLATE,
    );
    this.role_for_select_speaker_messages = requiredText("role_for_select_speaker_messages", options.role_for_select_speaker_messages, "system");

    const transform = options.select_speaker_transform_messages ?? null;
    if (transform !== null && typeof (transform as TransformMessagesLike).add_to_agent !== "function") {
      throw new ValueError("select_speaker_transform_messages must be None or a TransformMessages object (with add_to_agent).");
    }
    this.select_speaker_transform_messages = transform;
    const verbose = options.select_speaker_auto_verbose === undefined ? false : options.select_speaker_auto_verbose;
    if (typeof verbose !== "boolean") throw new ValueError("select_speaker_auto_verbose cannot be None or non-bool");
    this.select_speaker_auto_verbose = verbose;
    this.select_speaker_auto_model_client_cls = options.select_speaker_auto_model_client_cls ?? null;
    const selectorConfig = options.select_speaker_auto_llm_config ?? null;
    if (selectorConfig !== null && selectorConfig !== false && (typeof selectorConfig !== "object" || Array.isArray(selectorConfig))) {
      throw new ValueError("select_speaker_auto_llm_config must be an llm_config object, false or None.");
    }
    this.select_speaker_auto_llm_config = selectorConfig;
    this.random_source = options.random_source ?? (() => Math.random());
  }

  // ---- helpers (spec 30 §2) ------------------------------------------------

  get agent_names(): string[] {
    return this.agents.map((a) => a.name);
  }

  /** Empties the transcript in place. */
  reset(): void {
    this.messages.length = 0;
  }

  /** Appends a text-only copy of `message`, named after `speaker` (spec 30 §2). */
  append(message: Message, speaker: Agent): Message {
    const copy = copyMessage(message);
    if (copy.role !== "function") copy.name = speaker.name;
    let content: unknown = copy.content;
    if (content === null || content === undefined) content = "";
    else if (typeof content !== "string" && !Array.isArray(content)) content = String(content);
    copy.content = content_str(content as Message["content"]);
    this.messages.push(copy);
    return copy;
  }

  agent_by_name(name: string, options: { recursive?: boolean; raise_on_name_conflict?: boolean } = {}): Agent | null {
    const pool = options.recursive ? this.nested_agents() : this.agents;
    const found = pool.filter((a) => a.name === name);
    if (options.raise_on_name_conflict && found.length > 1) throw new AgentNameConflictError();
    return found[0] ?? null;
  }

  /** The agents plus, recursively, the agents of member group chat managers. */
  nested_agents(): Agent[] {
    const out = [...this.agents];
    for (const agent of this.agents) if (isAgentsOwner(agent)) out.push(...agent.groupchat.nested_agents());
    return out;
  }

  /** The agent after `agent` in group order, restricted to `agents` (spec 30 §6.1). */
  next_agent(agent: Agent, options: { agents?: Agent[] | null } | Agent[] = {}): Agent {
    const agents = (Array.isArray(options) ? options : options.agents) ?? this.agents;
    // The whole group (round_robin's every turn) needs no membership checks.
    const whole = agents === this.agents || (agents.length === this.agents.length && agents.every((a, i) => a === this.agents[i]));
    if (!whole && !agents.every((a) => this.agents.includes(a))) throw new UndefinedNextAgentError();
    let idx = -1;
    for (let i = 0; i < this.agents.length; i++) {
      if (this.agents[i].name === agent.name) {
        idx = i;
        break;
      }
    }
    if (whole) return agents[(idx + 1) % agents.length];
    const n = this.agents.length;
    for (let i = 0; i < n; i++) {
      const candidate = this.agents[(idx + 1 + i) % n];
      if (agents.includes(candidate)) return candidate;
    }
    throw new UndefinedNextAgentError();
  }

  select_speaker_msg(options: { agents?: Agent[] | null } | Agent[] = {}): string {
    const agents = (Array.isArray(options) ? options : options.agents) ?? this.agents;
    return fillTemplate(this.select_speaker_message_template, { roles: rolesText(agents), agentlist: agentList(agents) });
  }

  select_speaker_prompt(options: { agents?: Agent[] | null } | Agent[] = {}): string | null {
    if (this.select_speaker_prompt_template === null) return null;
    const agents = (Array.isArray(options) ? options : options.agents) ?? this.agents;
    return fillTemplate(this.select_speaker_prompt_template, { agentlist: agentList(agents) });
  }

  introductions_msg(options: { agents?: Agent[] | null } | Agent[] = {}): string {
    const agents = (Array.isArray(options) ? options : options.agents) ?? this.agents;
    return `${DEFAULT_INTRO_MSG}\n\n${rolesText(agents)}`;
  }

  manual_select_speaker(options: { agents?: Agent[] | null } | Agent[] = {}): Promise<Agent | null> {
    const agents = (Array.isArray(options) ? options : options.agents) ?? this.agents;
    return selection.manualSelectSpeaker(agents);
  }

  random_select_speaker(options: { agents?: Agent[] | null } | Agent[] = {}): Agent {
    const agents = (Array.isArray(options) ? options : options.agents) ?? this.agents;
    return selection.randomSelectSpeaker(agents, this.random_source);
  }

  /** How often each agent is named in `content` (spec 30 §5.3). */
  _mentioned_agents(content: string, agents?: Agent[] | null): Record<string, number> {
    return mentionedAgents(content, agents ?? this.agents);
  }

  /** Picks the next speaker (spec 30 §4-6). `selector` is usually the manager. */
  select_speaker(last_speaker: Agent, selector: ConversableAgent): Promise<Agent> {
    return selection.selectSpeaker(this, last_speaker, selector);
  }
  a_select_speaker(last_speaker: Agent, selector: ConversableAgent): Promise<Agent> {
    return this.select_speaker(last_speaker, selector);
  }
}
