import { AssistantAgent, ConversableAgent, type ConversableAgentOptions, type Message } from "ag2ts";
import { ScriptedModelClient } from "ag2ts/testing";
import { block, capture } from "./helpers";

const NO_INPUT = "\n>>>>>>>> NO HUMAN INPUT RECEIVED.\n";
const AUTO = "\n>>>>>>>> USING AUTO REPLY...\n";
const pAlways = (name: string, sender: string) =>
  `Replying as ${name}. Give feedback to ${sender}. Press enter to skip and use auto-reply, or type 'exit' to end the conversation: `;
const pAuto = (sender: string) =>
  `Give feedback to ${sender}. Press enter to skip and use auto-reply, or type 'exit' to stop the conversation: `;
const pStop = (sender: string) => `Give feedback to ${sender}. Press enter or type 'exit' to stop the conversation: `;

const msg = (content: string): Message[] => [{ content, role: "user", name: "b" }];
const contents = (messages: Message[] | undefined) => (messages ?? []).map((m) => m.content);

function assistantOn(script: string[]) {
  const model = new ScriptedModelClient(script);
  const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config() });
  return { model, assistant };
}

describe("NEVER mode", () => {
  it.each(["initiate_chat", "a_initiate_chat"] as const)(
    "with max 2 auto-replies stops after exactly 2 auto replies (%s)",
    async (entry) => {
      const { model, assistant } = assistantOn(["r1", "r2", "r3"]);
      const user = new ConversableAgent("user", { human_input_mode: "NEVER", max_consecutive_auto_reply: 2, default_auto_reply: "continue" });
      const { io, result } = await capture(() => user[entry](assistant, { message: "start" }));
      expect(contents(user.chat_messages.get(assistant))).toEqual(["start", "r1", "continue", "r2", "continue", "r3"]);
      expect(result.chat_history.filter((m) => m.content === "continue")).toHaveLength(2);
      expect(result.chat_history.map((m) => [m.role, m.name])).toEqual([
        ["assistant", "user"],
        ["user", "assistant"],
        ["assistant", "user"],
        ["user", "assistant"],
        ["assistant", "user"],
        ["user", "assistant"],
      ]);
      expect(io.output).toBe(
        block("user", "assistant", "start") +
          block("assistant", "user", "r1") +
          block("user", "assistant", "continue") +
          block("assistant", "user", "r2") +
          block("user", "assistant", "continue") +
          block("assistant", "user", "r3"),
      );
      expect(io.prompts).toEqual([]);
      expect(result.human_input).toEqual([]);
      // STOP resets the counter; the assistant counted its own three auto replies.
      expect(user._consecutive_auto_reply_counter.get(assistant)).toBe(0);
      expect(assistant._consecutive_auto_reply_counter.get(user)).toBe(3);
      model.assert_consumed();
    },
  );

  it('default termination: "TERMINATE" stops, "ok TERMINATE" does not', async () => {
    const a = new ConversableAgent("a", { human_input_mode: "NEVER", default_auto_reply: "auto" });
    expect(await a.generate_reply({ messages: msg("TERMINATE") })).toBeNull();
    expect(await a.generate_reply({ messages: msg("ok TERMINATE") })).toBe("auto");
    expect(await a.generate_reply({ messages: msg("TERMINATE ") })).toBe("auto");
    expect(await a.generate_reply({ messages: [{ content: [{ type: "text", text: "TERMINATE" }], role: "user" }] })).toBeNull();
  });

  it("a custom is_termination_msg is used", async () => {
    const a = new ConversableAgent("a", {
      human_input_mode: "NEVER",
      default_auto_reply: "auto",
      is_termination_msg: (m) => String(m.content).includes("DONE"),
    });
    expect(await a.generate_reply({ messages: msg("all DONE") })).toBeNull();
    expect(await a.generate_reply({ messages: msg("TERMINATE") })).toBe("auto");
  });

  it("keeps a counter per sender", async () => {
    const b = new ConversableAgent("b", { human_input_mode: "NEVER", max_consecutive_auto_reply: 1, default_auto_reply: "auto" });
    const x = new ConversableAgent("x");
    const y = new ConversableAgent("y");
    const { io } = await capture(async () => {
      expect(await b.generate_reply({ messages: msg("1"), sender: x })).toBe("auto");
      expect(b._consecutive_auto_reply_counter.get(x)).toBe(1);
      expect(await b.generate_reply({ messages: msg("2"), sender: x })).toBeNull();
      expect(b._consecutive_auto_reply_counter.get(x)).toBe(0);
      expect(await b.generate_reply({ messages: msg("3"), sender: y })).toBe("auto");
      expect(b._consecutive_auto_reply_counter.get(y)).toBe(1);
    });
    expect(io.output).toBe("");
    expect(b._max_consecutive_auto_reply_dict.get(x)).toBe(1);
  });

  it("max_consecutive_auto_reply 0 never auto-replies", async () => {
    const b = new ConversableAgent("b", { human_input_mode: "NEVER", max_consecutive_auto_reply: 0, default_auto_reply: "auto" });
    expect(await b.generate_reply({ messages: msg("hi"), sender: new ConversableAgent("x") })).toBeNull();
  });
});

describe("ALWAYS mode", () => {
  function always(options: ConversableAgentOptions = {}) {
    return new ConversableAgent("a", { human_input_mode: "ALWAYS", default_auto_reply: "auto", ...options });
  }
  const b = new ConversableAgent("b");

  it('"exit" ends the conversation', async () => {
    const a = always();
    const { io, result } = await capture(() => a.generate_reply({ messages: msg("hello"), sender: b }), ["exit"]);
    expect(result).toBeNull();
    expect(io.prompts).toEqual([pAlways("a", "b")]);
    expect(io.output).toBe("");
    expect(a._human_input).toEqual(["exit"]);
  });

  it('"exit" is case-sensitive', async () => {
    const a = always();
    const { result } = await capture(() => a.generate_reply({ messages: msg("hello"), sender: b }), ["Exit"]);
    expect(result).toEqual({ role: "user", content: "Exit" });
  });

  it('"" on a termination message ends the conversation after the no-input note', async () => {
    const a = always();
    const { io, result } = await capture(() => a.generate_reply({ messages: msg("TERMINATE"), sender: b }), [""]);
    expect(result).toBeNull();
    expect(io.output).toBe(NO_INPUT);
  });

  it('"" otherwise prints NO HUMAN INPUT RECEIVED then USING AUTO REPLY and auto-replies', async () => {
    const a = always();
    const { io, result } = await capture(() => a.generate_reply({ messages: msg("hello"), sender: b }), [""]);
    expect(result).toBe("auto");
    expect(io.output).toBe(NO_INPUT + AUTO);
    expect(a._consecutive_auto_reply_counter.get(b)).toBe(1);
    expect(a._human_input).toEqual([""]);
  });

  it("the notes are red on a colour stream", async () => {
    const a = always();
    const { io } = await capture(() => a.generate_reply({ messages: msg("hello"), sender: b }), [""], true);
    expect(io.output).toBe(
      "\x1b[31m\n>>>>>>>> NO HUMAN INPUT RECEIVED.\x1b[0m\n\x1b[31m\n>>>>>>>> USING AUTO REPLY...\x1b[0m\n",
    );
  });

  it("a human answer becomes a user message and resets the counter", async () => {
    const a = always();
    a._consecutive_auto_reply_counter.set(b, 5);
    const { result } = await capture(() => a.generate_reply({ messages: msg("TERMINATE"), sender: b }), ["keep going"]);
    expect(result).toStrictEqual({ role: "user", content: "keep going" });
    expect(a._consecutive_auto_reply_counter.get(b)).toBe(0);
  });

  it('without a sender the prompt says "the sender"', async () => {
    const a = always();
    const { io } = await capture(() => a.generate_reply({ messages: msg("hello") }), ["exit"]);
    expect(io.prompts).toEqual([pAlways("a", "the sender")]);
  });

  it("with max 0 an empty answer is an empty human reply", async () => {
    const a = always({ max_consecutive_auto_reply: 0 });
    const { io, result } = await capture(() => a.generate_reply({ messages: msg("hello"), sender: b }), [""]);
    expect(result).toStrictEqual({ role: "user", content: "" });
    expect(io.output).toBe(NO_INPUT);
  });

  it("runs a whole chat: human answer, empty answer (auto reply), exit", async () => {
    const { model, assistant } = assistantOn(["r1", "r2", "r3"]);
    const user = new ConversableAgent("user", { human_input_mode: "ALWAYS", default_auto_reply: "auto" });
    const { io, result } = await capture(() => user.initiate_chat(assistant, { message: "start" }), ["more please", "", "exit"]);
    expect(contents(result.chat_history)).toEqual(["start", "r1", "more please", "r2", "auto", "r3"]);
    expect(io.prompts).toEqual([pAlways("user", "assistant"), pAlways("user", "assistant"), pAlways("user", "assistant")]);
    expect(io.output).toBe(
      block("user", "assistant", "start") +
        block("assistant", "user", "r1") +
        block("user", "assistant", "more please") +
        block("assistant", "user", "r2") +
        NO_INPUT +
        AUTO +
        block("user", "assistant", "auto") +
        block("assistant", "user", "r3"),
    );
    expect(result.human_input).toEqual(["more please", "", "exit"]);
    expect(user._human_input).toEqual(["more please", "", "exit"]);
    model.assert_consumed();
  });
});

describe("TERMINATE mode", () => {
  it("prompts only at the limit or on a termination message", async () => {
    const { model, assistant } = assistantOn(["r1", "r2", "r3", "r4", "TERMINATE"]);
    const user = new ConversableAgent("user", { human_input_mode: "TERMINATE", max_consecutive_auto_reply: 2, default_auto_reply: "go on" });
    const { io, result } = await capture(() => user.initiate_chat(assistant, { message: "start" }), ["", "human words", ""]);
    expect(contents(result.chat_history)).toEqual([
      "start", "r1", "go on", "r2", "go on", "r3", "go on", "r4", "human words", "TERMINATE",
    ]);
    expect(io.prompts).toEqual([pAuto("assistant"), pAuto("assistant"), pStop("assistant")]);
    expect(io.output).toBe(
      block("user", "assistant", "start") +
        block("assistant", "user", "r1") +
        AUTO +
        block("user", "assistant", "go on") +
        block("assistant", "user", "r2") +
        AUTO +
        block("user", "assistant", "go on") +
        block("assistant", "user", "r3") +
        NO_INPUT +
        AUTO +
        block("user", "assistant", "go on") +
        block("assistant", "user", "r4") +
        block("user", "assistant", "human words") +
        block("assistant", "user", "TERMINATE") +
        NO_INPUT,
    );
    expect(result.human_input).toEqual(["", "human words", ""]);
    model.assert_consumed();
  });

  const b = new ConversableAgent("b");
  function terminateMode(max = 3) {
    return new ConversableAgent("a", { human_input_mode: "TERMINATE", max_consecutive_auto_reply: max, default_auto_reply: "auto" });
  }

  it("below the limit a termination message asks with the stop prompt", async () => {
    for (const [answer, expected] of [["", null], ["exit", null], ["Exit", { role: "user", content: "Exit" }], ["more", { role: "user", content: "more" }]] as const) {
      const a = terminateMode();
      const { io, result } = await capture(() => a.generate_reply({ messages: msg("TERMINATE"), sender: b }), [answer]);
      expect(io.prompts).toEqual([pStop("b")]);
      expect(result).toStrictEqual(expected);
      expect(io.output).toBe(answer === "" ? NO_INPUT : "");
    }
  });

  it("at the limit a termination message asks with the stop prompt; empty input stops", async () => {
    const a = terminateMode(1);
    a._consecutive_auto_reply_counter.set(b, 1);
    const { io, result } = await capture(() => a.generate_reply({ messages: msg("TERMINATE"), sender: b }), [""]);
    expect(io.prompts).toEqual([pStop("b")]);
    expect(result).toBeNull();
    expect(a._consecutive_auto_reply_counter.get(b)).toBe(0);
  });

  it("at the limit exit stops and a text answer is a human reply", async () => {
    const a = terminateMode(1);
    a._consecutive_auto_reply_counter.set(b, 1);
    const stop = await capture(() => a.generate_reply({ messages: msg("hello"), sender: b }), ["exit"]);
    expect(stop.io.prompts).toEqual([pAuto("b")]);
    expect(stop.result).toBeNull();
    a._consecutive_auto_reply_counter.set(b, 1);
    const human = await capture(() => a.generate_reply({ messages: msg("hello"), sender: b }), ["answer"]);
    expect(human.result).toStrictEqual({ role: "user", content: "answer" });
    expect(a._consecutive_auto_reply_counter.get(b)).toBe(0);
  });

  it("below the limit a normal message auto-replies without asking", async () => {
    const a = terminateMode();
    const { io, result } = await capture(() => a.generate_reply({ messages: msg("hello"), sender: b }));
    expect(result).toBe("auto");
    expect(io.prompts).toEqual([]);
    expect(io.output).toBe(AUTO);
  });

  it("max_consecutive_auto_reply 0 with an empty human answer sends an empty-content message", async () => {
    const { model, assistant } = assistantOn(["r1", "r2"]);
    const user = new ConversableAgent("user", { human_input_mode: "TERMINATE", max_consecutive_auto_reply: 0, default_auto_reply: "unused" });
    const { io, result } = await capture(() => user.initiate_chat(assistant, { message: "start" }), ["", "exit"]);
    expect(user.chat_messages.get(assistant)).toStrictEqual([
      { content: "start", role: "assistant", name: "user" },
      { content: "r1", role: "user", name: "assistant" },
      { content: "", role: "assistant", name: "user" },
      { content: "r2", role: "user", name: "assistant" },
    ]);
    expect(assistant.chat_messages.get(user)?.[2]).toStrictEqual({ content: "", role: "user", name: "user" });
    expect(io.prompts).toEqual([pAuto("assistant"), pAuto("assistant")]);
    expect(io.output).toBe(
      block("user", "assistant", "start") +
        block("assistant", "user", "r1") +
        NO_INPUT +
        block("user", "assistant", "") +
        block("assistant", "user", "r2"),
    );
    expect(result.human_input).toEqual(["", "exit"]);
    model.assert_consumed();
  });
});

describe("interrupted tool and function calls", () => {
  const b = new ConversableAgent("b");
  const tool_calls = [
    { id: "c1", type: "function" as const, function: { name: "add", arguments: "{}" } },
    { function: { name: "echo", arguments: "{}" } },
  ];

  it("a human reply to a tool-call message carries USER INTERRUPTED per call id", async () => {
    const a = new ConversableAgent("a", { human_input_mode: "ALWAYS" });
    const messages: Message[] = [{ content: null, tool_calls, role: "assistant" }];
    const { result } = await capture(() => a.check_termination_and_human_reply({ messages, sender: b }), ["stop that"]);
    expect(result).toStrictEqual([
      true,
      {
        role: "user",
        content: "stop that",
        tool_responses: [
          { role: "tool", tool_call_id: "c1", content: "USER INTERRUPTED" },
          { role: "tool", tool_call_id: "", content: "USER INTERRUPTED" },
        ],
      },
    ]);
  });

  it("a human reply to a function-call message carries a function response", async () => {
    const a = new ConversableAgent("a", { human_input_mode: "ALWAYS" });
    const messages: Message[] = [{ content: null, function_call: { name: "f", arguments: "{}" }, role: "assistant" }];
    const { result } = await capture(() => a.check_termination_and_human_reply({ messages, sender: b }), ["no"]);
    expect(result).toStrictEqual([
      true,
      { role: "user", content: "no", tool_responses: [{ role: "function", name: "f", content: "USER INTERRUPTED" }] },
    ]);
  });

  it("the interrupted reply is stored with its tool_responses on both sides", async () => {
    const model = new ScriptedModelClient([{ tool_calls: [{ id: "call_9", name: "add", arguments: { a: 1 } }] }, "ok"]);
    const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config() });
    const user = new ConversableAgent("user", { human_input_mode: "ALWAYS" });
    const { io } = await capture(() => user.initiate_chat(assistant, { message: "add" }), ["don't", "exit"]);
    const title = "***** Response from calling tool (call_9) *****";
    // A non-tool message with tool_responses prints each response block (no rule) before its content.
    expect(io.output).toContain(`user (to assistant):\n\n${title}\nUSER INTERRUPTED\n${"*".repeat(title.length)}\ndon't\n\n${"-".repeat(80)}\n`);
    const interrupted = { content: "don't", tool_responses: [{ role: "tool", tool_call_id: "call_9", content: "USER INTERRUPTED" }], name: "user" };
    expect(user.chat_messages.get(assistant)?.[2]).toStrictEqual({ ...interrupted, role: "assistant" });
    expect(assistant.chat_messages.get(user)?.[2]).toStrictEqual({ ...interrupted, role: "user" });
    // The model saw the response unrolled before the message itself.
    expect(model.requests[1].messages.slice(-2)).toStrictEqual([
      { role: "tool", tool_call_id: "call_9", content: "USER INTERRUPTED" },
      { content: "don't", name: "user", role: "user" },
    ]);
    model.assert_consumed();
  });
});

describe("human input plumbing", () => {
  it("get_human_input reads from the IOStream and records every answer, empty ones included", async () => {
    const a = new ConversableAgent("a");
    const { io, result } = await capture(async () => [await a.get_human_input("p1"), await a.a_get_human_input("p2")], ["x", ""]);
    expect(result).toEqual(["x", ""]);
    expect(io.prompts).toEqual(["p1", "p2"]);
    expect(a._human_input).toEqual(["x", ""]);
  });

  it("an instance override of get_human_input is used by the termination check", async () => {
    const a = new ConversableAgent("a", { human_input_mode: "ALWAYS" });
    const prompts: string[] = [];
    a.get_human_input = async (prompt: string) => (prompts.push(prompt), "overridden");
    const { io, result } = await capture(() => a.generate_reply({ messages: msg("hi"), sender: new ConversableAgent("b") }));
    expect(result).toStrictEqual({ role: "user", content: "overridden" });
    expect(prompts).toEqual([pAlways("a", "b")]);
    expect(io.prompts).toEqual([]);
  });

  it("an instance override of a_get_human_input is used too", async () => {
    const a = new ConversableAgent("a", { human_input_mode: "ALWAYS" });
    a.a_get_human_input = async () => "async override";
    const { result } = await capture(() => a.generate_reply({ messages: msg("hi"), sender: new ConversableAgent("b") }));
    expect(result).toStrictEqual({ role: "user", content: "async override" });
  });

  it("a subclass override is used, and message null reads the first message with prompt '>'", async () => {
    class Scripted extends ConversableAgent {
      answers = ["first words", "exit"];
      async get_human_input(prompt: string): Promise<string> {
        const answer = this.answers.shift() as string;
        this._human_input.push(`${prompt}|${answer}`);
        return answer;
      }
    }
    const { model, assistant } = assistantOn(["r1"]);
    const user = new Scripted("user", { human_input_mode: "ALWAYS" });
    const { result } = await capture(() => user.initiate_chat(assistant, { message: null }));
    expect(contents(result.chat_history)).toEqual(["first words", "r1"]);
    expect(result.human_input).toEqual([">|first words", `${pAlways("user", "assistant")}|exit`]);
    model.assert_consumed();
  });
});

describe("counter helpers", () => {
  it("update / read max_consecutive_auto_reply per sender and agent-wide", () => {
    const a = new ConversableAgent("a", { max_consecutive_auto_reply: 4 });
    const x = new ConversableAgent("x");
    const y = new ConversableAgent("y");
    expect(a.max_consecutive_auto_reply(x)).toBe(4);
    expect(a._max_consecutive_auto_reply_dict.get(x)).toBe(4);
    a.update_max_consecutive_auto_reply(1, { sender: y });
    expect(a.max_consecutive_auto_reply({ sender: y })).toBe(1);
    a.update_max_consecutive_auto_reply(7);
    expect(a.max_consecutive_auto_reply()).toBe(7);
    expect(a.max_consecutive_auto_reply(x)).toBe(7);
    expect(a.max_consecutive_auto_reply(y)).toBe(7);
    a.update_max_consecutive_auto_reply(2, x);
    expect(a.max_consecutive_auto_reply(x)).toBe(2);
    expect(a.max_consecutive_auto_reply(y)).toBe(7);
  });

  it("reset_consecutive_auto_reply_counter and stop_reply_at_receive, per sender or all", () => {
    const a = new ConversableAgent("a");
    const x = new ConversableAgent("x");
    const y = new ConversableAgent("y");
    a._consecutive_auto_reply_counter.set(x, 3).set(y, 2);
    a.reset_consecutive_auto_reply_counter(x);
    expect([...a._consecutive_auto_reply_counter.entries()]).toEqual([[x, 0], [y, 2]]);
    a.reset_consecutive_auto_reply_counter({ sender: y });
    expect(a._consecutive_auto_reply_counter.get(y)).toBe(0);
    a.reset_consecutive_auto_reply_counter();
    expect(a._consecutive_auto_reply_counter.size).toBe(0);

    a.reply_at_receive.set(x, true).set(y, true);
    a.stop_reply_at_receive(x);
    expect([...a.reply_at_receive.entries()]).toEqual([[x, false], [y, true]]);
    a.stop_reply_at_receive();
    expect(a.reply_at_receive.size).toBe(0);
  });
});
