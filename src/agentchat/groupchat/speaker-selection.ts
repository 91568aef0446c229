/**
 * The speaker selection pipeline (spec 30 §4) and the manual and random
 * methods (§6.2-6.3). "auto" is in auto-selection.ts.
 */
import { ValueError } from "../../errors";
import { IOStream } from "../../io/base";
import { emit } from "../../io/events";
import { warn } from "../../warnings";
import { Agent } from "../../core/agent";
import type { ConversableAgent } from "../agent/conversable-agent";
import { autoSelectSpeaker } from "./auto-selection";
import { NoEligibleSpeakerError } from "./errors";
import type { GroupChat } from "./groupchat";
import { validateMethodName, type SpeakerSelectionMethodName } from "./selection-methods";
import { currentRunContext, within } from "../../core/run-context";

export const MANUAL_SELECTION_PROMPT =
  "Enter the number of the next speaker (press enter or type q to use automatic selection): ";

/** Asks the human for the next speaker (spec 30 §6.3); null means "choose for me". */
export async function manualSelectSpeaker(agents: readonly Agent[]): Promise<Agent | null> {
  emit({ type: "select_speaker_options", agents: agents.map((a) => a.name) });
  const n = agents.length;
  for (let tries = 1; ; tries++) {
    if (tries >= 3) {
      emit({ type: "select_speaker_try_count_exceeded", tries });
      return null;
    }
    const answer = await IOStream.get_default().input(MANUAL_SELECTION_PROMPT);
    if (answer === "" || answer === "q") return null;
    const trimmed = answer.trim();
    const choice = /^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : NaN;
    if (Number.isInteger(choice) && choice >= 1 && choice <= n) return agents[choice - 1];
    emit({ type: "select_speaker_invalid_input", agents_count: n });
  }
}

/** A uniform choice from `agents`. */
export function randomSelectSpeaker(agents: readonly Agent[], random: () => number): Agent {
  if (agents.length === 0) throw new NoEligibleSpeakerError();
  const r = random();
  if (typeof r !== "number" || !(r >= 0 && r < 1)) {
    throw new ValueError(`GroupChat random_source must return a number in [0, 1), got ${String(r)}.`);
  }
  return agents[Math.floor(r * agents.length)];
}

/** Step 1: a selection function either picks the agent or names the method. */
async function resolveMethod(gc: GroupChat, last_speaker: Agent): Promise<Agent | SpeakerSelectionMethodName> {
  const method = gc.speaker_selection_method;
  if (typeof method !== "function") return validateMethodName(method);
  const result = await method(last_speaker, gc);
  if (result === null || result === undefined) {
    throw new NoEligibleSpeakerError("Custom speaker selection function returned None. Terminating conversation.");
  }
  if (result instanceof Agent) {
    if (gc.agents.includes(result)) return result;
    throw new ValueError(`Custom speaker selection function returned an agent ${result.name} not in the group chat.`);
  }
  if (typeof result === "string") return validateMethodName(result);
  throw new ValueError(
    `Custom speaker selection function returned an object of type ${Array.isArray(result) ? "array" : typeof result} instead of Agent or str.`,
  );
}

function checkPopulation(gc: GroupChat, method: SpeakerSelectionMethodName): void {
  const n = gc.agents.length;
  if (n < 2) {
    throw new ValueError(
      `GroupChat is underpopulated with ${n} agents. Add more agents to the GroupChat, or talk to the agent directly instead of through a group chat.`,
    );
  }
  if (n === 2 && method !== "round_robin" && gc.allow_repeat_speaker) {
    warn(
      `GroupChat is underpopulated with ${n} agents. Consider speaker_selection_method 'round_robin' or allow_repeat_speaker false, ` +
        "or talk to the agent directly, unless the same speaker may well speak twice in a row.",
    );
  }
}

function canExecute(agent: Agent, names: string[]): boolean {
  const fn = (agent as { can_execute_function?: (n: string[]) => boolean }).can_execute_function;
  return typeof fn === "function" && fn.call(agent, names) === true;
}

function hasFunctionMap(agent: Agent): boolean {
  const map = (agent as { function_map?: Record<string, unknown> }).function_map;
  return map !== null && map !== undefined && Object.keys(map).length > 0;
}

/** Step 4: a function or tool call goes to whoever can execute it. */
function functionCallCandidates(gc: GroupChat): Agent[] | Agent | null {
  const last = gc.messages.at(-1);
  if (!gc.func_call_filter || !last || !(last.function_call || last.tool_calls)) return null;
  const names: string[] = [];
  if (last.function_call) names.push(last.function_call.name);
  for (const call of last.tool_calls ?? []) if (call.type === undefined || call.type === "function") names.push(call.function.name);
  let candidates = gc.agents.filter((a) => canExecute(a, names));
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) {
    candidates = gc.agents.filter(hasFunctionMap);
    if (candidates.length === 1) return candidates[0];
    if (candidates.length === 0) {
      throw new ValueError(`No agent can execute the function ${names.join(", ")}. Please check the function_map of the agents.`);
    }
  }
  return candidates;
}

/** The selected agent, or the method and the eligible agents (null: all) to choose among. */
type Prepared = { agent: Agent } | { method: SpeakerSelectionMethodName; eligible: Agent[] | null };

/** Steps 1-6 of the pipeline; synchronous unless the selection method is a function. */
export function prepareAndSelectAgents(gc: GroupChat, last_speaker: Agent): Prepared | Promise<Prepared> {
  const method = gc.speaker_selection_method;
  if (typeof method === "function") return resolveMethod(gc, last_speaker).then((resolved) => prepareWith(gc, last_speaker, resolved));
  return prepareWith(gc, last_speaker, validateMethodName(method));
}

function prepareWith(gc: GroupChat, last_speaker: Agent, resolved: Agent | SpeakerSelectionMethodName): Prepared {
  if (resolved instanceof Agent) return { agent: resolved };
  const method = resolved;
  checkPopulation(gc, method);

  const routed = functionCallCandidates(gc);
  if (routed instanceof Agent) return { agent: routed };
  let candidates = routed ?? gc.agents;

  const repeat = gc.allow_repeat_speaker;
  const allowRepeat = typeof repeat === "boolean" || repeat === null ? repeat : repeat.includes(last_speaker);
  if (allowRepeat === false) candidates = candidates.filter((a) => a !== last_speaker);

  const inGroup = gc.agents.includes(last_speaker);
  const transitions = gc.allowed_speaker_transitions_dict;
  if (inGroup && !transitions.has(last_speaker)) {
    throw new NoEligibleSpeakerError(`Last speaker ${last_speaker.name} is not in the allowed_speaker_transitions_dict.`);
  }
  if (!inGroup) return { method, eligible: null };
  const allowed = transitions.get(last_speaker) as Agent[];
  const eligible = candidates.filter((a) => allowed.includes(a));
  if (eligible.length === 1) return { agent: eligible[0] };
  if (eligible.length === 0) {
    throw new NoEligibleSpeakerError(
      `No eligible speaker can follow ${last_speaker.name}: the repeat rule and the speaker transitions leave nobody.`,
    );
  }
  return { method, eligible };
}

/** The whole pipeline (spec 30 §4 step 7). */
export async function selectSpeaker(gc: GroupChat, last_speaker: Agent, selector: ConversableAgent): Promise<Agent> {
  return selectSpeakerNow(gc, last_speaker, selector);
}

/** The pipeline, answering synchronously where nothing in it waits (round_robin, random, a fixed transition). */
export function selectSpeakerNow(gc: GroupChat, last_speaker: Agent, selector: ConversableAgent): Agent | Promise<Agent> {
  const prepared = prepareAndSelectAgents(gc, last_speaker);
  if (prepared instanceof Promise) {
    const context = currentRunContext();
    return prepared.then((p) => within(context, () => fromPrepared(gc, last_speaker, selector, p)));
  }
  return fromPrepared(gc, last_speaker, selector, prepared);
}

function fromPrepared(gc: GroupChat, last_speaker: Agent, selector: ConversableAgent, prepared: Prepared): Agent | Promise<Agent> {
  if ("agent" in prepared) return prepared.agent;
  const { method, eligible } = prepared;
  switch (method) {
    case "manual":
      return gc.manual_select_speaker({ agents: eligible ?? gc.agents }).then((chosen) => chosen ?? gc.next_agent(last_speaker));
    case "round_robin":
      return gc.next_agent(last_speaker, { agents: eligible ?? gc.agents });
    case "random":
      return gc.random_select_speaker({ agents: eligible ?? gc.agents });
    case "auto":
      return autoSelectSpeaker(gc, last_speaker, selector, eligible ?? gc.agents);
  }
}
