import { IOStream, OpenAIWrapper, ValueError, oai_messages_to_anthropic_messages, set_logger } from "ag2ts";
import { CapturingIOStream } from "ag2ts/testing";
import { anthropicError, anthropicMessage, anthropicStream, chatCompletion, FakeServer } from "./fake-servers";

describe("OpenAI history -> Anthropic messages", () => {
  test("system hoisted; consecutive user turns get an assistant filler; a trailing assistant gets a user filler", () => {
    const out = oai_messages_to_anthropic_messages(
      [
        { role: "system", content: "Be brief." },
        { role: "system", content: [{ type: "text", text: "Use" }, { type: "text", text: "tools." }] },
        { role: "user", content: "one", name: "alice" },
        { role: "user", content: "two" },
        { role: "assistant", content: "three" },
      ],
      false,
    );
    expect(out).toEqual({
      system: "Be brief.\nUse tools.",
      messages: [
        { role: "user", content: "one" },
        { role: "assistant", content: "Please continue." },
        { role: "user", content: "two" },
        { role: "assistant", content: "three" },
        { role: "user", content: "Please continue." },
      ],
    });
  });

  const history = [
    { role: "user" as const, content: "Weather in Paris and Rome?" },
    {
      role: "assistant" as const,
      content: "Let me check.",
      tool_calls: [
        { id: "t1", type: "function" as const, function: { name: "weather", arguments: '{"city":"Paris"}' } },
        { id: "t2", type: "function" as const, function: { name: "weather", arguments: '{"city":"Rome"}' } },
      ],
    },
    { role: "tool" as const, tool_call_id: "t1", content: "sunny" },
    { role: "tool" as const, tool_call_id: "t2", content: "rain" },
  ];

  test("tool calls and results become tool_use and tool_result blocks", () => {
    expect(oai_messages_to_anthropic_messages(history, true).messages).toEqual([
      { role: "user", content: "Weather in Paris and Rome?" },
      {
        role: "assistant",
        content: [
          { type: "tool_use", id: "t1", name: "weather", input: { city: "Paris" } },
          { type: "tool_use", id: "t2", name: "weather", input: { city: "Rome" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "t1", content: "sunny" },
          { type: "tool_result", tool_use_id: "t2", content: "rain" },
        ],
      },
    ]);
  });

  test("without tools they become plain text messages", () => {
    expect(oai_messages_to_anthropic_messages(history, false).messages).toEqual([
      { role: "user", content: "Weather in Paris and Rome?" },
      { role: "assistant", content: "Functions that could be used: [weather, weather]" },
      { role: "user", content: "The function returned: sunny" },
      { role: "assistant", content: "Please continue." },
      { role: "user", content: "The function returned: rain" },
    ]);
  });

  test("images: data URLs become base64 sources, http URLs url sources", () => {
    const out = oai_messages_to_anthropic_messages(
      [
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
            { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
          ],
        },
      ],
      false,
    );
    expect(out.messages[0].content).toEqual([
      { type: "text", text: "What is this?" },
      { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
      { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
    ]);
  });
});

describe("AnthropicClient over @anthropic-ai/sdk", () => {
  let server: FakeServer;
  const warnings: string[] = [];
  beforeEach(async () => {
    server = await FakeServer.start();
    warnings.length = 0;
    set_logger((_level, message) => warnings.push(message));
  });
  afterEach(async () => {
    await server.close();
    set_logger(null);
  });
  const entry = (model = "claude-opus-4-5-20251101") => ({ model, api_type: "anthropic", api_key: "sk-ant-SECRET", base_url: server.url, max_retries: 0 });

  test("sends a Messages request and maps text, usage and cost back", async () => {
    server.enqueue(anthropicMessage({ content: [{ type: "text", text: "Bonjour" }], input_tokens: 1000, output_tokens: 1000 }));
    const client = new OpenAIWrapper({ config_list: [entry()] });
    const response = await client.create({ messages: [{ role: "system", content: "Speak French." }, { role: "user", content: "Hello" }] });
    const request = server.requests[0];
    expect(request.url).toBe("/v1/messages");
    expect(request.headers.authorization).toBe("Bearer sk-ant-SECRET");
    expect(request.headers["anthropic-version"]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(request.body).toEqual({
      model: "claude-opus-4-5-20251101",
      system: "Speak French.",
      messages: [{ role: "user", content: "Hello" }],
      max_tokens: 4096,
      temperature: 1,
    });
    expect(client.extract_text_or_completion_object(response)).toEqual(["Bonjour"]);
    expect(response.choices[0].finish_reason).toBe("stop");
    expect(response.usage).toEqual({ prompt_tokens: 1000, completion_tokens: 1000, total_tokens: 2000 });
    expect(response.cost).toBeCloseTo(0.005 + 0.025, 12);
    expect(client.actual_usage_summary).toEqual({
      total_cost: response.cost,
      "claude-opus-4-5-20251101": { cost: response.cost, prompt_tokens: 1000, completion_tokens: 1000, total_tokens: 2000 },
    });
  });

  test("tools are sent as Anthropic tools; a tool_use block comes back as tool_calls with JSON arguments", async () => {
    server.enqueue(
      anthropicMessage({
        content: [
          { type: "text", text: "Checking." },
          { type: "tool_use", id: "toolu_1", name: "weather", input: { city: "Paris" } },
        ],
        stop_reason: "tool_use",
      }),
    );
    const tools = [{ type: "function", function: { name: "weather", description: "Weather of a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } }];
    const client = new OpenAIWrapper({ config_list: [entry("claude-haiku-4-5")], tools, temperature: 0 });
    const response = await client.create({ messages: [{ role: "user", content: "Paris?" }] });
    expect(server.requests[0].body.tools).toEqual([
      { name: "weather", description: "Weather of a city", input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
    ]);
    expect(server.requests[0].body.temperature).toBe(0);
    expect(response.choices[0].finish_reason).toBe("tool_calls");
    expect(client.extract_text_or_completion_object(response)).toEqual([
      { role: "assistant", content: "Checking.", tool_calls: [{ id: "toolu_1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } }] },
    ]);
  });

  test("streaming prints text deltas and assembles text and tool_use input", async () => {
    server.enqueue(
      anthropicStream([{ text: ["Hel", "lo"] }, { tool: { id: "toolu_9", name: "add", json: ['{"a": 1', ', "b": 2}'] } }], { stop_reason: "tool_use", output_tokens: 12 }),
    );
    const io = new CapturingIOStream();
    const client = new OpenAIWrapper({ config_list: [{ ...entry(), stream: true }], tools: [{ type: "function", function: { name: "add", parameters: { type: "object", properties: {} } } }] });
    const response = await IOStream.set_default(io, () => client.create({ messages: [{ role: "user", content: "add" }] }));
    expect(server.requests[0].body.stream).toBe(true);
    expect(io.output).toBe("Hello\n");
    expect(response.choices[0].message).toEqual({
      role: "assistant",
      content: "Hello",
      tool_calls: [{ id: "toolu_9", type: "function", function: { name: "add", arguments: '{"a":1,"b":2}' } }],
    });
    expect(response.usage).toEqual({ prompt_tokens: 20, completion_tokens: 12, total_tokens: 32 });
  });

  test("an Anthropic 429 falls back to the next entry; out-of-range temperature warns", async () => {
    const other = await FakeServer.start();
    try {
      server.enqueue(anthropicError(429, "rate_limit_error", "Number of requests has exceeded your rate limit", { "retry-after": "30" }));
      other.enqueue(chatCompletion({ content: "openai answered" }));
      const client = new OpenAIWrapper({
        config_list: [{ ...entry(), temperature: 1.5 }, { model: "gpt-4o-mini", api_key: "k", base_url: other.url, max_retries: 0 }],
      });
      const response = await client.create({ messages: [{ role: "user", content: "x" }] });
      expect(response.config_id).toBe(1);
      expect(server.requests[0].body.temperature).toBe(1);
      expect(warnings).toContain("Anthropic parameter temperature=1.5 is outside [0, 1]; using 1.");
    } finally {
      await other.close();
    }
  });

  test("missing credentials and a missing optional SDK name what is needed", async () => {
    const saved = process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    try {
      const noKey = new OpenAIWrapper({ config_list: [{ model: "claude-haiku-4-5", api_type: "anthropic" }] });
      await expect(noKey.create({ messages: [{ role: "user", content: "x" }] })).rejects.toThrow(
        'An api_type "anthropic" entry needs credentials: api_key (or ANTHROPIC_API_KEY)',
      );
      const bedrock = new OpenAIWrapper({
        config_list: [{ model: "claude-haiku-4-5", api_type: "anthropic", aws_access_key: "A", aws_secret_key: "B", aws_region: "us-east-1" }],
      });
      const error = await bedrock.create({ messages: [{ role: "user", content: "x" }] }).catch((e) => e);
      expect(error).toBeInstanceOf(ValueError);
      expect(error.message).toBe(
        'Anthropic on AWS Bedrock needs the optional package "@anthropic-ai/bedrock-sdk", which is not installed. Install it with: npm install @anthropic-ai/bedrock-sdk',
      );
    } finally {
      if (saved !== undefined) process.env.ANTHROPIC_API_KEY = saved;
    }
  });
});
