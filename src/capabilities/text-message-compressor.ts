/**
 * TextMessageCompressor (AG2 transforms.TextMessageCompressor): compresses the
 * text of messages with a text compressor you supply. ag2ts ships no
 * compressor (AG2's default is LLMLingua, a Python model): pass any object
 * with `compress_text(text, params)` returning `{ compressed_prompt,
 * origin_tokens?, compressed_tokens? }`, sync or async.
 *
 * Compressed contents are cached under AG2's key (the content's Python `str()`
 * followed by `min_tokens`). As in AG2 the default cache is `Cache.disk()`,
 * opened on the first compression, not at construction; `cache: null` turns
 * caching off.
 */
import { deepCopy } from "../core/messages";
import type { Awaitable, Message } from "../core/types";
import { Cache } from "../cache/cache";
import { ValueError } from "../errors";
import { is, validateOptions } from "../options";
import { load_token_encoding } from "../tokens/encodings";
import type { MessageTransform } from "./message-transform";
import {
  cache_content_get,
  cache_content_set,
  cache_key,
  is_content_right_type,
  is_content_text_empty,
  min_tokens_reached,
  should_transform_message,
  type TransformCache,
} from "./transforms-util";

/** What a compressor returns (AG2 text_compressors.TextCompressor). */
export interface CompressedText {
  compressed_prompt: string;
  origin_tokens?: number;
  compressed_tokens?: number;
  [key: string]: unknown;
}

/** The text-compressor hook (AG2 text_compressors.TextCompressor protocol). */
export interface TextCompressor {
  compress_text(text: string, compression_params: Record<string, unknown>): Awaitable<CompressedText>;
}

export interface TextMessageCompressorOptions {
  /** Required in ag2ts: the compressor (there is no built-in LLMLingua). */
  text_compressor?: TextCompressor;
  /** Below this many text tokens in all messages nothing is compressed; null (default) always compresses. Greater than 0. */
  min_tokens?: number | null;
  /** Passed to `compress_text` as its second argument. Default `{}`. */
  compression_params?: Record<string, unknown>;
  /** Where compressed contents are kept; default a disk cache (`Cache.disk()`, opened on first use); null: none. */
  cache?: TransformCache | null;
  /** filter_config criteria choosing messages; null (default) chooses all. */
  filter_dict?: Record<string, unknown> | null;
  /** true (default): messages matching `filter_dict` are left alone; false: only they are compressed. */
  exclude_filter?: boolean;
}

export class TextMessageCompressor implements MessageTransform {
  private readonly _text_compressor: TextCompressor;
  private readonly _min_tokens: number | null;
  private readonly _compression_params: Record<string, unknown>;
  private _cache: TransformCache | null | undefined;
  private readonly _filter_dict: Record<string, unknown> | null;
  private readonly _exclude_filter: boolean;
  private _recent_tokens_savings = 0;

  constructor(options: TextMessageCompressorOptions = {}) {
    validateOptions("TextMessageCompressor", options, {
      text_compressor: is.object,
      min_tokens: is.nullable(is.integer),
      compression_params: is.object,
      cache: is.nullable(is.object),
      filter_dict: is.nullable(is.object),
      exclude_filter: is.boolean,
    });
    const compressor = options.text_compressor;
    if (!compressor) {
      throw new ValueError(
        "TextMessageCompressor: option 'text_compressor' is required. ag2ts has no LLMLingua; pass an object with " +
          "compress_text(text, params) returning { compressed_prompt, origin_tokens?, compressed_tokens? }.",
        { option: "text_compressor" },
      );
    }
    if (typeof compressor.compress_text !== "function") {
      throw new ValueError("TextMessageCompressor: option 'text_compressor' must have a compress_text(text, params) method.", {
        option: "text_compressor",
      });
    }
    const min = options.min_tokens ?? null;
    if (min !== null && min <= 0) throw new ValueError("min_tokens must be greater than 0 or None", { option: "min_tokens" });
    this._text_compressor = compressor;
    this._min_tokens = min;
    this._compression_params = options.compression_params ?? {};
    this._cache = options.cache;
    this._filter_dict = options.filter_dict ?? null;
    this._exclude_filter = options.exclude_filter ?? true;
  }

  async apply_transform(messages: Message[]): Promise<Message[]> {
    if (messages.length === 0) return messages;
    if (this._min_tokens) await load_token_encoding();
    if (!min_tokens_reached(messages, this._min_tokens)) return messages;

    let savings = 0;
    const processed = deepCopy(messages);
    for (const message of processed) {
      if (!is_content_right_type(message.content)) continue;
      if (!should_transform_message(message, this._filter_dict, this._exclude_filter)) continue;
      if (is_content_text_empty(message.content)) continue;

      const cache = this.cache();
      const key = cache_key(message.content, this._min_tokens);
      const cached = await cache_content_get(cache, key);
      let saved: number;
      if (cached !== null) [message.content, saved] = cached as [Message["content"], number];
      else [message.content, saved] = await this.compress(message.content as string | unknown[]);
      await cache_content_set(cache, key, message.content, saved);
      savings += saved;
    }
    this._recent_tokens_savings = savings;
    return processed;
  }

  get_logs(_pre: Message[], _post: Message[]): [string, boolean] {
    if (this._recent_tokens_savings > 0) return [`${this._recent_tokens_savings} tokens saved with text compression.`, true];
    return ["No tokens saved with text compression.", false];
  }

  private cache(): TransformCache | null {
    if (this._cache === undefined) this._cache = Cache.disk();
    return this._cache;
  }

  private async compress(content: string | unknown[]): Promise<[Message["content"], number]> {
    if (typeof content === "string") return this.compressText(content);
    let saved = 0;
    for (const item of content) {
      if (item !== null && typeof item === "object" && "text" in item) {
        const part = item as { text: string };
        const [text, s] = await this.compressText(part.text);
        part.text = text;
        saved += s;
      }
    }
    return [content as Message["content"], saved];
  }

  private async compressText(text: string): Promise<[string, number]> {
    const result = await this._text_compressor.compress_text(text, this._compression_params);
    const saved =
      typeof result.origin_tokens === "number" && typeof result.compressed_tokens === "number" ? result.origin_tokens - result.compressed_tokens : 0;
    return [result.compressed_prompt, saved];
  }
}
