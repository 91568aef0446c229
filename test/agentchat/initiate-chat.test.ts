import {
  Agent,
  AssistantAgent,
  ConversableAgent,
  InvalidCarryOverTypeError,
  IOStream,
  UserProxyAgent,
  ValueError,
  gather_usage_summary,
  set_logger,
  type GenerateReplyOptions,
  type Message,
  type ReplyValue,
} from "ag2ts";
import { CapturingIOStream, ScriptedModelClient } from "ag2ts/testing";

function quietly<T>(fn: () => Promise<T>, io = new CapturingIOStream()): Promise<T> {
  return IOStream.set_default(io, fn);
}
function plain(name: string, options: Record<string, unknown> = {}) {
  return new ConversableAgent(name, { llm_config: false, human_input_mode: "NEVER", ...options });
}
/** Makes `agent` answer `sender`'s messages from a list (null = no answer). */
function answers(agent: ConversableAgent, replies: Array<string | null>) {
  agent.register_reply([Agent, null], () => [true, replies.length > 0 ? (replies.shift() as string | null) : null]);
}
const contents = (messages: Message[] | undefined) => (messages ?? []).map((m) => m.content);

let warnings: string[] = [];
beforeEach(() => {
  warnings = [];
  set_logger((_level, message) => warnings.push(message));
});
afterAll(() => set_logger(null));

describe("initiate_chat (spec 20 §1-5 checklist)", () => {
  it("clears both sides' history and resets both counters by default; clear_history: false continues", async () => {
    const a = plain("a");
    const b = plain("b");
    const counterSeen: unknown[] = [];
    b.register_reply([Agent, null], (recipient, _m, sender) => {
      counterSeen.push(recipient._consecutive_auto_reply_counter.get(sender as Agent));
      return [true, "pong"];
    });
    await quietly(() => a.initiate_chat(b, { message: "ping 1", max_turns: 1 }));
    a._consecutive_auto_reply_counter.set(b, 7);
    b._consecutive_auto_reply_counter.set(a, 7);
    await quietly(() => a.initiate_chat(b, { message: "ping 2", max_turns: 1 }));
    expect(contents(a.chat_messages.get(b))).toEqual(["ping 2", "pong"]);
    expect(contents(b.chat_messages.get(a))).toEqual(["ping 2", "pong"]);
    expect(counterSeen).toEqual([0, 0]);
    expect(a._consecutive_auto_reply_counter.get(b)).toBe(0);
    await quietly(() => a.initiate_chat(b, { message: "ping 3", max_turns: 1, clear_history: false }));
    expect(contents(a.chat_messages.get(b))).toEqual(["ping 2", "pong", "ping 3", "pong"]);
  });

  it("max_turns: 2 gives 4 messages; max_turns: 0 sends nothing and warns", async () => {
    const a = plain("a", { default_auto_reply: "more" });
    const b = plain("b", { default_auto_reply: "ok" });
    const result = await quietly(() => a.initiate_chat(b, { message: "start", max_turns: 2 }));
    expect(contents(result.chat_history)).toEqual(["start", "ok", "more", "ok"]);
    const none = await quietly(() => a.initiate_chat(b, { message: "start", max_turns: 0 }));
    expect(none.chat_history).toEqual([]);
    expect(none.summary).toBe("");
    expect(warnings).toEqual(["Cannot extract summary using last_msg: the conversation is empty. Using an empty str as summary."]);
  });

  it("with max_turns a silent recipient does not end the loop, a silent sender does", async () => {
    const a = plain("a", { default_auto_reply: "again" });
    const b = plain("b");
    answers(b, []);
    const result = await quietly(() => a.initiate_chat(b, { message: "hi", max_turns: 3 }));
    expect(contents(result.chat_history)).toEqual(["hi", "again", "again"]);
    const c = plain("c");
    const d = plain("d", { default_auto_reply: "ok" });
    answers(c, [null]);
    const stopped = await quietly(() => c.initiate_chat(d, { message: "hi", max_turns: 3 }));
    expect(contents(stopped.chat_history)).toEqual(["hi", "ok"]);
  });

  it("builds the first message from carryover, a callable, or human input", async () => {
    const a = plain("a");
    const b = plain("b");
    answers(b, ["1", "2", "3", "4"]);
    await quietly(() => a.initiate_chat(b, { message: "msg", carryover: ["a", "b"], max_turns: 1 }));
    expect(a.chat_messages.get(b)?.[0].content).toBe("msg\nContext: \na\nb");
    const image = { type: "image_url", image_url: { url: "http://127.0.0.1/x.png" } };
    await quietly(() => a.initiate_chat(b, { message: { content: [image] }, carryover: "c", max_turns: 1 }));
    expect(a.chat_messages.get(b)?.[0].content).toEqual([{ type: "text", text: "\nContext: \nc" }, image]);
    const calls: unknown[] = [];
    await quietly(() =>
      a.initiate_chat(b, {
        carryover: ["x"],
        max_turns: 1,
        extra_key: 5,
        message: (s: ConversableAgent, r: ConversableAgent, context: Record<string, unknown>) => {
          calls.push(s, r, context.carryover, context.extra_key);
          return "from callable";
        },
      }),
    );
    expect(calls).toEqual([a, b, ["x"], 5]);
    expect(a.chat_messages.get(b)?.[0].content).toBe("from callable");
    const io = new CapturingIOStream({ inputs: ["typed"] });
    const result = await quietly(() => a.initiate_chat(b, { message: null, max_turns: 1 }), io);
    expect(io.prompts).toEqual([">"]);
    expect(result.chat_history[0].content).toBe("typed");
    expect(result.human_input).toEqual(["typed"]);
  });

  it("rejects bad input before any message is sent", async () => {
    const a = plain("a");
    const b = plain("b");
    await expect(quietly(() => a.initiate_chat(b, { message: "m", carryover: 3 as unknown as string }))).rejects.toThrow(
      InvalidCarryOverTypeError,
    );
    await expect(quietly(() => a.initiate_chat(b, { message: "m", summary_method: "longest" as "last_msg" }))).rejects.toThrow(
      new ValueError("summary_method must be a string chosen from 'reflection_with_llm' or 'last_msg' or a callable, or None."),
    );
    await expect(quietly(() => a.initiate_chat(b, { message: "m", summary_method: "reflection_with_llm" }))).rejects.toThrow(
      "llm client must be set in either the recipient or sender when summary_method is reflection_with_llm.",
    );
    await expect(quietly(() => a.initiate_chat(b, { message: "m", max_turn: 2 }))).rejects.toThrow("unknown option 'max_turn'");
    expect(a.chat_messages.get(b) ?? []).toEqual([]);
  });

  it("summarises with last_msg, a callable, or reflection_with_llm", async () => {
    const a = plain("a");
    const b = plain("b");
    answers(b, ["Done. TERMINATE", "x"]);
    const last = await quietly(() => a.initiate_chat(b, { message: "m", max_turns: 1 }));
    expect(last.summary).toBe("Done. ");
    const seen: unknown[] = [];
    const custom = await quietly(() =>
      a.initiate_chat(b, {
        message: "m",
        max_turns: 1,
        summary_args: { k: 1 },
        summary_method: (s, r, args) => {
          seen.push(s, r, args);
          return "mine";
        },
      }),
    );
    expect(custom.summary).toBe("mine");
    expect(seen).toEqual([a, b, { k: 1, cache: null }]);

    const senderModel = new ScriptedModelClient([]);
    const model = new ScriptedModelClient(["answer", "the reflection", "user-role reflection"]);
    const asker = new ConversableAgent("asker", { llm_config: senderModel.llm_config(), human_input_mode: "NEVER" });
    const helper = new AssistantAgent("helper", { llm_config: model.llm_config() });
    const reflected = await quietly(() =>
      asker.initiate_chat(helper, { message: "q", max_turns: 1, summary_method: "reflection_with_llm" }),
    );
    expect(reflected.summary).toBe("the reflection");
    expect(model.requests[1].messages.map((m) => [m.role, m.content])).toEqual([
      ["user", "q"],
      ["assistant", "answer"],
      ["system", ConversableAgent.DEFAULT_SUMMARY_PROMPT],
    ]);
    model.add("again");
    const asUser = await quietly(() =>
      asker.initiate_chat(helper, { message: "q", max_turns: 1, summary_method: "reflection_with_llm", summary_args: { summary_role: "user" } }),
    );
    expect(asUser.summary).toBe("again");
    expect(model.requests[3].messages.at(-1)).toEqual({ role: "user", content: ConversableAgent.DEFAULT_SUMMARY_PROMPT });
    expect(senderModel.requests).toHaveLength(0);
  });

  it("returns a snapshot result whose cost is gather_usage_summary of both agents", async () => {
    const model = new ScriptedModelClient({ script: [{ content: "r1", usage: { prompt_tokens: 10, completion_tokens: 2 } }, "r2"], price: [1, 2] });
    const me = new UserProxyAgent("me", { human_input_mode: "NEVER", code_execution_config: false });
    const helper = new AssistantAgent("helper", { llm_config: model.llm_config() });
    const first = await quietly(() => me.initiate_chat(helper, { message: "one", max_turns: 1 }));
    const copy = JSON.parse(JSON.stringify(first.chat_history));
    expect(first.cost).toEqual(gather_usage_summary([me, helper]));
    expect(first.cost.usage_including_cached_inference.total_cost).toBeCloseTo(0.014);
    await quietly(() => me.initiate_chat(helper, { message: "two", max_turns: 1 }));
    expect(first.chat_history).toEqual(copy);
  });

  it("installs the chat cache on both agents only while the chat runs, also when it fails", async () => {
    const a = plain("a");
    const b = plain("b");
    answers(b, ["x", "y"]);
    const earlier = { name: "earlier cache" };
    a.client_cache = earlier;
    const cache = { name: "chat cache" } as never;
    const during: unknown[] = [];
    await quietly(() =>
      a.initiate_chat(b, {
        message: "m",
        max_turns: 1,
        cache,
        summary_method: (s, r) => {
          during.push(s.client_cache, r.client_cache);
          return "";
        },
      }),
    );
    expect(during).toEqual([cache, cache]);
    expect([a.client_cache, b.client_cache]).toEqual([earlier, null]);
    await expect(
      quietly(() =>
        a.initiate_chat(b, {
          message: "m",
          max_turns: 1,
          cache,
          summary_method: () => {
            throw new Error("summary failed");
          },
        }),
      ),
    ).rejects.toThrow("summary failed");
    expect([a.client_cache, b.client_cache, a.previous_cache]).toEqual([earlier, null, null]);
  });
});

describe("overridden generate_reply", () => {
  test("is called for every reply of a chat: the recipient's answers and the sender's turns", async () => {
    const calls: string[] = [];
    class Counting extends ConversableAgent {
      override async generate_reply(options: GenerateReplyOptions = {}): Promise<ReplyValue> {
        calls.push(`${this.name} <- ${options.sender?.name}`);
        const reply = await super.generate_reply(options);
        return typeof reply === "string" ? `${reply} (${this.name})` : reply;
      }
    }
    const a = new Counting("a", { llm_config: false, human_input_mode: "NEVER", default_auto_reply: "from a" });
    const b = new Counting("b", { llm_config: false, human_input_mode: "NEVER", default_auto_reply: "from b" });
    const result = await a.initiate_chat(b, { message: "start", max_turns: 2, silent: true });
    expect(calls).toEqual(["b <- a", "a <- b", "b <- a"]);
    expect(result.chat_history.map((m) => m.content)).toEqual(["start", "from b (b)", "from a (a)", "from b (b)"]);
  });
});

describe("when a chat starts running", () => {
  test("after the code that started it: a reply function registered right after initiate_chat is used", async () => {
    const a = new ConversableAgent("a", { llm_config: false, human_input_mode: "NEVER", default_auto_reply: "from a" });
    const b = new ConversableAgent("b", { llm_config: false, human_input_mode: "NEVER", default_auto_reply: "from b" });
    const pending = a.initiate_chat(b, { message: "start", max_turns: 1, silent: true });
    b.register_reply([Agent, null], () => [true, "registered late"]);
    const result = await pending;
    expect(result.chat_history.map((m) => m.content)).toEqual(["start", "registered late"]);
  });
});

describe("a long chat of synchronous replies", () => {
  test("20000 messages without max_turns end by the auto-reply limit, not by a stack overflow", async () => {
    const a = new ConversableAgent("a", { llm_config: false, human_input_mode: "NEVER", default_auto_reply: "ping", max_consecutive_auto_reply: 10000 });
    const b = new ConversableAgent("b", { llm_config: false, human_input_mode: "NEVER", default_auto_reply: "pong", max_consecutive_auto_reply: 10000 });
    const result = await a.initiate_chat(b, { message: "start", silent: true });
    expect(result.chat_history).toHaveLength(20001);
    expect(result.chat_history.slice(0, 3).map((m) => m.content)).toEqual(["start", "pong", "ping"]);
    expect(result.stop_reason).toBe("max_consecutive_auto_reply");
  });
});
