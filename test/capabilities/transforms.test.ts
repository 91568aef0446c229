/**
 * Mirrors AG2 test/agentchat/contrib/capabilities/test_transforms.py case by
 * case (same inputs, outputs and log texts), plus the ag2ts differences:
 * chronological order without keep_first_message, no orphan tool responses,
 * option checks.
 */
import {
  Cache,
  IOStream,
  MessageHistoryLimiter,
  MessageTokenLimiter,
  TextMessageCompressor,
  TextMessageContentName,
  ValueError,
  transforms_util,
} from "../../src/index";
import type { Message, TextCompressor } from "../../src/index";
import { CapturingIOStream as TestingCapture } from "../../src/testing";

const { count_text_tokens } = transforms_util;
const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const tokensOf = (messages: Message[]) => messages.reduce((n, m) => n + ("content" in m ? count_text_tokens(m.content) : 0), 0);

class MockTextCompressor implements TextCompressor {
  compress_text(_text: string) {
    return { compressed_prompt: "" };
  }
}

const get_long_messages = (): Message[] => [
  { role: "assistant", content: [{ type: "text", text: "are you doing?" }] },
  { role: "user", content: "very very very very very very long string" },
  { role: "user", content: "hello" },
  { role: "assistant", content: [{ type: "text", text: "there" }] },
  { role: "user", content: "how" },
];
const get_short_messages = (): Message[] => [
  { role: "user", content: "hello" },
  { role: "assistant", content: [{ type: "text", text: "there" }] },
  { role: "user", content: "how are you" },
];
const get_no_content_messages = (): Message[] => [
  { role: "user", function_call: "example" as never },
  { role: "assistant", content: null },
];
const get_tool_messages = (): Message[] => [
  { role: "user", content: "hello" },
  { role: "tool_calls", content: "calling_tool" },
  { role: "tool", content: "tool_response" },
  { role: "user", content: "how are you" },
  { role: "assistant", content: [{ type: "text", text: "are you doing?" }] },
];
const get_tool_messages_kept = (): Message[] => [
  { role: "user", content: "hello" },
  { role: "tool_calls", content: "calling_tool" },
  { role: "tool", content: "tool_response" },
  { role: "tool_calls", content: "calling_tool" },
  { role: "tool", content: "tool_response" },
];
const get_messages_with_names = (): Message[] => [
  { role: "system", content: "I am the system." },
  { role: "user", name: "charlie", content: "I think the sky is blue." },
  { role: "user", name: "mary", content: "The sky is red." },
  { role: "user", name: "bob", content: "The sky is crimson." },
];
const get_messages_with_names_post_start = (): Message[] => [
  { role: "system", content: "I am the system." },
  { role: "user", name: "charlie", content: "'charlie' said:\nI think the sky is blue." },
  { role: "user", name: "mary", content: "'mary' said:\nThe sky is red." },
  { role: "user", name: "bob", content: "'bob' said:\nThe sky is crimson." },
];
const get_messages_with_names_post_end = (): Message[] => [
  { role: "system", content: "I am the system." },
  { role: "user", name: "charlie", content: "I think the sky is blue.\n(said 'charlie')" },
  { role: "user", name: "mary", content: "The sky is red.\n(said 'mary')" },
  { role: "user", name: "bob", content: "The sky is crimson.\n(said 'bob')" },
];
const get_messages_with_names_post_filtered = (): Message[] => [
  { role: "system", content: "I am the system." },
  { role: "user", name: "charlie", content: "I think the sky is blue." },
  { role: "user", name: "mary", content: "'mary' said:\nThe sky is red." },
  { role: "user", name: "bob", content: "'bob' said:\nThe sky is crimson." },
];

/** AG2's _filter_dict_test: messages the filter selects got shorter, the others are unchanged. */
function filterDictTest(post: Message, pre: Message, roles: string[], exclude_filter: boolean): boolean {
  let isRole = roles.includes(post.role as string);
  if (exclude_filter) isRole = !isRole;
  const length = (m: Message) => (Array.isArray(m.content) ? String((m.content[0] as { text: string }).text).length : String(m.content).length);
  return isRole ? length(post) < length(pre) : length(post) === length(pre);
}

describe("MessageHistoryLimiter", () => {
  const limiter = () => new MessageHistoryLimiter({ max_messages: 3 });
  const keepFirst = () => new MessageHistoryLimiter({ max_messages: 3, keep_first_message: true });

  test.each([
    ["long", get_long_messages, 3],
    ["short", get_short_messages, 3],
    ["no content", get_no_content_messages, 2],
    ["tool", get_tool_messages, 2],
    ["tool kept", get_tool_messages_kept, 2],
  ])("apply_transform: %s messages", (_, make, expected) => {
    const messages = make();
    const out = limiter().apply_transform(messages);
    expect(out).toHaveLength(expected);
    if (make === get_tool_messages_kept) expect(out.map((m) => m.role)).toEqual(["tool_calls", "tool"]);
    expect(messages).toEqual(make());
  });

  test.each([
    ["long", get_long_messages, 3],
    ["short", get_short_messages, 3],
    ["no content", get_no_content_messages, 2],
    ["tool", get_tool_messages, 3],
    ["tool kept", get_tool_messages_kept, 3],
  ])("apply_transform with keep_first_message: %s messages", (_, make, expected) => {
    const out = keepFirst().apply_transform(make());
    expect(out).toHaveLength(expected);
    if (make === get_tool_messages_kept) expect(out.map((m) => m.role)).toEqual(["user", "tool_calls", "tool"]);
  });

  test.each([
    ["long", get_long_messages, "Removed 2 messages. Number of messages reduced from 5 to 3.", true],
    ["short", get_short_messages, "No messages were removed.", false],
    ["no content", get_no_content_messages, "No messages were removed.", false],
    ["tool", get_tool_messages, "Removed 3 messages. Number of messages reduced from 5 to 2.", true],
    ["tool kept", get_tool_messages_kept, "Removed 3 messages. Number of messages reduced from 5 to 2.", true],
  ])("get_logs: %s messages", (_, make, logs, effect) => {
    const l = limiter();
    const pre = copy(make());
    const post = l.apply_transform(make());
    expect(l.get_logs(pre, post)).toEqual([logs, effect]);
  });

  test("the kept messages stay in chronological order (AG2 puts the oldest second without keep_first_message)", () => {
    expect(limiter().apply_transform(get_long_messages())).toEqual(get_long_messages().slice(2));
    expect(new MessageHistoryLimiter({ max_messages: 2 }).apply_transform(get_long_messages())).toEqual(get_long_messages().slice(3));
    expect(keepFirst().apply_transform(get_long_messages())).toEqual([get_long_messages()[0], ...get_long_messages().slice(3)]);
  });

  test("parallel tool responses whose call falls outside the window are dropped with it", () => {
    const messages: Message[] = [
      { role: "user", content: "weather?" },
      { role: "assistant", content: null, tool_calls: [{ id: "a", type: "function", function: { name: "w", arguments: "{}" } }, { id: "b", type: "function", function: { name: "w", arguments: "{}" } }] },
      { role: "tool", tool_call_id: "a", content: "sun" },
      { role: "tool", tool_call_id: "b", content: "rain" },
      { role: "assistant", content: "Sun and rain." },
    ];
    expect(new MessageHistoryLimiter({ max_messages: 3 }).apply_transform(messages)).toEqual([messages[4]]);
    expect(new MessageHistoryLimiter({ max_messages: 4 }).apply_transform(messages)).toEqual(messages.slice(1));
  });

  test("exclude_names drops those senders' messages first", () => {
    const out = new MessageHistoryLimiter({ exclude_names: ["mary", "bob"] }).apply_transform(get_messages_with_names());
    expect(out.map((m) => m.name ?? m.role)).toEqual(["system", "charlie"]);
    const limited = new MessageHistoryLimiter({ max_messages: 1, exclude_names: ["bob"] }).apply_transform(get_messages_with_names());
    expect(limited.map((m) => m.name)).toEqual(["mary"]);
  });

  test("bad options are errors naming the option", () => {
    expect(() => new MessageHistoryLimiter({ max_messages: 0 })).toThrow(new ValueError("max_messages must be None or greater than 1"));
    expect(() => new MessageHistoryLimiter({ max_messages: "3" as never })).toThrow(
      "MessageHistoryLimiter: option 'max_messages' must be an integer or null, got string.",
    );
    expect(() => new MessageHistoryLimiter({ keep_first: true } as never)).toThrow(
      "MessageHistoryLimiter: unknown option 'keep_first'. Known options: max_messages, keep_first_message, exclude_names.",
    );
  });
});

describe("MessageTokenLimiter", () => {
  test.each([
    ["long", get_long_messages, 9, 5],
    ["short", get_short_messages, 5, 3],
    ["no content", get_no_content_messages, 0, 2],
  ])("apply_transform with max_tokens_per_message 3: %s messages", async (_, make, tokens, length) => {
    const out = await new MessageTokenLimiter({ max_tokens_per_message: 3 }).apply_transform(copy(make()));
    expect(tokensOf(out)).toBe(tokens);
    expect(out).toHaveLength(length);
  });

  test.each([["long", get_long_messages], ["short", get_short_messages]])("with filter_dict: %s messages", async (_, make) => {
    const messages = make();
    let out = await new MessageTokenLimiter({ max_tokens_per_message: 0, filter_dict: { role: "user" } }).apply_transform(copy(messages));
    out.forEach((post, i) => expect(filterDictTest(post, messages[i], ["user"], true)).toBe(true));
    out = await new MessageTokenLimiter({ max_tokens_per_message: 0, filter_dict: { role: "user" }, exclude_filter: false }).apply_transform(copy(messages));
    out.forEach((post, i) => expect(filterDictTest(post, messages[i], ["user"], false)).toBe(true));
  });

  test.each([
    ["long", get_long_messages, 5, 5],
    ["short", get_short_messages, 5, 3],
    ["no content", get_no_content_messages, 0, 2],
  ])("apply_transform with min_tokens 10: %s messages", async (_, make, tokens, length) => {
    const out = await new MessageTokenLimiter({ max_tokens_per_message: 1, min_tokens: 10 }).apply_transform(make());
    expect(tokensOf(out)).toBe(tokens);
    expect(out).toHaveLength(length);
  });

  test.each([
    ["long", get_long_messages, "Truncated 6 tokens. Number of tokens reduced from 15 to 9", true],
    ["short", get_short_messages, "No tokens were truncated.", false],
    ["no content", get_no_content_messages, "No tokens were truncated.", false],
  ])("get_logs: %s messages", async (_, make, logs, effect) => {
    const limiter = new MessageTokenLimiter({ max_tokens_per_message: 3 });
    const pre = copy(make());
    const post = await limiter.apply_transform(make());
    expect(limiter.get_logs(pre, post)).toEqual([logs, effect]);
  });

  test("the input list is not changed; truncation keeps the newest tokens within max_tokens", async () => {
    const messages = get_long_messages();
    const out = await new MessageTokenLimiter({ max_tokens: 4, max_tokens_per_message: 2 }).apply_transform(messages);
    expect(messages).toEqual(get_long_messages());
    // how (1) + there (1) = 2, then the budget of 4 leaves 2 for "hello" (1 token); the next one is cut to 1 and older ones dropped.
    expect(out).toEqual([
      { role: "user", content: "very" },
      { role: "user", content: "hello" },
      { role: "assistant", content: [{ type: "text", text: "there" }] },
      { role: "user", content: "how" },
    ]);
  });

  test("a limit above the model's window is capped, with AG2's notice; an unknown model is named", () => {
    const io = new TestingCapture();
    IOStream.set_default(io, () => {
      new MessageTokenLimiter({ max_tokens: 10000, model: "gpt-4" });
      new MessageTokenLimiter({ model: "llama3" });
    });
    expect(io.output).toBe(
      "Max token was set to 10000, but gpt-4 can only accept 8192 tokens. Capping it to 8192.\n" +
        "Model llama3 not found in token_count_utils.\nModel llama3 not found in token_count_utils.\n",
    );
  });

  test("bad options are errors", () => {
    expect(() => new MessageTokenLimiter({ max_tokens: -1 })).toThrow("max_tokens and max_tokens_per_message must be None or greater than or equal to 0");
    expect(() => new MessageTokenLimiter({ min_tokens: -1 })).toThrow("min_tokens must be None or greater than or equal to 0.");
    expect(() => new MessageTokenLimiter({ min_tokens: 5, max_tokens: 4 })).toThrow("min_tokens must not be more than max_tokens.");
    expect(() => new MessageTokenLimiter({ max_token: 4 } as never)).toThrow("MessageTokenLimiter: unknown option 'max_token'. Did you mean 'max_tokens'?");
  });

  test("a tool response is not kept without the tool call the budget dropped", async () => {
    const messages: Message[] = [
      { role: "assistant", content: "calling", tool_calls: [{ id: "a", type: "function", function: { name: "w", arguments: "{}" } }] },
      { role: "tool", tool_call_id: "a", content: "sunny and warm today" },
      { role: "assistant", content: "It is sunny." },
    ];
    const out = await new MessageTokenLimiter({ max_tokens: 5, max_tokens_per_message: 4 }).apply_transform(messages);
    expect(out).toEqual([{ role: "assistant", content: "It is sunny." }]);
  });
});

describe("TextMessageCompressor", () => {
  const text = "Run this test with a long string. ";
  const repeated = (role: string): Message => ({ role, content: [{ type: "text", text: text.repeat(3) }] });

  test("compresses a string and every message's text (test_text_compression)", async () => {
    const compressor = new TextMessageCompressor({ text_compressor: new MockTextCompressor(), cache: Cache.in_memory() });
    const single = await compressor.apply_transform([{ content: text }]);
    expect(String(single[0].content).length).toBeLessThan(text.length);

    const messages = [repeated("assistant"), repeated("role"), repeated("assistant"), repeated("assistant")];
    const out = await new TextMessageCompressor({ text_compressor: new MockTextCompressor(), cache: null }).apply_transform(copy(messages));
    out.forEach((post, i) => {
      expect((post.content as { text: string }[])[0].text.length).toBeLessThan((messages[i].content as { text: string }[])[0].text.length);
    });
  });

  test.each([["long", get_long_messages], ["short", get_short_messages]])("with filter_dict: %s messages", async (_, make) => {
    const messages = make();
    let out = await new TextMessageCompressor({ text_compressor: new MockTextCompressor(), filter_dict: { role: "user" }, cache: null }).apply_transform(copy(messages));
    out.forEach((post, i) => expect(filterDictTest(post, messages[i], ["user"], true)).toBe(true));
    out = await new TextMessageCompressor({
      text_compressor: new MockTextCompressor(),
      filter_dict: { role: "user" },
      exclude_filter: false,
      cache: null,
    }).apply_transform(copy(messages));
    out.forEach((post, i) => expect(filterDictTest(post, messages[i], ["user"], false)).toBe(true));
  });

  test("savings are logged; compressed contents are cached under AG2's key", async () => {
    const calls: string[] = [];
    const compressor: TextCompressor = {
      compress_text: async (t, params) => {
        calls.push(`${t}|${JSON.stringify(params)}`);
        return { compressed_prompt: t.slice(0, 3), origin_tokens: 10, compressed_tokens: 4 };
      },
    };
    const cache = Cache.in_memory();
    const transform = new TextMessageCompressor({ text_compressor: compressor, cache, compression_params: { rate: 0.5 } });
    const messages: Message[] = [{ role: "user", content: "hello world" }, { role: "user", content: [{ type: "text", text: "it's fine" }] }];
    const out = await transform.apply_transform(messages);
    expect(out).toEqual([{ role: "user", content: "hel" }, { role: "user", content: [{ type: "text", text: "it'" }] }]);
    expect(messages[0].content).toBe("hello world");
    expect(transform.get_logs(messages, out)).toEqual(["12 tokens saved with text compression.", true]);
    expect(await cache.get("hello worldNone")).toEqual(["hel", 6]);
    expect(await cache.get(`[{'type': 'text', 'text': "it's fine"}]None`)).toEqual([[{ type: "text", text: "it'" }], 6]);
    // The second time the cache answers.
    await transform.apply_transform(messages);
    expect(calls).toEqual(['hello world|{"rate":0.5}', 'it\'s fine|{"rate":0.5}']);
    const none = new TextMessageCompressor({ text_compressor: new MockTextCompressor(), cache: null });
    await none.apply_transform([{ role: "user", content: "" }]);
    expect(none.get_logs([], [])).toEqual(["No tokens saved with text compression.", false]);
  });

  test("min_tokens: below it nothing is compressed", async () => {
    const transform = new TextMessageCompressor({ text_compressor: new MockTextCompressor(), min_tokens: 100, cache: null });
    const messages = get_short_messages();
    expect(await transform.apply_transform(messages)).toBe(messages);
  });

  test("without a compressor (no LLMLingua in ag2ts), or with bad options, construction fails", () => {
    expect(() => new TextMessageCompressor()).toThrow(
      "TextMessageCompressor: option 'text_compressor' is required. ag2ts has no LLMLingua; pass an object with compress_text(text, params)",
    );
    expect(() => new TextMessageCompressor({ text_compressor: {} as never })).toThrow("must have a compress_text(text, params) method");
    expect(() => new TextMessageCompressor({ text_compressor: new MockTextCompressor(), min_tokens: 0 })).toThrow("min_tokens must be greater than 0 or None");
  });
});

describe("TextMessageContentName (test_message_content_name)", () => {
  test("start, end, and filters", () => {
    const messages = get_messages_with_names();
    expect(new TextMessageContentName({ position: "start", format_string: "'{name}' said:\n" }).apply_transform(messages)).toEqual(
      get_messages_with_names_post_start(),
    );
    expect(new TextMessageContentName({ position: "end", format_string: "\n(said '{name}')" }).apply_transform(messages)).toEqual(
      get_messages_with_names_post_end(),
    );
    expect(
      new TextMessageContentName({ position: "start", format_string: "'{name}' said:\n", filter_dict: { name: ["charlie"] }, exclude_filter: true }).apply_transform(messages),
    ).toEqual(get_messages_with_names_post_filtered());
    expect(
      new TextMessageContentName({ position: "start", format_string: "'{name}' said:\n", filter_dict: { name: ["mary", "bob"] }, exclude_filter: false }).apply_transform(messages),
    ).toEqual(get_messages_with_names_post_filtered());
    expect(messages).toEqual(get_messages_with_names());
  });

  test("logs and deduplication", () => {
    const transform = new TextMessageContentName({ format_string: "'{name}' said:\n" });
    const once = transform.apply_transform(get_messages_with_names());
    expect(transform.get_logs([], [])).toEqual(["3 message(s) changed to incorporate name.", true]);
    expect(transform.apply_transform(once)).toEqual(once);
    expect(transform.get_logs([], [])).toEqual(["No messages changed to incorporate name.", false]);
  });

  test("invalid options (AG2's AssertionErrors) are ValueErrors naming the option", () => {
    expect(() => new TextMessageContentName({ position: 123 as never })).toThrow(
      new ValueError('TextMessageContentName: option \'position\' must be one of "start", "end", got number.'),
    );
    expect(() => new TextMessageContentName({ position: "middle" as never })).toThrow("option 'position' must be one of \"start\", \"end\", got string.");
    expect(() => new TextMessageContentName({ format_string: 123 as never })).toThrow("option 'format_string' must be a string, got number.");
    expect(() => new TextMessageContentName({ format_string: "Agent:\n" })).toThrow(
      "TextMessageContentName: option 'format_string' must contain '{name}' where the name goes, got \"Agent:\\n\".",
    );
    expect(() => new TextMessageContentName({ deduplicate: "yes" as never })).toThrow("option 'deduplicate' must be a boolean, got string.");
  });
});
