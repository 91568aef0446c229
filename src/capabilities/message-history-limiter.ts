/**
 * MessageHistoryLimiter (AG2 transforms.MessageHistoryLimiter, spec 60 §6.2):
 * keeps the newest `max_messages` messages (and the first one, when asked).
 *
 * Unlike AG2, the kept messages are always in chronological order (AG2 puts
 * the oldest kept message second when `keep_first_message` is false), and a
 * tool response whose tool call fell outside the window is dropped with it
 * (AG2 only avoids that for the oldest slot, so parallel tool responses
 * could still reach the model without their call).
 */
import type { Message } from "../core/types";
import { ValueError } from "../errors";
import { is, validateOptions } from "../options";
import type { MessageTransform } from "./message-transform";
import { dropLeadingToolResponses } from "./transforms-util";

export interface MessageHistoryLimiterOptions {
  /** Most messages kept; null (default) keeps all. Must be at least 1. */
  max_messages?: number | null;
  /** Keep the conversation's first message (it takes one of the slots). Default false. */
  keep_first_message?: boolean;
  /** Messages whose `name` is in this list are dropped first. Default null. */
  exclude_names?: string[] | null;
}

export class MessageHistoryLimiter implements MessageTransform {
  private readonly _max_messages: number | null;
  private readonly _keep_first_message: boolean;
  private readonly _exclude_names: string[] | null;

  constructor(options: MessageHistoryLimiterOptions = {}) {
    validateOptions("MessageHistoryLimiter", options, {
      max_messages: is.nullable(is.integer),
      keep_first_message: is.boolean,
      exclude_names: is.nullable(is.array),
    });
    const max = options.max_messages ?? null;
    if (max !== null && max < 1) throw new ValueError("max_messages must be None or greater than 1", { option: "max_messages" });
    this._max_messages = max;
    this._keep_first_message = options.keep_first_message ?? false;
    this._exclude_names = options.exclude_names ?? null;
  }

  apply_transform(messages: Message[]): Message[] {
    const excluded = this._exclude_names;
    const filtered = excluded && excluded.length > 0 ? messages.filter((m) => !excluded.includes(m.name as string)) : messages;
    const max = this._max_messages;
    if (max === null || filtered.length <= max) return filtered;

    const first = this._keep_first_message ? [filtered[0]] : [];
    let slots = max - first.length;
    // Walk from the newest message back (never to index 0, as AG2), oldest kept first.
    const newest: Message[] = [];
    for (let i = filtered.length - 1; i > 0 && slots > 0; i--, slots--) {
      // The last slot never takes a tool response: its tool call would not fit.
      if (slots === 1 && filtered[i].role === "tool") break;
      newest.unshift(filtered[i]);
    }
    return [...first, ...dropLeadingToolResponses(newest)];
  }

  get_logs(pre_transform_messages: Message[], post_transform_messages: Message[]): [string, boolean] {
    const pre = pre_transform_messages.length;
    const post = post_transform_messages.length;
    if (post < pre) return [`Removed ${pre - post} messages. Number of messages reduced from ${pre} to ${post}.`, true];
    return ["No messages were removed.", false];
  }
}
