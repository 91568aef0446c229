/**
 * Error classes, split by who is to blame (STYLE.md habit 3).
 *
 * - Misconfiguration by the caller: `ValueError`, `KeyError`, `TypeError`-like
 *   subclasses with AG2's names (`SenderRequiredError`, `InvalidCarryOverTypeError`).
 * - Runtime conditions outside the caller's control: `RuntimeError`, `TimeoutError`.
 * - Library bugs: `SystemError` (should never surface; report it).
 *
 * Bad model output (unknown tool, invalid JSON) never throws: it becomes a
 * message the model sees, as in AG2.
 */

export interface ErrorContext {
  cause?: unknown;
  [key: string]: unknown;
}

/** Base class of every error thrown by ag2ts. */
export class AG2Error extends Error {
  readonly context: Record<string, unknown>;
  constructor(message: string, context: ErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    const { cause: _cause, ...rest } = context;
    this.context = rest;
    this.name = new.target.name;
  }
}

/** Python `ValueError` (and `AssertionError`): a value the caller passed is wrong. */
export class ValueError extends AG2Error {}

/** Python `KeyError`: a lookup by key or agent found nothing. */
export class KeyError extends AG2Error {}

/** Python `RuntimeError`: the operation cannot run in the current state. */
export class RuntimeError extends AG2Error {}

/** Python `NotImplementedError`. */
export class NotImplementedError extends AG2Error {}

/** A model call did not answer in time. */
export class TimeoutError extends AG2Error {}

/** An internal invariant broke: a bug in ag2ts. */
export class SystemError extends AG2Error {}

/** A reply function with a string trigger ran without a sender. */
export class SenderRequiredError extends ValueError {
  constructor(message = "Sender is required but not provided.", context: ErrorContext = {}) {
    super(message, context);
  }
}

/** `carryover` was neither a string nor a list. */
export class InvalidCarryOverTypeError extends ValueError {}

/** The chat was aborted through an `AbortSignal`. */
export class AbortError extends AG2Error {
  constructor(message = "The operation was aborted.", context: ErrorContext = {}) {
    super(message, context);
  }
}

/** Throws `AbortError` when the signal has been aborted. */
export function throwIfAborted(signal: AbortSignal | undefined | null): void {
  if (signal?.aborted) {
    const reason = signal.reason;
    throw new AbortError(
      reason instanceof Error ? `The operation was aborted: ${reason.message}` : "The operation was aborted.",
      { cause: reason },
    );
  }
}

/** Python `FileNotFoundError`: a file the caller named does not exist. */
export class FileNotFoundError extends AG2Error {}

/**
 * The model's reply does not match the `response_format` schema (not JSON,
 * or not valid against the schema). A ValueError, as pydantic's
 * ValidationError is in AG2; `context.schema_name` and `context.content` say
 * which schema and what the model wrote.
 */
export class StructuredOutputError extends ValueError {}
