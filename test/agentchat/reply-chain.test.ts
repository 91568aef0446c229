import {
  Agent,
  AssistantAgent,
  ConversableAgent,
  SenderRequiredError,
  UserProxyAgent,
  ValueError,
  type ConversableAgentOptions,
  type Message,
  type ReplyFunction,
} from "ag2ts";
import { ScriptedModelClient } from "ag2ts/testing";
import { capture, caught } from "./helpers";

const hi: Message[] = [{ content: "hi", role: "user" }];
const terminate: Message[] = [{ content: "TERMINATE", role: "user" }];

function never(name = "a", options: ConversableAgentOptions = {}) {
  return new ConversableAgent(name, { human_input_mode: "NEVER", ...options });
}

const names = (agent: ConversableAgent) => agent._reply_func_list.map((e) => e.reply_func);

describe("default chain (spec 10 §7.3)", () => {
  it("has 4 entries in order, each with trigger [Agent, null] and config null", () => {
    const a = new ConversableAgent("a");
    expect(names(a)).toEqual([
      ConversableAgent.check_termination_and_human_reply,
      ConversableAgent.generate_function_call_reply,
      ConversableAgent.generate_tool_calls_reply,
      ConversableAgent.generate_oai_reply,
    ]);
    for (const entry of a._reply_func_list) {
      expect(entry.trigger).toEqual([Agent, null]);
      expect((entry.trigger as unknown[])[0]).toBe(Agent);
      expect(entry.config).toBeNull();
      expect(entry.init_config).toBeNull();
      expect(entry.reset_config).toBeNull();
    }
  });

  it("the a_ names are the same functions", () => {
    expect(ConversableAgent.a_check_termination_and_human_reply).toBe(ConversableAgent.check_termination_and_human_reply);
    expect(ConversableAgent.a_generate_function_call_reply).toBe(ConversableAgent.generate_function_call_reply);
    expect(ConversableAgent.a_generate_tool_calls_reply).toBe(ConversableAgent.generate_tool_calls_reply);
    expect(ConversableAgent.a_generate_oai_reply).toBe(ConversableAgent.generate_oai_reply);
  });

  it("with code execution it has 5 entries, the code step fourth", () => {
    for (const agent of [new UserProxyAgent("u"), new ConversableAgent("c", { code_execution_config: { use_docker: false } })]) {
      const list = names(agent);
      expect(list).toHaveLength(5);
      expect(list[0]).toBe(ConversableAgent.check_termination_and_human_reply);
      expect(list[1]).toBe(ConversableAgent.generate_function_call_reply);
      expect(list[2]).toBe(ConversableAgent.generate_tool_calls_reply);
      expect([ConversableAgent.generate_code_execution_reply, ConversableAgent._generate_code_execution_reply_using_executor]).toContain(list[3]);
      expect(list[4]).toBe(ConversableAgent.generate_oai_reply);
      for (const entry of agent._reply_func_list) expect(entry.trigger).toEqual([Agent, null]);
    }
  });
});

describe("register_reply positions", () => {
  const f: ReplyFunction = () => [true, "from f"];

  it("the default position 0 runs before check_termination_and_human_reply", async () => {
    const a = never();
    a.register_reply([Agent, null], f);
    expect(names(a)[0]).toBe(f);
    expect(names(a)[1]).toBe(ConversableAgent.check_termination_and_human_reply);
    // A termination message would stop the chain at the check; f answers first.
    expect(await a.generate_reply({ messages: terminate })).toBe("from f");
  });

  it("position 1 lands after the termination check", async () => {
    const a = never();
    const calls: string[] = [];
    a.register_reply([Agent, null], () => (calls.push("g"), [true, "from g"]), { position: 1 });
    expect(names(a)[0]).toBe(ConversableAgent.check_termination_and_human_reply);
    expect(await a.generate_reply({ messages: terminate })).toBeNull();
    expect(calls).toEqual([]);
    expect(await a.generate_reply({ messages: hi })).toBe("from g");
    expect(calls).toEqual(["g"]);
  });

  it("position -1 inserts before the last entry", () => {
    const a = never();
    a.register_reply([Agent, null], f, { position: -1 });
    expect(names(a)).toEqual([
      ConversableAgent.check_termination_and_human_reply,
      ConversableAgent.generate_function_call_reply,
      ConversableAgent.generate_tool_calls_reply,
      f,
      ConversableAgent.generate_oai_reply,
    ]);
  });

  it("positions are clamped like Python list.insert", () => {
    const a = never();
    const g: ReplyFunction = () => [false, null];
    a.register_reply(null, f, { position: 99 });
    a.register_reply(null, g, { position: -99 });
    const list = names(a);
    expect(list).toHaveLength(6);
    expect(list[0]).toBe(g);
    expect(list[5]).toBe(f);
  });

  it("later registrations at position 0 run earlier", async () => {
    const a = never();
    a.register_reply([Agent, null], () => [true, "first registered"]);
    a.register_reply([Agent, null], () => [true, "second registered"]);
    expect(await a.generate_reply({ messages: hi })).toBe("second registered");
  });

  it("remove_other_reply_funcs leaves exactly one entry", async () => {
    const a = never();
    a.register_reply([Agent, null], f, { remove_other_reply_funcs: true });
    expect(a._reply_func_list).toHaveLength(1);
    expect(names(a)).toEqual([f]);
    expect(await a.generate_reply({ messages: terminate })).toBe("from f");
  });

  it("a non-final reply continues the chain and its reply is ignored", async () => {
    const a = never("a", { default_auto_reply: "default" });
    const seen: unknown[] = [];
    a.register_reply([Agent, null], (_r, messages, sender, config) => {
      seen.push(messages, sender, config);
      return [false, "ignored"];
    });
    expect(await a.generate_reply({ messages: hi })).toBe("default");
    expect(seen).toEqual([hi, null, null]);
  });

  it("a final null reply stops the chain and is returned", async () => {
    const a = never("a", { default_auto_reply: "default" });
    a.register_reply([Agent, null], () => [true, null]);
    expect(await a.generate_reply({ messages: hi })).toBeNull();
  });

  it("async reply functions are awaited", async () => {
    const a = never();
    a.register_reply([Agent, null], async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return [true, { content: "later", role: "user" }];
    });
    expect(await a.generate_reply({ messages: hi })).toEqual({ content: "later", role: "user" });
  });
});

describe("triggers (spec 10 §7.2)", () => {
  const reply = (text: string): ReplyFunction => () => [true, text];

  it("a string trigger matches the sender's name", async () => {
    const a = never("a", { default_auto_reply: "no" });
    a.register_reply("bob", reply("for bob"));
    expect(await a.generate_reply({ messages: hi, sender: never("bob") })).toBe("for bob");
    expect(await a.generate_reply({ messages: hi, sender: never("alice") })).toBe("no");
  });

  it("a string trigger with sender null throws SenderRequiredError", async () => {
    const a = never();
    a.register_reply("bob", reply("for bob"));
    const err = await caught(() => a.generate_reply({ messages: hi }));
    expect(err).toBeInstanceOf(SenderRequiredError);
    expect(err).toBeInstanceOf(ValueError);
    expect(err.message).toBe("Sender is required but not provided.");
  });

  it("a class trigger matches instances of the class", async () => {
    const a = never("a", { default_auto_reply: "no" });
    a.register_reply(UserProxyAgent, reply("for proxies"));
    expect(await a.generate_reply({ messages: hi, sender: new UserProxyAgent("u", { code_execution_config: false }) })).toBe("for proxies");
    expect(await a.generate_reply({ messages: hi, sender: new AssistantAgent("x") })).toBe("no");
    expect(await a.generate_reply({ messages: hi })).toBe("no");
  });

  it("an agent instance trigger matches that agent only", async () => {
    const a = never("a", { default_auto_reply: "no" });
    const bob = never("bob");
    a.register_reply(bob, reply("for this bob"));
    expect(await a.generate_reply({ messages: hi, sender: bob })).toBe("for this bob");
    expect(await a.generate_reply({ messages: hi, sender: never("bob") })).toBe("no");
  });

  it("a callable trigger decides with a boolean", async () => {
    const a = never("a", { default_auto_reply: "no" });
    a.register_reply((sender: Agent | null) => sender?.name.startsWith("x") ?? false, reply("for x"));
    expect(await a.generate_reply({ messages: hi, sender: never("xavier") })).toBe("for x");
    expect(await a.generate_reply({ messages: hi, sender: never("yves") })).toBe("no");
    expect(await a.generate_reply({ messages: hi })).toBe("no");
  });

  it("a callable trigger returning a non-boolean throws", async () => {
    const a = never();
    const badTrigger = () => "yes";
    a.register_reply(badTrigger as never, reply("never"));
    const err = await caught(() => a.generate_reply({ messages: hi, sender: never("b") }));
    expect(err).toBeInstanceOf(ValueError);
    expect(err.message).toBe("trigger badTrigger must return a boolean value.");
  });

  it("an array trigger matches when any element matches", async () => {
    const a = never("a", { default_auto_reply: "no" });
    a.register_reply(["bob", UserProxyAgent], reply("either"));
    expect(await a.generate_reply({ messages: hi, sender: never("bob") })).toBe("either");
    expect(await a.generate_reply({ messages: hi, sender: new UserProxyAgent("u", { code_execution_config: false }) })).toBe("either");
    expect(await a.generate_reply({ messages: hi, sender: never("carol") })).toBe("no");
  });

  it("a bare null trigger matches only a missing sender", async () => {
    const a = never("a", { default_auto_reply: "no" });
    a.register_reply(null, reply("no sender"));
    expect(await a.generate_reply({ messages: hi })).toBe("no sender");
    expect(await a.generate_reply({ messages: hi, sender: never("b") })).toBe("no");
  });

  it("an unsupported trigger is rejected at registration", async () => {
    const a = never();
    for (const bad of [42, true, { name: "not an agent" }]) {
      const err = await caught(() => a.register_reply(bad as never, reply("x")));
      expect(err).toBeInstanceOf(ValueError);
      expect(err.message).toBe("trigger must be a class, a string, an agent, a callable or a list.");
    }
    expect(a._reply_func_list).toHaveLength(4);
  });
});

describe("exclude and replace_reply_func", () => {
  it.each([
    ["generate_oai_reply", ConversableAgent.generate_oai_reply],
    ["a_generate_oai_reply", ConversableAgent.a_generate_oai_reply],
  ])("exclude [%s] skips the LLM step", async (_label, fn) => {
    const model = new ScriptedModelClient(["from the model"]);
    const a = never("a", { llm_config: model.llm_config(), default_auto_reply: "default" });
    expect(await a.generate_reply({ messages: hi, exclude: [fn] })).toBe("default");
    expect(model.requests).toHaveLength(0);
    expect(await a.generate_reply({ messages: hi })).toBe("from the model");
    model.assert_consumed();
  });

  it("exclude [a_check_termination_and_human_reply] skips the termination check", async () => {
    const a = never("a", { default_auto_reply: "default" });
    expect(await a.generate_reply({ messages: terminate })).toBeNull();
    expect(await a.generate_reply({ messages: terminate, exclude: [ConversableAgent.a_check_termination_and_human_reply] })).toBe("default");
  });

  it("replace_reply_func swaps the function of matching entries (a_ names included)", async () => {
    const a = never();
    const replacement: ReplyFunction = () => [true, "replaced"];
    a.replace_reply_func(ConversableAgent.a_generate_oai_reply, replacement);
    expect(names(a)[3]).toBe(replacement);
    expect(names(a)).not.toContain(ConversableAgent.generate_oai_reply);
    expect(await a.generate_reply({ messages: hi })).toBe("replaced");
  });
});

describe("config, reset_config and reset()", () => {
  it("config is passed to the function as a copy and restored by reset()", async () => {
    const a = never();
    const initial = { count: 0 };
    const counting: ReplyFunction = (_r, _m, _s, config) => {
      const c = config as { count: number };
      c.count += 1;
      return [true, `count ${c.count}`];
    };
    a.register_reply([Agent, null], counting, { config: initial });
    const entry = a._reply_func_list[0];
    expect(entry.config).not.toBe(initial);
    expect(entry.init_config).toBe(initial);
    expect(await a.generate_reply({ messages: hi })).toBe("count 1");
    expect(await a.generate_reply({ messages: hi })).toBe("count 2");
    expect(initial).toEqual({ count: 0 });
    a.reset();
    expect(a._reply_func_list[0].config).toEqual({ count: 0 });
    expect(a._reply_func_list[0].config).not.toBe(initial);
    expect(await a.generate_reply({ messages: hi })).toBe("count 1");
  });

  it("class instances in config are kept by reference", () => {
    class Holder {
      value = 1;
    }
    const holder = new Holder();
    const a = never();
    a.register_reply([Agent, null], () => [false, null], { config: holder });
    expect(a._reply_func_list[0].config).toBe(holder);
  });

  it("reset() calls reset_config with the entry's config instead of copying", () => {
    const a = never();
    const calls: unknown[] = [];
    a.register_reply([Agent, null], () => [false, null], {
      config: { n: 5 },
      reset_config: (config) => {
        calls.push(config);
        (config as { n: number }).n = 0;
      },
    });
    const config = a._reply_func_list[0].config;
    a.reset();
    expect(calls).toEqual([config]);
    expect(calls[0]).toBe(config);
    expect(a._reply_func_list[0].config).toBe(config);
    expect(config).toEqual({ n: 0 });
  });

  it("reset() clears history, counters, reply_at_receive and usage", async () => {
    const model = new ScriptedModelClient([{ content: "hello", usage: { prompt_tokens: 3, completion_tokens: 2 } }, "bye"]);
    const a = new ConversableAgent("a", { human_input_mode: "NEVER", llm_config: model.llm_config() });
    const b = never("b", { max_consecutive_auto_reply: 1, default_auto_reply: "ok" });
    await capture(() => b.initiate_chat(a, { message: "hi" }));
    expect(a.chat_messages.get(b)?.map((m) => m.content)).toEqual(["hi", "hello", "ok", "bye"]);
    expect(a.get_total_usage()).not.toBeNull();
    expect(a._consecutive_auto_reply_counter.get(b)).toBe(2);
    expect(a.reply_at_receive.get(b)).toBe(true);
    a.reset();
    expect(a.chat_messages.size).toBe(0);
    expect(a._consecutive_auto_reply_counter.size).toBe(0);
    expect(a.reply_at_receive.size).toBe(0);
    expect(a.get_total_usage()).toBeNull();
    expect(a.get_actual_usage()).toBeNull();
    expect(a._reply_func_list).toHaveLength(4);
    model.assert_consumed();
  });
});

describe("register_reply details", () => {
  it("stores ignore_async_in_sync_chat (accepted, no effect) and rejects a non-function reply_func", async () => {
    const a = never();
    a.register_reply([Agent, null], () => [true, "x"], { ignore_async_in_sync_chat: true });
    expect(a._reply_func_list[0].ignore_async_in_sync_chat).toBe(true);
    expect(await a.generate_reply({ messages: hi })).toBe("x");
    const err = await caught(() => a.register_reply([Agent, null], "nope" as never));
    expect(err).toBeInstanceOf(ValueError);
    expect(err.message).toBe("reply_func must be a function, got string.");
  });

  it("an empty message list is treated as an empty message by the termination check", async () => {
    const a = never("a", { default_auto_reply: "auto" });
    expect(await a.generate_reply({ messages: [] })).toBe("auto");
    expect(await a.check_termination_and_human_reply({ messages: [] })).toEqual([false, null]);
  });

  it("a reply function registered while the chain runs is used from the next reply on", async () => {
    const a = never("a", { default_auto_reply: "default" });
    a.register_reply([Agent, null], (recipient) => {
      recipient.register_reply([Agent, null], () => [true, "late"], { position: 0 });
      return [false, null];
    });
    expect(await a.generate_reply({ messages: hi })).toBe("default");
    expect(await a.generate_reply({ messages: hi })).toBe("late");
  });
});
