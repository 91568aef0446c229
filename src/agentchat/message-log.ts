/**
 * The message list `generate_oai_reply` sends to the model: the system
 * messages, then the history, with tool responses unrolled and the keys a
 * model API must not see (`context`, `override_role`, `tool_responses`) left
 * out. AG2 rebuilds this list from the stored history on every call; so does
 * this module in effect: every call sees the history as it is now.
 *
 * What it saves is the rebuilding. A message that needs none of the above is
 * sent as the stored object itself, not a copy, so an edit made to it in place
 * is what the next call sends. The few messages that do need converting are
 * converted once and their copies checked against the stored message on
 * every call. The list is kept per history array and, per call, checked slot
 * by slot against the history (one identity comparison per message: the
 * request a client serialises is O(history) anyway); a message replaced,
 * inserted or removed anywhere rebuilds the list from that slot on.
 *
 * Each call gets its own list, but the messages in it are shared with the
 * agent's history: a model client must not mutate them (see
 * `ModelClient.create`).
 */
import type { Message } from "./types";

const NEVER_SENT = new Set(["context", "override_role", "tool_responses"]);

/** Whether `message` is sent as it is (it has none of the keys a model must not see). */
function sentAsIs(message: Message): boolean {
  return message.tool_responses === undefined && message.context === undefined && message.override_role === undefined;
}

/** A shallow copy of `message` without the keys a model API must not see. */
export function stripped(message: Message): Message {
  const out: Message = {};
  for (const k in message) if (!NEVER_SENT.has(k)) out[k] = message[k];
  return out;
}

/** Whether `copy` is still `stripped(source)`: the same keys holding the same values. */
function strippedMatches(source: Message, copy: Message): boolean {
  let n = 0;
  for (const k in source) {
    if (NEVER_SENT.has(k)) continue;
    if (source[k] !== copy[k]) return false;
    n += 1;
  }
  for (const _ in copy) n -= 1;
  return n === 0;
}

function sendable(message: Message): Message {
  return sentAsIs(message) ? message : stripped(message);
}

/** Appends the API form of `message` to `out`: its tool responses unrolled, then itself unless it is a tool message. */
export function pushUnrolled(out: Message[], message: Message): void {
  const responses = message.tool_responses;
  if (responses && responses.length > 0) {
    for (const response of responses) out.push(sendable(response as Message));
    if (message.role !== "tool") out.push(sendable(message));
  } else {
    out.push(sendable(message));
  }
}

/** Whether `sent` is what `original` is sent as now: the object itself, or a copy still equal to its stripped form. */
function sentFormOf(original: Message, sent: Message | undefined): boolean {
  if (sent === original) return sentAsIs(original);
  return sent !== undefined && !sentAsIs(original) && strippedMatches(original, sent);
}

/** How many slots of `log` from `at` on hold what `pushUnrolled(source)` would append now, or -1 if they do not. */
function convertedAt(log: Message[], at: number, source: Message): number {
  const responses = source.tool_responses;
  if (!responses || responses.length === 0) return sentFormOf(source, log[at]) ? 1 : -1;
  for (let k = 0; k < responses.length; k++) if (!sentFormOf(responses[k] as Message, log[at + k])) return -1;
  if (source.role === "tool") return responses.length;
  return sentFormOf(source, log[at + responses.length]) ? responses.length + 1 : -1;
}

interface LogState {
  /** What the model was sent last (each call gets a copy of it). */
  log: Message[];
  /** The messages `log` was built from: the system messages, then the history, by reference. */
  sources: Message[];
}

const states = new WeakMap<Message[], LogState>();

/**
 * The messages for a model call: `system` then `history`, stripped and
 * unrolled, as they are now. Reuses what an earlier call on the same history
 * array built for every message still in its place and unchanged.
 */
export function messageLog(system: readonly Message[], history: Message[]): Message[] {
  let state = states.get(history);
  if (!state) {
    state = { log: [], sources: [] };
    states.set(history, state);
  }
  const { log, sources } = state;
  const total = system.length + history.length;
  const known = Math.min(sources.length, total);
  // The first slot whose message moved or changed; everything from there is rebuilt.
  let valid = 0;
  let end = 0;
  for (; valid < known; valid++) {
    const source = valid < system.length ? system[valid] : history[valid - system.length];
    if (source !== sources[valid]) break;
    const count = convertedAt(log, end, source);
    if (count < 0) break;
    end += count;
  }
  sources.length = valid;
  log.length = end;
  for (let i = valid; i < total; i++) {
    const source = i < system.length ? system[i] : history[i - system.length];
    sources.push(source);
    pushUnrolled(log, source);
  }
  // The call's own list (a copy of the slots, not of the messages): a later
  // call changes `log`, and a request may still be on its way.
  return log.slice();
}
