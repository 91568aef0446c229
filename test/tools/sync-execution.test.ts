/**
 * Tool and function calls of synchronous tools answer without a promise (as
 * AG2's sync reply variants do), asynchronous ones with one, and an agent's
 * own execute_function override is still the one that runs.
 */
import { ConversableAgent, register_function, type Message } from "ag2ts";
import { ScriptedModelClient } from "ag2ts/testing";

const numbers = { type: "object", properties: { a: { type: "number" }, b: { type: "number" } }, required: ["a", "b"] };

function executorWith(fn: (args: { a: number; b: number }) => unknown, executor = new ConversableAgent("executor", { llm_config: false })): ConversableAgent {
  const caller = new ConversableAgent("caller", { llm_config: new ScriptedModelClient([]).llm_config() });
  register_function(fn as (args: unknown) => unknown, { caller, executor, name: "add", description: "adds", parameters: numbers });
  return executor;
}

const toolCall = (args: string): Message[] => [
  { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "add", arguments: args } }] },
];
const toolReply = (content: string) => [true, { role: "tool", tool_responses: [{ tool_call_id: "call_1", role: "tool", content }], content }];

describe("a tool call's reply", () => {
  test("of a synchronous tool is the reply itself, no promise", () => {
    const executor = executorWith(({ a, b }) => a + b);
    const reply = ConversableAgent.generate_tool_calls_reply(executor, toolCall('{"a": 2, "b": 3}'), null);
    expect(reply).toEqual(toolReply("5"));
  });

  test("of a synchronous tool that throws is the error text, no promise", () => {
    const executor = executorWith(() => {
      throw new Error("no adding today");
    });
    expect(ConversableAgent.generate_tool_calls_reply(executor, toolCall('{"a": 2, "b": 3}'), null)).toEqual(toolReply("Error: no adding today"));
  });

  test("of an asynchronous tool, or one that rejects, is a promise of the same reply", async () => {
    const ok = ConversableAgent.generate_tool_calls_reply(executorWith(async ({ a, b }) => a * b), toolCall('{"a": 2, "b": 3}'), null);
    expect(ok).toBeInstanceOf(Promise);
    expect(await ok).toEqual(toolReply("6"));
    const failing = ConversableAgent.generate_tool_calls_reply(executorWith(async () => Promise.reject(new Error("later"))), toolCall('{"a": 1, "b": 1}'), null);
    expect(failing).toBeInstanceOf(Promise);
    expect(await failing).toEqual(toolReply("Error: later"));
  });

  test("with arguments the schema rejects is the validation error the model sees", async () => {
    const executor = executorWith(({ a, b }) => a + b);
    const [ok, message] = (await ConversableAgent.generate_tool_calls_reply(executor, toolCall('{"a": "two"}'), null)) as [boolean, Message];
    expect(ok).toBe(true);
    expect(message.content).toBe("Error: arguments must have required property 'b', arguments/a must be number");
  });

  test("goes through an agent's own execute_function when it overrides the built-in one", async () => {
    const seen: string[] = [];
    class Auditing extends ConversableAgent {
      override async execute_function(call: { name?: string; arguments?: string }, options?: { verbose?: boolean; call_id?: string | null }) {
        seen.push(`${call.name}(${call.arguments}) ${options?.call_id ?? ""}`);
        return super.execute_function(call, options);
      }
    }
    const executor = executorWith(({ a, b }) => a + b, new Auditing("executor", { llm_config: false }));
    expect(await ConversableAgent.generate_tool_calls_reply(executor, toolCall('{"a": 4, "b": 5}'), null)).toEqual(toolReply("9"));
    expect(seen).toEqual(['add({"a": 4, "b": 5}) call_1']);
  });

  test("of a legacy function call of a synchronous function is the reply itself", () => {
    const executor = executorWith(({ a, b }) => a - b);
    const messages: Message[] = [{ role: "assistant", content: null, function_call: { name: "add", arguments: '{"a": 5, "b": 3}' } }];
    expect(ConversableAgent.generate_function_call_reply(executor, messages, null)).toEqual([true, { name: "add", role: "function", content: "2" }]);
  });
});

describe("a long tool loop of synchronous tools", () => {
  test("5000 tool rounds run to the end without a stack overflow, every result in order", async () => {
    const rounds = 5000;
    let turn = 0;
    const assistant = new ConversableAgent("assistant", { llm_config: false, human_input_mode: "NEVER", max_consecutive_auto_reply: 2 * rounds });
    assistant.register_reply([ConversableAgent, null], () => {
      turn += 1;
      if (turn > rounds) return [true, "TERMINATE"];
      return [true, { role: "assistant", content: null, tool_calls: [{ id: `call_${turn}`, type: "function", function: { name: "add", arguments: `{"a": ${turn}, "b": 1}` } }] }];
    });
    const executor = executorWith(({ a, b }) => a + b, new ConversableAgent("executor", { llm_config: false, human_input_mode: "NEVER", max_consecutive_auto_reply: 2 * rounds, is_termination_msg: (m) => m.content === "TERMINATE" }));
    const result = await executor.initiate_chat(assistant, { message: "go", silent: true });
    expect(result.chat_history).toHaveLength(2 * rounds + 2);
    const tools = result.chat_history.filter((m) => m.role === "tool");
    expect(tools).toHaveLength(rounds);
    expect(tools[0].content).toBe("2");
    expect(tools[rounds - 1].content).toBe(String(rounds + 1));
    expect(result.chat_history.at(-1)?.content).toBe("TERMINATE");
    expect(result.stop_reason).toBe("termination_msg");
  });
});
