import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ConversableAgent, IOStream, clear_tool_schemas, generateToolSchemas, register_function, register_tool_schemas } from "ag2ts";
import { CapturingIOStream, ScriptedModelClient } from "ag2ts/testing";
import { main } from "../../src/tools/schema-cli";
import { add, get_weather, now } from "./fixtures/weather-tools";

const FIXTURE = resolve(__dirname, "fixtures/weather-tools.ts");

const EXPECTED = {
  get_weather: {
    description: "Get the current weather of a city.",
    parameters: {
      type: "object",
      properties: {
        city: { description: "The city to look up", type: "string" },
        unit: { description: "Temperature unit", default: "C", enum: ["C", "F"], type: "string" },
        days: { type: "number", description: "days" },
      },
      required: ["city"],
    },
  },
  sum: {
    description: "Add two numbers.",
    parameters: {
      type: "object",
      properties: { a: { description: "First addend", type: "number" }, b: { description: "Second addend", type: "number" } },
      required: ["a", "b"],
    },
  },
  now: { description: "Tell the time.", parameters: { type: "object", properties: {} } },
};

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "ag2ts-schemas-"));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

afterEach(() => clear_tool_schemas());

describe("generateToolSchemas", () => {
  it("turns @tool functions into { name: { description, parameters } }", async () => {
    expect(await generateToolSchemas([FIXTURE])).toEqual(EXPECTED);
  });

  it("rejects a tagged function without summary, duplicate names and non-object parameters", async () => {
    const noSummary = tempFile("a.ts", "/** @tool */\nexport function f(x: { a: string }) { return x.a; }\n");
    await expect(generateToolSchemas([noSummary])).rejects.toThrow(
      `${noSummary}:2: the @tool function 'f' has no JSDoc summary; write one, it becomes the tool description.`,
    );
    const dup = tempFile("b.ts", "/** One.\n * @tool */\nexport function g(x: { a: string }) { return x.a; }\n/** Two.\n * @tool g */\nexport function h(x: { a: string }) { return x.a; }\n");
    await expect(generateToolSchemas([dup])).rejects.toThrow("ag2ts-schemas: two @tool functions are named 'g'; rename one or give a name after @tool.");
    const scalar = tempFile("c.ts", "/** Scalar.\n * @tool */\nexport function s(x: string) { return x; }\n");
    await expect(generateToolSchemas([scalar])).rejects.toThrow(
      `${scalar}: the first parameter of the @tool function 's' must be an object type (its fields are the tool's parameters).`,
    );
    await expect(generateToolSchemas(["/nonexistent/x.ts"])).rejects.toThrow("ag2ts-schemas: the file '/nonexistent/x.ts' does not exist.");
  });

  it("feeds register_tool_schemas: from a TypeScript function to a validated tool", async () => {
    register_tool_schemas(JSON.parse(JSON.stringify(await generateToolSchemas([FIXTURE]))));
    const model = new ScriptedModelClient([]);
    const caller = new ConversableAgent("caller", { llm_config: model.llm_config() });
    const executor = new ConversableAgent("executor", { llm_config: false });
    register_function(get_weather, { caller, executor, description: "Weather now" });
    register_function(add, { caller, executor, name: "sum", description: "Add two numbers." });
    caller.register_for_llm()(now);
    executor.register_for_execution()(now);
    expect((caller.llm_config as { tools: unknown[] }).tools).toEqual([
      { type: "function", function: { name: "get_weather", description: "Weather now", parameters: EXPECTED.get_weather.parameters } },
      { type: "function", function: { name: "sum", description: "Add two numbers.", parameters: EXPECTED.sum.parameters } },
      { type: "function", function: { name: "now", description: "Tell the time.", parameters: EXPECTED.now.parameters } },
    ]);
    const io = new CapturingIOStream();
    const results = await IOStream.set_default(io, async () => [
      await executor.execute_function({ name: "get_weather", arguments: '{"city":"Lima","unit":"F"}' }),
      await executor.execute_function({ name: "get_weather", arguments: '{"unit":"X"}' }),
      await executor.execute_function({ name: "sum", arguments: '{"a":2,"b":"3"}' }),
      await executor.execute_function({ name: "sum", arguments: '{"a":2,"b":3}' }),
    ]);
    expect(results.map(([ok, m]) => [ok, m.content])).toEqual([
      [true, "Lima: 20 F"],
      [false, "Error: arguments must have required property 'city', arguments/unit must be equal to one of the allowed values"],
      [false, "Error: arguments/b must be number"],
      [true, "5"],
    ]);
  });
});

describe("ag2ts-schemas command", () => {
  it("writes the schemas to a file and reports errors with exit codes (in-process)", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "ag2ts-cli-")), "tool-schemas.json");
    const stdout: string[] = [];
    const stderr: string[] = [];
    const io = { stdout: (t: string) => stdout.push(t), stderr: (t: string) => stderr.push(t) };
    expect(await main(["-o", out, FIXTURE], io)).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual(EXPECTED);
    expect(stderr).toEqual([`ag2ts-schemas: wrote 3 tool schema(s) to ${out}\n`]);
    expect(await main([], io)).toBe(2);
    expect(stderr[1].startsWith("ag2ts-schemas: no input files\n\nUsage: ag2ts-schemas [options] <files...>")).toBe(true);
    expect(await main(["--bogus"], io)).toBe(2);
    expect(stderr[2].startsWith("ag2ts-schemas: unknown option --bogus\n")).toBe(true);
    expect(await main(["/nonexistent/x.ts"], io)).toBe(1);
    expect(stderr[3]).toBe("ag2ts-schemas: ag2ts-schemas: the file '/nonexistent/x.ts' does not exist.\n");
    expect(stdout).toEqual([]);
  });

  it("runs as a child process from the built bin", () => {
    const bin = resolve(__dirname, "../../dist/schema-cli.cjs");
    if (!existsSync(bin)) {
      console.warn(`SKIPPED: ${bin} is missing; run "npm run build" to test the ag2ts-schemas bin as a child process.`);
      return;
    }
    const stdout = execFileSync(process.execPath, [bin, FIXTURE], { encoding: "utf8" });
    expect(JSON.parse(stdout)).toEqual(EXPECTED);
  });
});

describe("README: Tools from TypeScript types", () => {
  it("the README's tool source generates the schema it describes, and the tool works", async () => {
    const readme = readFileSync(resolve(__dirname, "../../README.md"), "utf8");
    const block = /```ts\n\s*\/\/ src\/tools\.ts\n([\s\S]*?)```/.exec(readme);
    expect(block).not.toBeNull();
    const source = block![1].replace(/^ {3}/gm, "");
    const file = tempFile("tools.ts", source);
    const schemas = await generateToolSchemas([file]);
    expect(schemas).toEqual({
      get_weather: {
        description: "Get the current weather of a city.",
        parameters: {
          type: "object",
          properties: {
            city: { description: "The city to look up", type: "string" },
            unit: { description: "Temperature unit", enum: ["C", "F"], type: "string" },
          },
          required: ["city"],
        },
      },
    });
    register_tool_schemas(schemas);
    const model = new ScriptedModelClient([]);
    const assistant = new ConversableAgent("assistant", { llm_config: model.llm_config() });
    const user_proxy = new ConversableAgent("user_proxy", { llm_config: false });
    const get_weather_copy = function get_weather({ city, unit = "C" }: { city: string; unit?: "C" | "F" }) {
      return `${city}: 21 degrees ${unit}`;
    };
    register_function(get_weather_copy, { caller: assistant, executor: user_proxy, description: "Get the current weather of a city." });
    const [ok, msg] = await IOStream.set_default(new CapturingIOStream(), () =>
      user_proxy.execute_function({ name: "get_weather", arguments: '{"city":"Paris"}' }),
    );
    expect([ok, msg.content]).toEqual([true, "Paris: 21 degrees C"]);
  });
});
