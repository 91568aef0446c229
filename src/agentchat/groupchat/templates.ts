/**
 * Default texts of the group chat (spec 30 §5.1, §7.4) and the helpers that
 * fill their `{roles}` / `{agentlist}` placeholders.
 */
import { warn } from "../../warnings";
import type { Agent } from "../../core/agent";

const PICK_RULES =
  "1. If the text speaks as one of the speakers (e.g. \"As the ...\"), pick that speaker.\n" +
  "2. If the text says who speaks \"next\", pick that one.\n" +
  "3. Otherwise pick the first speaker named in the text.";

export const DEFAULT_SELECT_SPEAKER_MESSAGE_TEMPLATE =
  "You are taking part in a role-play game. These roles are available:\n{roles}.\n" +
  "Read the conversation that follows, then pick from {agentlist} the role that should act next. Reply with the role name only.";

export const DEFAULT_SELECT_SPEAKER_PROMPT_TEMPLATE =
  "Read the conversation above, then pick from {agentlist} the role that should act next. Reply with the role name only.";

export const DEFAULT_SELECT_SPEAKER_AUTO_MULTIPLE_TEMPLATE =
  "Your reply contained several names; reply with the next speaker's name only. Pick it by these rules, highest priority first:\n" +
  PICK_RULES +
  "\nNames are case-sensitive; do not shorten or change them.\nReply with the name ONLY, without any explanation.";

export const DEFAULT_SELECT_SPEAKER_AUTO_NONE_TEMPLATE =
  "You did not pick a speaker. As a reminder, pick the next speaker by these rules, highest priority first:\n" +
  PICK_RULES +
  "\nNames are case-sensitive; do not shorten or change them.\nOnly these names are accepted: {agentlist}.\n" +
  "Reply with the name ONLY, without any explanation.";

export const DEFAULT_INTRO_MSG =
  "Hello everyone. A strong team has been put together today to answer questions and solve tasks. The members are:";

const reprs = new Map<string, string>();

/** A string as Python's `repr` shows it (single quotes unless the text holds one and no double quote); remembered per text (agent names, every selection round). */
export function pyRepr(text: string): string {
  let repr = reprs.get(text);
  if (repr === undefined) {
    if (reprs.size >= 1000) reprs.clear();
    repr = computeRepr(text);
    reprs.set(text, repr);
  }
  return repr;
}

function computeRepr(text: string): string {
  const escaped = text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\t/g, "\\t");
  if (text.includes("'") && !text.includes('"')) return `"${escaped}"`;
  return `'${escaped.replace(/'/g, "\\'")}'`;
}

/**
 * The last text a helper built and the names (and descriptions) it was built
 * from: a selection round asks for the same list several times. Only strings
 * are kept, no agent.
 */
interface Memo {
  names: string[];
  descriptions: string[] | null;
  text: string;
}

function recall(memo: Memo | null, agents: readonly Agent[], withDescriptions: boolean): string | null {
  if (memo === null || memo.names.length !== agents.length) return null;
  for (let i = 0; i < agents.length; i++) {
    if (memo.names[i] !== agents[i].name) return null;
    if (withDescriptions && (memo.descriptions as string[])[i] !== agents[i].description) return null;
  }
  return memo.text;
}

let lastList: Memo | null = null;
let lastRoles: Memo | null = null;

/** Agent names formatted like a Python list: `['Alice', 'Bob']`. */
export function agentList(agents: readonly Agent[]): string {
  const known = recall(lastList, agents, false);
  if (known !== null) return known;
  const names = agents.map((a) => a.name);
  const text = `[${names.map(pyRepr).join(", ")}]`;
  lastList = { names, descriptions: null, text };
  return text;
}

/** One `"<name>: <description>"` line per agent; warns about empty descriptions (each time: such a text is not remembered). */
export function rolesText(agents: readonly Agent[]): string {
  const known = recall(lastRoles, agents, true);
  if (known !== null) return known;
  const text = describeRoles(agents);
  const described = agents.every((a) => a.description && a.description.trim() !== "");
  lastRoles = described ? { names: agents.map((a) => a.name), descriptions: agents.map((a) => a.description), text } : null;
  return text;
}

function describeRoles(agents: readonly Agent[]): string {
  return agents
    .map((agent) => {
      if (!agent.description || agent.description.trim() === "") {
        warn(
          `The agent '${agent.name}' has an empty description, and may not work well with GroupChat. ` +
            "Give it a description (or a system message) so the speaker selection knows what it does.",
        );
      }
      return `${agent.name}: ${agent.description ?? ""}`.trim();
    })
    .join("\n");
}

/** Templates split at their placeholders once: odd parts are the names `roles` / `agentlist`. */
const splitTemplates = new Map<string, string[]>();

/** Replaces `{roles}` and `{agentlist}` literally; other braces stay as they are. */
export function fillTemplate(template: string, values: { roles?: string; agentlist?: string }): string {
  let parts = splitTemplates.get(template);
  if (parts === undefined) {
    if (splitTemplates.size >= 100) splitTemplates.clear();
    parts = template.split(/\{(roles|agentlist)\}/);
    splitTemplates.set(template, parts);
  }
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i] as "roles" | "agentlist";
    out += (values[key] ?? `{${key}}`) + parts[i + 1];
  }
  return out;
}
