/**
 * "auto" speaker selection (spec 30 §5): a throw-away two-agent chat
 * between a checking agent and an LLM-backed selector, with a validator
 * that asks again (bounded) when the reply names several agents or none.
 */
import { RuntimeError, ValueError } from "../../errors";
import { emit } from "../../io/events";
import type { LLMConfig } from "../../oai/config-keys";
import type { ModelClientClass } from "../../oai/model-client";
import type { Agent } from "../../core/agent";
import { ConversableAgent } from "../agent/conversable-agent";
import { content_str, deepCopy } from "../../core/messages";
import type { Message, ReplyValue } from "../../core/types";
import { resolveMentions } from "./mentions";
import { runSelectionChat } from "./selection-chat";
import { agentList, fillTemplate } from "./templates";

/** Something that transforms the selector's messages (AG2 `TransformMessages`). */
export interface TransformMessagesLike {
  add_to_agent(agent: ConversableAgent): void;
}

/** What "auto" selection reads of its group (a GroupChat has all of it). */
export interface AutoSelectionGroup {
  readonly messages: Message[];
  readonly max_retries_for_selecting_speaker: number;
  readonly role_for_select_speaker_messages: string;
  readonly select_speaker_auto_llm_config: LLMConfig | false | null;
  readonly select_speaker_auto_model_client_cls: ModelClientClass | ModelClientClass[] | null;
  readonly select_speaker_auto_multiple_template: string;
  readonly select_speaker_auto_none_template: string;
  readonly select_speaker_auto_verbose: boolean;
  readonly select_speaker_transform_messages: TransformMessagesLike | null;
  agent_by_name(name: string): Agent | null;
  next_agent(agent: Agent, options: { agents: Agent[] }): Agent;
  select_speaker_msg(options: { agents: Agent[] }): string;
  select_speaker_prompt(options: { agents: Agent[] }): string | null;
}

const SELECTED = "[AGENT SELECTED]";
const FAILED = "[AGENT SELECTION FAILED]";

/** The transcript as the selector sees it: text only, no pending call on the last message. */
export function selectionTranscript(messages: readonly Message[]): Message[] {
  const copy = messages.map((m) => ({ ...deepCopy(m), content: content_str(m.content as Message["content"]) }) as Message);
  const last = copy.at(-1);
  if (last && (last.function_call || last.tool_calls)) {
    // The API rejects a trailing call without its response.
    delete last.function_call;
    delete last.tool_calls;
  }
  return copy;
}

function selectorLlmConfig(gc: AutoSelectionGroup, selector: ConversableAgent): LLMConfig {
  const config = gc.select_speaker_auto_llm_config || selector.llm_config;
  if (!config) {
    throw new ValueError(
      "The group chat's internal speaker selection agent has no LLM configuration: give the GroupChatManager an llm_config, " +
        "or set select_speaker_auto_llm_config on the GroupChat (or use another speaker_selection_method).",
    );
  }
  return config;
}

function modelClientClassFor(gc: AutoSelectionGroup, clsName: string): ModelClientClass {
  const given = gc.select_speaker_auto_model_client_cls;
  if (!given) {
    throw new ValueError(
      `Unable to set up the speaker selection agent: a custom model was found in the config ('${clsName}') but no model_client_cls ` +
        "was supplied to GroupChat. Pass the class as select_speaker_auto_model_client_cls.",
    );
  }
  if (!Array.isArray(given)) return given;
  const matches = [...new Set(given.filter((cls) => cls.name === clsName))];
  if (matches.length === 0) {
    throw new ValueError(`No class named '${clsName}' is among the GroupChat's select_speaker_auto_model_client_cls.`);
  }
  if (matches.length > 1) {
    throw new RuntimeError(`More than one class named '${clsName}' is among the GroupChat's select_speaker_auto_model_client_cls.`);
  }
  return matches[0];
}

/** Registers the classes for `model_client_cls` entries of `select_speaker_auto_llm_config` (spec 30 §5.4). */
export function registerCustomModelClients(gc: AutoSelectionGroup, agent: ConversableAgent): void {
  const config = gc.select_speaker_auto_llm_config;
  if (!config) return;
  const entries = (Array.isArray(config.config_list) ? config.config_list : [config]) as Array<Record<string, unknown>>;
  for (const entry of entries) {
    if (typeof entry?.model_client_cls === "string") agent.register_model_client(modelClientClassFor(gc, entry.model_client_cls));
  }
}

/** The checking agent's only reply function (spec 30 §5.3). */
function makeValidator(gc: AutoSelectionGroup, agents: readonly Agent[], maxAttempts: number) {
  let attempt = 0;
  let attemptsLeft = maxAttempts;
  const role = gc.role_for_select_speaker_messages;
  const list = agentList(agents);
  const ask = (template: string): [boolean, ReplyValue] => [
    true,
    { content: fillTemplate(template, { agentlist: list }), name: "checking_agent", override_role: role },
  ];
  return (_recipient: ConversableAgent, messages?: Message[] | null): [boolean, ReplyValue] => {
    attempt += 1;
    attemptsLeft -= 1;
    const history = messages ?? [];
    const last = history.at(-1);
    const content = last && last.content !== null && last.content !== undefined ? content_str(last.content).trim() : "";
    const mentions = content === "" ? {} : resolveMentions(content, agents);
    const names = Object.keys(mentions);
    const total = attempt + attemptsLeft;
    const verbose = gc.select_speaker_auto_verbose;
    if (names.length === 1) {
      emit({ type: "select_speaker_attempt", attempt, attempts: total, outcome: "selected", agent: names[0] }, verbose);
      history.push({ role: "user", content: `${SELECTED}${names[0]}` });
      return [true, null];
    }
    const outcome = names.length > 1 ? "multiple" : "none";
    emit({ type: "select_speaker_attempt", attempt, attempts: total, outcome, agent: null }, verbose);
    if (attemptsLeft > 0) {
      return ask(outcome === "multiple" ? gc.select_speaker_auto_multiple_template : gc.select_speaker_auto_none_template);
    }
    const why = outcome === "multiple" ? "it returned multiple names" : "it did not include any agent names";
    history.push({ role: "user", content: `${FAILED}Select speaker attempt #${attempt} of ${total} failed as ${why}.` });
    return [true, null];
  };
}

type Validator = (recipient: ConversableAgent, messages?: Message[] | null) => [boolean, ReplyValue];

/**
 * The two agents of the selection chat, kept for a group chat and its
 * manager while the selector's configuration stays the same (AG2 builds
 * them anew every round; what the model is sent is the same), with the
 * selector's history: the transcript, kept in step with `gc.messages`.
 */
interface Selector {
  llm_config: LLMConfig;
  transforms: unknown;
  client_cls: unknown;
  checking: ConversableAgent;
  speakerSelection: ConversableAgent;
  /** This round's validator (the checking agent's reply function calls it). */
  validate: Validator;
  /** The selector's history with the checking agent: the transcript, then this round's selection messages. */
  history: Message[];
  /** Per transcript slot: the group message it stands for, a shallow copy of it then (the message itself when it is its own entry), and whether its call was left out. */
  sources: Message[];
  snapshots: Message[];
  trimmed: boolean[];
}

const selectors = new WeakMap<AutoSelectionGroup, WeakMap<ConversableAgent, Selector>>();

function shallowEqual(a: Message, b: Message): boolean {
  let n = 0;
  for (const k in a) {
    if (a[k] !== b[k]) return false;
    n += 1;
  }
  for (const _ in b) n -= 1;
  return n === 0;
}

function selectorFor(gc: AutoSelectionGroup, manager: ConversableAgent): Selector {
  const llm_config = selectorLlmConfig(gc, manager);
  let perManager = selectors.get(gc);
  if (!perManager) selectors.set(gc, (perManager = new WeakMap()));
  const known = perManager.get(manager);
  if (
    known &&
    known.llm_config === llm_config &&
    known.transforms === gc.select_speaker_transform_messages &&
    known.client_cls === gc.select_speaker_auto_model_client_cls
  ) {
    return known;
  }
  const checking = new ConversableAgent("checking_agent", { default_auto_reply: "1" });
  const history: Message[] = [];
  const speakerSelection = new ConversableAgent("speaker_selection_agent", {
    chat_messages: new Map([[checking as Agent, history]]),
    llm_config,
    human_input_mode: "NEVER",
  });
  registerCustomModelClients(gc, speakerSelection);
  gc.select_speaker_transform_messages?.add_to_agent(speakerSelection);
  const selector: Selector = {
    llm_config,
    transforms: gc.select_speaker_transform_messages,
    client_cls: gc.select_speaker_auto_model_client_cls,
    checking,
    speakerSelection,
    validate: () => [false, null],
    history,
    sources: [],
    snapshots: [],
    trimmed: [],
  };
  checking.register_reply([ConversableAgent, null], (recipient, messages) => selector.validate(recipient, messages), {
    remove_other_reply_funcs: true,
  });
  perManager.set(manager, selector);
  return selector;
}

/**
 * Whether a group message can be its own transcript entry: text without a
 * call is what `selectionTranscript` would copy it as (GroupChat.append
 * stores text already), so the transcript holds the message itself, and an
 * edit made to it in place is what the selector is sent next.
 */
function sharable(source: Message): boolean {
  return typeof source.content === "string" && !source.function_call && !source.tool_calls;
}

/**
 * Brings the transcript (the selector's history) in step with `messages`,
 * as `selectionTranscript(messages)` would build it: a group message that is
 * text without a call is its own entry while it stays so; any other gets a
 * copy, kept while the message is the same object, unchanged. From the first
 * slot that differs on, entries are made anew. Drops last round's selection
 * messages.
 */
function syncTranscript(selector: Selector, messages: readonly Message[]): void {
  const { history, sources, snapshots, trimmed } = selector;
  const n = messages.length;
  let valid = 0;
  const known = Math.min(sources.length, n);
  while (valid < known) {
    const source = messages[valid];
    if (source !== sources[valid]) break;
    if (history[valid] === source) {
      if (!sharable(source)) break;
    } else {
      if (!shallowEqual(source, snapshots[valid])) break;
      // The copy of the last message leaves its call out: that copy is only right while it is last.
      if (trimmed[valid] && valid !== n - 1) break;
      if (!trimmed[valid] && valid === n - 1 && (source.function_call || source.tool_calls)) break;
    }
    valid += 1;
  }
  history.length = valid;
  sources.length = valid;
  snapshots.length = valid;
  trimmed.length = valid;
  for (let i = valid; i < n; i++) {
    const source = messages[i];
    sources.push(source);
    if (sharable(source)) {
      history.push(source);
      snapshots.push(source);
      trimmed.push(false);
      continue;
    }
    const copy = { ...deepCopy(source), content: content_str(source.content as Message["content"]) } as Message;
    const trim = i === n - 1 && Boolean(copy.function_call || copy.tool_calls);
    if (trim) {
      delete copy.function_call;
      delete copy.tool_calls;
    }
    history.push(copy);
    snapshots.push({ ...source });
    trimmed.push(trim);
  }
}

/** Runs the selection chat and returns the chosen agent (spec 30 §5.2). */
export async function autoSelectSpeaker(
  gc: AutoSelectionGroup,
  last_speaker: Agent,
  manager: ConversableAgent,
  agents: Agent[],
): Promise<Agent> {
  const maxAttempts = 1 + gc.max_retries_for_selecting_speaker;
  const selector = selectorFor(gc, manager);
  const { checking, speakerSelection, history } = selector;
  const prompt = gc.select_speaker_prompt({ agents });
  speakerSelection.update_system_message(gc.select_speaker_msg({ agents }));
  checking._default_auto_reply = String(maxAttempts);
  selector.validate = makeValidator(gc, agents, maxAttempts);
  syncTranscript(selector, gc.messages);
  checking.chat_messages.set(speakerSelection, []);

  let start: Message;
  if (prompt !== null) start = { content: prompt, name: "checking_agent", override_role: gc.role_for_select_speaker_messages };
  else {
    // Without a prompt the last group message opens the selection chat instead of ending the transcript.
    start = history.pop() ?? { content: "" };
    selector.sources.pop();
    selector.snapshots.pop();
    selector.trimmed.pop();
  }
  const final = await runSelectionChat(checking, speakerSelection, start, 2 * Math.max(1, maxAttempts), gc.select_speaker_auto_verbose);
  const text = final ? content_str(final.content as Message["content"]) : "";
  if (text.includes(SELECTED)) {
    const chosen = gc.agent_by_name(text.replace(SELECTED, ""));
    if (chosen) return chosen;
  }
  return gc.next_agent(last_speaker, { agents });
}
