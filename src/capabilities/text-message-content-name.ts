/**
 * TextMessageContentName (AG2 transforms.TextMessageContentName): writes the
 * sender's name into the text of each named message, at the start or the end,
 * with a format such as "'{name}' said:\n".
 */
import { deepCopy } from "../core/messages";
import type { Message } from "../core/types";
import { ValueError } from "../errors";
import { is, validateOptions } from "../options";
import type { MessageTransform } from "./message-transform";
import { is_content_right_type, is_content_text_empty, should_transform_message } from "./transforms-util";

export interface TextMessageContentNameOptions {
  /** "start" (default) or "end". */
  position?: "start" | "end";
  /** The text added, with `{name}` where the name goes. Default "{name}:\n". */
  format_string?: string;
  /** Do not add the text again when the content already starts (ends) with it. Default true. */
  deduplicate?: boolean;
  /** filter_config criteria choosing messages; null (default) chooses all. */
  filter_dict?: Record<string, unknown> | null;
  /** true (default): messages matching `filter_dict` are left alone; false: only they change. */
  exclude_filter?: boolean;
}

export class TextMessageContentName implements MessageTransform {
  private readonly _position: "start" | "end";
  private readonly _format_string: string;
  private readonly _deduplicate: boolean;
  private readonly _filter_dict: Record<string, unknown> | null;
  private readonly _exclude_filter: boolean;
  private _messages_changed = 0;

  constructor(options: TextMessageContentNameOptions = {}) {
    validateOptions("TextMessageContentName", options, {
      position: is.oneOf("start", "end"),
      format_string: is.string,
      deduplicate: is.boolean,
      filter_dict: is.nullable(is.object),
      exclude_filter: is.boolean,
    });
    const format = options.format_string ?? "{name}:\n";
    if (!format.includes("{name}")) {
      throw new ValueError(`TextMessageContentName: option 'format_string' must contain '{name}' where the name goes, got ${JSON.stringify(format)}.`, {
        option: "format_string",
      });
    }
    this._position = options.position ?? "start";
    this._format_string = format;
    this._deduplicate = options.deduplicate ?? true;
    this._filter_dict = options.filter_dict ?? null;
    this._exclude_filter = options.exclude_filter ?? true;
  }

  apply_transform(messages: Message[]): Message[] {
    if (messages.length === 0) return messages;
    let changed = 0;
    const processed = deepCopy(messages);
    for (const message of processed) {
      if (!is_content_right_type(message.content) || !is_content_right_type(message.name)) continue;
      if (!should_transform_message(message, this._filter_dict, this._exclude_filter)) continue;
      if (is_content_text_empty(message.content) || is_content_text_empty(message.name)) continue;
      // AG2 concatenates text, and fails on a list of parts; ag2ts leaves such a message alone.
      if (typeof message.content !== "string") continue;
      const content = message.content;
      const label = this._format_string.split("{name}").join(String(message.name));
      if (this._position === "start") {
        if (!this._deduplicate || !content.startsWith(label)) {
          message.content = `${label}${content}`;
          changed++;
        }
      } else if (!this._deduplicate || !content.endsWith(label)) {
        message.content = `${content}${label}`;
        changed++;
      }
    }
    this._messages_changed = changed;
    return processed;
  }

  get_logs(_pre: Message[], _post: Message[]): [string, boolean] {
    if (this._messages_changed > 0) return [`${this._messages_changed} message(s) changed to incorporate name.`, true];
    return ["No messages changed to incorporate name.", false];
  }
}
