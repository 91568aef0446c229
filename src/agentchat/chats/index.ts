/**
 * Public API of sequential, concurrent and nested chats (spec 20 §6-8).
 */
export { initiate_chats, a_initiate_chats } from "./chat-queue";
export type { ChatQueueOptions } from "./chat-queue";
export type { ChatQueueEntry } from "../agent/public-types";
export { summary_from_nested_chats, a_summary_from_nested_chats } from "./nested-chats";
export type {
  NestedChatQueueEntry,
  NestedChatMessageFunction,
  NestedChatsReplyFunction,
  RegisterNestedChatsOptions,
  CarryoverConfig,
} from "../agent/public-types";
export { ChatRun, stream_events } from "./chat-run";
export type { ChatRunOptions } from "./chat-run";
export type { StopReason } from "../../core/run-context";
export { currentSignal } from "../../core/run-context";
