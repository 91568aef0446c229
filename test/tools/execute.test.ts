import { AssistantAgent, ConversableAgent, IOStream, UserProxyAgent, register_function } from "ag2ts";
import { CapturingIOStream, ScriptedModelClient } from "ag2ts/testing";

const citySchema = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };

function executorWith(fns: Record<string, (args: never) => unknown>, schema: Record<string, unknown> = citySchema): ConversableAgent {
  const caller = new ConversableAgent("caller", { llm_config: new ScriptedModelClient([]).llm_config() });
  const executor = new ConversableAgent("executor", { llm_config: false });
  for (const [name, fn] of Object.entries(fns)) {
    register_function(fn as (args: unknown) => unknown, { caller, executor, name, description: name, parameters: schema });
  }
  return executor;
}

async function captured<T>(fn: () => Promise<T>): Promise<[T, string]> {
  const io = new CapturingIOStream();
  const value = await IOStream.set_default(io, fn);
  return [value, io.output];
}

describe("execute_function", () => {
  it("reports an unknown function without throwing", async () => {
    const agent = new ConversableAgent("a", { llm_config: false });
    expect(await agent.execute_function({ name: "nope" })).toEqual([false, { name: "nope", role: "function", content: "Error: Function nope not found." }]);
    expect(await agent.a_execute_function({})).toEqual([false, { name: "", role: "function", content: "Error: Function  not found." }]);
  });

  it("parses arguments with newlines outside strings and escapes those inside", async () => {
    const seen: unknown[] = [];
    const executor = executorWith({ get: (args: { city: string }) => (seen.push(args), args.city) });
    const [result, output] = await captured(() => executor.execute_function({ name: "get", arguments: '{\n"city": "Par\nis\t!"\n}' }));
    expect(result).toEqual([true, { name: "get", role: "function", content: "Par\nis\t!" }]);
    expect(seen).toEqual([{ city: "Par\nis\t!" }]);
    expect(output).toBe("\n>>>>>>>> EXECUTING FUNCTION get...\n");
  });

  it("reports invalid JSON and non-object arguments", async () => {
    const executor = executorWith({ get: (args: { city: string }) => args.city });
    const [[ok, msg]] = await captured(() => executor.execute_function({ name: "get", arguments: "{bad" }));
    expect(ok).toBe(false);
    expect(msg.content.startsWith("Error: ")).toBe(true);
    expect(msg.content.endsWith("\n The argument must be in JSON format.")).toBe(true);
    const [[ok2, msg2]] = await captured(() => executor.execute_function({ name: "get", arguments: "[1]" }));
    expect([ok2, msg2.content]).toEqual([false, "Error: The arguments must be a JSON object."]);
  });

  it("validates arguments with ajv before calling, without coercion", async () => {
    let calls = 0;
    const executor = executorWith({ get: (args: { city: string }) => (calls++, args.city) });
    const [[ok, msg], output] = await captured(() => executor.execute_function({ name: "get", arguments: "{}" }));
    expect([ok, msg.content]).toEqual([false, "Error: arguments must have required property 'city'"]);
    const [[, msg2]] = await captured(() => executor.execute_function({ name: "get", arguments: '{"city": 5}' }));
    expect(msg2.content).toBe("Error: arguments/city must be string");
    expect(calls).toBe(0);
    expect(output).toBe("");
    const [, verboseOutput] = await captured(() => executor.execute_function({ name: "get", arguments: "{}" }, { verbose: true }));
    expect(verboseOutput).toBe("\nInput arguments: {}\nOutput:\nError: arguments must have required property 'city'\n");
  });

  it("validates when register_for_execution came before register_for_llm", async () => {
    const caller = new ConversableAgent("caller", { llm_config: new ScriptedModelClient([]).llm_config() });
    const executor = new ConversableAgent("executor", { llm_config: false });
    const get = (args: { city: string }) => args.city;
    caller.register_for_llm({ description: "d", parameters: citySchema })(executor.register_for_execution()(get));
    const [[, msg]] = await captured(() => executor.execute_function({ name: "get", arguments: "{}" }));
    expect(msg.content).toBe("Error: arguments must have required property 'city'");
  });

  it("turns a throwing tool into an error message", async () => {
    const executor = executorWith({ boom: () => { throw new Error("kaput"); }, str: () => { throw "plain"; } }, { type: "object", properties: {} });
    const [r1, output] = await captured(() => executor.execute_function({ name: "boom", arguments: "{}" }));
    expect(r1).toEqual([false, { name: "boom", role: "function", content: "Error: kaput" }]);
    expect(output).toBe("\n>>>>>>>> EXECUTING FUNCTION boom...\n");
    const [r2] = await captured(() => executor.execute_function({ name: "str", arguments: "{}" }));
    expect(r2[1].content).toBe("Error: plain");
  });

  it("prints EXECUTING ASYNC FUNCTION for an async tool and the verbose block", async () => {
    const executor = executorWith({ later: async (args: { city: string }) => ({ city: args.city }) });
    const [result, output] = await captured(() => executor.execute_function({ name: "later", arguments: '{"city":"Rome"}' }, { verbose: true }));
    expect(result).toEqual([true, { name: "later", role: "function", content: '{"city":"Rome"}' }]);
    expect(output).toBe('\n>>>>>>>> EXECUTING ASYNC FUNCTION later...\n\nInput arguments: {"city":"Rome"}\nOutput:\n{"city":"Rome"}\n');
  });

  it("calls plain function_map functions with one object and serialises their result as JSON", async () => {
    const agent = new ConversableAgent("a", { llm_config: false, function_map: { pair: (args: { x: number }) => ({ x: args.x }) } });
    const [result] = await captured(() => agent.execute_function({ name: "pair", arguments: '{"x": 2}' }));
    expect(result).toEqual([true, { name: "pair", role: "function", content: '{"x":2}' }]);
  });
});

describe("legacy function calls (api_style function)", () => {
  it("round-trips a function_call between caller and executor", async () => {
    const model = new ScriptedModelClient([{ function_call: { name: "get_city", arguments: { city: "Oslo" } } }, "Oslo it is."]);
    const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config() });
    const user = new UserProxyAgent("user", { human_input_mode: "NEVER", code_execution_config: false });
    const get_city = ({ city }: { city: string }) => `city=${city}`;
    user.register_for_execution()(assistant.register_for_llm({ description: "Echo a city", api_style: "function", parameters: citySchema })(get_city));
    expect((assistant.llm_config as Record<string, unknown>).functions).toEqual([
      { name: "get_city", description: "Echo a city", parameters: { type: "object", properties: { city: { type: "string", description: "city" } }, required: ["city"] } },
    ]);
    const [result, output] = await captured(() => user.initiate_chat(assistant, { message: "Where?", max_turns: 2 }));
    const history = result.chat_history;
    expect(history[2]).toEqual({ content: "city=Oslo", name: "get_city", role: "function" });
    expect(model.requests[1].functions).toEqual((assistant.llm_config as Record<string, unknown>).functions);
    expect(model.requests[1].messages.slice(-2)).toEqual([
      { content: null, function_call: { name: "get_city", arguments: '{"city":"Oslo"}' }, role: "assistant" },
      { content: "city=Oslo", name: "get_city", role: "function" },
    ]);
    expect(output).toContain("\n>>>>>>>> EXECUTING FUNCTION get_city...\n");
    expect(output).toContain("***** Response from calling function (get_city) *****\ncity=Oslo\n");
    model.assert_consumed();
  });

  it("answers an unknown function with the not-found message", async () => {
    const user = new ConversableAgent("user", { llm_config: false });
    const reply = await user.generate_function_call_reply({ messages: [{ content: null, function_call: { name: "ghost", arguments: "{}" } }] });
    expect(reply).toEqual([true, { name: "ghost", role: "function", content: "Error: Function ghost not found." }]);
    expect(await user.a_generate_function_call_reply({ messages: [{ content: "hi" }] })).toEqual([false, null]);
  });
});
