import {
  AbortError,
  Agent,
  AssistantAgent,
  ConversableAgent,
  IOStream,
  UserProxyAgent,
  ValueError,
  set_logger,
  summary_from_nested_chats,
  type Message,
  type NestedChatQueueEntry,
} from "ag2ts";
import { CapturingIOStream, ScriptedModelClient, type ScriptStep } from "ag2ts/testing";

const STARS = "*".repeat(80);
const RULE = "-".repeat(80);
const block = (from: string, to: string, text: string) => `${from} (to ${to}):\n\n${text}\n\n${RULE}\n`;
const banner = `\n${STARS}\nStarting a new chat....\n\n${STARS}\n`;

function assistant(name: string, script: ScriptStep[]) {
  const model = new ScriptedModelClient(script);
  return { agent: new AssistantAgent(name, { llm_config: model.llm_config() }), model };
}
function user(name = "user") {
  return new UserProxyAgent(name, { human_input_mode: "NEVER", code_execution_config: false });
}
const firstSeen = (model: ScriptedModelClient, request = 0) => model.requests[request].messages.at(-1)?.content;
const stored = (messages: Message[] | undefined) => (messages ?? []).map((m) => [m.role, m.name, m.content]);

function quietly<T>(fn: () => Promise<T>, io = new CapturingIOStream()): Promise<T> {
  return IOStream.set_default(io, fn);
}

beforeEach(() => set_logger(() => undefined));
afterAll(() => set_logger(null));

describe("register_nested_chats", () => {
  it("answers on behalf of its agent with the nested chat's summary", async () => {
    const me = user();
    const writer = assistant("writer", []); // its own model must never be asked
    const critic = assistant("critic", ["The sky is blue, not green. TERMINATE"]);
    writer.agent.register_nested_chats([{ recipient: critic.agent, max_turns: 1 }], me);
    const io = new CapturingIOStream();
    const result = await quietly(() => me.initiate_chat(writer.agent, { message: "Review: the sky is green.", max_turns: 1 }), io);

    expect(stored(me.chat_messages.get(writer.agent))).toEqual([
      ["assistant", "user", "Review: the sky is green."],
      ["user", "writer", "The sky is blue, not green. "],
    ]);
    expect(stored(writer.agent.chat_messages.get(me))).toEqual([
      ["user", "user", "Review: the sky is green."],
      ["assistant", "writer", "The sky is blue, not green. "],
    ]);
    expect(stored(writer.agent.chat_messages.get(critic.agent))).toEqual([
      ["assistant", "writer", "Review: the sky is green."],
      ["user", "critic", "The sky is blue, not green. TERMINATE"],
    ]);
    expect(result.summary).toBe("The sky is blue, not green. ");
    expect(io.output).toBe(
      block("user", "writer", "Review: the sky is green.") +
        banner +
        block("writer", "critic", "Review: the sky is green.") +
        block("critic", "writer", "The sky is blue, not green. TERMINATE") +
        block("writer", "user", "The sky is blue, not green. "),
    );
    expect(writer.model.requests).toHaveLength(0);
    critic.model.assert_consumed();
  });

  it("gives the first chat only the triggering message's content, skips later entries without a message, and replies with the last summary", async () => {
    const me = user();
    const writer = assistant("writer", []);
    const critic = assistant("critic", ["Too short."]);
    const skipped = assistant("skipped", []);
    const checker = assistant("checker", ["Checked: too short. TERMINATE"]);
    writer.agent.register_nested_chats(
      [
        { recipient: critic.agent, max_turns: 1 },
        { recipient: skipped.agent, max_turns: 1 },
        { recipient: checker.agent, message: "Check the review.", max_turns: 1 },
      ],
      me,
    );
    await quietly(() =>
      me.initiate_chat(writer.agent, { message: { content: "Poem: Hi.", context: { topic: "x" } }, max_turns: 1 }),
    );
    expect(firstSeen(critic.model)).toBe("Poem: Hi.");
    expect(critic.agent.chat_messages.get(writer.agent)?.[0]).toEqual({ content: "Poem: Hi.", name: "writer", role: "user" });
    expect(skipped.model.requests).toHaveLength(0);
    expect(skipped.agent.chat_messages.size).toBe(0);
    expect(firstSeen(checker.model)).toBe("Check the review.\nContext: \nToo short.");
    expect(me.last_message(writer.agent)).toEqual({ content: "Checked: too short. ", name: "writer", role: "user" });
  });

  it("calls a message function with (recipient, messages, sender, config)", async () => {
    const me = user();
    const writer = assistant("writer", []);
    const critic = assistant("critic", ["ok"]);
    const calls: unknown[][] = [];
    const config = { style: "strict" };
    writer.agent.register_nested_chats(
      [
        {
          recipient: critic.agent,
          max_turns: 1,
          message: (recipient: ConversableAgent, messages: Message[] | null, sender: Agent | null, cfg: unknown) => {
            calls.push([recipient, messages, sender, cfg]);
            return `Review in ${(cfg as typeof config).style} style: ${messages?.at(-1)?.content}`;
          },
        },
      ],
      me,
      { config },
    );
    await quietly(() => me.initiate_chat(writer.agent, { message: "draft", max_turns: 1 }));
    expect(calls).toHaveLength(1);
    const [recipient, messages, sender, cfg] = calls[0];
    expect(recipient).toBe(writer.agent);
    expect(messages).toBe(writer.agent.chat_messages.get(me));
    expect(sender).toBe(me);
    expect(cfg).toEqual({ style: "strict" });
    expect(firstSeen(critic.model)).toBe("Review in strict style: draft");
  });

  it("ends the outer conversation when no entry is runnable", async () => {
    const me = new UserProxyAgent("user", { human_input_mode: "NEVER", code_execution_config: false, default_auto_reply: "again" });
    const writer = assistant("writer", []);
    const critic = assistant("critic", []);
    writer.agent.register_nested_chats([{ recipient: critic.agent, message: () => "" }], me);
    const result = await quietly(() => me.initiate_chat(writer.agent, { message: "hello" }));
    expect(stored(me.chat_messages.get(writer.agent))).toEqual([["assistant", "user", "hello"]]);
    expect(stored(writer.agent.chat_messages.get(me))).toEqual([["user", "user", "hello"]]);
    expect(result.chat_history).toHaveLength(1);
    expect(writer.model.requests).toHaveLength(0);
    expect(critic.model.requests).toHaveLength(0);
  });

  it("only answers senders that match the trigger", async () => {
    const me = user();
    const other = user("other");
    const writer = assistant("writer", ["own answer"]);
    const critic = assistant("critic", []);
    writer.agent.register_nested_chats([{ recipient: critic.agent, max_turns: 1 }], me);
    await quietly(() => other.initiate_chat(writer.agent, { message: "hi", max_turns: 1 }));
    expect(other.last_message(writer.agent)?.content).toBe("own answer");
    expect(critic.model.requests).toHaveLength(0);
  });

  it("registers at position 1 by default, or where position says", () => {
    const writer = new ConversableAgent("writer", { llm_config: false });
    const critic = new ConversableAgent("critic", { llm_config: false });
    writer.register_nested_chats([{ recipient: critic }], Agent);
    const names = () => writer._reply_func_list.map((entry) => entry.reply_func.name);
    expect(names()).toEqual([
      "check_termination_and_human_reply",
      "nested_chats_reply",
      "generate_function_call_reply",
      "generate_tool_calls_reply",
      "generate_oai_reply",
    ]);
    expect(writer._reply_func_list[1].trigger).toBe(Agent);
    writer.register_nested_chats([{ recipient: critic }], "boss", { position: 0 });
    expect(names()[0]).toBe("nested_chats_reply");
    expect(writer._reply_func_list[0].trigger).toBe("boss");
  });

  it("uses a custom reply_func_from_nested_chats with the queue held by reference", async () => {
    const me = user();
    const writer = assistant("writer", []);
    const critic = assistant("critic", []);
    const queue: NestedChatQueueEntry[] = [{ recipient: critic.agent }];
    const seen: unknown[][] = [];
    writer.agent.register_nested_chats(queue, me, {
      config: { n: 1 },
      reply_func_from_nested_chats: (chat_queue, recipient, messages, sender, config) => {
        seen.push([chat_queue, recipient, messages?.length, sender, config]);
        return [true, `custom reply with ${chat_queue.length} chats`];
      },
    });
    queue.push({ recipient: critic.agent, message: "later" });
    await quietly(() => me.initiate_chat(writer.agent, { message: "hi", max_turns: 1 }));
    expect(seen).toEqual([[queue, writer.agent, 1, me, { n: 1 }]]);
    expect(seen[0][0]).toBe(queue);
    expect(me.last_message(writer.agent)?.content).toBe("custom reply with 2 chats");
  });

  it("restores config through reset_config on reset()", async () => {
    const writer = new ConversableAgent("writer", { llm_config: false });
    const critic = new ConversableAgent("critic", { llm_config: false });
    const resets: unknown[] = [];
    writer.register_nested_chats([{ recipient: critic }], Agent, {
      config: { runs: 0 },
      reset_config: (config) => resets.push(config),
    });
    writer.reset();
    expect(resets).toEqual([{ runs: 0 }]);
  });

  it("checks its options at registration", () => {
    const writer = new ConversableAgent("writer", { llm_config: false });
    const critic = new ConversableAgent("critic", { llm_config: false });
    expect(() =>
      writer.register_nested_chats([{ recipient: critic, chat_id: 1 }, { recipient: critic }], Agent, { use_async: true }),
    ).toThrow(new ValueError("chat_id is required for async nested chats (the entry at index 1 has none)."));
    expect(() =>
      writer.register_nested_chats([{ recipient: critic }], Agent, {
        reply_func_from_nested_chats: "summary_from_nested_chat" as "summary_from_nested_chats",
      }),
    ).toThrow(
      'register_nested_chats: unknown reply_func_from_nested_chats "summary_from_nested_chat"; use "summary_from_nested_chats" or a function',
    );
    expect(() => writer.register_nested_chats([{ recipient: critic }], Agent, { postion: 1 } as object)).toThrow(
      "register_nested_chats: unknown option 'postion'. Did you mean 'position'?",
    );
    expect(writer._reply_func_list).toHaveLength(4);
  });

  it("runs the queue concurrently with use_async and replies with the last runnable entry's summary", async () => {
    const me = user();
    const writer = assistant("writer", []);
    const critic = assistant("critic", ["Critique."]);
    const checker = assistant("checker", ["Verdict."]);
    writer.agent.register_nested_chats(
      [
        { chat_id: 2, recipient: checker.agent, message: "Judge.", max_turns: 1, prerequisites: [1] },
        { chat_id: 1, recipient: critic.agent, message: "Critique it.", max_turns: 1 },
      ],
      me,
      { use_async: true },
    );
    await quietly(() => me.initiate_chat(writer.agent, { message: "text", max_turns: 1 }));
    expect(firstSeen(checker.model)).toBe("Judge.\nContext: \nCritique.");
    expect(me.last_message(writer.agent)?.content).toBe("Critique.");
  });
});

describe("nested chats and the outer chat's signal", () => {
  it("an abort of the outer chat stops the nested chat too", async () => {
    const me = user();
    const writer = assistant("writer", []);
    const controller = new AbortController();
    const critic = assistant("critic", [
      () => {
        controller.abort();
        return "too late";
      },
    ]);
    writer.agent.register_nested_chats([{ recipient: critic.agent, max_turns: 1 }], me);
    // Issue #10: the aborted chats resolve with stop_reason "aborted" (they used to reject with AbortError).
    const result = await quietly(() => me.initiate_chat(writer.agent, { message: "go", max_turns: 1, signal: controller.signal }));
    expect(result.stop_reason).toBe("aborted");
    expect(result.chat_history.map((m) => m.content)).toEqual(["go"]);
    expect(writer.agent.chat_messages.get(critic.agent)?.map((m) => m.content)).toEqual(["go"]);
    expect(me.chat_messages.get(writer.agent)?.map((m) => m.content)).toEqual(["go"]);
  });
});

describe("summary_from_nested_chats with carryover_config", () => {
  const parent: Message[] = [
    { content: "m1", role: "user", name: "a" },
    { content: "m2", role: "assistant", name: "b" },
    { content: "m3", role: "user", name: "a" },
    { content: "m4", role: "user", name: "a" },
  ];

  async function run(entry: Partial<NestedChatQueueEntry>) {
    const owner = new ConversableAgent("owner", { llm_config: false, human_input_mode: "NEVER" });
    const critic = assistant("critic", ["noted"]);
    const queue: NestedChatQueueEntry[] = [{ recipient: critic.agent, max_turns: 1, silent: true, ...entry }];
    const before = JSON.stringify(queue.map(({ recipient: _r, ...rest }) => rest));
    const reply = await quietly(() => summary_from_nested_chats(queue, owner, parent, null, null));
    expect(JSON.stringify(queue.map(({ recipient: _r, ...rest }) => rest))).toBe(before);
    return { reply, first: firstSeen(critic.model) };
  }

  it('"all" joins the parent messages except the last two', async () => {
    expect(await run({ message: "Review this.", carryover_config: { summary_method: "all" } })).toEqual({
      reply: [true, "noted"],
      first: "Review this.\nContext:\nm1\nm2",
    });
  });

  it('"last_msg" takes the last kept message; without a message only the context is sent', async () => {
    expect((await run({ carryover_config: { summary_method: "last_msg" } })).first).toBe("Context:\nm2");
  });

  it("a function gets (recipient, messages, summary_args)", async () => {
    const seen: unknown[] = [];
    const { first } = await run({
      message: () => "Computed.",
      carryover_config: {
        summary_method: (recipient, messages, args) => {
          seen.push(recipient.name, messages.map((m) => m.content), args);
          return "custom summary";
        },
        summary_args: { k: 1 },
      },
    });
    expect(first).toBe("Computed.\nContext:\ncustom summary");
    expect(seen).toEqual(["owner", ["m1", "m2"], { k: 1 }]);
  });

  it('"reflection_with_llm" asks the first nested recipient\'s model about the kept messages and leaves its history as it was', async () => {
    const owner = new ConversableAgent("owner", { llm_config: false, human_input_mode: "NEVER" });
    const outerSender = user("outer");
    const critic = assistant("critic", ["Reflected summary.", "noted"]);
    const earlier: Message[] = [{ content: "earlier talk", role: "user", name: "outer" }];
    critic.agent.chat_messages.set(outerSender, earlier);
    const queue: NestedChatQueueEntry[] = [
      {
        recipient: critic.agent,
        message: "Go.",
        max_turns: 1,
        silent: true,
        carryover_config: { summary_method: "reflection_with_llm", summary_args: { summary_prompt: "Sum up." } },
      },
    ];
    const reply = await quietly(() => summary_from_nested_chats(queue, owner, parent, outerSender, null));
    expect(reply).toEqual([true, "noted"]);
    expect(critic.model.requests[0].messages.map((m) => [m.role, m.content])).toEqual([
      ["user", "m1"],
      ["assistant", "m2"],
      ["system", "Sum up."],
    ]);
    expect(firstSeen(critic.model, 1)).toBe("Go.\nContext:\nReflected summary.");
    expect(critic.agent.chat_messages.get(outerSender)).toBe(earlier);
  });

  it("a carryover_config without summary_method is an error", async () => {
    await expect(run({ message: "x", carryover_config: {} as { summary_method: "all" } })).rejects.toThrow(
      new ValueError("Carryover configuration must contain a 'summary_method' key"),
    );
  });
});
