/** Errors of ag2ts/queue, split by blame like ../errors.ts. */
import { KeyError, RuntimeError } from "../errors";

/** A run names a conversation that is not registered (in this worker or this client). */
export class UnknownConversationError extends KeyError {}

/** An operation that the run's current status does not allow (input to a run that is not waiting, ...). */
export class RunStateError extends RuntimeError {}

/** A run id that has no record in Redis. */
export class RunNotFoundError extends KeyError {}
