import { ConversableAgent, IOStream, RuntimeError, ValueError, register_function, register_tool_schemas, clear_tool_schemas, set_logger } from "ag2ts";
import { CapturingIOStream, ScriptedModelClient } from "ag2ts/testing";
import { z } from "zod";

const weatherSchema = {
  type: "object",
  properties: {
    city: { type: "string", description: "The city" },
    unit: { type: "string", enum: ["C", "F"], default: "C" },
  },
  required: ["city"],
};

// A fresh function object per test: metadata is kept per function object.
let getWeather: (args: { city: string; unit?: "C" | "F" }) => string;
beforeEach(() => {
  getWeather = function getWeather({ city, unit = "C" }: { city: string; unit?: "C" | "F" }): string {
    return `${city}: 20 ${unit}`;
  };
});

let warnings: string[] = [];
beforeEach(() => {
  warnings = [];
  set_logger((level, message) => warnings.push(`${level}: ${message}`));
  clear_tool_schemas();
});
afterAll(() => set_logger(null));

function makeCaller(model = new ScriptedModelClient([])): ConversableAgent {
  return new ConversableAgent("caller", { llm_config: model.llm_config() });
}

describe("register_for_llm", () => {
  it("adds the tool to llm_config.tools and returns the function", () => {
    const caller = makeCaller();
    const returned = caller.register_for_llm({ description: "Get the weather", parameters: weatherSchema })(getWeather);
    expect(returned).toBe(getWeather);
    expect(caller.llm_config && caller.llm_config.tools).toEqual([
      {
        type: "function",
        function: {
          name: "getWeather",
          description: "Get the weather",
          parameters: {
            type: "object",
            properties: {
              city: { type: "string", description: "The city" },
              unit: { type: "string", enum: ["C", "F"], default: "C", description: "unit" },
            },
            required: ["city"],
          },
        },
      },
    ]);
    // The caller's own schema object is not mutated.
    expect((weatherSchema.properties.unit as Record<string, unknown>).description).toBeUndefined();
  });

  it("sends the tools to the model", async () => {
    const model = new ScriptedModelClient(["ok"]);
    const caller = makeCaller(model);
    caller.register_for_llm({ description: "Get the weather", parameters: weatherSchema })(getWeather);
    const other = new ConversableAgent("other", { llm_config: false, human_input_mode: "NEVER" });
    await IOStream.set_default(new CapturingIOStream(), () => other.initiate_chat(caller, { message: "hi", max_turns: 1 }));
    expect(model.requests[0].tools).toEqual((caller.llm_config as { tools: unknown[] }).tools);
  });

  it("requires a description on the first registration", () => {
    const caller = makeCaller();
    expect(() => caller.register_for_llm({ parameters: weatherSchema })(getWeather)).toThrow(new ValueError("Function description is required, none found."));
  });

  it("uses the inner function object with api_style function", () => {
    const caller = makeCaller();
    caller.register_for_llm({ description: "d", api_style: "function", parameters: weatherSchema })(getWeather);
    const config = caller.llm_config as Record<string, unknown>;
    expect(config.tools).toBeUndefined();
    expect(config.functions).toEqual([
      { name: "getWeather", description: "d", parameters: expect.objectContaining({ required: ["city"] }) },
    ]);
  });

  it("rejects an unknown api_style", () => {
    const caller = makeCaller();
    expect(() => caller.register_for_llm({ description: "d", api_style: "x" as never, parameters: weatherSchema })(getWeather)).toThrow(
      new ValueError("Unsupported API style: x"),
    );
  });

  it("throws on an agent without llm_config", () => {
    const agent = new ConversableAgent("plain", { llm_config: false });
    expect(() => agent.register_for_llm({ description: "d", parameters: weatherSchema })(getWeather)).toThrow(
      new RuntimeError("LLM config must be setup before registering a function for LLM."),
    );
  });

  it("warns once when the same name is registered twice and keeps one tool, now last", () => {
    const caller = makeCaller();
    const other = (_: { x: number }) => "x";
    caller.register_for_llm({ description: "first", parameters: weatherSchema })(getWeather);
    caller.register_for_llm({ description: "other", parameters: { type: "object", properties: { x: { type: "number" } } } })(other);
    caller.register_for_llm({ description: "second", parameters: weatherSchema })(getWeather);
    const tools = (caller.llm_config as { tools: Array<{ function: { name: string; description: string } }> }).tools;
    expect(tools.map((t) => [t.function.name, t.function.description])).toEqual([
      ["other", "other"],
      ["getWeather", "second"],
    ]);
    expect(warnings).toEqual(["warning: Function 'getWeather' is being overridden."]);
    caller.register_for_llm({ description: "third", parameters: weatherSchema, silent_override: true })(getWeather);
    expect(warnings).toHaveLength(1);
  });

  it("describes a property without description by its name; optional properties are not required", () => {
    const caller = makeCaller();
    caller.register_for_llm({
      name: "lookup",
      description: "d",
      parameters: { type: "object", properties: { a: { type: "string" }, b: { type: "integer" } }, required: ["a"] },
    })(() => "");
    expect((caller.llm_config as { tools: unknown[] }).tools[0]).toEqual({
      type: "function",
      function: {
        name: "lookup",
        description: "d",
        parameters: {
          type: "object",
          properties: { a: { type: "string", description: "a" }, b: { type: "integer", description: "b" } },
          required: ["a"],
        },
      },
    });
  });

  it("carries name, description and schema from an earlier registration (metadata)", () => {
    const first = makeCaller();
    const second = makeCaller();
    first.register_for_llm({ name: "weather", description: "Get the weather", parameters: weatherSchema })(getWeather);
    second.register_for_llm()(getWeather);
    expect((second.llm_config as { tools: unknown[] }).tools).toEqual((first.llm_config as { tools: unknown[] }).tools);
  });

  it("takes schema and description from register_tool_schemas", () => {
    register_tool_schemas(JSON.stringify({ getWeather: { description: "From JSDoc", parameters: weatherSchema } }));
    const caller = makeCaller();
    caller.register_for_llm()(getWeather);
    const tool = (caller.llm_config as { tools: Array<{ function: Record<string, unknown> }> }).tools[0];
    expect(tool.function.description).toBe("From JSDoc");
    expect(tool.function.parameters).toEqual({ ...weatherSchema, properties: { ...weatherSchema.properties, unit: { ...weatherSchema.properties.unit, description: "unit" } } });
  });

  it("throws a TypeError when no schema is known", () => {
    const caller = makeCaller();
    const mystery = (_: { q: string }) => "";
    expect(() => caller.register_for_llm({ description: "d" })(mystery)).toThrow(
      new TypeError("Cannot determine the JSON schema of tool 'mystery': pass `parameters` or generate schemas"),
    );
  });

  it("rejects an anonymous function's empty name", () => {
    const caller = makeCaller();
    expect(() => caller.register_for_llm({ description: "d", parameters: weatherSchema })(((a: unknown) => a) as never)).toThrow(
      new ValueError("Invalid name: . Only letters, numbers, '_' and '-' are allowed."),
    );
  });

  it("accepts a zod v4 schema as parameters", () => {
    const caller = makeCaller();
    caller.register_for_llm({
      description: "d",
      parameters: z.object({ city: z.string().describe("The city"), unit: z.enum(["C", "F"]).optional() }),
    })(getWeather);
    expect((caller.llm_config as { tools: Array<{ function: Record<string, unknown> }> }).tools[0].function.parameters).toEqual({
      type: "object",
      properties: { city: { type: "string", description: "The city" }, unit: { type: "string", enum: ["C", "F"], description: "unit" } },
      required: ["city"],
      additionalProperties: false,
    });
  });

  it("names an unknown option", () => {
    const caller = makeCaller();
    expect(() => caller.register_for_llm({ descripton: "d" } as never)).toThrow("register_for_llm: unknown option 'descripton'. Did you mean 'description'?");
  });
});

describe("register_for_execution and the function map", () => {
  it("puts a serialising wrapper under the function name", async () => {
    const executor = new ConversableAgent("executor", { llm_config: false });
    const obj = (_: Record<string, never>) => ({ a: 1, text: "é" });
    const str = (_: Record<string, never>) => "plain";
    const nothing = (_: Record<string, never>) => undefined;
    expect(executor.register_for_execution()(obj)).toBe(obj);
    executor.register_for_execution()(str);
    executor.register_for_execution({ name: "void_tool" })(nothing);
    expect(Object.keys(executor.function_map)).toEqual(["obj", "str", "void_tool"]);
    expect(await executor.function_map.obj({})).toBe('{"a":1,"text":"é"}');
    expect(await executor.function_map.str({})).toBe("plain");
    expect(await executor.function_map.void_tool({})).toBe("null");
    expect(executor.can_execute_function(["obj", "str"])).toBe(true);
    expect(executor.can_execute_function(["obj", "missing"])).toBe(false);
    expect(executor.can_execute_function("str")).toBe(true);
  });

  it("module register_function registers on caller and executor", async () => {
    const model = new ScriptedModelClient([]);
    const caller = makeCaller(model);
    const executor = new ConversableAgent("executor", { llm_config: false });
    register_function(getWeather, { caller, executor, name: "weather", description: "Get the weather", parameters: weatherSchema });
    expect((caller.llm_config as { tools: Array<{ function: { name: string } }> }).tools.map((t) => t.function.name)).toEqual(["weather"]);
    expect(executor.can_execute_function("weather")).toBe(true);
    expect(await executor.execute_function({ name: "weather", arguments: '{"city": "Paris"}' })).toEqual([
      true,
      { name: "weather", role: "function", content: "Paris: 20 C" },
    ]);
    expect(() => register_function(getWeather, { caller, executor } as never)).toThrow("register_function: option 'description' is required.");
  });

  it("register_function(map) warns on override and on removing a missing name, and removes null entries", () => {
    const agent = new ConversableAgent("a", { llm_config: false });
    agent.register_function({ f: () => 1, g: () => 2 });
    agent.register_function({ f: () => 3 });
    agent.register_function({ g: null, h: null });
    expect(Object.keys(agent.function_map)).toEqual(["f"]);
    expect(warnings).toEqual(["warning: Function 'f' is being overridden.", "warning: The function h to remove doesn't exist"]);
    expect(() => agent.register_function({ "bad name": () => 1 })).toThrow(new ValueError("Invalid name: bad name. Only letters, numbers, '_' and '-' are allowed."));
  });
});

describe("update_tool_signature / update_function_signature", () => {
  it("removing without tools throws; removing the last tool deletes the key", () => {
    const caller = makeCaller();
    expect(() => caller.update_tool_signature("x", true)).toThrow(new ValueError("The agent config doesn't have tool x."));
    caller.register_for_llm({ description: "d", parameters: weatherSchema })(getWeather);
    caller.update_tool_signature("getWeather", true);
    expect("tools" in (caller.llm_config as object)).toBe(false);
    expect(() => caller.update_function_signature("x", true)).toThrow(new ValueError("The agent config doesn't have function x."));
  });

  it("rejects non-object signatures and agents without llm_config", () => {
    const caller = makeCaller();
    expect(() => caller.update_tool_signature("x", false)).toThrow(new ValueError("The tool signature must be of the type dict. Received tool signature type string"));
    expect(() => caller.update_function_signature({ description: "no name" }, false)).toThrow(
      'The function signature must have a \'name\' key. Received: {"description":"no name"}',
    );
    const plain = new ConversableAgent("plain", { llm_config: false });
    expect(() => plain.update_tool_signature("x", true)).toThrow(new ValueError("To update a tool signature, agent must have an llm_config"));
    expect(() => plain.update_function_signature("x", true)).toThrow(new ValueError("To update a function signature, agent must have an llm_config"));
  });

  it("removes a tool given as a schema that deep-equals it", () => {
    const caller = makeCaller();
    caller.register_for_llm({ description: "d", parameters: weatherSchema })(getWeather);
    const tool = structuredClone((caller.llm_config as { tools: unknown[] }).tools[0]) as Record<string, unknown>;
    caller.update_tool_signature(tool, true);
    expect("tools" in (caller.llm_config as object)).toBe(false);
  });

  it("rebuilds the client but keeps usage and the custom model client", async () => {
    const model = new ScriptedModelClient([{ content: "one", usage: { prompt_tokens: 3, completion_tokens: 2 } }, "two"]);
    const caller = new ConversableAgent("caller", { llm_config: model.llm_config(), human_input_mode: "NEVER" });
    const user = new ConversableAgent("user", { llm_config: false, human_input_mode: "NEVER", default_auto_reply: "again" });
    const io = new CapturingIOStream();
    await IOStream.set_default(io, () => user.initiate_chat(caller, { message: "hi", max_turns: 1 }));
    const before = caller.client;
    caller.register_for_llm({ description: "d", parameters: weatherSchema })(getWeather);
    expect(caller.client).not.toBe(before);
    expect(caller.client?.total_usage_summary).toEqual(before?.total_usage_summary);
    expect(caller.client?.total_usage_summary).toEqual({
      total_cost: 0,
      scripted: { cost: 0, prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    });
    await IOStream.set_default(io, () => user.initiate_chat(caller, { message: "hi", max_turns: 1 }));
    expect(model.requests).toHaveLength(2);
    expect(model.requests[1].tools).toHaveLength(1);
    model.assert_consumed();
  });

  it("keeps a custom client registered with register_model_client", async () => {
    const caller = new ConversableAgent("caller", {
      llm_config: { config_list: [{ model: "m", model_client_cls: "ScriptedModelClient" }] },
      human_input_mode: "NEVER",
    });
    caller.client?.register_model_client(ScriptedModelClient, { script: ["after rebuild"] });
    caller.register_for_llm({ description: "d", parameters: weatherSchema })(getWeather);
    const user = new ConversableAgent("user", { llm_config: false, human_input_mode: "NEVER" });
    const result = await IOStream.set_default(new CapturingIOStream(), () => user.initiate_chat(caller, { message: "hi", max_turns: 1 }));
    expect(result.chat_history.at(-1)).toEqual({ content: "after rebuild", role: "user", name: "caller" });
  });
});

describe("the functions constructor option", () => {
  it("offers the function to the model and registers it for execution", async () => {
    register_tool_schemas({ getWeather: { description: "Weather", parameters: weatherSchema } });
    const model = new ScriptedModelClient([]);
    const agent = new ConversableAgent("agent", { llm_config: model.llm_config(), functions: [getWeather] });
    expect((agent.llm_config as { tools: Array<{ function: { name: string; description: string } }> }).tools.map((t) => [t.function.name, t.function.description])).toEqual([
      ["getWeather", "Weather"],
    ]);
    const [ok, msg] = await IOStream.set_default(new CapturingIOStream(), () => agent.execute_function({ name: "getWeather", arguments: '{"city":"Bonn"}' }));
    expect([ok, msg.content]).toEqual([true, "Bonn: 20 C"]);
  });
});
