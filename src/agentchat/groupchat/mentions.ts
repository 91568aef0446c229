/**
 * Finding agent names in the speaker selector's reply (spec 30 §5.3):
 * AG2's exact mention count, plus a forgiving fallback used only when the
 * exact count finds nobody.
 */
import type { Agent } from "../../core/agent";

const BEFORE = "(?<![\\p{L}\\p{N}_])";
const AFTER = "(?![\\p{L}\\p{N}_])";

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Compiled patterns by flags, then pattern: selection runs every round with the same names. */
const compiled: Record<string, Map<string, RegExp>> = { gu: new Map(), giu: new Map() };

function countMatches(pattern: string, flags: "gu" | "giu", text: string): number {
  const byPattern = compiled[flags];
  let regex = byPattern.get(pattern);
  if (!regex) {
    if (byPattern.size >= 1000) byPattern.clear();
    regex = new RegExp(`${BEFORE}(?:${pattern})${AFTER}`, flags);
    byPattern.set(pattern, regex);
  }
  // Global regexes: String.prototype.match starts from index 0 whatever lastIndex is.
  return text.match(regex)?.length ?? 0;
}

/** How a name can be written in a mention: the name, with `_` as spaces, with `_` escaped as `\_`. */
interface ExactName {
  /** The distinct spellings; a mention contains one of them literally. */
  spellings: string[];
  /** The spellings as one alternation. */
  pattern: string;
}

const exactNames = new Map<string, ExactName>();

function exactName(name: string): ExactName {
  let known = exactNames.get(name);
  if (known === undefined) {
    if (exactNames.size >= 1000) exactNames.clear();
    const spellings = [...new Set([name, name.replace(/_/g, " "), name.replace(/_/g, "\\_")])];
    known = { spellings, pattern: spellings.map(escapeRegex).join("|") };
    exactNames.set(name, known);
  }
  return known;
}

/** Whole-word occurrences of the name in any spelling; the regex runs only when a spelling occurs at all. */
function countExact(name: string, text: string): number {
  const { spellings, pattern } = exactName(name);
  for (let i = 0; i < spellings.length; i++) if (text.includes(spellings[i])) return countMatches(pattern, "gu", text);
  return 0;
}

/**
 * AG2 `_mentioned_agents`: for each agent, counts case-sensitive whole-word
 * occurrences of its name, the name with `_` as spaces, or with `_` escaped
 * as `\_`. Only agents named at least once are listed.
 */
export function mentionedAgents(content: string, agents: readonly Agent[]): Record<string, number> {
  const padded = ` ${content} `;
  const counts: Record<string, number> = {};
  for (const agent of agents) {
    const count = countExact(agent.name, padded);
    if (count > 0) counts[agent.name] = count;
  }
  return counts;
}

/**
 * Removes what models wrap names in: markdown emphasis (`*`, `_` at word
 * edges, backticks, `~`) and quotes. Underscores inside a word stay, so
 * `Bob_2` never becomes `Bob`.
 */
export function stripDecorations(content: string): string {
  return content
    .replace(/[*`~"“”«»]/g, "")
    .replace(/(?<![\p{L}\p{N}])'|'(?![\p{L}\p{N}])|[‘’](?![\p{L}\p{N}])|(?<![\p{L}\p{N}])[‘’]/gu, "")
    .replace(/(?<![\p{L}\p{N}])_+|_+(?![\p{L}\p{N}])/gu, "")
    .trim();
}

/** A name pattern where `_`, `\_` and runs of spaces are interchangeable. */
function looseNamePattern(name: string): string {
  return name
    .trim()
    .split(/(?:\\_|[_\s])+/)
    .map(escapeRegex)
    .join("(?:\\\\_|[_\\s])+");
}

/**
 * The mentions used to pick a speaker: the exact count when it names
 * anyone, else the count after normalisation (decorations removed,
 * case-insensitive, underscores and spaces interchangeable).
 */
export function resolveMentions(content: string, agents: readonly Agent[]): Record<string, number> {
  const exact = mentionedAgents(content, agents);
  if (Object.keys(exact).length > 0) return exact;
  const padded = ` ${stripDecorations(content)} `;
  const counts: Record<string, number> = {};
  for (const agent of agents) {
    if (agent.name.trim() === "") continue;
    const count = countMatches(looseNamePattern(agent.name), "giu", padded);
    if (count > 0) counts[agent.name] = count;
  }
  return counts;
}
