/**
 * Everything the library shows a person is first an event (STYLE.md habit 6).
 * The console printer is one subscriber; code can add others with
 * `subscribe_events` (scoped to an async context) to watch a run.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Message } from "../agentchat/types";
import type { Color } from "./colored";
import { IOStream } from "./base";
import { renderEvent } from "./printer";

export type AG2Event =
  | { type: "received_message"; sender: string; recipient: string; message: Message; content: string | null }
  | { type: "using_auto_reply"; agent: string }
  | { type: "no_human_input"; agent: string }
  | { type: "human_input_requested"; agent: string; prompt: string }
  | { type: "execute_function"; agent: string; name: string; is_async: boolean }
  | { type: "function_result"; agent: string; name: string; arguments: unknown; content: string; verbose: boolean }
  | { type: "chat_start_banner"; message: string | null; carryover: string | null }
  | { type: "note"; text: string; color?: Color }
  /** Legacy code execution, one event per block (spec 50 §2.3). */
  | { type: "execute_code_block"; agent: string; code_block_index: number; language: string }
  /** Executor path, one event per batch of blocks (spec 50 §3.3). */
  | { type: "execute_code_blocks"; agent: string; languages: string[] };

export type EventListener = (event: AG2Event) => void;

const listeners = new AsyncLocalStorage<EventListener[]>();

/**
 * Runs `fn` with `listener` receiving every event emitted inside it (nested
 * scopes add to the outer ones).
 */
export function subscribe_events<T>(listener: EventListener, fn: () => T | Promise<T>): Promise<T> {
  const current = listeners.getStore() ?? [];
  return listeners.run([...current, listener], () => Promise.resolve(fn()));
}

/**
 * Emits an event: scoped listeners see it, then the default IOStream prints
 * it unless `print` is false (silent).
 */
export function emit(event: AG2Event, print = true): void {
  for (const listener of listeners.getStore() ?? []) listener(event);
  if (print) renderEvent(event, IOStream.get_default());
}
