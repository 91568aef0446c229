/**
 * `ag2ts/queue` (Node only): durable conversations on BullMQ and Redis.
 * Needs the optional package `bullmq` (5.x), loaded when a worker or queue
 * first connects; importing this entry loads nothing of it.
 */
export { ConversationRegistry } from "./registry";
export type { ConversationContext, ConversationDefinition, ConversationSpec } from "./registry";
export { ConversationWorker } from "./worker";
export type { ConversationWorkerOptions } from "./worker";
export { ConversationQueue } from "./queue";
export type { ConversationQueueOptions, EventsOptions, WaitOptions } from "./queue";
export type { QueueConnectionOptions, RedisConnectionOptions } from "./connection";
export type { QueueEvent, RunInfo, RunResult, RunStatus, RunStatusEvent } from "./store";
export type { ChatPosition } from "./continue-chat";
export { RunNotFoundError, RunStateError, UnknownConversationError } from "./errors";
