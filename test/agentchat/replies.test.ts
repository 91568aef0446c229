import { AssistantAgent, ConversableAgent, OpenAIWrapper, ValueError, set_logger, type Message } from "ag2ts";
import { ScriptedModelClient } from "ag2ts/testing";
import { block, capture, caught, RULE } from "./helpers";

const stars = (title: string) => "*".repeat(title.length);
const toolBlock = (id: string, content: string) => {
  const title = `***** Response from calling tool (${id}) *****`;
  return `${title}\n${content}\n${stars(title)}\n\n${RULE}\n`;
};
const suggested = (id: string, name: string, args: string) => {
  const title = `***** Suggested tool call (${id}): ${name} *****`;
  return `${title}\nArguments: \n${args}\n${stars(title)}\n`;
};
const executing = (name: string) => `\n>>>>>>>> EXECUTING FUNCTION ${name}...\n`;

function executor(name = "executor") {
  return new ConversableAgent(name, {
    human_input_mode: "NEVER",
    function_map: {
      add: ({ a, b }: { a: number; b: number }) => a + b,
      echo: ({ text }: { text: string }) => text,
      boom: () => {
        throw new Error("boom");
      },
    },
  });
}

const call = (id: string | undefined, name: string, args: string) =>
  id === undefined ? { function: { name, arguments: args } } : { id, type: "function" as const, function: { name, arguments: args } };

describe("generate_tool_calls_reply", () => {
  it("two calls produce one tool message with two responses joined by a blank line", async () => {
    const agent = executor();
    const messages: Message[] = [
      { content: null, role: "assistant", tool_calls: [call("c1", "add", '{"a":1,"b":2}'), call("c2", "echo", '{"text":"hello"}')] },
    ];
    const { io, result } = await capture(() => agent.generate_tool_calls_reply({ messages }));
    expect(result).toStrictEqual([
      true,
      {
        role: "tool",
        tool_responses: [
          { tool_call_id: "c1", role: "tool", content: "3" },
          { tool_call_id: "c2", role: "tool", content: "hello" },
        ],
        content: "3\n\nhello",
      },
    ]);
    expect(io.output).toBe(executing("add") + executing("echo"));
  });

  it("a call without id yields a response without tool_call_id", async () => {
    const agent = executor();
    const messages: Message[] = [{ content: null, role: "assistant", tool_calls: [call(undefined, "echo", '{"text":"x"}')] }];
    const { result } = await capture(() => agent.a_generate_tool_calls_reply({ messages }));
    expect(result).toStrictEqual([true, { role: "tool", tool_responses: [{ role: "tool", content: "x" }], content: "x" }]);
    expect((result[1] as Message).tool_responses?.[0]).not.toHaveProperty("tool_call_id");
  });

  it("tool errors become Error: contents and never throw", async () => {
    const agent = executor();
    const messages: Message[] = [
      {
        content: null,
        role: "assistant",
        tool_calls: [call("c1", "nope", "{}"), call("c2", "boom", "{}"), call("c3", "add", "{bad json")],
      },
    ];
    const { result } = await capture(() => agent.generate_tool_calls_reply({ messages }));
    const reply = result[1] as Message;
    const contents = (reply.tool_responses ?? []).map((r) => r.content);
    expect(contents[0]).toBe("Error: Function nope not found.");
    expect(contents[1]).toBe("Error: boom");
    expect(contents[2].startsWith("Error: ")).toBe(true);
    expect(contents[2].endsWith("\n The argument must be in JSON format.")).toBe(true);
    expect(reply.content).toBe(contents.join("\n\n"));
  });

  it("runs the calls concurrently (issue #4) and keeps results and output in call order", async () => {
    const events: string[] = [];
    const agent = new ConversableAgent("x", {
      human_input_mode: "NEVER",
      function_map: {
        slow: async () => {
          events.push("slow start");
          await new Promise((resolve) => setTimeout(resolve, 20));
          events.push("slow end");
          return "s";
        },
        fast: async () => {
          events.push("fast");
          return "f";
        },
      },
    });
    const messages: Message[] = [{ content: null, role: "assistant", tool_calls: [call("1", "slow", "{}"), call("2", "fast", "{}")] }];
    const { io, result } = await capture(() => agent.generate_tool_calls_reply({ messages }));
    expect(events).toEqual(["slow start", "fast", "slow end"]);
    expect((result[1] as Message).content).toBe("s\n\nf");
    expect(io.output).toBe("\n>>>>>>>> EXECUTING ASYNC FUNCTION slow...\n\n>>>>>>>> EXECUTING ASYNC FUNCTION fast...\n");
  });

  it("a message without tool calls is not final", async () => {
    const agent = executor();
    expect(await agent.generate_tool_calls_reply({ messages: [{ content: "hi", role: "user" }] })).toEqual([false, null]);
    expect(await agent.generate_tool_calls_reply({ messages: [] })).toEqual([false, null]);
  });
});

describe("generate_function_call_reply", () => {
  it("runs the function call of the last message", async () => {
    const agent = executor();
    const messages: Message[] = [{ content: null, role: "assistant", function_call: { name: "add", arguments: '{"a":2,"b":5}' } }];
    const { io, result } = await capture(() => agent.generate_function_call_reply({ messages }));
    expect(result).toStrictEqual([true, { name: "add", role: "function", content: "7" }]);
    expect(io.output).toBe(executing("add"));
  });

  it("answers an unknown function with an error message", async () => {
    const agent = executor();
    const messages: Message[] = [{ content: null, role: "assistant", function_call: { name: "nope", arguments: "{}" } }];
    const { io, result } = await capture(() => agent.a_generate_function_call_reply({ messages }));
    expect(result).toStrictEqual([true, { name: "nope", role: "function", content: "Error: Function nope not found." }]);
    expect(io.output).toBe("");
  });

  it("is not final without a function call", async () => {
    expect(await executor().generate_function_call_reply({ messages: [{ content: "x" }] })).toEqual([false, null]);
  });

  it("in a chat the function result is stored and printed with role function", async () => {
    const model = new ScriptedModelClient([{ function_call: { name: "add", arguments: { a: 1, b: 1 } } }, "TERMINATE"]);
    const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config() });
    const user = executor("user");
    const { io, result } = await capture(() => user.initiate_chat(assistant, { message: "1+1?" }));
    expect(result.chat_history).toStrictEqual([
      { content: "1+1?", role: "assistant", name: "user" },
      { content: null, function_call: { name: "add", arguments: '{"a":1,"b":1}' }, role: "assistant" },
      { content: "2", name: "add", role: "function" },
      { content: "TERMINATE", role: "user", name: "assistant" },
    ]);
    const suggestedTitle = "***** Suggested function call: add *****";
    const responseTitle = "***** Response from calling function (add) *****";
    expect(io.output).toBe(
      block("user", "assistant", "1+1?") +
        `assistant (to user):\n\n${suggestedTitle}\nArguments: \n{"a":1,"b":1}\n${stars(suggestedTitle)}\n\n${RULE}\n` +
        executing("add") +
        `user (to assistant):\n\n${responseTitle}\n2\n${stars(responseTitle)}\n\n${RULE}\n` +
        block("assistant", "user", "TERMINATE"),
    );
    expect(model.requests[1].messages.slice(1)).toStrictEqual([
      { content: "1+1?", role: "user", name: "user" },
      { content: null, function_call: { name: "add", arguments: '{"a":1,"b":1}' }, role: "assistant" },
      { content: "2", name: "add", role: "function" },
    ]);
    model.assert_consumed();
  });
});

describe("a tool-calling chat", () => {
  it("stores, prints and sends tool calls and their responses", async () => {
    const model = new ScriptedModelClient([
      { tool_calls: [{ id: "c1", name: "add", arguments: { a: 1, b: 2 } }, { id: "c2", name: "echo", arguments: { text: "hello" } }] },
      "TERMINATE",
    ]);
    const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config() });
    const user = executor("user");
    const { io, result } = await capture(() => user.initiate_chat(assistant, { message: "compute" }));
    const tool_calls = [
      { id: "c1", type: "function", function: { name: "add", arguments: '{"a":1,"b":2}' } },
      { id: "c2", type: "function", function: { name: "echo", arguments: '{"text":"hello"}' } },
    ];
    const tool_responses = [
      { tool_call_id: "c1", role: "tool", content: "3" },
      { tool_call_id: "c2", role: "tool", content: "hello" },
    ];
    expect(result.chat_history).toStrictEqual([
      { content: "compute", role: "assistant", name: "user" },
      { content: null, tool_calls, role: "assistant" },
      { content: "3\n\nhello", tool_responses, name: "user", role: "tool" },
      { content: "TERMINATE", role: "user", name: "assistant" },
    ]);
    expect(io.output).toBe(
      block("user", "assistant", "compute") +
        "assistant (to user):\n\n" +
        suggested("c1", "add", '{"a":1,"b":2}') +
        suggested("c2", "echo", '{"text":"hello"}') +
        `\n${RULE}\n` +
        executing("add") +
        executing("echo") +
        "user (to assistant):\n\n" +
        toolBlock("c1", "3") +
        toolBlock("c2", "hello") +
        block("assistant", "user", "TERMINATE"),
    );
    // The tool message is unrolled into its responses; the role-tool parent is not sent.
    expect(model.requests[1].messages).toStrictEqual([
      { content: AssistantAgent.DEFAULT_SYSTEM_MESSAGE, role: "system" },
      { content: "compute", role: "user", name: "user" },
      { content: null, tool_calls, role: "assistant" },
      ...tool_responses,
    ]);
    model.assert_consumed();
  });
});

describe("generate_oai_reply", () => {
  it("sends the system message first and unrolls tool_responses", async () => {
    const model = new ScriptedModelClient(["answer"]);
    const agent = new ConversableAgent("a", { llm_config: model.llm_config(), system_message: "Be brief." });
    const history: Message[] = [
      { content: "q", role: "user", name: "u" },
      { content: null, role: "assistant", tool_calls: [call("c1", "add", "{}"), call("c2", "echo", "{}")] },
      {
        content: "3\n\nx",
        role: "tool",
        name: "u",
        tool_responses: [
          { tool_call_id: "c1", role: "tool", content: "3" },
          { tool_call_id: "c2", role: "tool", content: "x" },
        ],
      },
      {
        content: "stop",
        role: "user",
        name: "u",
        tool_responses: [{ tool_call_id: "c3", role: "tool", content: "USER INTERRUPTED" }],
      },
      { content: "last", role: "user", name: "u", context: { k: "v" } },
    ];
    const before = JSON.parse(JSON.stringify(history));
    expect(await agent.generate_oai_reply({ messages: history })).toEqual([true, "answer"]);
    expect(model.requests[0].messages).toStrictEqual([
      { content: "Be brief.", role: "system" },
      { content: "q", role: "user", name: "u" },
      { content: null, role: "assistant", tool_calls: [call("c1", "add", "{}"), call("c2", "echo", "{}")] },
      { tool_call_id: "c1", role: "tool", content: "3" },
      { tool_call_id: "c2", role: "tool", content: "x" },
      { tool_call_id: "c3", role: "tool", content: "USER INTERRUPTED" },
      { content: "stop", role: "user", name: "u" },
      { content: "last", role: "user", name: "u" },
    ]);
    // The context is read, not popped from history.
    expect(history).toStrictEqual(before);
  });

  it("sends an empty system message too", async () => {
    const model = new ScriptedModelClient(["ok"]);
    const agent = new ConversableAgent("a", { llm_config: model.llm_config(), system_message: "" });
    await agent.generate_oai_reply({ messages: [{ content: "hi", role: "user" }] });
    expect(model.requests[0].messages[0]).toStrictEqual({ content: "", role: "system" });
  });

  it("without a client it is not final; a config client is used instead of the agent's", async () => {
    const plain = new ConversableAgent("a");
    expect(await plain.generate_oai_reply({ messages: [{ content: "hi", role: "user" }] })).toEqual([false, null]);
    const model = new ScriptedModelClient(["from config"]);
    const wrapper = new OpenAIWrapper(model.llm_config());
    expect(await plain.generate_oai_reply({ messages: [{ content: "hi", role: "user" }], config: wrapper })).toEqual([true, "from config"]);
  });

  it('normalises an LLM tool name "my tool!" to "my_tool_" and a function_call name too', async () => {
    const model = new ScriptedModelClient([
      { tool_calls: [{ id: "t1", name: "my tool!", arguments: { q: 1 } }] },
      { function_call: { name: "get weather", arguments: "{}" } },
    ]);
    const agent = new ConversableAgent("a", { llm_config: model.llm_config() });
    const messages: Message[] = [{ content: "hi", role: "user" }];
    expect(await agent.generate_oai_reply({ messages })).toStrictEqual([
      true,
      { role: "assistant", content: null, tool_calls: [{ id: "t1", type: "function", function: { name: "my_tool_", arguments: '{"q":1}' } }] },
    ]);
    expect(await agent.generate_oai_reply({ messages })).toStrictEqual([
      true,
      { role: "assistant", content: null, function_call: { name: "get_weather", arguments: "{}" } },
    ]);
    model.assert_consumed();
  });

  it("an LLM reply with null content and no tool calls makes the agent send default_auto_reply", async () => {
    const warnings: string[] = [];
    set_logger((_level, message) => warnings.push(message));
    try {
      const model = new ScriptedModelClient([{ content: null }]);
      const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config(), default_auto_reply: "I have nothing to add." });
      const user = new ConversableAgent("user", { human_input_mode: "NEVER", max_consecutive_auto_reply: 0 });
      const { io } = await capture(() => user.initiate_chat(assistant, { message: "hi" }));
      expect(user.chat_messages.get(assistant)).toStrictEqual([
        { content: "hi", role: "assistant", name: "user" },
        { content: "I have nothing to add.", role: "user", name: "assistant" },
      ]);
      expect(io.output).toBe(block("user", "assistant", "hi") + block("assistant", "user", "I have nothing to add."));
      model.assert_consumed();
    } finally {
      set_logger(null);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0].startsWith("Extracted_response from ")).toBe(true);
    expect(warnings[0].endsWith(" is None.")).toBe(true);
  });
});

describe("name helpers", () => {
  it("_normalize_name replaces invalid characters and cuts to 64", () => {
    expect(ConversableAgent._normalize_name("my tool!")).toBe("my_tool_");
    expect(ConversableAgent._normalize_name("ok-name_1")).toBe("ok-name_1");
    expect(ConversableAgent._normalize_name("x".repeat(70))).toBe("x".repeat(64));
  });

  it("_assert_valid_name rejects invalid and long names", async () => {
    expect(ConversableAgent._assert_valid_name("good_name-1")).toBe("good_name-1");
    const bad = await caught(() => ConversableAgent._assert_valid_name("bad name"));
    expect(bad).toBeInstanceOf(ValueError);
    expect(bad.message).toBe("Invalid name: bad name. Only letters, numbers, '_' and '-' are allowed.");
    const long = await caught(() => ConversableAgent._assert_valid_name("y".repeat(65)));
    expect(long.message).toBe(`Invalid name: ${"y".repeat(65)}. Name must be less than 64 characters.`);
  });
});

describe("generate_oai_reply cleans the extracted message", () => {
  it("drops null tool-call ids and types, null keys and an empty tool_calls list", async () => {
    const replies: Array<Record<string, unknown>> = [
      {
        role: "assistant",
        content: null,
        refusal: null,
        tool_calls: [{ id: null, type: null, function: { name: "look up", arguments: "{}" } }],
      },
      { role: "assistant", content: "plain", tool_calls: [], function_call: { name: "f n", arguments: "{}" } },
    ];
    const client = {
      create: () => ({ model: "m", choices: [{ message: replies.shift() as { content: string | null } }] }),
      message_retrieval: (response: { choices: Array<{ message: unknown }> }) => response.choices.map((c) => c.message as Message),
      cost: () => 0,
    };
    const agent = new ConversableAgent("a", { llm_config: { config_list: [{ model: "m", model_client: client }] } });
    const messages: Message[] = [{ content: "hi", role: "user" }];
    expect(await agent.generate_oai_reply({ messages })).toStrictEqual([
      true,
      { role: "assistant", content: null, tool_calls: [{ function: { name: "look_up", arguments: "{}" } }] },
    ]);
    expect(await agent.generate_oai_reply({ messages })).toStrictEqual([
      true,
      { role: "assistant", content: "plain", function_call: { name: "f_n", arguments: "{}" } },
    ]);
  });
});
