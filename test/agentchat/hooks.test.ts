import { AssistantAgent, ConversableAgent, ValueError, type Agent, type Message } from "ag2ts";
import { ScriptedModelClient } from "ag2ts/testing";
import { block, capture, caught } from "./helpers";

function recordingAgent(name = "a") {
  const agent = new ConversableAgent(name, { human_input_mode: "NEVER" });
  const seen: Array<Message[] | null | undefined> = [];
  agent.register_reply([ConversableAgent, null], (_r, messages) => (seen.push(messages), [true, "done"]));
  return { agent, seen };
}

describe("register_hook", () => {
  it("registering the same hook twice throws", async () => {
    const a = new ConversableAgent("a");
    function myHook(content: string) {
      return content;
    }
    a.register_hook("process_last_received_message", myHook);
    const err = await caught(() => a.register_hook("process_last_received_message", myHook));
    expect(err).toBeInstanceOf(ValueError);
    expect(err.message).toBe("myHook is already registered as a hook.");
    expect(a.hook_lists.process_last_received_message).toEqual([myHook]);
    // The same function may sit in another list.
    a.register_hook("process_all_messages_before_reply", myHook);
    expect(a.hook_lists.process_all_messages_before_reply).toEqual([myHook]);
  });

  it("an unknown hook name throws", async () => {
    const a = new ConversableAgent("a");
    for (const name of ["safeguard_tool_inputs", "process_message", ""]) {
      const err = await caught(() => a.register_hook(name, () => null));
      expect(err).toBeInstanceOf(ValueError);
      expect(err.message).toBe(`${name} is not a hookable method.`);
    }
  });

  it("has the four hook lists, empty", () => {
    const a = new ConversableAgent("a");
    expect(Object.keys(a.hook_lists).sort()).toEqual([
      "process_all_messages_before_reply",
      "process_last_received_message",
      "process_message_before_send",
      "update_agent_state",
    ]);
    for (const list of Object.values(a.hook_lists)) expect(list).toEqual([]);
  });
});

describe("process_last_received_message", () => {
  it("changes what the LLM sees but not chat_messages", async () => {
    const model = new ScriptedModelClient(["seen"]);
    const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config() });
    assistant.register_hook("process_last_received_message", (content: string) => `${content} (processed)`);
    const user = new ConversableAgent("user", { human_input_mode: "NEVER", max_consecutive_auto_reply: 0 });
    const { io } = await capture(() => user.initiate_chat(assistant, { message: "hello" }));
    expect(model.requests[0].messages.at(-1)).toStrictEqual({ content: "hello (processed)", role: "user", name: "user" });
    expect(assistant.chat_messages.get(user)).toStrictEqual([
      { content: "hello", role: "user", name: "user" },
      { content: "seen", role: "assistant", name: "assistant" },
    ]);
    expect(io.output).toBe(block("user", "assistant", "hello") + block("assistant", "user", "seen"));
    model.assert_consumed();
  });

  it("hooks run in registration order and may be async; list content is passed through", async () => {
    const { agent, seen } = recordingAgent();
    agent.register_hook("process_last_received_message", async (content: unknown) =>
      Array.isArray(content) ? [...content, { type: "text", text: "+1" }] : `${content}+1`,
    );
    agent.register_hook("process_last_received_message", (content: unknown) =>
      Array.isArray(content) ? [...content, { type: "text", text: "+2" }] : `${content}+2`,
    );
    const stored: Message[] = [{ content: "first", role: "user" }, { content: "x", role: "user" }];
    await agent.generate_reply({ messages: stored });
    expect(seen[0]).toStrictEqual([{ content: "first", role: "user" }, { content: "x+1+2", role: "user" }]);
    expect(seen[0]).not.toBe(stored);
    expect(seen[0]?.[0]).toBe(stored[0]);
    expect(stored[1]).toStrictEqual({ content: "x", role: "user" });

    const parts: Message[] = [{ content: [{ type: "text", text: "p" }], role: "user" }];
    await agent.generate_reply({ messages: parts });
    expect(seen[1]?.[0].content).toStrictEqual([
      { type: "text", text: "p" },
      { type: "text", text: "+1" },
      { type: "text", text: "+2" },
    ]);
    expect(parts[0].content).toStrictEqual([{ type: "text", text: "p" }]);
  });

  it.each([
    ["content exit", { content: "exit", role: "user" }],
    ["a function_call", { content: "x", role: "assistant", function_call: { name: "f", arguments: "{}" } }],
    ["a context", { content: "x", role: "user", context: { a: 1 } }],
    ["no content key", { role: "assistant", tool_calls: [{ id: "1", function: { name: "f", arguments: "{}" } }] }],
    ["null content", { content: null, role: "assistant", tool_calls: [{ id: "1", function: { name: "f", arguments: "{}" } }] }],
  ])("is skipped for a last message with %s", async (_label, last) => {
    const { agent, seen } = recordingAgent();
    const calls: unknown[] = [];
    agent.register_hook("process_last_received_message", (content: unknown) => (calls.push(content), "changed"));
    const stored = [last as Message];
    await agent.generate_reply({ messages: stored });
    expect(calls).toEqual([]);
    expect(seen[0]).toBe(stored);
  });

  it("a hook that returns its input leaves the original list", async () => {
    const { agent, seen } = recordingAgent();
    agent.register_hook("process_last_received_message", (content: string) => content);
    const stored: Message[] = [{ content: "same", role: "user" }];
    await agent.generate_reply({ messages: stored });
    expect(seen[0]).toBe(stored);
  });
});

describe("process_all_messages_before_reply", () => {
  it("replaces the list given to reply functions, after process_last_received_message", async () => {
    const { agent, seen } = recordingAgent();
    const received: Message[][] = [];
    agent.register_hook("process_all_messages_before_reply", async (messages: Message[]) => {
      received.push(messages);
      return [{ content: "summary of all", role: "user" }, ...messages.slice(-1)];
    });
    agent.register_hook("process_last_received_message", (content: string) => content.toUpperCase());
    const stored: Message[] = [{ content: "one", role: "user" }, { content: "two", role: "user" }];
    await agent.generate_reply({ messages: stored });
    expect(received[0]).toStrictEqual([{ content: "one", role: "user" }, { content: "TWO", role: "user" }]);
    expect(seen[0]).toStrictEqual([{ content: "summary of all", role: "user" }, { content: "TWO", role: "user" }]);
    expect(stored).toStrictEqual([{ content: "one", role: "user" }, { content: "two", role: "user" }]);
  });

  it("runs on the stored conversation when only a sender is given", async () => {
    const { agent, seen } = recordingAgent();
    const b = new ConversableAgent("b");
    agent.register_hook("process_all_messages_before_reply", (messages: Message[]) => [...messages, { content: "extra", role: "user" }]);
    await capture(() => b.send("hi", agent));
    await agent.generate_reply({ sender: b });
    expect(seen[0]).toStrictEqual([{ content: "hi", role: "user", name: "b" }, { content: "extra", role: "user" }]);
    expect(agent.chat_messages.get(b)).toStrictEqual([{ content: "hi", role: "user", name: "b" }]);
  });
});

describe("update_agent_state", () => {
  it("runs first with (agent, messages) and can update the system message the LLM sees", async () => {
    const model = new ScriptedModelClient(["ok"]);
    const calls: Array<[ConversableAgent, Message[]]> = [];
    const agent = new ConversableAgent("a", {
      human_input_mode: "NEVER",
      llm_config: model.llm_config(),
      update_agent_state_before_reply: (self: ConversableAgent, messages: Message[]) => {
        calls.push([self, messages]);
        self.update_system_message(`You saw ${messages.length} message(s).`);
      },
    });
    expect(agent.hook_lists.update_agent_state).toHaveLength(1);
    const messages: Message[] = [{ content: "hi", role: "user" }];
    expect(await agent.generate_reply({ messages })).toBe("ok");
    expect(calls).toHaveLength(1);
    expect(calls[0][0]).toBe(agent);
    expect(calls[0][1]).toBe(messages);
    expect(model.requests[0].messages[0]).toStrictEqual({ content: "You saw 1 message(s).", role: "system" });
    expect(agent.system_message).toBe("You saw 1 message(s).");
  });
});

describe("process_message_before_send", () => {
  it("replaces the outgoing message on both sides and in the printout", async () => {
    const a = new ConversableAgent("a", { human_input_mode: "NEVER" });
    const b = new ConversableAgent("b", { human_input_mode: "NEVER" });
    const calls: Array<{ sender: Agent; message: unknown; recipient: Agent; silent: boolean }> = [];
    a.register_hook("process_message_before_send", (args: { sender: Agent; message: Message | string; recipient: Agent; silent: boolean }) => {
      calls.push(args);
      return `${args.message as string} [signed]`;
    });
    a.register_hook("process_message_before_send", async (args: { message: string }) => ({ content: args.message, name: "signer" }));
    const { io } = await capture(() => a.send("hello", b));
    expect(calls).toStrictEqual([{ sender: a, message: "hello", recipient: b, silent: false }]);
    expect(a.chat_messages.get(b)).toStrictEqual([{ content: "hello [signed]", name: "signer", role: "assistant" }]);
    expect(b.chat_messages.get(a)).toStrictEqual([{ content: "hello [signed]", name: "signer", role: "user" }]);
    expect(io.output).toBe(block("a", "b", "hello [signed]"));
  });

  it("receives the effective silent flag", async () => {
    const a = new ConversableAgent("a", { human_input_mode: "NEVER", silent: true });
    const b = new ConversableAgent("b", { human_input_mode: "NEVER" });
    const flags: boolean[] = [];
    a.register_hook("process_message_before_send", (args: { message: string; silent: boolean }) => (flags.push(args.silent), args.message));
    b.register_hook("process_message_before_send", (args: { message: string; silent: boolean }) => (flags.push(args.silent), args.message));
    await capture(async () => {
      await a.send("x", b, { silent: false });
      await b.send("y", a, { silent: true });
      await b.send("z", a);
    });
    expect(flags).toEqual([true, true, false]);
  });
});
