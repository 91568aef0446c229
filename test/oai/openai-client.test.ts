import { AbortError, OpenAIWrapper, TimeoutError, IOStream, set_logger } from "ag2ts";
import { CapturingIOStream } from "ag2ts/testing";
import { chatCompletion, chatStream, FakeServer, openaiError } from "./fake-servers";

let server: FakeServer;
const warnings: string[] = [];

beforeEach(async () => {
  server = await FakeServer.start();
  warnings.length = 0;
  set_logger((level, message) => warnings.push(`${level}: ${message}`));
});
afterEach(async () => {
  await server.close();
  set_logger(null);
});

const entry = () => ({ model: "gpt-4o-mini", api_key: "sk-test-secret-123", base_url: `${server.url}/v1`, max_retries: 0 });

describe("OpenAIClient over the openai SDK", () => {
  test("sends the chat request and returns the completion with cost and usage", async () => {
    server.enqueue(chatCompletion({ content: "Hello there", prompt_tokens: 1000, completion_tokens: 2000 }));
    const client = new OpenAIWrapper({ config_list: [entry()], temperature: 0.5, cache_seed: null });
    const response = await client.create({ messages: [{ role: "user", content: "Hi" }] });

    expect(server.requests).toHaveLength(1);
    const request = server.requests[0];
    expect(request.method).toBe("POST");
    expect(request.url).toBe("/v1/chat/completions");
    expect(request.headers.authorization).toBe("Bearer sk-test-secret-123");
    expect(request.body).toEqual({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }], temperature: 0.5 });

    expect(client.extract_text_or_completion_object(response)).toEqual(["Hello there"]);
    expect(response.config_id).toBe(0);
    expect(response.pass_filter).toBe(true);
    // gpt-4o-mini-2024-07-18: 0.00015 / 0.0006 per 1K tokens
    expect(response.cost).toBeCloseTo(0.00015 + 0.0012, 10);
    expect(client.actual_usage_summary).toEqual({
      total_cost: response.cost,
      "gpt-4o-mini-2024-07-18": { cost: response.cost, prompt_tokens: 1000, completion_tokens: 2000, total_tokens: 3000 },
    });
    expect(client.total_usage_summary).toEqual(client.actual_usage_summary);
  });

  test("tool calls come back as the message object", async () => {
    server.enqueue(chatCompletion({ tool_calls: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }] }));
    const tools = [{ type: "function", function: { name: "get_weather", description: "d", parameters: { type: "object", properties: { city: { type: "string" } } } } }];
    const client = new OpenAIWrapper({ config_list: [entry()], tools });
    const response = await client.create({ messages: [{ role: "user", content: "weather?" }] });
    expect(server.requests[0].body.tools).toEqual(tools);
    expect(client.extract_text_or_completion_object(response)).toEqual([
      {
        role: "assistant",
        content: null,
        refusal: null,
        tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
      },
    ]);
    expect(response.choices[0].finish_reason).toBe("tool_calls");
  });

  test("an entry's temperature overrides the one given to create; extras never reach the API", async () => {
    server.enqueue(chatCompletion({ content: "ok" }));
    const client = new OpenAIWrapper({ config_list: [{ ...entry(), temperature: 0.1, tags: ["a"], price: [1, 2] }] });
    await client.create({ messages: [{ role: "user", content: "x" }], temperature: 0.9, agent: "someone", cache: null });
    expect(server.requests[0].body).toEqual({ model: "gpt-4o-mini", messages: [{ role: "user", content: "x" }], temperature: 0.1 });
  });

  test("default_headers and organization reach the server", async () => {
    server.enqueue(chatCompletion({ content: "ok" }));
    const client = new OpenAIWrapper({ config_list: [{ ...entry(), default_headers: { "x-team": "blue" }, organization: "org-1" }] });
    await client.create({ messages: [{ role: "user", content: "x" }] });
    expect(server.requests[0].headers["x-team"]).toBe("blue");
    expect(server.requests[0].headers["openai-organization"]).toBe("org-1");
  });

  test("a legacy prompt goes to the completions endpoint", async () => {
    server.enqueue({
      json: {
        id: "cmpl-1",
        object: "text_completion",
        created: 1,
        model: "gpt-3.5-turbo-instruct",
        choices: [{ text: "4", index: 0, logprobs: null, finish_reason: "stop" }],
        usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
      },
    });
    const client = new OpenAIWrapper({ config_list: [{ ...entry(), model: "gpt-3.5-turbo-instruct" }] });
    const response = await client.create({ prompt: "2+2=" });
    expect(server.requests[0].url).toBe("/v1/completions");
    expect(server.requests[0].body).toEqual({ model: "gpt-3.5-turbo-instruct", prompt: "2+2=" });
    expect(client.extract_text_or_completion_object(response)).toEqual(["4"]);
  });

  test("streaming prints content deltas and assembles the completion", async () => {
    server.enqueue(
      chatStream([{ content: "Hel" }, { content: "lo" }, { content: "!" }], {
        usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
      }),
    );
    const io = new CapturingIOStream();
    const client = new OpenAIWrapper({ config_list: [{ ...entry(), stream: true }] });
    const response = await IOStream.set_default(io, () => client.create({ messages: [{ role: "user", content: "hi" }] }));
    expect(server.requests[0].body.stream).toBe(true);
    expect(io.output).toBe("Hello!\n");
    expect(response.choices).toEqual([
      { index: 0, finish_reason: "stop", logprobs: null, message: { role: "assistant", content: "Hello!" } },
    ]);
    expect(response.usage).toEqual({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
    expect(client.extract_text_or_completion_object(response)).toEqual(["Hello!"]);
  });

  test("streamed tool-call deltas are joined by index; without usage the deltas are counted", async () => {
    server.enqueue(
      chatStream(
        [
          { tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "add", arguments: "" } }] },
          { tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] },
          { tool_calls: [{ index: 0, function: { arguments: "1}" } }] },
          { tool_calls: [{ index: 1, id: "call_b", type: "function", function: { name: "neg", arguments: '{"x":2}' } }] },
        ],
        { finish_reason: "tool_calls" },
      ),
    );
    const io = new CapturingIOStream();
    const client = new OpenAIWrapper({ config_list: [{ ...entry(), stream: true }] });
    const response = await IOStream.set_default(io, () => client.create({ messages: [{ role: "user", content: "hi" }] }));
    expect(io.output).toBe("");
    expect(response.choices[0].message.tool_calls).toEqual([
      { id: "call_a", type: "function", function: { name: "add", arguments: '{"a":1}' } },
      { id: "call_b", type: "function", function: { name: "neg", arguments: '{"x":2}' } },
    ]);
    expect(response.choices[0].finish_reason).toBe("tool_calls");
    // No usage from the server: the prompt is counted with the tokenizer (3 per message + "user" + "hi" + 3 priming), the deltas are the completion.
    expect(response.usage).toEqual({ prompt_tokens: 3 + 1 + 1 + 3, completion_tokens: 4, total_tokens: 12 });
    expect(warnings).toEqual([]);
  });

  test("a streamed reply without usage from a model with unknown message overhead counts its prompt as 0, with AG2's warning", async () => {
    server.enqueue(chatStream([{ content: "Hi" }], { model: "llama3.1:8b" }));
    const client = new OpenAIWrapper({ config_list: [{ ...entry(), model: "llama3.1:8b", stream: true, price: [0, 0] }] });
    const response = await IOStream.set_default(new CapturingIOStream(), () => client.create({ messages: [{ role: "user", content: "hi" }] }));
    expect(response.usage).toEqual({ prompt_tokens: 0, completion_tokens: 1, total_tokens: 1 });
    expect(warnings).toEqual([
      "warning: Model llama3.1:8b not found. Using cl100k_base encoding.",
      "warning: _num_token_from_messages() is not implemented for model llama3.1:8b. See https://github.com/openai/openai-python/blob/main/chatml.md for information on how messages are converted to tokens.",
    ]);
  });

  test("a timeout of the only entry throws TimeoutError", async () => {
    server.enqueue({ ...chatCompletion({ content: "late" }), delayMs: 2000 });
    const client = new OpenAIWrapper({ config_list: [{ ...entry(), timeout: 0.2 }] });
    const error = await client.create({ messages: [{ role: "user", content: "x" }] }).catch((e) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.name).toBe("TimeoutError");
    expect(error.message).toContain("The timeout can be specified by setting the 'timeout' value (in seconds) in the llm_config");
    expect(error.cause.constructor.name).toBe("APIConnectionTimeoutError");
  });

  test("the SDK's own retry honours retry-after on 429", async () => {
    server.enqueue(openaiError(429, "Rate limit reached", { type: "requests", code: "rate_limit_exceeded", headers: { "retry-after": "1" } }));
    server.enqueue(chatCompletion({ content: "after retry" }));
    const client = new OpenAIWrapper({ config_list: [{ ...entry(), max_retries: 1 }] });
    const response = await client.create({ messages: [{ role: "user", content: "x" }] });
    expect(client.extract_text_or_completion_object(response)).toEqual(["after retry"]);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1].headers["x-stainless-retry-count"]).toBe("1");
  });

  test("an AbortSignal reaches the SDK call", async () => {
    const controller = new AbortController();
    server.enqueue((req) => {
      setTimeout(() => controller.abort(new Error("user stopped")), 20);
      return { ...chatCompletion({ content: "never" }), delayMs: 5000 };
    });
    const client = new OpenAIWrapper({ config_list: [entry(), { ...entry(), model: "gpt-4o" }] });
    const error = await client.create({ messages: [{ role: "user", content: "x" }], signal: controller.signal }).catch((e) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(error.message).toBe("The operation was aborted: user stopped");
    expect(server.requests).toHaveLength(1);
  });

  test("an OpenAI-compatible server (Ollama style) through base_url, unknown model costs 0 with one warning", async () => {
    server.enqueue(chatCompletion({ content: "local", model: "llama3.1:8b" }), chatCompletion({ content: "again", model: "llama3.1:8b" }));
    const client = new OpenAIWrapper({ config_list: [{ model: "llama3.1:8b", api_key: "ollama", base_url: `${server.url}/v1` }] });
    const first = await client.create({ messages: [{ role: "user", content: "x" }] });
    await client.create({ messages: [{ role: "user", content: "y" }] });
    expect(first.cost).toBe(0);
    expect(warnings).toEqual([
      'warning: Model llama3.1:8b is not found. The cost will be 0. In your config_list, add field {"price" : [prompt_price_per_1k, completion_token_price_per_1k]} for customized pricing.',
    ]);
  });
});

describe("Azure OpenAI", () => {
  test("maps the model to a deployment without dots and sends api-key and api-version", async () => {
    server.enqueue(chatCompletion({ content: "from azure", model: "gpt-35-turbo" }));
    const client = new OpenAIWrapper({
      config_list: [{ model: "gpt-3.5-turbo", api_type: "azure", api_key: "azure-secret", base_url: server.url, api_version: "2024-02-01", max_retries: 0 }],
    });
    const response = await client.create({ messages: [{ role: "user", content: "x" }] });
    const request = server.requests[0];
    expect(request.url).toBe("/openai/deployments/gpt-35-turbo/chat/completions?api-version=2024-02-01");
    expect(request.headers["api-key"]).toBe("azure-secret");
    expect(request.body.model).toBe("gpt-35-turbo");
    expect(response.cost).toBeCloseTo((10 * 0.0005 + 5 * 0.0015) / 1000, 12);
  });

  test("azure_deployment and azure_endpoint are used when given; a missing api_version is named", async () => {
    server.enqueue(chatCompletion({ content: "ok", model: "gpt-4o" }));
    const client = new OpenAIWrapper({
      config_list: [{ model: "gpt-4o", api_type: "azure", api_key: "k", azure_endpoint: server.url, azure_deployment: "my-dep", api_version: "2024-06-01", max_retries: 0 }],
    });
    await client.create({ messages: [{ role: "user", content: "x" }] });
    expect(server.requests[0].url).toBe("/openai/deployments/my-dep/chat/completions?api-version=2024-06-01");

    const bad = new OpenAIWrapper({ config_list: [{ model: "gpt-4o", api_type: "azure", api_key: "k", base_url: server.url }] });
    await expect(bad.create({ messages: [{ role: "user", content: "x" }] })).rejects.toThrow(
      'An Azure config entry needs "api_version" (for example "2024-02-01").',
    );
  });
});
