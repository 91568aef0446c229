import { AssistantAgent, IOStream, UserProxyAgent, register_function } from "ag2ts";
import { CapturingIOStream, ScriptedModelClient } from "ag2ts/testing";

const weatherSchema = {
  type: "object",
  properties: { city: { type: "string", description: "The city" }, unit: { type: "string", enum: ["C", "F"] } },
  required: ["city"],
};

function jsonErrorOf(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected invalid JSON");
}

describe("a chat where the model calls tools and the executor answers", () => {
  it("stores exact tool messages and sends them to the model in call order", async () => {
    // get_weather only finishes once add has started: the calls must run concurrently.
    let addStarted!: () => void;
    const addStartedPromise = new Promise<void>((resolve) => (addStarted = resolve));
    const calls: string[] = [];
    async function get_weather({ city, unit = "C" }: { city: string; unit?: "C" | "F" }): Promise<string> {
      calls.push(`get_weather ${city}`);
      const guard = new Promise<string>((resolve) => setTimeout(() => resolve("ran sequentially"), 5000).unref());
      const outcome = await Promise.race([addStartedPromise.then(() => "concurrent"), guard]);
      return `${city}: 20 ${unit} (${outcome})`;
    }
    function add({ a, b }: { a: number; b: number }): number {
      calls.push("add");
      addStarted();
      return a + b;
    }
    function explode(_: Record<string, never>): string {
      calls.push("explode");
      throw new Error("boom");
    }
    function stats(_: Record<string, never>): object {
      calls.push("stats");
      return { a: 1, label: "ünï" };
    }

    const model = new ScriptedModelClient([
      {
        tool_calls: [
          { id: "c1", name: "get_weather", arguments: { city: "Paris" } },
          { id: "c2", name: "add", arguments: { a: 1, b: 2 } },
        ],
      },
      {
        tool_calls: [
          { id: "c3", name: "get_weather", arguments: "{bad" },
          { id: "c4", name: "nope", arguments: {} },
          { id: "c5", name: "get_weather", arguments: { unit: "K" } },
          { id: "c6", name: "explode", arguments: {} },
          { id: "c7", name: "stats", arguments: {} },
        ],
      },
      "All done.",
    ]);
    const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config() });
    const user = new UserProxyAgent("user", { human_input_mode: "NEVER", code_execution_config: false });
    register_function(get_weather, { caller: assistant, executor: user, description: "Weather of a city", parameters: weatherSchema });
    const numbers = { type: "object", properties: { a: { type: "number" }, b: { type: "number" } }, required: ["a", "b"] };
    register_function(add, { caller: assistant, executor: user, description: "Adds", parameters: numbers });
    register_function(explode, { caller: assistant, executor: user, description: "Fails", parameters: { type: "object", properties: {} } });
    register_function(stats, { caller: assistant, executor: user, description: "Stats", parameters: { type: "object", properties: {} } });

    const io = new CapturingIOStream();
    const result = await IOStream.set_default(io, () => user.initiate_chat(assistant, { message: "Weather in Paris?", max_turns: 3 }));

    expect(calls).toEqual(["get_weather Paris", "add", "explode", "stats"]);
    const history = user.chat_messages_get(assistant);
    expect(result.chat_history).toEqual(history);
    expect(history).toHaveLength(6);
    const first = [
      { tool_call_id: "c1", role: "tool", content: "Paris: 20 C (concurrent)" },
      { tool_call_id: "c2", role: "tool", content: "3" },
    ];
    expect(history[2]).toEqual({ content: "Paris: 20 C (concurrent)\n\n3", tool_responses: first, role: "tool", name: "user" });
    const second = [
      { tool_call_id: "c3", role: "tool", content: `Error: ${jsonErrorOf("{bad")}\n The argument must be in JSON format.` },
      { tool_call_id: "c4", role: "tool", content: "Error: Function nope not found." },
      {
        tool_call_id: "c5",
        role: "tool",
        content: "Error: arguments must have required property 'city', arguments/unit must be equal to one of the allowed values",
      },
      { tool_call_id: "c6", role: "tool", content: "Error: boom" },
      { tool_call_id: "c7", role: "tool", content: '{"a":1,"label":"ünï"}' },
    ];
    expect(history[4]).toEqual({ content: second.map((r) => r.content).join("\n\n"), tool_responses: second, role: "tool", name: "user" });
    expect(history[5]).toEqual({ content: "All done.", role: "user", name: "assistant" });
    // The assistant's copy is the same messages.
    expect(assistant.chat_messages_get(user)[4]).toEqual(history[4]);

    // What the model receives next: each response unrolled, the role "tool" parent dropped.
    expect(model.requests).toHaveLength(3);
    const firstCalls = history[1].tool_calls;
    expect(model.requests[1].messages).toEqual([
      { content: AssistantAgent.DEFAULT_SYSTEM_MESSAGE, role: "system" },
      { content: "Weather in Paris?", role: "user", name: "user" },
      { content: null, tool_calls: firstCalls, role: "assistant" },
      ...first,
    ]);
    expect(model.requests[2].messages.slice(-6)).toEqual([{ content: null, tool_calls: history[3].tool_calls, role: "assistant" }, ...second]);
    model.assert_consumed();

    // Printed output: EXECUTING lines in call order although add finished first; only calls that ran print.
    expect(io.lines.filter((l) => l.startsWith(">>>>>>>> EXECUTING"))).toEqual([
      ">>>>>>>> EXECUTING ASYNC FUNCTION get_weather...",
      ">>>>>>>> EXECUTING FUNCTION add...",
      ">>>>>>>> EXECUTING FUNCTION explode...",
      ">>>>>>>> EXECUTING FUNCTION stats...",
    ]);
    expect(io.lines.filter((l) => l.startsWith("***** Response from calling tool"))).toEqual(
      ["c1", "c2", "c3", "c4", "c5", "c6", "c7"].map((id) => `***** Response from calling tool (${id}) *****`),
    );
  });

  it("prints a tool's own events grouped in call order even when a later call finishes first", async () => {
    const order: string[] = [];
    let releaseSlow!: () => void;
    const slowGate = new Promise<void>((resolve) => (releaseSlow = resolve));
    const user = new UserProxyAgent("user", { human_input_mode: "NEVER", code_execution_config: false });
    const log = new UserProxyAgent("log", { human_input_mode: "NEVER", code_execution_config: false });
    // Each tool prints a message; fast prints first in time.
    user.register_function({
      slow: async () => {
        await slowGate;
        await user.send("slow says", log, { request_reply: false });
        order.push("slow done");
        return "slow";
      },
      fast: async () => {
        await user.send("fast says", log, { request_reply: false });
        order.push("fast done");
        releaseSlow();
        return "fast";
      },
    });
    const io = new CapturingIOStream();
    const reply = await IOStream.set_default(io, () =>
      user.generate_tool_calls_reply({
        messages: [
          {
            content: null,
            role: "assistant",
            tool_calls: [
              { id: "s", type: "function", function: { name: "slow", arguments: "{}" } },
              { id: "f", type: "function", function: { name: "fast", arguments: "{}" } },
            ],
          },
        ],
      }),
    );
    expect(order).toEqual(["fast done", "slow done"]);
    expect(reply).toEqual([
      true,
      {
        role: "tool",
        tool_responses: [
          { tool_call_id: "s", role: "tool", content: "slow" },
          { tool_call_id: "f", role: "tool", content: "fast" },
        ],
        content: "slow\n\nfast",
      },
    ]);
    const rule = "-".repeat(80);
    expect(io.output).toBe(
      "\n>>>>>>>> EXECUTING ASYNC FUNCTION slow...\n" +
        `user (to log):\n\nslow says\n\n${rule}\n` +
        "\n>>>>>>>> EXECUTING ASYNC FUNCTION fast...\n" +
        `user (to log):\n\nfast says\n\n${rule}\n`,
    );
  });

  it("omits tool_call_id when the call has no id and answers nothing without tool calls", async () => {
    const user = new UserProxyAgent("user", { human_input_mode: "NEVER", code_execution_config: false });
    user.register_function({ echo: (args: { x: string }) => args.x });
    const io = new CapturingIOStream();
    const reply = await IOStream.set_default(io, () =>
      user.generate_tool_calls_reply({
        messages: [{ content: null, role: "assistant", tool_calls: [{ type: "function", function: { name: "echo", arguments: '{"x": "hi"}' } } as never] }],
      }),
    );
    expect(reply).toEqual([true, { role: "tool", tool_responses: [{ role: "tool", content: "hi" }], content: "hi" }]);
    expect(await user.generate_tool_calls_reply({ messages: [{ content: "no calls", role: "assistant" }] })).toEqual([false, null]);
  });
});
