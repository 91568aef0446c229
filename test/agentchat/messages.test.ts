import { ConversableAgent, ValueError, type Message, type ReplyFunction } from "ag2ts";
import { block, capture, caught, RULE } from "./helpers";

function pair() {
  const a = new ConversableAgent("A", { human_input_mode: "NEVER" });
  const b = new ConversableAgent("B", { human_input_mode: "NEVER" });
  return { a, b };
}

async function sendAndGet(message: Message | string) {
  const { a, b } = pair();
  await capture(() => a.send(message, b));
  return { sent: a.chat_messages.get(b), received: b.chat_messages.get(a) };
}

const toolCalls = [
  { id: "call_1", type: "function" as const, function: { name: "add", arguments: '{"a":1,"b":2}' } },
  { id: "call_2", type: "function" as const, function: { name: "echo", arguments: '{"text":"x"}' } },
];

describe("message storage on both sides (spec 10 §5.2)", () => {
  it('"hi" is assistant/A on the sender and user/A on the receiver', async () => {
    const { sent, received } = await sendAndGet("hi");
    expect(sent).toStrictEqual([{ content: "hi", role: "assistant", name: "A" }]);
    expect(received).toStrictEqual([{ content: "hi", role: "user", name: "A" }]);
  });

  it("a given role other than function/tool is ignored", async () => {
    const { sent, received } = await sendAndGet({ content: "x", role: "system" });
    expect(sent).toStrictEqual([{ content: "x", role: "assistant", name: "A" }]);
    expect(received).toStrictEqual([{ content: "x", role: "user", name: "A" }]);
  });

  it("a given name is kept", async () => {
    const { sent, received } = await sendAndGet({ content: "x", name: "Z" });
    expect(sent).toStrictEqual([{ content: "x", name: "Z", role: "assistant" }]);
    expect(received).toStrictEqual([{ content: "x", name: "Z", role: "user" }]);
  });

  it("a tool_calls message is stored as assistant, content null, no name, on both sides", async () => {
    const { sent, received } = await sendAndGet({ content: null, tool_calls: toolCalls });
    const expected = [{ content: null, tool_calls: toolCalls, role: "assistant" }];
    expect(sent).toStrictEqual(expected);
    expect(received).toStrictEqual(expected);
  });

  it("a tool_calls message without content gets content null", async () => {
    const { received } = await sendAndGet({ tool_calls: toolCalls, role: "user" });
    expect(received).toStrictEqual([{ content: null, tool_calls: toolCalls, role: "assistant" }]);
  });

  it("a function_call message is stored as assistant without a name", async () => {
    const function_call = { name: "add", arguments: "{}" };
    const { sent, received } = await sendAndGet({ function_call, name: undefined });
    expect(sent).toStrictEqual([{ content: null, function_call, role: "assistant" }]);
    expect(received).toStrictEqual([{ content: null, function_call, role: "assistant" }]);
  });

  it("an empty tool_calls list is dropped", async () => {
    const { sent, received } = await sendAndGet({ content: "x", tool_calls: [] });
    expect(sent).toStrictEqual([{ content: "x", name: "A", role: "assistant" }]);
    expect(received).toStrictEqual([{ content: "x", name: "A", role: "user" }]);
  });

  it("a tool message with tool_responses keeps role tool and gets the sender's name", async () => {
    const tool_responses = [
      { tool_call_id: "call_1", role: "tool" as const, content: "3" },
      { tool_call_id: "call_2", role: "tool" as const, content: "x" },
    ];
    const { sent, received } = await sendAndGet({ role: "tool", tool_responses, content: "3\n\nx" });
    const expected = [{ content: "3\n\nx", tool_responses, name: "A", role: "tool" }];
    expect(sent).toStrictEqual(expected);
    expect(received).toStrictEqual(expected);
  });

  it("{role: function, name: f} keeps role function and name f", async () => {
    const { sent, received } = await sendAndGet({ role: "function", name: "f", content: "3" });
    expect(sent).toStrictEqual([{ content: "3", name: "f", role: "function" }]);
    expect(received).toStrictEqual([{ content: "3", name: "f", role: "function" }]);
  });

  it("override_role forces the stored role and is not stored itself", async () => {
    const { sent, received } = await sendAndGet({ content: "x", override_role: "system" });
    expect(sent).toStrictEqual([{ content: "x", name: "A", role: "system" }]);
    expect(received).toStrictEqual([{ content: "x", name: "A", role: "system" }]);
  });

  it("unknown keys are not stored; tool_call_id and context are", async () => {
    const { received } = await sendAndGet({ content: "x", tool_call_id: "c9", context: { k: 1 }, extra: true });
    expect(received).toStrictEqual([{ content: "x", tool_call_id: "c9", context: { k: 1 }, name: "A", role: "user" }]);
  });

  it('content "" is a valid message', async () => {
    const { received } = await sendAndGet("");
    expect(received).toStrictEqual([{ content: "", role: "user", name: "A" }]);
  });

  it("stored messages are copies: later mutation of the sent object changes nothing", async () => {
    const { a, b } = pair();
    const message = { content: "x", tool_calls: [{ id: "c", type: "function" as const, function: { name: "f", arguments: "{}" } }] };
    await capture(() => a.send(message, b));
    message.tool_calls[0].function.name = "changed";
    message.content = "changed";
    expect(b.chat_messages.get(a)).toStrictEqual([
      { content: "x", tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{}" } }], role: "assistant" },
    ]);
  });
});

describe("invalid messages", () => {
  it("sending {foo: 1} throws and stores nothing on either side", async () => {
    const { a, b } = pair();
    const err = await caught(() => capture(() => a.send({ foo: 1 } as Message, b)));
    expect(err).toBeInstanceOf(ValueError);
    expect(err.message).toBe(
      "Message can't be converted into a valid ChatCompletion message. Either content or function_call must be provided.",
    );
    expect(b.chat_messages.get(a)).toBeUndefined();
    expect(a.chat_messages.get(b)).toBeUndefined();
  });

  it("receiving an invalid message throws the receive error", async () => {
    const { a, b } = pair();
    const err = await caught(() => b.receive({ role: "user" }, a));
    expect(err).toBeInstanceOf(ValueError);
    expect(err.message).toBe(
      "Received message can't be converted into a valid ChatCompletion message. Either content or function_call must be provided.",
    );
    expect(b.chat_messages.get(a)).toBeUndefined();
  });
});

describe("receive and request_reply", () => {
  function recorder(calls: string[], reply: string | null = "pong"): ReplyFunction {
    return (_recipient, messages) => {
      calls.push(String(messages?.at(-1)?.content));
      return [true, reply];
    };
  }

  it("request_reply false stores but never generates a reply", async () => {
    const { a, b } = pair();
    const calls: string[] = [];
    b.register_reply([ConversableAgent, null], recorder(calls));
    b.reply_at_receive.set(a, true);
    const { io } = await capture(() => a.send("ping", b, { request_reply: false }));
    expect(calls).toEqual([]);
    expect(b.chat_messages.get(a)).toStrictEqual([{ content: "ping", role: "user", name: "A" }]);
    expect(a.chat_messages.get(b)).toHaveLength(1);
    expect(io.output).toBe(block("A", "B", "ping"));
  });

  it("request_reply null replies only when reply_at_receive is set for the sender", async () => {
    const { a, b } = pair();
    const calls: string[] = [];
    b.register_reply([ConversableAgent, null], recorder(calls));
    await capture(() => a.send("one", b));
    expect(calls).toEqual([]);
    b.reply_at_receive.set(a, true);
    // A does not reply to B's answer: its own reply_at_receive is unset.
    const { io } = await capture(() => a.send("two", b));
    expect(calls).toEqual(["two"]);
    expect(a.chat_messages.get(b)).toStrictEqual([
      { content: "one", role: "assistant", name: "A" },
      { content: "two", role: "assistant", name: "A" },
      { content: "pong", role: "user", name: "B" },
    ]);
    expect(io.output).toBe(block("A", "B", "two") + block("B", "A", "pong"));
  });

  it("request_reply true replies and sends the reply back; a null reply sends nothing", async () => {
    const { a, b } = pair();
    const calls: string[] = [];
    b.register_reply([ConversableAgent, null], recorder(calls, null));
    const { io } = await capture(() => a.send("ping", b, { request_reply: true }));
    expect(calls).toEqual(["ping"]);
    expect(a.chat_messages.get(b)).toHaveLength(1);
    expect(io.output).toBe(block("A", "B", "ping"));
  });

  it('an empty-string reply is sent', async () => {
    const { a, b } = pair();
    b.register_reply([ConversableAgent, null], () => [true, ""]);
    await capture(() => a.send("ping", b, { request_reply: true }));
    expect(a.chat_messages.get(b)?.at(-1)).toStrictEqual({ content: "", role: "user", name: "B" });
  });
});

describe("generate_reply", () => {
  it("throws without messages and sender", async () => {
    const a = new ConversableAgent("a");
    for (const options of [{}, undefined, { messages: null, sender: null }]) {
      const err = await caught(() => a.generate_reply(options));
      expect(err).toBeInstanceOf(ValueError);
      expect(err.message).toBe("Either messages or sender must be provided.");
    }
  });

  it("returns default_auto_reply when no function is final (string and object)", async () => {
    const b = new ConversableAgent("b");
    const text = new ConversableAgent("t", { human_input_mode: "NEVER", default_auto_reply: "auto" });
    expect(await text.generate_reply({ sender: b })).toBe("auto");
    const object = { content: "auto object", role: "user" };
    const obj = new ConversableAgent("o", { human_input_mode: "NEVER", default_auto_reply: object });
    expect(await obj.generate_reply({ messages: [{ content: "hi", role: "user" }] })).toBe(object);
    expect(await new ConversableAgent("e", { human_input_mode: "NEVER" }).generate_reply({ sender: b })).toBe("");
  });

  it("generate_reply with a sender and no messages creates the conversation entry", async () => {
    const a = new ConversableAgent("a", { human_input_mode: "NEVER" });
    const b = new ConversableAgent("b");
    expect(a.chat_messages.has(b)).toBe(false);
    await a.generate_reply({ sender: b });
    expect(a.chat_messages.get(b)).toEqual([]);
  });

  it("the default auto reply object is sent as the agent's message", async () => {
    const a = new ConversableAgent("a", { human_input_mode: "NEVER" });
    const b = new ConversableAgent("b", { human_input_mode: "NEVER", default_auto_reply: { content: "noted", role: "user" }, max_consecutive_auto_reply: 1 });
    await capture(() => a.send("hi", b, { request_reply: true }));
    expect(a.chat_messages.get(b)).toStrictEqual([
      { content: "hi", role: "assistant", name: "a" },
      { content: "noted", role: "user", name: "b" },
    ]);
  });

  it("prints received messages in AG2's layout, including tool calls", async () => {
    const { a, b } = pair();
    const { io } = await capture(() => a.send({ content: null, tool_calls: toolCalls }, b));
    expect(io.output).toBe(
      "A (to B):\n\n" +
        "***** Suggested tool call (call_1): add *****\nArguments: \n{\"a\":1,\"b\":2}\n" +
        "*".repeat("***** Suggested tool call (call_1): add *****".length) + "\n" +
        "***** Suggested tool call (call_2): echo *****\nArguments: \n{\"text\":\"x\"}\n" +
        "*".repeat("***** Suggested tool call (call_2): echo *****".length) + "\n" +
        `\n${RULE}\n`,
    );
  });
});

describe("a_ aliases", () => {
  it("a_send, a_receive and a_generate_reply behave as send, receive and generate_reply", async () => {
    const { a, b } = pair();
    b.register_reply([ConversableAgent, null], (_r, messages) => [true, `echo ${String(messages?.at(-1)?.content)}`]);
    const { io } = await capture(async () => {
      await a.a_send("one", b, { request_reply: true });
      await b.a_receive("two", a, { request_reply: false });
    });
    expect(a.chat_messages.get(b)).toStrictEqual([
      { content: "one", role: "assistant", name: "A" },
      { content: "echo one", role: "user", name: "B" },
    ]);
    expect(b.chat_messages.get(a)?.at(-1)).toStrictEqual({ content: "two", role: "user", name: "A" });
    expect(await b.a_generate_reply({ sender: a })).toBe("echo two");
    expect(io.output).toBe(block("A", "B", "one") + block("B", "A", "echo one") + block("A", "B", "two"));
  });
});
