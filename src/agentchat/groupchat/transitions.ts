/**
 * Speaker transition graphs (spec 30 §1.1): validation of
 * `allowed_or_disallowed_speaker_transitions` and the derived
 * `allowed_speaker_transitions_dict`.
 */
import { ValueError } from "../../errors";
import { log } from "../../warnings";
import { Agent } from "../../core/agent";

export type TransitionsMap = Map<Agent, Agent[]>;
export type SpeakerTransitionsType = "allowed" | "disallowed";

export const VALID_SPEAKER_TRANSITIONS_TYPES = ["allowed", "disallowed", null] as const;

/** Lower-cases and checks `speaker_transitions_type`. */
export function normalizeTransitionsType(value: unknown): SpeakerTransitionsType | null {
  if (value === null || value === undefined) return null;
  const lowered = typeof value === "string" ? value.toLowerCase() : String(value);
  if (lowered !== "allowed" && lowered !== "disallowed") {
    throw new ValueError(
      `GroupChat speaker_transitions_type is set to '${lowered}'. It should be one of ['allowed', 'disallowed', None] (case insensitive).`,
    );
  }
  return lowered;
}

/** Structural checks of a transitions map: each failure names the rule that failed. */
export function checkTransitionsStructure(graph: unknown, agents: readonly Agent[]): asserts graph is TransitionsMap {
  if (!(graph instanceof Map)) {
    throw new ValueError("allowed_or_disallowed_speaker_transitions must be a Map from each agent to an array of agents.");
  }
  for (const value of graph.values()) {
    if (!Array.isArray(value)) {
      throw new ValueError("allowed_or_disallowed_speaker_transitions must map every agent to an array of agents (got a non-array value).");
    }
  }
  for (const key of graph.keys()) {
    if (!agents.includes(key)) {
      const label = key instanceof Agent ? `'${key.name}'` : JSON.stringify(key);
      throw new ValueError(`allowed_or_disallowed_speaker_transitions has a key that is not an agent of the group chat: ${label}.`);
    }
  }
  for (const [key, value] of graph) {
    const bad = (value as unknown[]).find((v) => !(v instanceof Agent));
    if (bad !== undefined) {
      throw new ValueError(
        `allowed_or_disallowed_speaker_transitions has values that are not arrays of agents: the entry of '${(key as Agent).name}' ` +
          `contains ${JSON.stringify(bad)}. Use the agent objects, not their names.`,
      );
    }
  }
}

/** Every agent to every agent (itself included), minus the disallowed transitions. */
export function invertDisallowedToAllowed(disallowed: TransitionsMap, agents: readonly Agent[]): TransitionsMap {
  const allowed: TransitionsMap = new Map();
  for (const agent of agents) {
    const forbidden = disallowed.get(agent) ?? [];
    allowed.set(agent, agents.filter((other) => !forbidden.includes(other)));
  }
  return allowed;
}

/** Fully connected graph without self-loops, plus self-loops where repeats are allowed. */
export function fullyConnected(agents: readonly Agent[], allowRepeat: boolean | Agent[]): TransitionsMap {
  const graph: TransitionsMap = new Map();
  for (const agent of agents) {
    const targets = agents.filter((other) => other !== agent);
    if (allowRepeat === true || (Array.isArray(allowRepeat) && allowRepeat.includes(agent))) targets.push(agent);
    graph.set(agent, targets);
  }
  return graph;
}

const names = (agents: Iterable<Agent>): string => `[${[...agents].map((a) => `'${a.name}'`).join(", ")}]`;

/** Logs AG2's graph warnings: isolated agents, agent sets that differ, duplicates. */
export function warnAboutGraph(graph: TransitionsMap, agents: readonly Agent[]): void {
  const outgoing = new Set<Agent>();
  const incoming = new Set<Agent>();
  for (const [key, targets] of graph) {
    if (targets.length > 0) {
      outgoing.add(key);
      for (const t of targets) incoming.add(t);
    }
  }
  const isolated = agents.filter((a) => !outgoing.has(a) && !incoming.has(a));
  if (isolated.length > 0) {
    log("warning", `There are isolated agent nodes, with neither incoming nor outgoing edges. Isolated agents: ${names(isolated)}`);
  }
  const inGraph = new Set([...outgoing, ...incoming]);
  const missing = agents.filter((a) => !inGraph.has(a));
  if (missing.length > 0) {
    log("warning", `The set of agents in the speaker transitions does not match the group's agents. Offending agents: ${names(missing)}`);
  }
  for (const [key, targets] of graph) {
    const duplicates = new Set(targets.filter((t, i) => targets.indexOf(t) !== i));
    if (duplicates.size > 0) {
      log("warning", `Agent '${key.name}' has duplicate elements: ${names(duplicates)}. Please remove duplicates manually.`);
    }
  }
}

/**
 * The allowed-transitions map of a group chat (spec 30 §1.1), validated.
 * `allowRepeat` is the already defaulted `allow_repeat_speaker`.
 */
export function deriveAllowedTransitions(
  agents: readonly Agent[],
  transitions: unknown,
  type: SpeakerTransitionsType | null,
  allowRepeat: boolean | Agent[] | null,
): TransitionsMap {
  let graph: TransitionsMap;
  if (transitions === null || transitions === undefined) {
    graph = fullyConnected(agents, allowRepeat ?? true);
  } else {
    checkTransitionsStructure(transitions, agents);
    graph = type === "disallowed" ? invertDisallowedToAllowed(transitions, agents) : transitions;
  }
  warnAboutGraph(graph, agents);
  return graph;
}
