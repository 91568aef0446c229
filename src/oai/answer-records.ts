/**
 * What the wrapper records about one answer: its usage with the wrapper's
 * cost, the usage event, and AG2's `message_retrieval_function` attribute.
 */
import { emit, eventsWanted } from "../io/events";
import type { ModelClient, ModelClientResponse, ModelUsage } from "./model-client";

/**
 * The client's usage report with the wrapper's cost, as a new object: the
 * report is the client's (often `{ ...response.usage, cost, model }`, an
 * object V8 makes slow to write to: assigning its `cost` cost ~4 µs a call).
 */
export function withCost(reported: ModelUsage, cost: number | undefined): ModelUsage {
  if (reported === null || reported === undefined) return reported;
  return {
    prompt_tokens: reported.prompt_tokens,
    completion_tokens: reported.completion_tokens,
    total_tokens: reported.total_tokens,
    cost: cost as number,
    model: reported.model,
  };
}

/** Where a config entry keeps the descriptor for its client (kept in the entry's slot, not a WeakMap entry per client). */
export interface RetrievalHolder {
  retrieval: { client: ModelClient; descriptor: PropertyDescriptor } | null;
}

/** The descriptor of `response.message_retrieval_function` for `client` (AG2's attribute; not enumerable, so never cached or logged). */
export function retrievalOf(holder: RetrievalHolder, client: ModelClient): PropertyDescriptor {
  const kept = holder.retrieval;
  if (kept !== null && kept.client === client) return kept.descriptor;
  const descriptor = { value: (r: ModelClientResponse) => client.message_retrieval(r), enumerable: false, configurable: true, writable: true };
  holder.retrieval = { client, descriptor };
  return descriptor;
}

/** One model call's usage as an event (issue #10); never printed. */
export function emitUsage(agent: unknown, usage: ModelUsage, cost: number, cached: boolean): void {
  if (!eventsWanted(false)) return;
  const name = agent !== null && typeof agent === "object" && typeof (agent as { name?: unknown }).name === "string" ? (agent as { name: string }).name : null;
  emit(
    {
      type: "usage",
      agent: name,
      model: usage.model ?? null,
      prompt_tokens: usage.prompt_tokens ?? 0,
      completion_tokens: usage.completion_tokens ?? 0,
      total_tokens: usage.total_tokens ?? 0,
      cost,
      cached,
    },
    false,
  );
}
