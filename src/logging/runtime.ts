/**
 * Runtime logging (spec 60 §4, AG2 runtime_logging.py): one process-wide
 * logger, switched on by `start` and off by `stop`. The library calls the
 * `log_*` functions only while `logging_enabled()`; a logger that fails never
 * breaks a chat (the failure becomes an error log message).
 */
import type { Agent } from "../core/agent";
import { ValueError } from "../errors";
import { log } from "../warnings";
import type { BaseLogger, ChatCompletionLog } from "./base-logger";
import { FileLogger } from "./file-logger";
import { SqliteLogger } from "./sqlite-logger";

export type { BaseLogger, ChatCompletionLog };

let autogen_logger: BaseLogger | null = null;
let is_logging = false;

export interface StartOptions {
  /** A logger instance; overrides `logger_type`. Default null. */
  logger?: BaseLogger | null;
  /** "sqlite" (needs node:sqlite) or "file". Default "sqlite". */
  logger_type?: "sqlite" | "file";
  /** The logger's config: `{dbname}` (sqlite) or `{filename}` (file). Default {}. */
  config?: Record<string, unknown> | null;
}

/** AG2 `LoggerFactory.get_logger`. */
export function get_logger(logger_type: "sqlite" | "file" = "sqlite", config: Record<string, unknown> = {}): BaseLogger {
  if (logger_type === "sqlite") return new SqliteLogger(config);
  if (logger_type === "file") return new FileLogger(config);
  throw new ValueError(`[logger_factory] Invalid logger_type: ${String(logger_type)}. Use "sqlite" or "file".`);
}

/** Starts logging; resolves to the session id, or null when the logger could not start (logged as an error). */
export async function start(options: StartOptions = {}): Promise<string | null> {
  const logger = options.logger ?? get_logger(options.logger_type ?? "sqlite", options.config ?? {});
  autogen_logger = logger;
  try {
    const session_id = await logger.start();
    is_logging = true;
    return session_id;
  } catch (err) {
    log("error", `[runtime logging] Failed to start logging: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
}

/** Stops logging and closes the logger. */
export async function stop(): Promise<void> {
  is_logging = false;
  if (autogen_logger) await autogen_logger.stop();
}

/** The SQLite database handle (node:sqlite `DatabaseSync`) of the sqlite logger; null otherwise. */
export function get_connection(): unknown | null {
  return autogen_logger ? (autogen_logger.get_connection() ?? null) : null;
}

export function logging_enabled(): boolean {
  return is_logging;
}

function safely(what: string, fn: (logger: BaseLogger) => void): void {
  if (!is_logging || !autogen_logger) return;
  try {
    fn(autogen_logger);
  } catch (err) {
    log("error", `[runtime logging] ${what} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function log_chat_completion(record: ChatCompletionLog): void {
  safely("log_chat_completion", (l) => l.log_chat_completion(record));
}
export function log_new_agent(agent: Agent, init_args: Record<string, unknown>): void {
  safely("log_new_agent", (l) => l.log_new_agent(agent, init_args));
}
export function log_event(source: string | Agent, name: string, fields: Record<string, unknown> = {}): void {
  safely("log_event", (l) => l.log_event(source, name, fields));
}
export function log_new_wrapper(wrapper: object, init_args: Record<string, unknown>): void {
  safely("log_new_wrapper", (l) => l.log_new_wrapper(wrapper, init_args));
}
export function log_new_client(client: object, wrapper: object, init_args: Record<string, unknown>): void {
  safely("log_new_client", (l) => l.log_new_client(client, wrapper, init_args));
}
export function log_function_use(source: string | Agent, func: Function, args: unknown, returns: unknown): void {
  safely("log_function_use", (l) => l.log_function_use(source, func, args, returns));
}
