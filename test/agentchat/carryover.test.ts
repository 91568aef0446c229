/**
 * generate_init_message and carryover (spec 20 §3).
 */
import { InvalidCarryOverTypeError, ValueError, type ContentPart, type Message } from "ag2ts";
import { block, captured, scriptedAgent, triples } from "./chat-helpers";

const CARRYOVER_TYPE_ERROR = "Carryover should be a string or a list of strings. Not adding carryover to the message.";

describe("generate_init_message", () => {
  const agent = scriptedAgent("alice");

  it("appends a string carryover after '\\nContext: \\n'", async () => {
    await expect(agent.generate_init_message("Solve it.", { carryover: "x = 1" })).resolves.toBe("Solve it.\nContext: \nx = 1");
  });

  it("joins list carryover with newlines", async () => {
    await expect(agent.generate_init_message("msg", { carryover: ["a", "b"] })).resolves.toBe("msg\nContext: \na\nb");
  });

  it("takes the content of message-like items and JSON of other items", async () => {
    const carryover = ["text", { content: "from a message", role: "user" }, { content: 5 }, 3, { a: 1 }, [1, "x"], null];
    await expect(agent.generate_init_message("m", { carryover })).resolves.toBe(
      'm\nContext: \ntext\nfrom a message\n5\n3\n{"a":1}\n[1,"x"]\nnull',
    );
  });

  it("returns the message unchanged when there is no carryover", async () => {
    const message: Message = { content: "hi", name: "n" };
    await expect(agent.generate_init_message("hi")).resolves.toBe("hi");
    await expect(agent.generate_init_message("hi", { carryover: "" })).resolves.toBe("hi");
    await expect(agent.generate_init_message("hi", { carryover: [] })).resolves.toBe("hi");
    await expect(agent.generate_init_message(message, { carryover: [] })).resolves.toBe(message);
  });

  it("copies an object message with string content and does not mutate it", async () => {
    const message: Message = { content: "Plan the trip.", role: "user", name: "planner" };
    const out = await agent.generate_init_message(message, { carryover: ["day 1", "day 2"] });
    expect(out).toEqual({ content: "Plan the trip.\nContext: \nday 1\nday 2", role: "user", name: "planner" });
    expect(out).not.toBe(message);
    expect(message).toEqual({ content: "Plan the trip.", role: "user", name: "planner" });
  });

  it("prepends a text part holding the carryover to list content", async () => {
    const parts: ContentPart[] = [
      { type: "text", text: "Describe this image." },
      { type: "image_url", image_url: { url: "https://example.invalid/cat.png" } },
    ];
    const message: Message = { content: parts };
    const out = (await agent.generate_init_message(message, { carryover: "it is a cat" })) as Message;
    expect(out.content).toEqual([
      { type: "text", text: "\nContext: \nit is a cat" },
      { type: "text", text: "Describe this image." },
      { type: "image_url", image_url: { url: "https://example.invalid/cat.png" } },
    ]);
    expect(message.content).toBe(parts);
    expect(parts).toHaveLength(2);
  });

  it("leaves a message with null content unchanged", async () => {
    const message: Message = { content: null, function_call: { name: "f", arguments: "{}" } };
    await expect(agent.generate_init_message(message, { carryover: "c" })).resolves.toEqual({
      content: null,
      function_call: { name: "f", arguments: "{}" },
    });
  });

  it("rejects a carryover that is neither a string nor a list", async () => {
    for (const carryover of [42, { content: "x" }, true]) {
      const attempt = agent.generate_init_message("m", { carryover });
      await expect(attempt).rejects.toThrow(InvalidCarryOverTypeError);
      await expect(agent.generate_init_message("m", { carryover })).rejects.toThrow(CARRYOVER_TYPE_ERROR);
    }
    // InvalidCarryOverTypeError is a ValueError, as in AG2.
    await expect(agent.generate_init_message("m", { carryover: 1 })).rejects.toThrow(ValueError);
  });

  it("rejects a message of another type when there is carryover", async () => {
    const attempt = agent.generate_init_message(42 as unknown as string, { carryover: "c" });
    await expect(attempt).rejects.toThrow(new InvalidCarryOverTypeError("Carryover should be a string or a list of strings."));
  });

  it("reads a null message from human input with prompt '>' and then adds carryover", async () => {
    const { result, io } = await captured(() => agent.generate_init_message(null, { carryover: ["c1"] }), { inputs: ["typed"] });
    expect(result).toBe("typed\nContext: \nc1");
    expect(io.prompts).toEqual([">"]);
  });
});

describe("carryover through initiate_chat", () => {
  it("a string message with carryover ['a', 'b'] is sent as '<msg>\\nContext: \\na\\nb'", async () => {
    const alice = scriptedAgent("alice");
    const bob = scriptedAgent("bob", { default_auto_reply: "ok" });
    const { result, io } = await captured(() => alice.initiate_chat(bob, { message: "msg", carryover: ["a", "b"], max_turns: 1 }));
    expect(triples(result.chat_history)).toEqual([
      ["assistant", "alice", "msg\nContext: \na\nb"],
      ["user", "bob", "ok"],
    ]);
    expect(io.output).toBe(block("alice", "bob", "msg\nContext: \na\nb") + block("bob", "alice", "ok"));
  });

  it("an object message with list content gets a leading text part holding the carryover", async () => {
    const alice = scriptedAgent("alice");
    const bob = scriptedAgent("bob", { default_auto_reply: "seen" });
    const message: Message = { content: [{ type: "text", text: "What is shown?" }] };
    const { result, io } = await captured(() => alice.initiate_chat(bob, { message, carryover: "earlier summary", max_turns: 1 }));
    expect(result.chat_history[0]).toEqual({
      content: [
        { type: "text", text: "\nContext: \nearlier summary" },
        { type: "text", text: "What is shown?" },
      ],
      role: "assistant",
      name: "alice",
    });
    expect(bob.chat_messages.get(alice)![0].content).toEqual(result.chat_history[0].content);
    expect(message.content).toEqual([{ type: "text", text: "What is shown?" }]);
    expect(io.output).toBe(block("alice", "bob", "\nContext: \nearlier summary\nWhat is shown?") + block("bob", "alice", "seen"));
  });

  it("a carryover of type number throws InvalidCarryOverTypeError and nothing is sent", async () => {
    const alice = scriptedAgent("alice");
    const bob = scriptedAgent("bob", { default_auto_reply: "ok" });
    const cache = { get: async () => undefined, set: async () => {}, close: async () => {} };
    const { io } = await captured(async () => {
      await expect(alice.initiate_chat(bob, { message: "m", carryover: 7 as unknown as string, cache })).rejects.toThrow(
        new InvalidCarryOverTypeError(CARRYOVER_TYPE_ERROR),
      );
    });
    expect(io.output).toBe("");
    expect(alice.chat_messages.get(bob) ?? []).toEqual([]);
    expect(bob.chat_messages.get(alice) ?? []).toEqual([]);
    expect(alice.client_cache).toBeNull();
  });

  it("a callable message gets carryover in its context and nothing is appended", async () => {
    const alice = scriptedAgent("alice");
    const bob = scriptedAgent("bob", { default_auto_reply: "ok" });
    const { result } = await captured(() =>
      alice.initiate_chat(bob, {
        message: (_s, _r, context) => `plain (${(context.carryover as string[]).length} items)`,
        carryover: ["a", "b"],
        max_turns: 1,
      }),
    );
    expect(result.chat_history[0].content).toBe("plain (2 items)");
  });
});
