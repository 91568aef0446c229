/**
 * Usage summaries and their printout (spec 40 §5.6, §5.8).
 */
import { ValueError } from "../errors";
import { IOStream } from "../io/base";
import type { ModelUsage } from "./model-client";

export interface ModelUsageSummary {
  cost: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export type UsageSummary = { total_cost: number } & { [model: string]: number | ModelUsageSummary };

/** Adds one response's usage to a summary; returns the new summary. */
export function addUsage(summary: UsageSummary | null, usage: Partial<ModelUsage> | null | undefined): UsageSummary | null {
  if (!usage) return summary;
  const { prompt_tokens, total_tokens, cost, model } = usage;
  const completion_tokens = usage.completion_tokens ?? 0;
  if (prompt_tokens == null || total_tokens == null || cost == null || model == null) return summary;
  const out: UsageSummary = summary ?? { total_cost: 0 };
  out.total_cost = (out.total_cost as number) + cost;
  const prev = out[model] as ModelUsageSummary | undefined;
  if (prev === undefined) {
    out[model] = { cost, prompt_tokens, completion_tokens, total_tokens };
  } else {
    // Updated in place, as AG2 updates its dict.
    prev.cost += cost;
    prev.prompt_tokens += prompt_tokens;
    prev.completion_tokens += completion_tokens;
    prev.total_tokens += total_tokens;
  }
  return out;
}

/** Sums summaries (used by `gather_usage_summary`). */
export function mergeUsage(into: UsageSummary, summary: UsageSummary | null): UsageSummary {
  if (!summary) return into;
  for (const key in summary) {
    const value = summary[key];
    if (key === "total_cost") {
      into.total_cost = (into.total_cost as number) + (value as number);
      continue;
    }
    const v = value as ModelUsageSummary;
    const prev = into[key] as ModelUsageSummary | undefined;
    into[key] = prev
      ? {
          cost: prev.cost + v.cost,
          prompt_tokens: prev.prompt_tokens + v.prompt_tokens,
          completion_tokens: prev.completion_tokens + v.completion_tokens,
          total_tokens: prev.total_tokens + v.total_tokens,
        }
      : { ...v };
  }
  return into;
}

/** A float rendered like Python's `repr(round(x, 5))`. */
export function formatCost(value: number): string {
  const rounded = Math.round(value * 1e5) / 1e5;
  if (rounded === 0) return "0";
  if (Number.isInteger(rounded)) return `${rounded}.0`;
  const abs = Math.abs(rounded);
  if (abs < 1e-4) {
    const [mantissa, exponent] = rounded.toExponential().split("e");
    const exp = Number(exponent);
    return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  return String(rounded);
}

export type UsageMode = "actual" | "total";

function printBlock(stream: ReturnType<typeof IOStream.get_default>, title: string, summary: UsageSummary): void {
  stream.print(`${title}: `, { flush: true });
  stream.print(`Total cost: ${formatCost(summary.total_cost as number)}`, { flush: true });
  for (const [model, value] of Object.entries(summary)) {
    if (model === "total_cost") continue;
    const v = value as ModelUsageSummary;
    stream.print(
      `* Model '${model}': cost: ${formatCost(v.cost)}, prompt_tokens: ${v.prompt_tokens}, completion_tokens: ${v.completion_tokens}, total_tokens: ${v.total_tokens}`,
      { flush: true },
    );
  }
}

function sameSummary(a: UsageSummary | null, b: UsageSummary | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Prints usage in AG2's layout. */
export function printUsageSummary(
  actual: UsageSummary | null,
  total: UsageSummary | null,
  mode: UsageMode | UsageMode[] = ["actual", "total"],
): void {
  const stream = IOStream.get_default();
  const modes = Array.isArray(mode) ? mode : [mode];
  const valid = modes.length >= 1 && modes.length <= 2 && modes.every((m) => m === "actual" || m === "total");
  if (total === null) {
    stream.print('No usage summary. Please call "create" first.', { flush: true });
    return;
  }
  if (!valid) {
    throw new ValueError(`Invalid mode: ${JSON.stringify(mode)}, choose from "actual", "total", ["actual", "total"]`);
  }
  const rule = "-".repeat(100);
  stream.print(rule, { flush: true });
  const printActual = () => {
    if (actual === null) stream.print("No actual cost incurred (all completions are using cache).", { flush: true });
    else printBlock(stream, "Usage summary excluding cached usage", actual);
  };
  if (modes.includes("actual") && modes.includes("total")) {
    printActual();
    stream.print();
    if (!sameSummary(actual, total)) printBlock(stream, "Usage summary including cached usage", total);
    else stream.print("All completions are non-cached: the total cost with cached completions is the same as actual cost.", { flush: true });
  } else if (modes[0] === "actual") {
    printActual();
  } else {
    printBlock(stream, "Usage summary including cached usage", total);
  }
  stream.print(rule, { flush: true });
}
