/**
 * SqliteLogger (AG2 logger/sqlite_logger.py) over `node:sqlite`, loaded when
 * the logger starts: Deno and Node >= 22.5 have it, Node 20 does not (no
 * native addon is used).
 */
import { RuntimeError } from "../errors";
import type { Agent } from "../core/agent";
import type { BaseLogger, ChatCompletionLog } from "./base-logger";
import { currentTs, objectId, safeSerialize, sourceName, toLogDict } from "./serialize";

export const SQLITE_UNAVAILABLE =
  "SQLite logging needs node:sqlite (Node >= 22.5 or Deno); use logger_type 'file'";

/** The part of node:sqlite's DatabaseSync that the logger uses. */
interface Database {
  exec(sql: string): void;
  prepare(sql: string): { run(...args: unknown[]): unknown; get(...args: unknown[]): unknown; all(...args: unknown[]): unknown[] };
  close(): void;
}

export interface SqliteLoggerConfig {
  /** Database file. Default "logs.db". */
  dbname?: string;
  /** Directory of `NNN_*.sql` migrations. Default "./migrations". */
  migrations_dir?: string;
  [key: string]: unknown;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS chat_completions (
  id INTEGER PRIMARY KEY, invocation_id TEXT, client_id INTEGER, wrapper_id INTEGER, session_id TEXT,
  source_name TEXT, request TEXT, response TEXT, is_cached INTEGER, cost REAL,
  start_time DATETIME DEFAULT CURRENT_TIMESTAMP, end_time DATETIME DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE IF NOT EXISTS agents (
  id INTEGER PRIMARY KEY, agent_id INTEGER, wrapper_id INTEGER, session_id TEXT, name TEXT, class TEXT,
  init_args TEXT, timestamp DATETIME DEFAULT CURRENT_TIMESTAMP, UNIQUE(agent_id, session_id));
CREATE TABLE IF NOT EXISTS oai_wrappers (
  id INTEGER PRIMARY KEY, wrapper_id INTEGER, session_id TEXT, init_args TEXT,
  timestamp DATETIME DEFAULT CURRENT_TIMESTAMP, UNIQUE(wrapper_id, session_id));
CREATE TABLE IF NOT EXISTS oai_clients (
  id INTEGER PRIMARY KEY, client_id INTEGER, wrapper_id INTEGER, session_id TEXT, class TEXT, init_args TEXT,
  timestamp DATETIME DEFAULT CURRENT_TIMESTAMP, UNIQUE(client_id, session_id));
CREATE TABLE IF NOT EXISTS version (
  id INTEGER PRIMARY KEY CHECK (id = 1), version_number INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS events (
  event_name TEXT, source_id INTEGER, source_name TEXT, agent_module TEXT DEFAULT NULL,
  agent_class_name TEXT DEFAULT NULL, id INTEGER PRIMARY KEY, json_state TEXT,
  timestamp DATETIME DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE IF NOT EXISTS function_calls (
  source_id INTEGER, source_name TEXT, function_name TEXT, args TEXT DEFAULT NULL, returns TEXT DEFAULT NULL,
  timestamp DATETIME DEFAULT CURRENT_TIMESTAMP);
`;

const isAgentLike = (x: unknown): x is Agent => x !== null && typeof x === "object" && typeof (x as Agent).name === "string";

export class SqliteLogger implements BaseLogger {
  static schema_version = 1;
  readonly config: SqliteLoggerConfig;
  readonly session_id: string;
  private con: Database | null = null;

  constructor(config: SqliteLoggerConfig = {}) {
    this.config = { ...config };
    this.session_id = crypto.randomUUID();
  }

  async start(): Promise<string> {
    let sqlite: { DatabaseSync: new (path: string) => Database };
    try {
      const specifier = "node:sqlite";
      sqlite = await import(specifier);
    } catch (err) {
      throw new RuntimeError(SQLITE_UNAVAILABLE, { cause: err });
    }
    this.con = new sqlite.DatabaseSync(this.config.dbname ?? "logs.db");
    this.con.exec(SCHEMA);
    if (this.currentVersion() === null) {
      this.con.prepare("INSERT INTO version (id, version_number) VALUES (1, ?)").run(SqliteLogger.schema_version);
    }
    await this.applyMigrations(this.config.migrations_dir ?? "./migrations");
    return this.session_id;
  }

  private currentVersion(): number | null {
    const row = this.con!.prepare("SELECT version_number FROM version ORDER BY id DESC LIMIT 1").get() as { version_number: number } | undefined;
    return row ? Number(row.version_number) : null;
  }

  /** Applies `NNN_*.sql` files numbered above the stored version, in order (read from `dir`, unlike AG2). */
  private async applyMigrations(dir: string): Promise<void> {
    const fs = await import("node:fs");
    const { join } = await import("node:path");
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return;
    const current = this.currentVersion() ?? SqliteLogger.schema_version;
    const scripts = fs
      .readdirSync(dir)
      .filter((f) => /^\d+_.*\.sql$/.test(f))
      .map((f) => ({ file: f, version: Number(f.split("_")[0]) }))
      .filter((m) => m.version > current)
      .sort((a, b) => a.version - b.version);
    for (const m of scripts) {
      this.con!.exec(fs.readFileSync(join(dir, m.file), "utf8"));
      this.run("UPDATE version SET version_number = ? WHERE id = 1", m.version);
    }
  }

  private run(sql: string, ...args: unknown[]): void {
    if (!this.con) return;
    this.con.prepare(sql).run(...args.map((a) => (a === undefined ? null : typeof a === "boolean" ? Number(a) : a)));
  }

  log_chat_completion(r: ChatCompletionLog): void {
    const response =
      r.response === null || r.response === undefined || typeof r.response === "string"
        ? JSON.stringify({ response: r.response ?? null })
        : JSON.stringify(JSON.parse(safeSerialize(r.response)), null, 4);
    this.run(
      `INSERT INTO chat_completions (invocation_id, client_id, wrapper_id, session_id, request, response, is_cached, cost,
         start_time, end_time, source_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      r.invocation_id, r.client_id, r.wrapper_id, this.session_id, JSON.stringify(toLogDict(r.request)), response,
      r.is_cached, r.cost, r.start_time, currentTs(), sourceName(r.source),
    );
  }

  log_new_agent(agent: Agent, init_args: Record<string, unknown>): void {
    const client = (agent as { client?: object | null }).client;
    this.run(
      `INSERT INTO agents (agent_id, wrapper_id, session_id, name, class, init_args, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (agent_id, session_id) DO UPDATE SET wrapper_id = excluded.wrapper_id, name = excluded.name,
         class = excluded.class, init_args = excluded.init_args, timestamp = excluded.timestamp`,
      objectId(agent), client ? objectId(client) : "", this.session_id, agent.name ?? "", agent.constructor.name,
      JSON.stringify(toLogDict(init_args)), currentTs(),
    );
  }

  log_event(source: string | Agent, name: string, fields: Record<string, unknown>): void {
    if (isAgentLike(source)) {
      this.run(
        `INSERT INTO events (source_id, source_name, event_name, agent_module, agent_class_name, json_state, timestamp)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        objectId(source), sourceName(source), name, null, source.constructor.name, safeSerialize(fields), currentTs(),
      );
    } else {
      this.run(
        "INSERT INTO events (source_id, source_name, event_name, json_state, timestamp) VALUES (?, ?, ?, ?, ?)",
        objectId(source), sourceName(source), name, safeSerialize(fields), currentTs(),
      );
    }
  }

  log_new_wrapper(wrapper: object, init_args: Record<string, unknown>): void {
    this.run(
      `INSERT INTO oai_wrappers (wrapper_id, session_id, init_args, timestamp) VALUES (?, ?, ?, ?)
       ON CONFLICT (wrapper_id, session_id) DO NOTHING`,
      objectId(wrapper), this.session_id, JSON.stringify(toLogDict(init_args)), currentTs(),
    );
  }

  log_new_client(client: object, wrapper: object, init_args: Record<string, unknown>): void {
    this.run(
      `INSERT INTO oai_clients (client_id, wrapper_id, session_id, class, init_args, timestamp) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (client_id, session_id) DO NOTHING`,
      objectId(client), objectId(wrapper), this.session_id, client.constructor.name, JSON.stringify(toLogDict(init_args)), currentTs(),
    );
  }

  log_function_use(source: string | Agent, func: Function, args: unknown, returns: unknown): void {
    this.run(
      "INSERT INTO function_calls (source_id, source_name, function_name, args, returns, timestamp) VALUES (?, ?, ?, ?, ?, ?)",
      objectId(source), sourceName(source), func.name, safeSerialize(args), safeSerialize(returns), currentTs(),
    );
  }

  get_connection(): unknown {
    return this.con;
  }

  stop(): void {
    this.con?.close();
    this.con = null;
  }
}
