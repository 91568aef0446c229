/** The contract of a message transform (AG2 transforms.MessageTransform). */
import type { Awaitable, Message } from "../core/types";

export interface MessageTransform {
  /** A new list of messages, transformed; the input list and its messages stay as they were. */
  apply_transform(messages: Message[]): Awaitable<Message[]>;
  /** The log text of one application, and whether it changed anything. */
  get_logs(pre_transform_messages: Message[], post_transform_messages: Message[]): [string, boolean];
}
