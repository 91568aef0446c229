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
 * every call. The list is kept per history array (see stateOf) and, per call, checked slot
 * by slot against the history (one identity comparison per message: the
 * request a client serialises is O(history) anyway); a message replaced,
 * inserted or removed anywhere, or a slot a client changed in the list,
 * rebuilds the list from that slot on. Not seen: a key the model must not
 * see (`context`, `tool_responses`, `override_role`) added in place to a
 * message already sent without it.
 *
 * The list is lent to the call and reused by the next one; its messages are
 * the agent's stored messages. A model client must not mutate the messages
 * and copies what it keeps past the call (see `ModelClient.create`).
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
    for (let i = 0; i < responses.length; i++) out.push(sendable(responses[i] as Message));
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

/** A source message that is not in the log as itself: its API form (copies, unrolled responses) is re-checked per call. */
interface Converted {
  /** Its position among the sources (the system messages, then the history). */
  index: number;
  source: Message;
}

interface LogState {
  /** What the model was sent last. */
  log: Message[];
  /** How many sources (the system messages, then the history) `log` was built from. */
  count: number;
  /** The converted sources, by position; every other source is in `log` as itself. */
  converted: Converted[];
  /** Model calls holding `log` now: the next call builds into a new array rather than change theirs. */
  lent: number;
}

/** The states of the histories an agent asked about before the one it asked about last. */
const states = new WeakMap<Message[], LogState>();

/**
 * Per agent asking the model, the history it asked about last and that
 * history's state, in a symbol-keyed property of the agent: most agents ask
 * about one history only, and a WeakMap entry per new history cost ~0.5 µs
 * plus collector work (S5 starts 50 of them per run).
 */
const LAST = Symbol("ag2ts.messageLog");

interface LastLog {
  history: Message[];
  state: LogState;
}

type LogHolder = { [LAST]?: LastLog };

function stateOf(holder: object, history: Message[]): LogState {
  const last = (holder as LogHolder)[LAST];
  if (last !== undefined && last.history === history) return last.state;
  let state = states.get(history);
  if (state === undefined) state = { log: [], count: 0, converted: [], lent: 0 };
  if (last === undefined) {
    // Not enumerable: not shown when the agent is printed, not compared by deep-equality checks.
    if (Object.isExtensible(holder)) Object.defineProperty(holder, LAST, { value: { history, state }, configurable: true });
    else states.set(history, state);
  } else {
    // The history asked about before keeps its state for when the agent comes back to it.
    states.set(last.history, last.state);
    last.history = history;
    last.state = state;
  }
  return state;
}

/** Where checking stopped: the first source that no longer holds, its slot in `log`, the next converted record. */
interface Cursor {
  index: number;
  end: number;
  next: number;
}

/**
 * Checks the sources `messages` stand for (from position `at.index` on)
 * against the log. A source sent as itself must be the object in its slot
 * (one identity comparison); a converted one must be the same message and
 * its copies still equal to it.
 */
function check(state: LogState, messages: readonly Message[], at: Cursor): void {
  const { log, converted } = state;
  const from = at.index;
  const known = Math.min(messages.length, state.count - from);
  let end = at.end;
  let next = at.next;
  let convertedAtIndex = next < converted.length ? converted[next].index - from : -1;
  let i = 0;
  // This runs over the whole history on every model call: what it costs per message is what a
  // long chat pays per call.
  while (i < known) {
    // Up to the next converted source, each source is its own slot: identity, four slots a step.
    const stop = convertedAtIndex < 0 || convertedAtIndex > known ? known : convertedAtIndex;
    const offset = end - i;
    const last4 = stop - 3;
    while (
      i < last4 &&
      log[i + offset] === messages[i] &&
      log[i + offset + 1] === messages[i + 1] &&
      log[i + offset + 2] === messages[i + 2] &&
      log[i + offset + 3] === messages[i + 3]
    ) {
      i += 4;
    }
    while (i < stop && log[i + offset] === messages[i]) i++;
    end = i + offset;
    if (i < stop || i === known) break;
    const message = messages[i];
    if (converted[next].source !== message) break;
    // The usual converted message, a tool message with one response sent as itself, is checked here;
    // the others by convertedAt (S4: every model call checks every tool message of the history, and
    // this saves ~5% of its instructions).
    const responses = message.tool_responses;
    const only = responses !== undefined && responses.length === 1 ? (responses[0] as Message) : undefined;
    const count = message.role === "tool" && only !== undefined && log[end] === only && sentAsIs(only) ? 1 : convertedAt(log, end, message);
    if (count < 0) break;
    end += count;
    i += 1;
    next += 1;
    convertedAtIndex = next < converted.length ? converted[next].index - from : -1;
  }
  at.index = from + i;
  at.end = end;
  at.next = next;
}

function append(state: LogState, messages: readonly Message[], from: number): void {
  const log = state.log;
  for (let i = from; i < messages.length; i++) {
    const source = messages[i];
    const before = log.length;
    pushUnrolled(log, source);
    if (log.length !== before + 1 || log[before] !== source) state.converted.push({ index: state.count, source });
    state.count += 1;
  }
}

/**
 * The messages for a model call: `system` then `history`, stripped and
 * unrolled, as they are now. Reuses what an earlier call on the same history
 * array built for every message still in its place and unchanged. The list is
 * lent to the caller until it calls `returnMessageLog`: meanwhile it is not
 * changed (a call made in between gets a new list).
 */
export function lendMessageLog(holder: object, system: readonly Message[], history: Message[]): Message[] {
  const state = stateOf(holder, history);
  const at: Cursor = { index: 0, end: 0, next: 0 };
  check(state, system, at);
  if (at.index === system.length) check(state, history, at);
  const total = system.length + history.length;
  if (at.index !== state.count || at.end !== state.log.length || at.index !== total) {
    if (state.lent > 0) {
      state.log = state.log.slice(0, at.end);
      state.lent = 0;
    } else state.log.length = at.end;
    state.count = at.index;
    state.converted.length = at.next;
    if (at.index < system.length) {
      append(state, system, at.index);
      append(state, history, 0);
    } else append(state, history, at.index - system.length);
  }
  state.lent += 1;
  return state.log;
}

/** Ends the loan of `log`, got from `lendMessageLog(holder, _, history)`, once the model call has settled. */
export function returnMessageLog(holder: object, history: Message[], log: Message[]): void {
  const last = (holder as LogHolder)[LAST];
  const state = last !== undefined && last.history === history ? last.state : states.get(history);
  if (state && state.log === log && state.lent > 0) state.lent -= 1;
}
