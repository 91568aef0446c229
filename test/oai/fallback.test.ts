import OpenAI from "openai";
import { AllConfigsFailedError, IOStream, OpenAIWrapper, TimeoutError, ValueError, set_logger } from "ag2ts";
import { CapturingIOStream, ScriptedModelClient } from "ag2ts/testing";
import { chatCompletion, FakeServer, openaiError } from "./fake-servers";

let first: FakeServer;
let second: FakeServer;
beforeEach(async () => {
  first = await FakeServer.start();
  second = await FakeServer.start();
  set_logger(() => {});
});
afterEach(async () => {
  await first.close();
  await second.close();
  set_logger(null);
});

const entryFor = (server: FakeServer, model: string, key: string) => ({ model, api_key: key, base_url: server.url, max_retries: 0 });
const messages = [{ role: "user" as const, content: "hi" }];

describe("config_list fallback", () => {
  test("a 429 from the first entry falls back to the second: config_id 1", async () => {
    first.enqueue(openaiError(429, "Rate limit reached", { type: "requests", code: "rate_limit_exceeded", headers: { "retry-after": "20" } }));
    second.enqueue(chatCompletion({ content: "from second", model: "gpt-4o-2024-08-06" }));
    const client = new OpenAIWrapper({ config_list: [entryFor(first, "gpt-4o-mini", "key-one"), entryFor(second, "gpt-4o", "key-two")] });
    const response = await client.create({ messages });
    expect(response.config_id).toBe(1);
    expect(client.extract_text_or_completion_object(response)).toEqual(["from second"]);
    expect(first.requests).toHaveLength(1);
    expect(second.requests[0].body.model).toBe("gpt-4o");
  });

  test("first entry 500, second answers: the usage summary shows only the second entry's tokens", async () => {
    first.enqueue(openaiError(500, "The server had an error", { type: "server_error" }));
    second.enqueue(chatCompletion({ content: "ok", model: "gpt-4o-2024-08-06", prompt_tokens: 100, completion_tokens: 50 }));
    const client = new OpenAIWrapper({ config_list: [entryFor(first, "gpt-4o-mini", "key-one"), entryFor(second, "gpt-4o", "key-two")] });
    await client.create({ messages });
    const io = new CapturingIOStream();
    await IOStream.set_default(io, () => client.print_usage_summary());
    const rule = "-".repeat(100);
    expect(io.output).toBe(
      [
        rule,
        "Usage summary excluding cached usage: ",
        "Total cost: 0.00075",
        "* Model 'gpt-4o-2024-08-06': cost: 0.00075, prompt_tokens: 100, completion_tokens: 50, total_tokens: 150",
        "",
        "All completions are non-cached: the total cost with cached completions is the same as actual cost.",
        rule,
        "",
      ].join("\n"),
    );
  });

  test("a content_filter error is thrown without trying the next entry", async () => {
    first.enqueue(openaiError(400, "The response was filtered", { code: "content_filter" }));
    const client = new OpenAIWrapper({ config_list: [entryFor(first, "gpt-4o-mini", "k1"), entryFor(second, "gpt-4o", "k2")] });
    const error = await client.create({ messages }).catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.code).toBe("content_filter");
    expect(second.requests).toHaveLength(0);
  });

  test("a single failing entry rethrows the SDK's own error", async () => {
    first.enqueue(openaiError(400, "Invalid value for 'temperature'"));
    const client = new OpenAIWrapper({ config_list: [entryFor(first, "gpt-4o-mini", "k1")] });
    const error = await client.create({ messages }).catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.status).toBe(400);
    expect(error.message).toBe("400 Invalid value for 'temperature'");
  });

  test("when every entry fails, the error carries each entry's cause and no API key", async () => {
    first.enqueue(openaiError(500, "boom", { type: "server_error" }));
    second.enqueue(openaiError(429, "slow down", { type: "requests", code: "rate_limit_exceeded" }));
    const client = new OpenAIWrapper({
      config_list: [entryFor(first, "gpt-4o-mini", "sk-first-SECRET"), entryFor(second, "gpt-4o", "sk-second-SECRET")],
    });
    const error = await client.create({ messages }).catch((e) => e);
    expect(error).toBeInstanceOf(AllConfigsFailedError);
    expect(error.errors.map((f: { config_id: number; model: string; error: { status: number } }) => [f.config_id, f.model, f.error.status])).toEqual([
      [0, "gpt-4o-mini", 500],
      [1, "gpt-4o", 429],
    ]);
    expect(error.status).toBe(429);
    expect(error.cause).toBe(error.errors[1].error);
    expect(error.message).toBe(
      "All 2 entries of the config_list failed; the errors in the order they were tried:\n" +
        "  config 0 (model gpt-4o-mini): InternalServerError (HTTP 500): 500 boom\n" +
        "  config 1 (model gpt-4o): RateLimitError (HTTP 429): 429 slow down\n" +
        "Check the endpoints, keys and models of these entries, or add an entry that can answer.",
    );
    expect(String(error.stack)).not.toContain("SECRET");
  });

  test("a timeout on the first entry falls back; timeouts on every entry throw TimeoutError", async () => {
    first.enqueue({ ...chatCompletion({ content: "late" }), delayMs: 3000 });
    second.enqueue(chatCompletion({ content: "quick" }));
    const client = new OpenAIWrapper({ config_list: [entryFor(first, "gpt-4o-mini", "k1"), entryFor(second, "gpt-4o-mini", "k2")], timeout: 0.2 });
    const response = await client.create({ messages });
    expect(response.config_id).toBe(1);

    first.enqueue({ ...chatCompletion({ content: "late" }), delayMs: 3000 });
    second.enqueue({ ...chatCompletion({ content: "late" }), delayMs: 3000 });
    const error = await client.create({ messages }).catch((e) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.context.config_id).toBe(1);
    expect(error.errors.map((f: { config_id: number }) => f.config_id)).toEqual([0, 1]);
  });

  test("a non-API error from a custom client is thrown at once", async () => {
    const broken = new ScriptedModelClient({ script: [{ error: new TypeError("bug in my client") }] });
    const client = new OpenAIWrapper({ config_list: [{ model: "x", model_client: broken }, entryFor(second, "gpt-4o", "k2")] });
    await expect(client.create({ messages })).rejects.toThrow(TypeError);
    expect(second.requests).toHaveLength(0);
  });

  test("filter_func rejecting entry 0 tries entry 1; rejecting all returns the last with pass_filter false", async () => {
    first.enqueue(chatCompletion({ content: "bad" }), chatCompletion({ content: "bad again" }));
    second.enqueue(chatCompletion({ content: "good" }), chatCompletion({ content: "also bad" }));
    const client = new OpenAIWrapper({ config_list: [entryFor(first, "gpt-4o-mini", "k1"), entryFor(second, "gpt-4o-mini", "k2")] });
    const filter_func = ({ response }: { response: any }) => response.choices[0].message.content === "good";
    const ok = await client.create({ messages, filter_func });
    expect([ok.config_id, ok.pass_filter, ok.choices[0].message.content]).toEqual([1, true, "good"]);
    const rejected = await client.create({ messages, filter_func });
    expect([rejected.config_id, rejected.pass_filter, rejected.choices[0].message.content]).toEqual([1, false, "also bad"]);
  });

  test("round_robin starts one entry later on each call", async () => {
    first.enqueue(chatCompletion({ content: "a" }), chatCompletion({ content: "c" }));
    second.enqueue(chatCompletion({ content: "b" }));
    const client = new OpenAIWrapper({
      config_list: [entryFor(first, "gpt-4o-mini", "k1"), entryFor(second, "gpt-4o-mini", "k2")],
      routing_method: "round_robin",
    });
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await client.create({ messages })).config_id);
    expect(ids).toEqual([0, 1, 0]);
  });
});

describe("bad configuration", () => {
  test("an empty config_list, an unknown api_type and an entry without model are named", async () => {
    expect(() => new OpenAIWrapper({ config_list: [] })).toThrow(ValueError);
    expect(() => new OpenAIWrapper({ config_list: [] })).toThrow(/config_list is empty/);
    expect(() => new OpenAIWrapper({ config_list: [{ model: "gpt-4o" }, { model: "granite", api_type: "watsonx" }] })).toThrow(
      'config_list[1] (model granite): api_type "watsonx" is not built into ag2ts.',
    );
    const client = new OpenAIWrapper({ config_list: [{ api_key: "sk-abc-SECRET", base_url: first.url }] });
    const error = await client.create({ messages }).catch((e) => e);
    expect(error).toBeInstanceOf(ValueError);
    expect(error.message).toBe('config_list[0] has no "model": add "model" (e.g. "gpt-4o-mini") to that entry or to llm_config.');
    expect(first.requests).toHaveLength(0);
  });

  test("an entry's price overrides the table; a single-number price warns", async () => {
    first.enqueue(chatCompletion({ content: "x", prompt_tokens: 3, completion_tokens: 4 }));
    const client = new OpenAIWrapper({ config_list: [{ ...entryFor(first, "gpt-4o-mini", "k"), price: [1, 2] }] });
    const response = await client.create({ messages });
    expect(response.cost).toBe((3 * 1 + 4 * 2) / 1000);
  });
});
