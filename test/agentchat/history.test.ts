import { ConversableAgent, KeyError, ValueError, type Message } from "ag2ts";
import { capture, caught } from "./helpers";

const PRESERVING = "Preserving one more message for a to not divide history between tool call and tool response.\n";
const IGNORED = "WARNING: `nr_preserved_messages` is ignored when clearing chat history with a specific agent.";

const m = (content: string): Message => ({ content, role: "user", name: "x" });
const toolCall: Message = { content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }], role: "assistant" };
const toolResult: Message = { content: "r", tool_responses: [{ tool_call_id: "c1", role: "tool", content: "r" }], name: "x", role: "tool" };

function setup() {
  const a = new ConversableAgent("a");
  const b = new ConversableAgent("b");
  const c = new ConversableAgent("c");
  a.chat_messages.set(b, [m("b1"), m("b2"), m("b3")]);
  a.chat_messages.set(c, [m("c1"), toolCall, toolResult]);
  return { a, b, c };
}

describe("clear_history", () => {
  it("without arguments removes every conversation", async () => {
    const { a } = setup();
    const { io } = await capture(() => a.clear_history());
    expect(a.chat_messages.size).toBe(0);
    expect(io.output).toBe("");
  });

  it("nr_messages_to_preserve 1 keeps 2 when the kept message has tool_responses, and prints the note", async () => {
    const { a, b, c } = setup();
    const { io } = await capture(() => a.clear_history({ nr_messages_to_preserve: 1 }));
    expect(a.chat_messages.get(b)).toStrictEqual([m("b3")]);
    expect(a.chat_messages.get(c)).toStrictEqual([toolCall, toolResult]);
    expect(io.output).toBe(PRESERVING);
  });

  it("nr_messages_to_preserve larger than a conversation keeps it whole", async () => {
    const { a, b, c } = setup();
    const { io } = await capture(() => a.clear_history({ nr_messages_to_preserve: 10 }));
    expect(a.chat_messages.get(b)).toHaveLength(3);
    expect(a.chat_messages.get(c)).toHaveLength(3);
    expect(io.output).toBe("");
  });

  it("nr_messages_to_preserve 2 keeps the last two and notes nothing when they start with a tool call", async () => {
    const { a, b, c } = setup();
    const { io } = await capture(() => a.clear_history({ nr_messages_to_preserve: 2 }));
    expect(a.chat_messages.get(b)).toStrictEqual([m("b2"), m("b3")]);
    expect(a.chat_messages.get(c)).toStrictEqual([toolCall, toolResult]);
    expect(io.output).toBe("");
  });

  it("nr_messages_to_preserve 0 clears everything, as AG2's falsy check does", async () => {
    const { a } = setup();
    const { a: other, c } = setup();
    const { io } = await capture(() => other.clear_history({ recipient: c, nr_messages_to_preserve: 0 }));
    expect(io.output).toBe("");
    expect(other.chat_messages.get(c)).toEqual([]);
    await capture(() => a.clear_history({ nr_messages_to_preserve: 0 }));
    expect(a.chat_messages.size).toBe(0);
  });

  it("with a recipient empties that conversation in place", async () => {
    const { a, b, c } = setup();
    const list = a.chat_messages.get(b);
    const { io } = await capture(() => a.clear_history(b));
    expect(a.chat_messages.get(b)).toBe(list);
    expect(list).toEqual([]);
    expect(a.chat_messages.get(c)).toHaveLength(3);
    expect(io.output).toBe("");
  });

  it("with a recipient and nr_messages_to_preserve prints a yellow warning", async () => {
    const { a, b } = setup();
    const { io } = await capture(() => a.clear_history({ recipient: b, nr_messages_to_preserve: 1 }), [], true);
    expect(a.chat_messages.get(b)).toEqual([]);
    expect(io.output).toBe(`\x1b[33m${IGNORED}\x1b[0m\n`);
    const plain = await capture(() => a.clear_history({ recipient: b, nr_messages_to_preserve: 1 }));
    expect(plain.io.output).toBe(`${IGNORED}\n`);
  });

  it("with an unknown recipient creates an empty conversation", async () => {
    const a = new ConversableAgent("a");
    const z = new ConversableAgent("z");
    a.clear_history({ recipient: z });
    expect(a.chat_messages.get(z)).toEqual([]);
  });
});

describe("last_message", () => {
  it("without an agent: none -> null, one conversation -> its last message", () => {
    const a = new ConversableAgent("a");
    const b = new ConversableAgent("b");
    expect(a.last_message()).toBeNull();
    a.chat_messages.set(b, []);
    expect(a.last_message()).toBeNull();
    a.chat_messages.get(b)?.push(m("one"), m("two"));
    expect(a.last_message()).toStrictEqual(m("two"));
  });

  it("with two conversations and no agent throws", async () => {
    const { a } = setup();
    const err = await caught(() => a.last_message());
    expect(err).toBeInstanceOf(ValueError);
    expect(err.message).toBe("More than one conversation is found. Please specify the sender to get the last message.");
  });

  it("with an agent returns that conversation's last message; agent and options forms agree", () => {
    const { a, b, c } = setup();
    expect(a.last_message(b)).toStrictEqual(m("b3"));
    expect(a.last_message({ agent: c })).toStrictEqual(toolResult);
    a.clear_history(b);
    expect(a.last_message(b)).toBeNull();
  });

  it("with an unknown agent throws KeyError and creates nothing", async () => {
    const { a } = setup();
    const stranger = new ConversableAgent("stranger");
    const err = await caught(() => a.last_message(stranger));
    expect(err).toBeInstanceOf(KeyError);
    expect(err.message).toBe("The agent 'stranger' is not present in any conversation. No history available for this agent.");
    expect(a.chat_messages.has(stranger)).toBe(false);
  });

  it("returns the stored object itself (the live history)", () => {
    const { a, b } = setup();
    expect(a.last_message(b)).toBe(a.chat_messages.get(b)?.[2]);
  });
});

describe("chat_messages", () => {
  it("a preloaded Map is used by reference", () => {
    const b = new ConversableAgent("b");
    const preloaded = new Map([[b, [m("old")]]]);
    const a = new ConversableAgent("a", { chat_messages: preloaded });
    expect(a.chat_messages).toBe(preloaded);
    expect(a.chat_messages_for_summary(b)).toStrictEqual([m("old")]);
    expect(a.chat_messages_for_summary({ agent: b })).toStrictEqual([m("old")]);
  });

  it("a non-Map chat_messages option is rejected naming the key", async () => {
    const err = await caught(() => new ConversableAgent("a", { chat_messages: {} as never }));
    expect(err).toBeInstanceOf(ValueError);
    expect(err.message).toBe("ConversableAgent: option 'chat_messages' must be a Map or null, got an object.");
  });
});
