/**
 * FileLogger (AG2 logger/file_logger.py): JSON lines in
 * `<cwd>/autogen_logs/<filename>` (default `runtime.log`). Unlike AG2, wrapper
 * and client init args are redacted too.
 */
import type { Agent } from "../core/agent";
import type { BaseLogger, ChatCompletionLog } from "./base-logger";
import { currentTs, objectId, safeSerialize, sourceName, toLogDict } from "./serialize";

type Fs = typeof import("node:fs");

export interface FileLoggerConfig {
  /** File name inside `<cwd>/autogen_logs/`. Default "runtime.log". */
  filename?: string;
  [key: string]: unknown;
}

const isAgentLike = (x: unknown): x is Agent => x !== null && typeof x === "object" && typeof (x as Agent).name === "string";

export class FileLogger implements BaseLogger {
  readonly config: FileLoggerConfig;
  readonly session_id: string;
  /** The log file's path, set by start(). */
  log_file: string | null = null;
  private fs: Fs | null = null;

  constructor(config: FileLoggerConfig = {}) {
    this.config = { ...config };
    this.session_id = crypto.randomUUID();
  }

  async start(): Promise<string> {
    const fs = await import("node:fs");
    const { join } = await import("node:path");
    const dir = join(process.cwd(), "autogen_logs");
    fs.mkdirSync(dir, { recursive: true });
    this.log_file = join(dir, this.config.filename ?? "runtime.log");
    this.fs = fs;
    this.write(`Started new session with Session ID: ${this.session_id}`);
    return this.session_id;
  }

  private write(line: string): void {
    if (!this.fs || !this.log_file) return;
    this.fs.appendFileSync(this.log_file, `${line}\n`);
  }

  private line(record: Record<string, unknown>): void {
    this.write(JSON.stringify(record));
  }

  log_chat_completion(r: ChatCompletionLog): void {
    this.line({
      invocation_id: r.invocation_id,
      client_id: r.client_id,
      wrapper_id: r.wrapper_id,
      request: toLogDict(r.request),
      response: typeof r.response === "string" ? r.response : safeSerialize(r.response),
      is_cached: r.is_cached,
      cost: r.cost,
      start_time: r.start_time,
      end_time: currentTs(),
      thread_id: 0,
      source_name: sourceName(r.source),
    });
  }

  log_new_agent(agent: Agent, init_args: Record<string, unknown>): void {
    const client = (agent as { client?: object | null }).client;
    this.line({
      id: objectId(agent),
      agent_name: agent.name ?? "",
      wrapper_id: client ? objectId(client) : "",
      session_id: this.session_id,
      current_time: currentTs(),
      agent_type: agent.constructor.name,
      args: toLogDict(init_args),
      thread_id: 0,
    });
  }

  log_event(source: string | Agent, name: string, fields: Record<string, unknown>): void {
    const record: Record<string, unknown> = {
      source_id: objectId(source),
      source_name: sourceName(source),
      event_name: name,
    };
    if (isAgentLike(source)) {
      record.agent_module = null;
      record.agent_class = source.constructor.name;
    }
    Object.assign(record, { json_state: safeSerialize(fields), timestamp: currentTs(), thread_id: 0 });
    this.line(record);
  }

  log_new_wrapper(wrapper: object, init_args: Record<string, unknown>): void {
    this.line({
      wrapper_id: objectId(wrapper),
      session_id: this.session_id,
      json_state: JSON.stringify(toLogDict(init_args)),
      timestamp: currentTs(),
      thread_id: 0,
    });
  }

  log_new_client(client: object, wrapper: object, init_args: Record<string, unknown>): void {
    this.line({
      client_id: objectId(client),
      wrapper_id: objectId(wrapper),
      session_id: this.session_id,
      class: client.constructor.name,
      json_state: JSON.stringify(toLogDict(init_args)),
      timestamp: currentTs(),
      thread_id: 0,
    });
  }

  log_function_use(source: string | Agent, _func: Function, args: unknown, returns: unknown): void {
    this.line({
      source_id: objectId(source),
      source_name: sourceName(source),
      agent_module: null,
      agent_class: typeof source === "string" ? "String" : source.constructor.name,
      timestamp: currentTs(),
      thread_id: 0,
      input_args: safeSerialize(args),
      returns: safeSerialize(returns),
    });
  }

  get_connection(): null {
    return null;
  }

  stop(): void {
    this.fs = null;
  }
}
