/**
 * MessageTokenLimiter (AG2 transforms.MessageTokenLimiter, spec 60 §6.3):
 * truncates each message to `max_tokens_per_message` tokens and the history
 * to `max_tokens`, walking from the newest message back; once the budget is
 * spent, the message at hand is cut to what is left and older ones are dropped.
 *
 * Tokens are counted as AG2 counts them (gpt-3.5-turbo-0613's encoding, text
 * only); `model` chooses the tokenizer that cuts and the cap on the limits.
 * `apply_transform` is async: it loads the encodings on first use.
 */
import { deepCopy } from "../core/messages";
import type { Message } from "../core/types";
import { ValueError } from "../errors";
import { IOStream } from "../io/base";
import { colored } from "../io/colored";
import { is, validateOptions } from "../options";
import { encodingForModel, load_token_encoding } from "../tokens/encodings";
import { get_max_token_limit } from "../tokens/limits";
import type { MessageTransform } from "./message-transform";
import {
  count_text_tokens,
  dropLeadingToolResponses,
  is_content_right_type,
  min_tokens_reached,
  should_transform_message,
} from "./transforms-util";

export interface MessageTokenLimiterOptions {
  /** Most tokens kept in one message; null (default) is unlimited. At least 0. */
  max_tokens_per_message?: number | null;
  /** Most tokens kept in the whole history; null (default) is unlimited. At least 0. */
  max_tokens?: number | null;
  /** Below this many tokens in all messages nothing is truncated; null (default) is 0. */
  min_tokens?: number | null;
  /** The model whose tokenizer cuts the text and whose context window caps the limits. Default "gpt-3.5-turbo-0613". */
  model?: string;
  /** filter_config criteria choosing messages (e.g. `{ role: "user" }`); null (default) chooses all. */
  filter_dict?: Record<string, unknown> | null;
  /** true (default): messages matching `filter_dict` are left alone; false: only they are truncated. */
  exclude_filter?: boolean;
}

/** AG2's `sys.maxsize` for "no limit": big enough, and exact in arithmetic. */
const NO_LIMIT = Number.MAX_SAFE_INTEGER;
const COUNTING_MODEL = "gpt-3.5-turbo-0613";

export class MessageTokenLimiter implements MessageTransform {
  private readonly _model: string;
  private readonly _max_tokens_per_message: number;
  private readonly _max_tokens: number;
  private readonly _min_tokens: number;
  private readonly _filter_dict: Record<string, unknown> | null;
  private readonly _exclude_filter: boolean;

  constructor(options: MessageTokenLimiterOptions = {}) {
    validateOptions("MessageTokenLimiter", options, {
      max_tokens_per_message: is.nullable(is.integer),
      max_tokens: is.nullable(is.integer),
      min_tokens: is.nullable(is.integer),
      model: is.string,
      filter_dict: is.nullable(is.object),
      exclude_filter: is.boolean,
    });
    this._model = options.model ?? COUNTING_MODEL;
    this._max_tokens_per_message = this.validateMaxTokens(options.max_tokens_per_message ?? null);
    this._max_tokens = this.validateMaxTokens(options.max_tokens ?? null);
    this._min_tokens = validateMinTokens(options.min_tokens ?? null, options.max_tokens ?? null);
    this._filter_dict = options.filter_dict ?? null;
    this._exclude_filter = options.exclude_filter ?? true;
  }

  async apply_transform(messages: Message[]): Promise<Message[]> {
    await Promise.all([load_token_encoding(COUNTING_MODEL), load_token_encoding(this._model)]);
    if (!min_tokens_reached(messages, this._min_tokens)) return messages;

    const processed: Message[] = [];
    let used = 0;
    let droppedOlder = false;
    const copies = deepCopy(messages);
    for (let i = copies.length - 1; i >= 0; i--) {
      const message = copies[i];
      if (!is_content_right_type(message.content)) {
        processed.unshift(message);
        continue;
      }
      if (!should_transform_message(message, this._filter_dict, this._exclude_filter)) {
        processed.unshift(message);
        used += count_text_tokens(message.content);
        continue;
      }
      if (this._max_tokens - used - this._max_tokens_per_message < 0) {
        // The budget ends in this message: cut it to what is left, drop the older ones.
        message.content = this.truncate(message.content, this._max_tokens - used);
        processed.unshift(message);
        droppedOlder = i > 0;
        break;
      }
      message.content = this.truncate(message.content, this._max_tokens_per_message);
      used += count_text_tokens(message.content);
      processed.unshift(message);
    }
    // A tool response is never sent without the tool call that was dropped before it.
    return droppedOlder ? dropLeadingToolResponses(processed) : processed;
  }

  get_logs(pre_transform_messages: Message[], post_transform_messages: Message[]): [string, boolean] {
    const tokens = (list: Message[]) => list.reduce((sum, m) => sum + ("content" in m ? count_text_tokens(m.content) : 0), 0);
    const pre = tokens(pre_transform_messages);
    const post = tokens(post_transform_messages);
    if (post < pre) return [`Truncated ${pre - post} tokens. Number of tokens reduced from ${pre} to ${post}`, true];
    return ["No tokens were truncated.", false];
  }

  private truncate(content: string | unknown[], n_tokens: number): string | Message["content"] {
    if (typeof content === "string") return this.truncateText(content, n_tokens);
    return content.map((part) => {
      const p = part as { type?: string; text?: unknown };
      return p.type === "text" ? { type: "text", text: this.truncateText(String(p.text), n_tokens) } : part;
    }) as Message["content"];
  }

  private truncateText(text: string, n_tokens: number): string {
    const encoding = encodingForModel(this._model);
    // Python slicing: a negative count cuts that many tokens off the end.
    return encoding.decode(encoding.encode(text).slice(0, n_tokens));
  }

  private validateMaxTokens(max_tokens: number | null): number {
    if (max_tokens !== null && max_tokens < 0) {
      throw new ValueError("max_tokens and max_tokens_per_message must be None or greater than or equal to 0");
    }
    const io = IOStream.get_default();
    let allowed: number | null = null;
    try {
      allowed = get_max_token_limit(this._model);
    } catch {
      io.print(colored(`Model ${this._model} not found in token_count_utils.`, "yellow"));
    }
    if (max_tokens !== null && allowed !== null && max_tokens > allowed) {
      io.print(
        colored(`Max token was set to ${max_tokens}, but ${this._model} can only accept ${allowed} tokens. Capping it to ${allowed}.`, "yellow"),
      );
      return allowed;
    }
    return max_tokens ?? NO_LIMIT;
  }
}

function validateMinTokens(min_tokens: number | null, max_tokens: number | null): number {
  if (min_tokens === null) return 0;
  if (min_tokens < 0) throw new ValueError("min_tokens must be None or greater than or equal to 0.");
  if (max_tokens !== null && min_tokens > max_tokens) throw new ValueError("min_tokens must not be more than max_tokens.");
  return min_tokens;
}
