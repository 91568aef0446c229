/**
 * The logger protocol of runtime logging (spec 60 §4, AG2 `BaseLogger`).
 */
import type { Agent } from "../core/agent";
import type { Awaitable } from "../core/types";

export interface ChatCompletionLog {
  invocation_id: string;
  client_id: number;
  wrapper_id: number;
  source: string | Agent;
  request: unknown;
  /** The response, or the error text `error_code:<code>, config <i> failed`. */
  response: unknown;
  is_cached: 0 | 1;
  cost: number;
  start_time: string;
}

export interface BaseLogger {
  /** Opens the log; resolves to the session id. */
  start(): Awaitable<string>;
  stop(): Awaitable<void>;
  /** The database handle (SQLite) or null. */
  get_connection(): unknown;
  log_chat_completion(record: ChatCompletionLog): void;
  log_new_agent(agent: Agent, init_args: Record<string, unknown>): void;
  log_event(source: string | Agent, name: string, fields: Record<string, unknown>): void;
  log_new_wrapper(wrapper: object, init_args: Record<string, unknown>): void;
  log_new_client(client: object, wrapper: object, init_args: Record<string, unknown>): void;
  log_function_use(source: string | Agent, func: Function, args: unknown, returns: unknown): void;
}
