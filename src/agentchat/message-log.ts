/**
 * The message list `generate_oai_reply` sends to the model, kept per
 * conversation and extended as the conversation grows, so that a model call
 * costs the same whether the history holds ten messages or ten thousand.
 *
 * A log is an array of stripped copies (no `context`, `override_role` or
 * `tool_responses`; tool responses unrolled): the system messages, then the
 * history. Once handed out, a log is only ever appended to; when the history
 * stops being an extension of what the log was built from (a message replaced
 * or removed, the system message changed), a new log is built and the old one
 * is left untouched. Messages are converted once, when first sent: editing an
 * already-sent stored message in place (rather than replacing it) is not seen
 * by later calls, nor is assigning another message to a slot in the middle
 * (see `historyExtends`); clearing, truncating, inserting or removing is.
 *
 * Model clients receive a log only if they declare `ACCEPTS_MESSAGE_LOG`
 * (they promise not to mutate it and to copy what they keep); every other
 * client gets fresh shallow copies, as before (see `messagesForClient`).
 */
import type { Message } from "./types";

const NEVER_SENT = new Set(["context", "override_role", "tool_responses"]);

/** Set to true on a model client that can take a shared, append-only log as `messages`. */
export const ACCEPTS_MESSAGE_LOG: unique symbol = Symbol.for("ag2ts.accepts_message_log");

const logs = new WeakSet<Message[]>();

/** Whether `messages` is a log built here (append-only; must not be mutated). */
export function isMessageLog(messages: unknown): messages is Message[] {
  return Array.isArray(messages) && logs.has(messages);
}

/** A shallow copy of `message` without the keys a model API must not see. */
export function stripped(message: Message): Message {
  const out: Message = {};
  for (const k in message) if (!NEVER_SENT.has(k)) out[k] = message[k];
  return out;
}

/** Appends the API form of `message` to `out`: its tool responses unrolled, then itself unless it is a tool message. */
export function pushUnrolled(out: Message[], message: Message): void {
  const responses = message.tool_responses;
  if (responses && responses.length > 0) {
    for (const response of responses) out.push(stripped(response as Message));
    if (message.role !== "tool") out.push(stripped(message));
  } else {
    out.push(stripped(message));
  }
}

function sameShallow(a: Message, b: Message): boolean {
  let n = 0;
  for (const k in a) {
    if (a[k] !== b[k]) return false;
    n += 1;
  }
  for (const _ in b) n -= 1;
  return n === 0;
}

interface Cache {
  /** The system messages the log starts with (stripped, unrolled). */
  system: Message[];
  /** The history messages converted so far, by reference. */
  sources: Message[];
  log: Message[];
}

const caches = new WeakMap<Message[], Cache>();

function unrolled(messages: readonly Message[]): Message[] {
  const out: Message[] = [];
  for (const message of messages) pushUnrolled(out, message);
  return out;
}

function systemMatches(cache: Cache, system: Message[]): boolean {
  if (cache.system.length !== system.length) return false;
  for (let i = 0; i < system.length; i++) if (!sameShallow(cache.system[i], system[i])) return false;
  return true;
}

/**
 * Whether `history` still starts with the messages the log was built from.
 * O(1): the length, the first and the last converted message. Clearing,
 * truncating, inserting or removing messages moves one of these and rebuilds
 * the log; only assigning a different message to a slot strictly between
 * them (`history[i] = other`) goes unnoticed, like editing one in place.
 * (Comparing every slot would cost ~1.5 ns per message per model call: the
 * per-message cost would grow with the history again.)
 */
function historyExtends(cache: Cache, history: readonly Message[]): boolean {
  const sources = cache.sources;
  const n = sources.length;
  if (history.length < n) return false;
  return n === 0 || (history[0] === sources[0] && history[n - 1] === sources[n - 1]);
}

/**
 * The messages for a model call: `system` then `history`, stripped and
 * unrolled. Reuses (and extends) the log of an earlier call on the same
 * history array while that array has only grown.
 */
export function messageLog(system: readonly Message[], history: Message[]): Message[] {
  let cache = caches.get(history);
  const systemCopies = unrolled(system);
  if (!cache || !systemMatches(cache, systemCopies) || !historyExtends(cache, history)) {
    cache = { system: systemCopies, sources: [], log: [...systemCopies] };
    logs.add(cache.log);
    caches.set(history, cache);
  }
  for (let i = cache.sources.length; i < history.length; i++) {
    cache.sources.push(history[i]);
    pushUnrolled(cache.log, history[i]);
  }
  return cache.log;
}

/**
 * What a model client receives as `messages`: the log itself if the client
 * accepts logs, else fresh shallow copies (a new array of new objects, so the
 * client may change them freely).
 */
export function messagesForClient(client: unknown, messages: Message[]): Message[] {
  if (!isMessageLog(messages)) return messages;
  if ((client as { [ACCEPTS_MESSAGE_LOG]?: boolean } | null)?.[ACCEPTS_MESSAGE_LOG] === true) return messages;
  return messages.map((m) => ({ ...m }));
}
