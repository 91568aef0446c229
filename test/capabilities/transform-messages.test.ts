/**
 * Mirrors AG2 test/agentchat/contrib/capabilities/test_transform_messages.py
 * on the scripted model (AG2 runs it against gpt-4o-mini): a chat whose
 * history is far beyond the limits sends the model a list within them, and
 * the agents' stored histories are unchanged.
 */
import {
  AssistantAgent,
  ConversableAgent,
  IOStream,
  MessageHistoryLimiter,
  MessageTokenLimiter,
  TransformMessages,
  UserProxyAgent,
  ValueError,
  count_token,
  transforms_util,
  type Message,
  type MessageTransform,
} from "ag2ts";
import { CapturingIOStream, ScriptedModelClient, type ScriptedRequest } from "ag2ts/testing";

const { count_text_tokens } = transforms_util;
const textTokens = (messages: Message[]) => messages.reduce((n, m) => n + count_text_tokens(m.content), 0);

describe("TransformMessages on an agent (test_transform_messages_capability)", () => {
  test("a 2000-message history reaches the model as 10 messages and 10 tokens; the stored history is unchanged", async () => {
    const model = new ScriptedModelClient(["Here is the plan.\nTERMINATE"]);
    const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config(), max_consecutive_auto_reply: 1 });
    new TransformMessages({
      transforms: [new MessageHistoryLimiter({ max_messages: 10 }), new MessageTokenLimiter({ max_tokens: 10, max_tokens_per_message: 5 })],
    }).add_to_agent(assistant);
    const user = new UserProxyAgent("user", {
      code_execution_config: false,
      human_input_mode: "NEVER",
      is_termination_msg: (m) => String(m.content ?? "").includes("TERMINATE"),
      max_consecutive_auto_reply: 1,
    });
    const long = "test ".repeat(1000);
    const io = new CapturingIOStream();
    await IOStream.set_default(io, async () => {
      for (let i = 0; i < 1000; i++) {
        await assistant.send({ role: "assistant", content: long }, user, { request_reply: false, silent: true });
        await user.send({ role: "user", content: "" }, assistant, { request_reply: false, silent: true });
      }
      await user.initiate_chat(assistant, {
        message: "Plot a chart of nvidia and tesla stock prices for the last 5 years",
        clear_history: false,
        silent: true,
      });
    });

    const [request] = model.requests;
    const sent = request.messages;
    // The system message is kept out of the transforms and put back first.
    expect(sent[0]).toEqual({ role: "system", content: assistant.system_message });
    const history = sent.slice(1);
    // Newest first: the question (cut to 5 tokens), "" , a long reply (cut to 5), then "" and the budget is spent.
    expect(history.map((m) => [m.role, m.content])).toEqual([
      ["user", ""],
      ["assistant", "test test test test test"],
      ["user", ""],
      ["user", "Plot a chart of n"],
    ]);
    expect(textTokens(history)).toBe(10);

    const stored = assistant.chat_messages.get(user)!;
    expect(stored).toHaveLength(2002);
    expect(stored[1998]).toEqual({ role: "assistant", name: "assistant", content: long });
    expect(stored[2000]).toEqual({ role: "user", name: "user", content: "Plot a chart of nvidia and tesla stock prices for the last 5 years" });
    const question = count_token("Plot a chart of nvidia and tesla stock prices for the last 5 years");
    const longTokens = count_token(long);
    const pre = 4 * longTokens + question;
    expect(io.output).toBe(
      "Removed 1991 messages. Number of messages reduced from 2001 to 10.\n" +
        `Truncated ${pre - 10} tokens. Number of tokens reduced from ${pre} to 10\n`,
    );
  });

  test("a history over max_tokens reaches the model within the limit, on every turn", async () => {
    const limit = 60;
    const model = new ScriptedModelClient(
      Array.from({ length: 6 }, (_, i) => (request: ScriptedRequest) => {
        const tokens = textTokens(request.messages.slice(1));
        if (tokens > limit) throw new Error(`request ${i} has ${tokens} tokens`);
        return `Reply ${i}: ${"word ".repeat(30)}`;
      }),
    );
    const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config() });
    new TransformMessages({ transforms: [new MessageTokenLimiter({ max_tokens: limit, max_tokens_per_message: 40 })], verbose: false }).add_to_agent(assistant);
    const user = new UserProxyAgent("user", { human_input_mode: "NEVER", code_execution_config: false, default_auto_reply: "Go on. ".repeat(10) });
    const io = new CapturingIOStream();
    const result = await IOStream.set_default(io, () => user.initiate_chat(assistant, { message: "Start. ".repeat(10), max_turns: 6 }));
    expect(model.requests).toHaveLength(6);
    const sizes = model.requests.map((r) => textTokens(r.messages.slice(1)));
    expect(sizes.every((n) => n <= limit)).toBe(true);
    // The whole conversation is kept, far past the limit.
    expect(result.chat_history).toHaveLength(12);
    expect(textTokens(result.chat_history)).toBeGreaterThan(5 * limit);
    expect(user.chat_messages.get(assistant)).toEqual(result.chat_history);
    expect(assistant.chat_messages.get(user)).toHaveLength(12);
    // verbose false prints no transform log.
    expect(io.output).not.toContain("Truncated");
  });
});

describe("TransformMessages itself", () => {
  const recorder = () => {
    const agent = new ConversableAgent("a", { human_input_mode: "NEVER" });
    const seen: Message[][] = [];
    agent.register_reply([ConversableAgent, null], (_r, messages) => (seen.push(messages as Message[]), [true, "ok"]));
    return { agent, seen };
  };

  test("transforms run in order on a copy; a transform that changes its input changes neither the history nor the logs", async () => {
    const order: string[] = [];
    const mutating: MessageTransform = {
      apply_transform(messages) {
        order.push("mutating");
        for (const m of messages) m.content = "changed";
        return messages;
      },
      get_logs: (pre, post) => [`pre ${pre[0].content} post ${post[0].content}`, true],
    };
    const second: MessageTransform = {
      apply_transform: async (messages) => (order.push("second"), messages.slice(-1)),
      get_logs: () => ["second had no effect", false],
    };
    const { agent, seen } = recorder();
    new TransformMessages({ transforms: [mutating, second] }).add_to_agent(agent);
    const other = new ConversableAgent("b", { human_input_mode: "NEVER" });
    const io = new CapturingIOStream();
    await IOStream.set_default(io, async () => {
      await other.send("one", agent, { request_reply: false, silent: true });
      await other.send("two", agent, { request_reply: true, silent: true });
    });
    expect(order).toEqual(["mutating", "second"]);
    expect(seen).toEqual([[{ content: "changed", role: "user", name: "b" }]]);
    expect(agent.chat_messages.get(other)!.map((m) => m.content)).toEqual(["one", "two", "ok"]);
    expect(io.output).toBe("pre one post changed\n");
  });

  test("an empty list is returned as is (AG2 fails on it); bad options are errors", async () => {
    const transform = new TransformMessages({ transforms: [new MessageHistoryLimiter({ max_messages: 1 })] });
    expect(await transform._transform_messages([])).toEqual([]);
    expect(() => new TransformMessages({ transforms: [{}] as never })).toThrow(
      new ValueError(
        "TransformMessages: transforms[0] must be a message transform with apply_transform(messages) and get_logs(pre, post) (e.g. new MessageHistoryLimiter({ max_messages: 10 })).",
      ),
    );
    expect(() => new TransformMessages({ transform: [] } as never)).toThrow("TransformMessages: unknown option 'transform'. Did you mean 'transforms'?");
  });

  test("the log is yellow on a colour stream", async () => {
    const io = new CapturingIOStream();
    Object.defineProperty(io, "supports_color", { value: true });
    const transform = new TransformMessages({ transforms: [new MessageHistoryLimiter({ max_messages: 1 })] });
    const out = await IOStream.set_default(io, () => transform._transform_messages([{ role: "system", content: "s" }, { content: "a" }, { content: "b" }]));
    expect(out).toEqual([{ role: "system", content: "s" }, { content: "b" }]);
    expect(io.output).toBe("\x1b[33mRemoved 1 messages. Number of messages reduced from 2 to 1.\x1b[0m\n");
  });
});
