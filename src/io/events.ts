/**
 * Everything the library shows a person is first an event (STYLE.md habit 6).
 * The console printer is one subscriber; code can add others with
 * `subscribe_events` (scoped to an async context) to watch a run.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Message } from "../core/types";
import { currentPath, demandCarrying, type StopReason } from "../core/run-context";
import type { Color } from "./colored";
import { IOStream } from "./base";
import { renderEvent } from "./printer";

/** What an event says; `emit` adds the chat path. */
export type AG2EventPayload =
  // Chats (issue #10): every chat opens with chat_start and closes with chat_end.
  | { type: "chat_start"; sender: string; recipient: string }
  | {
      type: "chat_end";
      sender: string;
      recipient: string;
      stop_reason: StopReason;
      stopped_by: string | null;
      summary: string;
      /** Length of ChatResult.chat_history. */
      messages: number;
    }
  /** A decision that ends a chat (or a group chat), at the moment it is taken. */
  | { type: "termination"; agent: string | null; stop_reason: StopReason; reason: string }
  | { type: "error"; name: string; message: string }
  | { type: "sent_message"; sender: string; recipient: string; message: Message }
  /** One model call's usage (cached: answered from the cache, not billed). */
  | {
      type: "usage";
      agent: string | null;
      model: string | null;
      prompt_tokens: number;
      completion_tokens: number;
      total_tokens: number;
      cost: number;
      cached: boolean;
    }
  | { type: "received_message"; sender: string; recipient: string; message: Message; content: string | null }
  | { type: "using_auto_reply"; agent: string }
  | { type: "no_human_input"; agent: string }
  | { type: "human_input_requested"; agent: string; prompt: string }
  /** A tool or function call starts (call_id is the tool call's id; null for a legacy function call). */
  | { type: "execute_function"; agent: string; name: string; is_async: boolean; call_id: string | null }
  /** A tool or function call's result as the model will see it. */
  | {
      type: "function_result";
      agent: string;
      name: string;
      arguments: unknown;
      content: string;
      verbose: boolean;
      call_id: string | null;
    }
  | { type: "chat_start_banner"; message: string | null; carryover: string | null }
  | { type: "note"; text: string; color?: Color }
  // Group chat (spec 30)
  | { type: "group_chat_next_speaker"; agent: string }
  | { type: "select_speaker_options"; agents: string[] }
  | { type: "select_speaker_invalid_input"; agents_count: number }
  | { type: "select_speaker_try_count_exceeded"; tries: number }
  | {
      type: "select_speaker_attempt";
      attempt: number;
      attempts: number;
      outcome: "selected" | "multiple" | "none";
      agent: string | null;
    }
  | { type: "clear_agents_history"; agent: string | null; nr_messages_to_preserve: number | null }
  | { type: "group_chat_resumed"; messages: number; last_speaker: string }
  // Streaming (spec 40 §5.7)
  | { type: "stream_text"; text: string }
  | { type: "stream_end" }
  /** Legacy code execution, one event per block (spec 50 §2.3). */
  | { type: "execute_code_block"; agent: string; code_block_index: number; language: string }
  /** Executor path, one event per batch of blocks (spec 50 §3.3). */
  | { type: "execute_code_blocks"; agent: string; languages: string[] };

/**
 * An event as listeners receive it: the payload plus `path`, the chat it
 * belongs to, outermost first (e.g. `["chat:1", "group:chat_manager",
 * "nested:writer", "chat:2"]`; `[]` outside any chat).
 */
export type AG2Event = AG2EventPayload & { path: string[] };

export type EventListener = (event: AG2Event) => void;

const listeners = new AsyncLocalStorage<EventListener[]>();
/** Subscriptions whose `fn` is running, anywhere in the process: while there are none, nobody listens. */
let subscriptions = 0;

/**
 * Runs `fn` with `listener` receiving every event emitted inside it (nested
 * scopes add to the outer ones).
 */
export function subscribe_events<T>(listener: EventListener, fn: () => T | Promise<T>): Promise<T> {
  const current = listeners.getStore() ?? [];
  subscriptions += 1;
  // Chats started inside carry their context by AsyncLocalStorage: events keep their path after a user's await.
  const release = demandCarrying();
  return listeners.run([...current, listener], async () => {
    try {
      return await fn();
    } finally {
      subscriptions -= 1;
      release();
    }
  });
}


/**
 * Whether an event emitted now would reach anyone: it is printed, or a scoped
 * listener is subscribed. Code that builds a costly payload asks first.
 */
export function eventsWanted(print = true): boolean {
  if (print) return true;
  if (subscriptions === 0) return false;
  const current = listeners.getStore();
  return current !== undefined && current.length > 0;
}

/**
 * Emits an event: scoped listeners see it, then the default IOStream prints
 * it unless `print` is false (silent). Nothing is built when nobody would
 * see it (not printed, no listener).
 */
export function emit(payload: AG2EventPayload, print = true): void {
  if (subscriptions === 0) {
    if (!print) return;
    // Printed and nobody listens: the printer reads the payload and keeps nothing, so it needs no
    // copy and no path; outside an ordered run no buffer can hold it back (every tool call prints).
    if (orderedRuns === 0) {
      renderEvent(payload as AG2Event, IOStream.get_default());
      return;
    }
  }
  const current = listeners.getStore() ?? [];
  if (!print && current.length === 0) return;
  // Object.assign, not `{ ...payload, path }`: V8 runs a spread plus a key ~5x slower.
  const event = Object.assign({}, payload) as AG2Event;
  event.path = currentPath().slice();
  let stream: IOStream | null = null;
  if (print) {
    try {
      stream = IOStream.get_default();
    } catch {
      // No default stream: the delivery below reports it.
    }
  }
  route(buffers.getStore() ?? null, () => {
    for (const listener of current) listener(event);
    if (print) renderEvent(event, stream ?? IOStream.get_default());
  });
}

/**
 * Event buffers let concurrent tasks show their events as if they had run
 * one after another: a task's events wait in its buffer until every earlier
 * task has finished, then flow through live.
 */
interface EventBuffer {
  parent: EventBuffer | null;
  live: boolean;
  pending: Array<() => void>;
}

const buffers = new AsyncLocalStorage<EventBuffer>();

function route(buffer: EventBuffer | null, deliver: () => void): void {
  while (buffer !== null && buffer.live) buffer = buffer.parent;
  if (buffer === null) deliver();
  else buffer.pending.push(deliver);
}

/**
 * Runs `tasks` concurrently and resolves with their results in order. The
 * events they emit (printed output included) come out grouped by task, in
 * task order, whatever order the tasks finish in: the first task's events
 * are live, each later task's are held until all earlier tasks are done.
 */
/** runWithOrderedEvents calls not yet settled: while there are none, no event buffer exists. */
let orderedRuns = 0;

export function runWithOrderedEvents<T>(tasks: Array<() => T | Promise<T>>): Promise<T[]> {
  orderedRuns += 1;
  const parent = buffers.getStore() ?? null;
  const own = tasks.map((_, i): EventBuffer => ({ parent, live: i === 0, pending: [] }));
  const done = tasks.map(() => false);
  let head = 0;
  const advance = (): void => {
    while (head < tasks.length && done[head]) {
      head++;
      if (head < tasks.length) {
        for (const deliver of own[head].pending.splice(0)) route(parent, deliver);
        own[head].live = true;
      }
    }
  };
  let running = tasks.length;
  if (running === 0) orderedRuns -= 1;
  return Promise.all(
    tasks.map((task, i) =>
      buffers.run(own[i], async () => {
        try {
          return await task();
        } finally {
          done[i] = true;
          advance();
          // Once the last task is done every buffered event has been delivered.
          running -= 1;
          if (running === 0) orderedRuns -= 1;
        }
      }),
    ),
  );
}
