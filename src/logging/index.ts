// Public API of runtime logging (spec 60 §4); re-exported from the package root.
export * as runtime_logging from "./runtime";
export type { BaseLogger, ChatCompletionLog } from "./base-logger";
export { FileLogger } from "./file-logger";
export type { FileLoggerConfig } from "./file-logger";
export { SqliteLogger, SQLITE_UNAVAILABLE } from "./sqlite-logger";
export type { SqliteLoggerConfig } from "./sqlite-logger";
