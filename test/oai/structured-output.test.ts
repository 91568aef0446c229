import { AssistantAgent, InMemoryCache, OpenAIWrapper, StructuredOutputError, ValueError, set_logger } from "ag2ts";
import { z } from "zod";
import { anthropicMessage, chatCompletion, FakeServer } from "./fake-servers";

let server: FakeServer;
beforeEach(async () => {
  server = await FakeServer.start();
  set_logger(() => undefined);
});
afterEach(async () => {
  await server.close();
  set_logger(null);
});

const messages = [{ role: "user" as const, content: "Weather in Paris?" }];
const openai = () => ({ model: "gpt-4o-mini", api_key: "sk-test", base_url: `${server.url}/v1`, max_retries: 0 });
const anthropic = (model: string) => ({ model, api_type: "anthropic", api_key: "sk-ant-test", base_url: server.url, max_retries: 0 });

/** A JSON schema object with AG2's optional format() method. */
const weatherSchema = {
  title: "Weather",
  type: "object",
  properties: { city: { type: "string" }, celsius: { type: "number" }, note: { type: "string", default: null } },
  required: ["city", "celsius"],
  format(this: unknown, value: { city: string; celsius: number }) {
    return `${value.city}: ${value.celsius} °C`;
  },
};
const strictWeather = {
  title: "Weather",
  type: "object",
  properties: { city: { type: "string" }, celsius: { type: "number" }, note: { type: "string" } },
  required: ["city", "celsius", "note"],
  additionalProperties: false,
};

const Weather = z.object({ city: z.string(), celsius: z.number().describe("degrees") });
const zodWire = {
  type: "json_schema",
  json_schema: {
    name: "response_format",
    strict: true,
    schema: {
      type: "object",
      properties: { city: { type: "string" }, celsius: { type: "number", description: "degrees" } },
      required: ["city", "celsius"],
      additionalProperties: false,
    },
  },
};

describe("response_format through OpenAI", () => {
  test("a JSON schema object is sent in strict json_schema form; its format() gives the reply text", async () => {
    server.enqueue(chatCompletion({ content: '{"city":"Paris","celsius":21,"note":""}' }));
    const client = new OpenAIWrapper({ config_list: [openai()], response_format: weatherSchema });
    const response = await client.create({ messages });
    expect(server.requests[0].body).toEqual({
      model: "gpt-4o-mini",
      messages,
      response_format: { type: "json_schema", json_schema: { name: "Weather", schema: strictWeather, strict: true } },
    });
    expect(client.extract_text_or_completion_object(response)).toEqual(["Paris: 21 °C"]);
    // The response itself keeps the model's JSON.
    expect(response.choices[0].message.content).toBe('{"city":"Paris","celsius":21,"note":""}');
  });

  test("a zod schema is sent as its JSON schema; without format() the reply is the JSON", async () => {
    server.enqueue(chatCompletion({ content: '{"city":"Paris","celsius":21}' }));
    const client = new OpenAIWrapper({ config_list: [{ ...openai(), response_format: Weather }] });
    const response = await client.create({ messages });
    expect(server.requests[0].body.response_format).toEqual(zodWire);
    expect(client.extract_text_or_completion_object(response)).toEqual(['{"city":"Paris","celsius":21}']);
  });

  test("{name, schema, format} wraps a zod schema; format() receives zod's parsed value", async () => {
    server.enqueue(chatCompletion({ content: '{"city":"Paris","celsius":21}' }));
    const response_format = { name: "Weather report", schema: Weather, format: (w: z.infer<typeof Weather>) => `${w.city} is ${w.celsius}` };
    const client = new OpenAIWrapper({ config_list: [openai()] });
    const response = await client.create({ messages, response_format });
    expect(server.requests[0].body.response_format).toEqual({ ...zodWire, json_schema: { ...zodWire.json_schema, name: "Weather_report" } });
    expect(client.extract_text_or_completion_object(response)).toEqual(["Paris is 21"]);
  });

  test("OpenAI's own forms pass unchanged; json_object replies must be JSON", async () => {
    server.enqueue(chatCompletion({ content: '{"a":1}' }), chatCompletion({ content: "not json" }));
    const client = new OpenAIWrapper({ config_list: [openai()], response_format: { type: "json_object" } });
    await client.create({ messages });
    expect(server.requests[0].body.response_format).toEqual({ type: "json_object" });
    const error = await client.create({ messages }).catch((e) => e);
    expect(error).toBeInstanceOf(StructuredOutputError);
    expect(error.message).toMatch(/^The model's reply does not match response_format json_object: it is not valid JSON \(.*\)\. The reply was: not json$/);
  });

  test("invalid JSON and a reply off the schema are StructuredOutputErrors naming the schema", async () => {
    server.enqueue(chatCompletion({ content: "Sunny, 21 degrees" }), chatCompletion({ content: '{"city":"Paris","celsius":"warm","note":""}' }));
    const client = new OpenAIWrapper({ config_list: [openai()], response_format: weatherSchema });
    const notJson = await client.create({ messages }).catch((e) => e);
    expect(notJson).toBeInstanceOf(StructuredOutputError);
    expect(notJson).toBeInstanceOf(ValueError);
    expect(notJson.message).toMatch(/^The model's reply does not match the response_format schema "Weather": it is not valid JSON \(.+\)\. The reply was: Sunny, 21 degrees$/);
    expect(notJson.context).toEqual({ schema_name: "Weather", content: "Sunny, 21 degrees" });
    const offSchema = await client.create({ messages }).catch((e) => e);
    expect(offSchema.message).toBe(
      'The model\'s reply does not match the response_format schema "Weather": reply/celsius must be number. The reply was: {"city":"Paris","celsius":"warm","note":""}',
    );
  });

  test("zod rejects a reply off its schema, naming the path", async () => {
    server.enqueue(chatCompletion({ content: '{"city":"Paris"}' }));
    const client = new OpenAIWrapper({ config_list: [openai()], response_format: Weather });
    const error = await client.create({ messages }).catch((e) => e);
    expect(error).toBeInstanceOf(StructuredOutputError);
    expect(error.message).toMatch(/^The model's reply does not match the response_format schema "response_format": celsius: Invalid input: expected number, received undefined\./);
  });

  test("works through the cache: the second call is served from it and formatted the same; a bad reply is not cached", async () => {
    server.enqueue(chatCompletion({ content: "oops" }), chatCompletion({ content: '{"city":"Paris","celsius":21,"note":""}' }));
    const cache = new InMemoryCache();
    const client = new OpenAIWrapper({ config_list: [openai()], response_format: weatherSchema });
    await expect(client.create({ messages, cache })).rejects.toThrow(StructuredOutputError);
    const first = await client.create({ messages, cache });
    const second = await client.create({ messages, cache });
    expect(server.requests).toHaveLength(2);
    expect(client.extract_text_or_completion_object(first)).toEqual(["Paris: 21 °C"]);
    expect(client.extract_text_or_completion_object(second)).toEqual(["Paris: 21 °C"]);
  });

  test("an agent replies with the formatted text", async () => {
    server.enqueue(chatCompletion({ content: '{"city":"Paris","celsius":21,"note":""}' }));
    const assistant = new AssistantAgent("assistant", { llm_config: { config_list: [openai()], response_format: weatherSchema } });
    const reply = await assistant.generate_reply({ messages: [{ role: "user", content: "Weather in Paris?" }] });
    expect(reply).toBe("Paris: 21 °C");
  });

  test("a response_format of another shape fails at construction", () => {
    expect(() => new OpenAIWrapper({ config_list: [openai()], response_format: "json" })).toThrow(
      new ValueError(
        'config_list[0] (model gpt-4o-mini): response_format must be a JSON schema object, a zod schema, { name, schema, strict?, format? }, or OpenAI\'s {type: "json_schema", json_schema: {...}} / {type: "json_object"}; got string.',
      ),
    );
    expect(() => new OpenAIWrapper({ ...openai(), response_format: { type: "json_schema" } })).toThrow(
      'response_format {type: "json_schema"} needs json_schema: { name, schema, strict? }.',
    );
  });
});

describe("response_format through Anthropic", () => {
  test("Claude 4.5 gets output_config.format; the text reply is parsed and formatted", async () => {
    server.enqueue(anthropicMessage({ content: [{ type: "text", text: '{"city":"Paris","celsius":21,"note":""}' }] }));
    const client = new OpenAIWrapper({ config_list: [anthropic("claude-opus-4-5")], response_format: weatherSchema });
    const response = await client.create({ messages });
    expect(server.requests[0].url).toBe("/v1/messages");
    expect(server.requests[0].body).toEqual({
      model: "claude-opus-4-5",
      messages: [{ role: "user", content: "Weather in Paris?" }],
      max_tokens: 4096,
      temperature: 1,
      output_config: { format: { type: "json_schema", schema: strictWeather } },
    });
    expect(client.extract_text_or_completion_object(response)).toEqual(["Paris: 21 °C"]);
  });

  test("an older Claude gets a forced tool whose input becomes the reply (zod schema)", async () => {
    server.enqueue(anthropicMessage({ content: [{ type: "tool_use", id: "toolu_1", name: "response_format", input: { city: "Paris", celsius: 21 } }], stop_reason: "tool_use" }));
    const client = new OpenAIWrapper({ config_list: [anthropic("claude-3-5-haiku-20241022")], response_format: Weather });
    const response = await client.create({ messages });
    expect(server.requests[0].body).toEqual({
      model: "claude-3-5-haiku-20241022",
      messages: [{ role: "user", content: "Weather in Paris?" }],
      max_tokens: 4096,
      temperature: 1,
      tools: [{ name: "response_format", description: "Give your final answer by calling response_format; its input is the answer.", input_schema: zodWire.json_schema.schema }],
      tool_choice: { type: "tool", name: "response_format" },
    });
    expect(response.choices[0].finish_reason).toBe("stop");
    expect(client.extract_text_or_completion_object(response)).toEqual(['{"city":"Paris","celsius":21}']);
  });

  test("invalid output from Claude is rejected (JSON schema and zod)", async () => {
    server.enqueue(
      anthropicMessage({ content: [{ type: "text", text: "It is sunny." }] }),
      anthropicMessage({ content: [{ type: "text", text: '{"city":3}' }] }),
    );
    const json = new OpenAIWrapper({ config_list: [anthropic("claude-haiku-4-5")], response_format: weatherSchema });
    const e1 = await json.create({ messages }).catch((e) => e);
    expect(e1).toBeInstanceOf(StructuredOutputError);
    expect(e1.message).toMatch(/^The model's reply does not match the response_format schema "Weather": it is not valid JSON/);
    const zod = new OpenAIWrapper({ config_list: [anthropic("claude-haiku-4-5")], response_format: Weather });
    const e2 = await zod.create({ messages }).catch((e) => e);
    expect(e2.message).toMatch(/^The model's reply does not match the response_format schema "response_format": city: Invalid input: expected string, received number; celsius: /);
  });
});
