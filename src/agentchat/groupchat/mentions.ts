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

const exactPatterns = new Map<string, string>();

/** The name, the name with `_` as spaces, or with `_` escaped as `\_`, as one alternation (cached per name). */
function exactNamePattern(name: string): string {
  let pattern = exactPatterns.get(name);
  if (pattern === undefined) {
    if (exactPatterns.size >= 1000) exactPatterns.clear();
    const alternatives = [name, name.replace(/_/g, " "), name.replace(/_/g, "\\_")];
    pattern = [...new Set(alternatives)].map(escapeRegex).join("|");
    exactPatterns.set(name, pattern);
  }
  return pattern;
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
    const count = countMatches(exactNamePattern(agent.name), "gu", padded);
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
