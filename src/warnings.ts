/**
 * Library warnings and log messages (spec 60 §4.1).
 *
 * A warning is printed to stderr once per distinct text, as Python's default
 * warning filter does. `set_logger` installs a custom sink (tests use it);
 * `set_log_level` enables info/debug messages.
 */

import { writeDiagnostic } from "./io/stderr";

export type LogLevel = "debug" | "info" | "warning" | "error";
export type LogSink = (level: LogLevel, message: string) => void;

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warning: 30, error: 40 };

const defaultSink: LogSink = (level, message) => {
  writeDiagnostic(level === "warning" ? `Warning: ${message}` : `${level.toUpperCase()}: ${message}`);
};

let sink: LogSink = defaultSink;
let threshold = LEVELS.warning;
const seenWarnings = new Set<string>();

/** Replaces the sink of warnings and log messages; `null` restores stderr. */
export function set_logger(fn: LogSink | null): void {
  sink = fn ?? defaultSink;
  seenWarnings.clear();
}

/** Messages below this level are dropped. Default "warning". */
export function set_log_level(level: LogLevel): void {
  threshold = LEVELS[level];
}

/** Python `warnings.warn`: once per distinct text. */
export function warn(message: string): void {
  if (seenWarnings.has(message)) return;
  seenWarnings.add(message);
  log("warning", message);
}

/** Python `logging`: every call, subject to the level. */
export function log(level: LogLevel, message: string): void {
  if (LEVELS[level] < threshold) return;
  sink(level, message);
}
