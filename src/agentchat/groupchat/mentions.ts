/**
 * Finding agent names in the speaker selector's reply (spec 30 §5.3):
 * AG2's exact mention count, plus a forgiving fallback used only when the
 * exact count finds nobody.
 */
import type { Agent } from "../agent";

const BEFORE = "(?<![\\p{L}\\p{N}_])";
const AFTER = "(?![\\p{L}\\p{N}_])";

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function countMatches(pattern: string, flags: string, text: string): number {
  return text.match(new RegExp(`${BEFORE}(?:${pattern})${AFTER}`, flags))?.length ?? 0;
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
    const alternatives = [agent.name, agent.name.replace(/_/g, " "), agent.name.replace(/_/g, "\\_")];
    const pattern = [...new Set(alternatives)].map(escapeRegex).join("|");
    const count = countMatches(pattern, "gu", padded);
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
