/**
 * initiate_chat (spec 20 §1-2, §5): history preparation, max_turns, first
 * message forms, option validation, ChatResult snapshots, cost and caches.
 */
import {
  AbortError,
  Agent,
  AssistantAgent,
  ChatResult,
  ConversableAgent,
  UserProxyAgent,
  ValueError,
  gather_usage_summary,
  type Message,
  type ReplyFunction,
} from "ag2ts";
import { ScriptedModelClient } from "ag2ts/testing";
import { block, captured, collectWarnings, scriptedAgent, triples } from "./chat-helpers";

/** A reply function (top of the chain) that records what it sees and passes on. */
function recorder(log: unknown[], what: (agent: ConversableAgent, sender: Agent | null | undefined) => unknown): ReplyFunction {
  return (agent, _messages, sender) => {
    log.push(what(agent, sender));
    return [false, null];
  };
}

/** A minimal cache object (spec 60 §1.1) that records nothing; only its identity matters here. */
function fakeCache(label: string) {
  return { label, get: async () => undefined, set: async () => {}, close: async () => {} };
}

describe("initiate_chat: preparing both sides", () => {
  it("clears both sides' shared history and resets both counters by default", async () => {
    const alice = scriptedAgent("alice", { default_auto_reply: "from alice", max_consecutive_auto_reply: 1 });
    const bob = scriptedAgent("bob", { default_auto_reply: "from bob", max_consecutive_auto_reply: 1 });
    await captured(() => alice.initiate_chat(bob, { message: "first chat" }));
    // A stale conversation and counters at their limit.
    alice.chat_messages_get(bob).push({ content: "stale", role: "user", name: "bob" });
    bob.chat_messages_get(alice).push({ content: "stale", role: "assistant", name: "bob" });
    alice._consecutive_auto_reply_counter.set(bob, 1);
    bob._consecutive_auto_reply_counter.set(alice, 1);

    const seen: unknown[] = [];
    const counterOf = (agent: ConversableAgent, sender: Agent | null | undefined) => [
      agent.name,
      agent._consecutive_auto_reply_counter.get(sender ?? null),
      agent.chat_messages_get(sender as Agent).length,
    ];
    alice.register_reply([Agent, null], recorder(seen, counterOf));
    bob.register_reply([Agent, null], recorder(seen, counterOf));

    const { result } = await captured(() => alice.initiate_chat(bob, { message: "second chat" }));

    // Each side saw a reset counter (0) and only the new conversation at its first reply.
    expect(seen).toEqual([
      ["bob", 0, 1],
      ["alice", 0, 2],
      ["bob", 1, 3],
    ]);
    expect(triples(result.chat_history)).toEqual([
      ["assistant", "alice", "second chat"],
      ["user", "bob", "from bob"],
      ["assistant", "alice", "from alice"],
    ]);
    expect(triples(bob.chat_messages.get(alice)!)).toEqual([
      ["user", "alice", "second chat"],
      ["assistant", "bob", "from bob"],
      ["user", "alice", "from alice"],
    ]);
  });

  it("clear_history: false keeps earlier messages and continues the conversation", async () => {
    const alice = scriptedAgent("alice", { default_auto_reply: "a", max_consecutive_auto_reply: 0 });
    const bob = scriptedAgent("bob", { default_auto_reply: "b", max_consecutive_auto_reply: 1 });
    await captured(() => alice.initiate_chat(bob, { message: "one" }));
    const { result } = await captured(() => alice.initiate_chat(bob, { message: "two", clear_history: false }));
    expect(triples(result.chat_history)).toEqual([
      ["assistant", "alice", "one"],
      ["user", "bob", "b"],
      ["assistant", "alice", "two"],
      ["user", "bob", "b"],
    ]);
    expect(triples(bob.chat_messages.get(alice)!)).toEqual([
      ["user", "alice", "one"],
      ["assistant", "bob", "b"],
      ["user", "alice", "two"],
      ["assistant", "bob", "b"],
    ]);
    expect(result.summary).toBe("b");
  });

  it("clear_history: true resets the sender's human inputs, false keeps them", async () => {
    const alice = scriptedAgent("alice", { max_consecutive_auto_reply: 0 });
    const bob = scriptedAgent("bob", { default_auto_reply: "ok", max_consecutive_auto_reply: 1 });
    const first = await captured(() => alice.initiate_chat(bob, { message: null }), { inputs: ["typed 1"] });
    expect(first.result.human_input).toEqual(["typed 1"]);
    const second = await captured(() => alice.initiate_chat(bob, { message: null, clear_history: false }), { inputs: ["typed 2"] });
    expect(second.result.human_input).toEqual(["typed 1", "typed 2"]);
    const third = await captured(() => alice.initiate_chat(bob, { message: null }), { inputs: ["typed 3"] });
    expect(third.result.human_input).toEqual(["typed 3"]);
    // Earlier results are snapshots.
    expect(first.result.human_input).toEqual(["typed 1"]);
  });
});

describe("initiate_chat: max_turns", () => {
  it("max_turns: 2 produces exactly 4 messages when nobody stops", async () => {
    const alice = scriptedAgent("alice", { default_auto_reply: "more" });
    const bob = scriptedAgent("bob", { default_auto_reply: "answer" });
    const { result, io } = await captured(() => alice.initiate_chat(bob, { message: "start", max_turns: 2 }));
    expect(triples(result.chat_history)).toEqual([
      ["assistant", "alice", "start"],
      ["user", "bob", "answer"],
      ["assistant", "alice", "more"],
      ["user", "bob", "answer"],
    ]);
    expect(io.output).toBe(
      block("alice", "bob", "start") + block("bob", "alice", "answer") + block("alice", "bob", "more") + block("bob", "alice", "answer"),
    );
    expect(result.summary).toBe("answer");
    // The sender's reply_at_receive is off during a max_turns chat, on again for the recipient only via request_reply.
    expect(alice.reply_at_receive.get(bob)).toBe(false);
    expect(bob.reply_at_receive.get(alice)).toBe(false);
  });

  it("max_turns: 0 sends nothing and the summary is '' with a warning", async () => {
    const alice = scriptedAgent("alice", { default_auto_reply: "more" });
    const bob = scriptedAgent("bob", { default_auto_reply: "answer" });
    const { result: run, warnings } = await collectWarnings(() => captured(() => alice.initiate_chat(bob, { message: "start", max_turns: 0 })));
    expect(run.io.output).toBe("");
    expect(run.result.chat_history).toEqual([]);
    expect(bob.chat_messages.get(alice)).toEqual([]);
    expect(run.result.summary).toBe("");
    expect(warnings).toEqual([
      "Cannot extract summary using last_msg: the conversation is empty. Using an empty str as summary.",
    ]);
  });

  it("a recipient that returns null does not end the loop", async () => {
    const alice = scriptedAgent("alice", { default_auto_reply: "again" });
    const bob = scriptedAgent("bob");
    let calls = 0;
    bob.register_reply([Agent, null], () => {
      calls += 1;
      return [true, calls === 1 ? null : `bob ${calls}`];
    });
    const { result } = await captured(() => alice.initiate_chat(bob, { message: "hi", max_turns: 3 }));
    expect(calls).toBe(3);
    expect(triples(result.chat_history)).toEqual([
      ["assistant", "alice", "hi"],
      ["assistant", "alice", "again"],
      ["user", "bob", "bob 2"],
      ["assistant", "alice", "again"],
      ["user", "bob", "bob 3"],
    ]);
  });

  it("a sender that returns null ends the loop early", async () => {
    const alice = scriptedAgent("alice");
    const bob = scriptedAgent("bob");
    let aliceCalls = 0;
    let bobCalls = 0;
    alice.register_reply([Agent, null], () => {
      aliceCalls += 1;
      return [true, aliceCalls === 1 ? "alice 1" : null];
    });
    bob.register_reply([Agent, null], () => [true, `bob ${++bobCalls}`]);
    const { result } = await captured(() => alice.initiate_chat(bob, { message: "hi", max_turns: 5 }));
    expect(aliceCalls).toBe(2);
    expect(bobCalls).toBe(2);
    expect(triples(result.chat_history)).toEqual([
      ["assistant", "alice", "hi"],
      ["user", "bob", "bob 1"],
      ["assistant", "alice", "alice 1"],
      ["user", "bob", "bob 2"],
    ]);
  });

  it("without max_turns the agents alternate until one side returns null", async () => {
    const alice = scriptedAgent("alice", { default_auto_reply: "a", max_consecutive_auto_reply: 2 });
    const bob = scriptedAgent("bob", { default_auto_reply: "b", max_consecutive_auto_reply: 5 });
    const { result } = await captured(() => alice.initiate_chat(bob, { message: "go" }));
    expect(result.chat_history.map((m) => m.content)).toEqual(["go", "b", "a", "b", "a", "b"]);
    expect(alice.reply_at_receive.get(bob)).toBe(true);
    expect(bob.reply_at_receive.get(alice)).toBe(true);
  });
});

describe("initiate_chat: the first message", () => {
  it("a string message is stored as the sender's assistant message", async () => {
    const user = new UserProxyAgent("user", { human_input_mode: "NEVER", code_execution_config: false, max_consecutive_auto_reply: 0 });
    const model = new ScriptedModelClient(["Paris."]);
    const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config() });
    const { result, io } = await captured(() => user.initiate_chat(assistant, { message: "Capital of France?" }));
    expect(triples(result.chat_history)).toEqual([
      ["assistant", "user", "Capital of France?"],
      ["user", "assistant", "Paris."],
    ]);
    expect(model.requests[0].messages).toEqual([
      { content: AssistantAgent.DEFAULT_SYSTEM_MESSAGE, role: "system" },
      { content: "Capital of France?", role: "user", name: "user" },
    ]);
    expect(io.output).toBe(block("user", "assistant", "Capital of France?") + block("assistant", "user", "Paris."));
    model.assert_consumed();
  });

  it("an object message keeps its fields and is not mutated", async () => {
    const alice = scriptedAgent("alice");
    const bob = scriptedAgent("bob", { default_auto_reply: "ok" });
    const message: Message = { content: "hello", name: "custom", context: { x: 1 } };
    const { result } = await captured(() => alice.initiate_chat(bob, { message, max_turns: 1, carryover: "c" }));
    expect(message).toEqual({ content: "hello", name: "custom", context: { x: 1 } });
    expect(result.chat_history[0]).toEqual({ content: "hello\nContext: \nc", name: "custom", context: { x: 1 }, role: "assistant" });
    expect(bob.chat_messages.get(alice)![0]).toEqual({ content: "hello\nContext: \nc", name: "custom", context: { x: 1 }, role: "user" });
  });

  it("a callable message receives (sender, recipient, context) and carryover is not appended", async () => {
    const alice = scriptedAgent("alice");
    const bob = scriptedAgent("bob", { default_auto_reply: "ok" });
    const calls: unknown[][] = [];
    const message = (sender: ConversableAgent, recipient: ConversableAgent, context: Record<string, unknown>) => {
      calls.push([sender, recipient, context]);
      return `made by callable (carryover ${JSON.stringify(context.carryover)})`;
    };
    const { result } = await captured(() =>
      alice.initiate_chat(bob, { message, max_turns: 1, carryover: ["x", "y"], verbose: true, topic: "tides", chat_id: 4 }),
    );
    expect(calls).toHaveLength(1);
    expect(calls[0][0]).toBe(alice);
    expect(calls[0][1]).toBe(bob);
    expect(calls[0][2]).toEqual({ carryover: ["x", "y"], verbose: true, topic: "tides", chat_id: 4 });
    expect(result.chat_history[0].content).toBe('made by callable (carryover ["x","y"])');
  });

  it("an async callable may return a message object", async () => {
    const alice = scriptedAgent("alice");
    const bob = scriptedAgent("bob", { default_auto_reply: "ok" });
    const { result } = await captured(() =>
      alice.initiate_chat(bob, { message: async () => ({ content: "from object", name: "narrator" }), max_turns: 1 }),
    );
    expect(triples(result.chat_history)).toEqual([
      ["assistant", "narrator", "from object"],
      ["user", "bob", "ok"],
    ]);
  });

  it("message: null reads the first message from the IOStream with prompt '>'", async () => {
    const alice = scriptedAgent("alice");
    const bob = scriptedAgent("bob", { default_auto_reply: "ok" });
    const { result, io } = await captured(() => alice.initiate_chat(bob, { message: null, max_turns: 1, carryover: "earlier" }), {
      inputs: ["typed by a human"],
    });
    expect(io.prompts).toEqual([">"]);
    expect(result.chat_history[0]).toEqual({ content: "typed by a human\nContext: \nearlier", role: "assistant", name: "alice" });
    expect(result.human_input).toEqual(["typed by a human"]);
    expect(io.output).toBe(block("alice", "bob", "typed by a human\nContext: \nearlier") + block("bob", "alice", "ok"));
  });

  it("an omitted message also reads the first message from human input", async () => {
    const alice = scriptedAgent("alice");
    const bob = scriptedAgent("bob", { default_auto_reply: "ok" });
    const { result, io } = await captured(() => alice.initiate_chat(bob, { max_turns: 1 }), { inputs: ["typed"] });
    expect(io.prompts).toEqual([">"]);
    expect(result.chat_history.map((m) => m.content)).toEqual(["typed", "ok"]);
  });
});

describe("initiate_chat: options", () => {
  it("an unknown option with a string message throws naming the key, before anything is sent", async () => {
    const alice = scriptedAgent("alice");
    const bob = scriptedAgent("bob");
    const run = captured(() => alice.initiate_chat(bob, { message: "hi", max_turn: 2 }));
    await expect(run).rejects.toThrow(ValueError);
    await expect(captured(() => alice.initiate_chat(bob, { message: "hi", max_turn: 2 }))).rejects.toThrow(
      "initiate_chat: unknown option 'max_turn'. Did you mean 'max_turns'?",
    );
    expect(alice.chat_messages.size).toBe(0);
    expect(bob.chat_messages.size).toBe(0);
  });

  it("an unknown option without a message is an error too (only a callable takes extras)", async () => {
    const alice = scriptedAgent("alice");
    const bob = scriptedAgent("bob");
    await expect(alice.initiate_chat(bob, { zzzzzzzzzz: 1 })).rejects.toThrow(/^initiate_chat: unknown option 'zzzzzzzzzz'\. Known options: /);
  });

  it("a wrongly typed option names the key", async () => {
    const alice = scriptedAgent("alice");
    const bob = scriptedAgent("bob");
    await expect(alice.initiate_chat(bob, { message: "hi", max_turns: "2" as unknown as number })).rejects.toThrow(
      "initiate_chat: option 'max_turns' must be an integer or null, got string.",
    );
    await expect(alice.initiate_chat(bob, { message: "hi", clear_history: 1 as unknown as boolean })).rejects.toThrow(
      "initiate_chat: option 'clear_history' must be a boolean, got number.",
    );
  });

  it("queue-only keys are accepted with a string message", async () => {
    const alice = scriptedAgent("alice");
    const bob = scriptedAgent("bob", { default_auto_reply: "ok" });
    const { result } = await captured(() =>
      alice.initiate_chat(bob, {
        message: "hi",
        max_turns: 1,
        sender: alice,
        recipient: bob,
        chat_id: 7,
        prerequisites: [],
        finished_chat_indexes_to_exclude_from_carryover: [],
      }),
    );
    expect(result.chat_id).toBe(7);
    expect(result.chat_history.map((m) => m.content)).toEqual(["hi", "ok"]);
  });

  it("an invalid summary_method string throws before any message is sent", async () => {
    const alice = scriptedAgent("alice");
    const bob = scriptedAgent("bob");
    const { result: io } = await captured(async () => {
      await expect(alice.initiate_chat(bob, { message: "hi", summary_method: "last" as "last_msg" })).rejects.toThrow(
        new ValueError("summary_method must be a string chosen from 'reflection_with_llm' or 'last_msg' or a callable, or None."),
      );
      return null;
    });
    expect(io).toBeNull();
    expect(alice.chat_messages.size).toBe(0);
    expect(bob.chat_messages.size).toBe(0);
  });

  it("silent: true prints nothing but stores everything", async () => {
    const alice = scriptedAgent("alice", { default_auto_reply: "a" });
    const bob = scriptedAgent("bob", { default_auto_reply: "b" });
    const { result, io } = await captured(() => alice.initiate_chat(bob, { message: "hi", max_turns: 2, silent: true }));
    expect(io.output).toBe("");
    expect(result.chat_history.map((m) => m.content)).toEqual(["hi", "b", "a", "b"]);
  });

  it("a_initiate_chat behaves as initiate_chat", async () => {
    const alice = scriptedAgent("alice", { default_auto_reply: "a" });
    const bob = scriptedAgent("bob", { default_auto_reply: "b" });
    const { result, io } = await captured(() => alice.a_initiate_chat(bob, { message: "hi", max_turns: 1 }));
    expect(result).toBeInstanceOf(ChatResult);
    expect(result.chat_history.map((m) => m.content)).toEqual(["hi", "b"]);
    expect(io.output).toBe(block("alice", "bob", "hi") + block("bob", "alice", "b"));
  });

  // Issue #10 changed the contract (spec 20 §2 said "rejects with AbortError"):
  // an aborted chat resolves with a partial ChatResult whose stop_reason is "aborted".
  it("an aborted signal sends nothing and resolves with stop_reason aborted", async () => {
    const alice = scriptedAgent("alice");
    const bob = scriptedAgent("bob");
    const controller = new AbortController();
    controller.abort();
    const result = await alice.initiate_chat(bob, { message: "hi", signal: controller.signal });
    expect(bob.chat_messages.get(alice) ?? []).toEqual([]);
    expect(result.stop_reason).toBe("aborted");
    expect(result.stopped_by).toBeNull();
    expect(result.chat_history).toEqual([]);
    expect(result.summary).toBe("");
  });

  it("aborting during the chat stops it before the next send and resolves with the partial history", async () => {
    const controller = new AbortController();
    const alice = scriptedAgent("alice", { default_auto_reply: "a" });
    const bob = scriptedAgent("bob");
    let n = 0;
    bob.register_reply([Agent, null], () => {
      n += 1;
      if (n === 2) controller.abort();
      return [true, `b${n}`];
    });
    const { result } = await captured(() => alice.initiate_chat(bob, { message: "hi", signal: controller.signal }));
    expect(alice.chat_messages.get(bob)!.map((m) => m.content)).toEqual(["hi", "b1", "a"]);
    expect(result.chat_history.map((m) => m.content)).toEqual(["hi", "b1", "a"]);
    expect(result.stop_reason).toBe("aborted");
    expect(result.summary).toBe("a");
  });
});

describe("ChatResult", () => {
  it("chat_history is a snapshot that a later chat between the same agents does not change", async () => {
    const alice = scriptedAgent("alice", { default_auto_reply: "a" });
    const bob = scriptedAgent("bob", { default_auto_reply: "b" });
    const { result: first } = await captured(() => alice.initiate_chat(bob, { message: "one", max_turns: 1 }));
    const before = JSON.parse(JSON.stringify(first.chat_history));
    expect(first.chat_history).not.toBe(alice.chat_messages.get(bob));
    expect(first.chat_history[0]).not.toBe(alice.chat_messages.get(bob)![0]);
    const { result: second } = await captured(() => alice.initiate_chat(bob, { message: "two", max_turns: 2 }));
    expect(first.chat_history).toEqual(before);
    expect(first.chat_history.map((m) => m.content)).toEqual(["one", "b"]);
    expect(second.chat_history.map((m) => m.content)).toEqual(["two", "b", "a", "b"]);
    alice.chat_messages.get(bob)![0].content = "edited";
    expect(second.chat_history[0].content).toBe("two");
  });

  it("chat_history copies nested values too: an in-place edit of a stored message's parts does not reach it", async () => {
    const alice = scriptedAgent("alice", { default_auto_reply: "a" });
    const bob = scriptedAgent("bob", { default_auto_reply: "b" });
    const message = { content: [{ type: "text" as const, text: "look" }], context: { tags: ["x"] } };
    const { result } = await captured(() => alice.initiate_chat(bob, { message, max_turns: 1 }));
    const stored = alice.chat_messages.get(bob)![0] as unknown as { content: Array<{ text: string }>; context: { tags: string[] } };
    stored.content[0].text = "edited";
    stored.context.tags.push("y");
    expect(result.chat_history[0]).toEqual({ content: [{ type: "text", text: "look" }], context: { tags: ["x"] }, name: "alice", role: "assistant" });
  });

  it("has chat_id null, the summary and the sender's human input only", async () => {
    const alice = new ConversableAgent("alice", { llm_config: false, human_input_mode: "ALWAYS" });
    const bob = new ConversableAgent("bob", { llm_config: false, human_input_mode: "ALWAYS" });
    const { result, io } = await captured(() => alice.initiate_chat(bob, { message: "hi", max_turns: 2 }), {
      inputs: ["bob says 1", "alice says", "bob says 2"],
    });
    expect(result.chat_id).toBeNull();
    expect(result.chat_history.map((m) => m.content)).toEqual(["hi", "bob says 1", "alice says", "bob says 2"]);
    expect(result.human_input).toEqual(["alice says"]);
    expect(bob._human_input).toEqual(["bob says 1", "bob says 2"]);
    expect(result.summary).toBe("bob says 2");
    expect(io.prompts).toHaveLength(3);
  });
});

describe("ChatResult.cost", () => {
  it("equals gather_usage_summary([sender, recipient]) summed per model", async () => {
    const userModel = new ScriptedModelClient({
      model: "m-shared",
      price: [1, 2],
      script: [{ content: "question 2", usage: { prompt_tokens: 100, completion_tokens: 10 } }],
    });
    const assistantModel = new ScriptedModelClient({
      model: "m-shared",
      price: [1, 2],
      script: [
        { content: "answer 1", usage: { prompt_tokens: 20, completion_tokens: 5 } },
        { content: "answer 2", usage: { prompt_tokens: 40, completion_tokens: 7 }, model: "m-other" },
      ],
    });
    const user = new ConversableAgent("user", { llm_config: userModel.llm_config(), human_input_mode: "NEVER" });
    const assistant = new ConversableAgent("assistant", { llm_config: assistantModel.llm_config(), human_input_mode: "NEVER" });
    const { result } = await captured(() => user.initiate_chat(assistant, { message: "question 1", max_turns: 2 }));
    const expected = {
      total_cost: (120 * 1 + 15 * 2) / 1000 + (40 * 1 + 7 * 2) / 1000,
      "m-shared": { cost: (120 * 1 + 15 * 2) / 1000, prompt_tokens: 120, completion_tokens: 15, total_tokens: 135 },
      "m-other": { cost: (40 * 1 + 7 * 2) / 1000, prompt_tokens: 40, completion_tokens: 7, total_tokens: 47 },
    };
    expect(result.cost).toEqual(gather_usage_summary([user, assistant]));
    expect(result.cost.usage_including_cached_inference).toEqual(expected);
    expect(result.cost.usage_excluding_cached_inference).toEqual(expected);
    userModel.assert_consumed();
    assistantModel.assert_consumed();
  });

  it("is cumulative since the agents were created or reset", async () => {
    const model = new ScriptedModelClient({ price: [1, 0], script: [{ content: "x", usage: { prompt_tokens: 1000 } }, { content: "y", usage: { prompt_tokens: 1000 } }] });
    const user = scriptedAgent("user", { max_consecutive_auto_reply: 0 });
    const assistant = new ConversableAgent("assistant", { llm_config: model.llm_config(), human_input_mode: "NEVER" });
    const { result: first } = await captured(() => user.initiate_chat(assistant, { message: "1" }));
    const { result: second } = await captured(() => user.initiate_chat(assistant, { message: "2" }));
    expect(first.cost.usage_including_cached_inference.total_cost).toBe(1);
    expect(second.cost.usage_including_cached_inference.total_cost).toBe(2);
    // The first result is not changed by the second chat.
    expect(first.cost.usage_excluding_cached_inference.total_cost).toBe(1);
    assistant.reset();
    expect(gather_usage_summary([user, assistant])).toEqual({
      usage_including_cached_inference: { total_cost: 0 },
      usage_excluding_cached_inference: { total_cost: 0 },
    });
  });

  it("gather_usage_summary puts cached usage only in the 'including' part", () => {
    const a = new ConversableAgent("a", { llm_config: new ScriptedModelClient([]).llm_config() });
    const b = new ConversableAgent("b", { llm_config: new ScriptedModelClient([]).llm_config() });
    const noClient = scriptedAgent("c");
    // Usage as OpenAIWrapper records it: a cache hit counts in the total summary only.
    a.client!.total_usage_summary = { total_cost: 3, m: { cost: 3, prompt_tokens: 30, completion_tokens: 3, total_tokens: 33 } };
    a.client!.actual_usage_summary = { total_cost: 1, m: { cost: 1, prompt_tokens: 10, completion_tokens: 1, total_tokens: 11 } };
    b.client!.total_usage_summary = { total_cost: 2, m: { cost: 2, prompt_tokens: 20, completion_tokens: 2, total_tokens: 22 } };
    b.client!.actual_usage_summary = null; // every completion of b came from the cache
    expect(gather_usage_summary([a, b, noClient])).toEqual({
      usage_including_cached_inference: { total_cost: 5, m: { cost: 5, prompt_tokens: 50, completion_tokens: 5, total_tokens: 55 } },
      usage_excluding_cached_inference: { total_cost: 1, m: { cost: 1, prompt_tokens: 10, completion_tokens: 1, total_tokens: 11 } },
    });
    // The agents' own summaries are not changed by the sum.
    expect(a.client!.total_usage_summary).toEqual({ total_cost: 3, m: { cost: 3, prompt_tokens: 30, completion_tokens: 3, total_tokens: 33 } });
    expect(gather_usage_summary([noClient])).toEqual({
      usage_including_cached_inference: { total_cost: 0 },
      usage_excluding_cached_inference: { total_cost: 0 },
    });
  });
});

describe("initiate_chat: cache", () => {
  it("installs the chat cache on both agents only for the chat's duration", async () => {
    const alice = scriptedAgent("alice", { default_auto_reply: "a" });
    const bob = scriptedAgent("bob", { default_auto_reply: "b" });
    const earlierA = fakeCache("earlier alice");
    alice.client_cache = earlierA;
    const chatCache = fakeCache("chat");
    const seen: unknown[] = [];
    const caches = (agent: ConversableAgent) => [agent.name, alice.client_cache, bob.client_cache, agent.previous_cache];
    alice.register_reply([Agent, null], recorder(seen, caches));
    bob.register_reply([Agent, null], recorder(seen, caches));
    await captured(() => alice.initiate_chat(bob, { message: "hi", max_turns: 2, cache: chatCache }));
    expect(seen).toEqual([
      ["bob", chatCache, chatCache, null],
      ["alice", chatCache, chatCache, earlierA],
      ["bob", chatCache, chatCache, null],
    ]);
    expect(alice.client_cache).toBe(earlierA);
    expect(bob.client_cache).toBeNull();
    expect(alice.previous_cache).toBeNull();
    expect(bob.previous_cache).toBeNull();
  });

  it("without a cache, a cache set earlier on an agent is suspended for the chat", async () => {
    const alice = scriptedAgent("alice", { default_auto_reply: "a" });
    const bob = scriptedAgent("bob", { default_auto_reply: "b" });
    const earlierB = fakeCache("earlier bob");
    bob.client_cache = earlierB;
    const seen: unknown[] = [];
    bob.register_reply([Agent, null], recorder(seen, (agent) => agent.client_cache));
    await captured(() => alice.initiate_chat(bob, { message: "hi", max_turns: 1 }));
    expect(seen).toEqual([null]);
    expect(bob.client_cache).toBe(earlierB);
  });

  it("restores both caches when the chat throws", async () => {
    const alice = scriptedAgent("alice");
    const bob = scriptedAgent("bob");
    const earlierA = fakeCache("earlier alice");
    const earlierB = fakeCache("earlier bob");
    alice.client_cache = earlierA;
    bob.client_cache = earlierB;
    bob.register_reply([Agent, null], () => {
      throw new Error("reply failed");
    });
    await expect(captured(() => alice.initiate_chat(bob, { message: "hi", cache: fakeCache("chat") }))).rejects.toThrow("reply failed");
    expect(alice.client_cache).toBe(earlierA);
    expect(bob.client_cache).toBe(earlierB);
    expect(alice.previous_cache).toBeNull();
    expect(bob.previous_cache).toBeNull();
  });

  it("restores both caches when a model call fails", async () => {
    const model = new ScriptedModelClient([{ error: new Error("model down") }]);
    const user = scriptedAgent("user");
    const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config() });
    const chatCache = fakeCache("chat");
    await expect(captured(() => user.initiate_chat(assistant, { message: "hi", cache: chatCache }))).rejects.toThrow("model down");
    expect(user.client_cache).toBeNull();
    expect(assistant.client_cache).toBeNull();
    model.assert_consumed();
  });
});
