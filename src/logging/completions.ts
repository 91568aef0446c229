/**
 * Logging of `OpenAIWrapper.create` attempts, called from the create hooks
 * (src/oai/create-hooks.ts): a cache hit (`is_cached` 1), an API answer
 * (`is_cached` 0) or an API error (`error_code:<code>, config <i> failed`, cost 0).
 */
import type { Agent } from "../core/agent";
import { log_chat_completion, logging_enabled } from "./runtime";
import { currentTs, objectId } from "./serialize";

interface Attempt {
  invocation_id: string;
  start_time: string;
  source: string | Agent;
  cached: boolean;
}

/** Keyed by the attempt's params object, which the wrapper passes to every hook of one attempt. */
const attempts = new WeakMap<object, Attempt>();

type Wrapper = { _clients: unknown[] };

function record(wrapper: Wrapper, params: Record<string, unknown>, index: number, response: unknown, is_cached: 0 | 1, cost: number): void {
  const a = attempts.get(params);
  attempts.delete(params);
  log_chat_completion({
    invocation_id: a?.invocation_id ?? crypto.randomUUID(),
    client_id: objectId(wrapper._clients[index]),
    wrapper_id: objectId(wrapper),
    source: a?.source ?? "",
    request: params,
    response,
    is_cached,
    cost,
    start_time: a?.start_time ?? currentTs(),
  });
}

/** Before the cache lookup: the attempt starts. */
export function attemptStarted(params: Record<string, unknown>, extras: Record<string, unknown>): void {
  if (!logging_enabled()) return;
  const agent = extras.agent as Agent | string | null | undefined;
  attempts.set(params, { invocation_id: crypto.randomUUID(), start_time: currentTs(), source: agent ?? "", cached: false });
}

/** The cache answered; logged now unless the wrapper still has to compute the cost (then at `stored`). */
export function cacheHit(wrapper: Wrapper, params: Record<string, unknown>, index: number, response: { cost?: number | null }): void {
  const a = attempts.get(params);
  if (!a) return;
  if (response.cost === undefined || response.cost === null) a.cached = true;
  else record(wrapper, params, index, response, 1, response.cost);
}

/** The response is stored: an API answer, or a cache hit whose cost was just computed. */
export function stored(wrapper: Wrapper, params: Record<string, unknown>, index: number, response: { cost?: number | null }): void {
  const a = attempts.get(params);
  if (!a) return;
  record(wrapper, params, index, response, a.cached ? 1 : 0, response.cost ?? 0);
}

export function failed(wrapper: Wrapper, params: Record<string, unknown>, index: number, code: unknown): void {
  if (!attempts.has(params)) return;
  record(wrapper, params, index, `error_code:${code === null || code === undefined ? "None" : String(code)}, config ${index} failed`, 0, 0);
}
