import { OpenAIWrapper, ValueError, lookupPrice, set_logger } from "ag2ts";
import { chatCompletion, FakeServer } from "./fake-servers";

let server: FakeServer;
const warnings: string[] = [];
const savedEnv = { ...process.env };
/** URLs the SDK asked for, before they were sent to the fake server. */
let asked: string[] = [];

/** A fetch that records the URL the SDK built and sends the request to the fake server (same path and query). */
const toFake: typeof fetch = (input, init) => {
  const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
  asked.push(url.href);
  return globalThis.fetch(`${server.url}${url.pathname}${url.search}`, init);
};

beforeEach(async () => {
  server = await FakeServer.start();
  asked = [];
  warnings.length = 0;
  set_logger((level, message) => warnings.push(`${level}: ${message}`));
});
afterEach(async () => {
  await server.close();
  set_logger(null);
  process.env = { ...savedEnv };
});

const messages = [{ role: "user" as const, content: "Hi" }];

describe("OpenAI-compatible api_types: default endpoint and key variable", () => {
  const cases: Array<[string, string, string | null, string]> = [
    ["groq", "https://api.groq.com/openai/v1/chat/completions", "GROQ_API_KEY", "llama-3.3-70b-versatile"],
    ["together", "https://api.together.xyz/v1/chat/completions", "TOGETHER_API_KEY", "meta-llama/Llama-3.3-70B-Instruct-Turbo"],
    ["deepseek", "https://api.deepseek.com/v1/chat/completions", "DEEPSEEK_API_KEY", "deepseek-chat"],
    ["cerebras", "https://api.cerebras.ai/v1/chat/completions", "CEREBRAS_API_KEY", "llama-3.3-70b"],
    ["mistral", "https://api.mistral.ai/v1/chat/completions", "MISTRAL_API_KEY", "mistral-large-latest"],
    ["cohere", "https://api.cohere.ai/compatibility/v1/chat/completions", "COHERE_API_KEY", "command-r-plus"],
    ["google", "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions", "GOOGLE_GEMINI_API_KEY", "gemini-2.5-flash"],
    ["ollama", "http://localhost:11434/v1/chat/completions", null, "llama3.1:8b"],
    ["lmstudio", "http://localhost:1234/v1/chat/completions", null, "qwen2.5-7b-instruct"],
    ["vllm", "http://localhost:8000/v1/chat/completions", "VLLM_API_KEY", "meta-llama/Llama-3.1-8B-Instruct"],
  ];

  test.each(cases)("%s -> %s with its key variable", async (api_type, url, keyVar, model) => {
    if (keyVar) process.env[keyVar] = `key-from-${keyVar}`;
    server.enqueue(chatCompletion({ content: `hello from ${api_type}`, model }));
    const client = new OpenAIWrapper({ config_list: [{ model, api_type, fetch: toFake, max_retries: 0 }] });
    const response = await client.create({ messages });

    expect(asked).toEqual([url]);
    const request = server.requests[0];
    expect(`${request.method} ${request.url}`).toBe(`POST ${new URL(url).pathname}`);
    const placeholder = { ollama: "ollama", lmstudio: "lm-studio" }[api_type as "ollama" | "lmstudio"];
    expect(request.headers.authorization).toBe(`Bearer ${keyVar ? `key-from-${keyVar}` : placeholder}`);
    expect(request.body).toEqual({ model, messages });
    expect(client.extract_text_or_completion_object(response)).toEqual([`hello from ${api_type}`]);
  });

  test("an entry's base_url and api_key win over the defaults; gemini is an alias of google", async () => {
    process.env.GOOGLE_GEMINI_API_KEY = "from-env";
    server.enqueue(chatCompletion({ content: "ok", model: "gemini-2.5-flash" }));
    const client = new OpenAIWrapper({
      config_list: [{ model: "gemini-2.5-flash", api_type: "gemini", api_key: "entry-key", base_url: `${server.url}/gw/v1`, max_retries: 0 }],
    });
    await client.create({ messages });
    expect(`${server.requests[0].method} ${server.requests[0].url}`).toBe("POST /gw/v1/chat/completions");
    expect(server.requests[0].headers.authorization).toBe("Bearer entry-key");
  });

  test("Ollama: client_host gives the endpoint, num_predict becomes max_tokens, default-valued AG2 keys pass", async () => {
    server.enqueue(chatCompletion({ content: "ok", model: "llama3.1:8b" }));
    const client = new OpenAIWrapper({
      config_list: [{ model: "llama3.1:8b", api_type: "ollama", client_host: server.url, num_predict: 256, seed: 42, hide_tools: "never", native_tool_calls: true, max_retries: 0 }],
    });
    const response = await client.create({ messages, temperature: 0.2 });
    expect(`${server.requests[0].method} ${server.requests[0].url}`).toBe("POST /v1/chat/completions");
    expect(server.requests[0].body).toEqual({ model: "llama3.1:8b", messages, max_tokens: 256, seed: 42, temperature: 0.2 });
    expect(response.cost).toBe(0);
    expect(warnings).toEqual([]);
  });

  test("provider prices: a known model is priced; an unknown one costs 0 with AG2's warning for that provider", async () => {
    process.env.GROQ_API_KEY = "g";
    process.env.MISTRAL_API_KEY = "m";
    server.enqueue(
      chatCompletion({ content: "a", model: "llama-3.3-70b-versatile", prompt_tokens: 1000, completion_tokens: 1000 }),
      chatCompletion({ content: "b", model: "llama-next" }),
      chatCompletion({ content: "c", model: "mistral-tiny-next" }),
    );
    const groq = new OpenAIWrapper({ config_list: [{ model: "llama-3.3-70b-versatile", api_type: "groq", fetch: toFake, max_retries: 0 }] });
    expect((await groq.create({ messages })).cost).toBeCloseTo(0.00059 + 0.00079, 12);
    expect((await groq.create({ messages })).cost).toBe(0);
    const mistral = new OpenAIWrapper({ config_list: [{ model: "mistral-tiny-next", api_type: "mistral", fetch: toFake, max_retries: 0 }] });
    expect((await mistral.create({ messages })).cost).toBe(0);
    expect(warnings).toEqual([
      "warning: Cost calculation not available for model llama-next",
      "warning: Cost calculation is not implemented for model mistral-tiny-next, will return $0.",
    ]);
    expect(lookupPrice("google", "models/gemini-2.5-flash")).toEqual([0.0003, 0.0025]);
    expect(lookupPrice("deepseek", "deepseek-chat")).toEqual([0.00028, 0.00042]);
  });
});

describe("misconfigured providers fail at construction", () => {
  test("a missing key names the entry key and the variable", () => {
    delete process.env.GROQ_API_KEY;
    expect(() => new OpenAIWrapper({ config_list: [{ model: "llama-3.3-70b-versatile", api_type: "groq" }] })).toThrow(
      new ValueError(
        'config_list[0] (model llama-3.3-70b-versatile): An api_type "groq" entry needs an API key: set api_key in the entry or the GROQ_API_KEY environment variable.',
      ),
    );
    delete process.env.GOOGLE_GEMINI_API_KEY;
    delete process.env.GEMINI_API_KEY;
    expect(() => new OpenAIWrapper({ model: "gemini-2.5-flash", api_type: "google" })).toThrow(
      'An api_type "google" entry needs an API key: set api_key in the entry or the GOOGLE_GEMINI_API_KEY or GEMINI_API_KEY environment variable.',
    );
  });

  test("AG2-only keys are named with what to do instead", () => {
    const error = (() => {
      try {
        new OpenAIWrapper({ config_list: [{ model: "llama3.1:8b", api_type: "ollama", num_ctx: 8192, hide_tools: "if_all_run" }] });
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ValueError);
    expect(error?.message).toBe(
      'config_list[0] (model llama3.1:8b): api_type "ollama" goes through Ollama\'s OpenAI-compatible API, which has no equivalent of AG2\'s "num_ctx", "hide_tools". ' +
        "num_ctx: set the context size on the model instead (a Modelfile with PARAMETER num_ctx, or OLLAMA_CONTEXT_LENGTH). " +
        "hide_tools: ag2ts always sends the tools; remove hide_tools, or leave out tools (update_tool_signature) once they have run.",
    );
    expect(() => new OpenAIWrapper({ model: "gemini-2.5-pro", api_type: "google", api_key: "k", project_id: "p", location: "us-central1" })).toThrow(
      /no equivalent of AG2's "project_id", "location"\. project_id: ag2ts reaches Gemini through its OpenAI-compatible endpoint with an API key/,
    );
  });

  test("an AG2-only key given to create is rejected before any request", async () => {
    process.env.CEREBRAS_API_KEY = "c";
    const client = new OpenAIWrapper({ config_list: [{ model: "llama-3.3-70b", api_type: "cerebras", fetch: toFake, max_retries: 0 }] });
    await expect(client.create({ messages, hide_tools: "if_any_run" })).rejects.toThrow(/no equivalent of AG2's "hide_tools"/);
    expect(server.requests).toHaveLength(0);
  });

  test("bedrock says what to use instead; an unknown api_type lists the built-in ones", () => {
    expect(() => new OpenAIWrapper({ config_list: [{ model: "anthropic.claude-3-5-sonnet", api_type: "bedrock" }] })).toThrow(
      new ValueError(
        'config_list[0] (model anthropic.claude-3-5-sonnet): api_type "bedrock" has no built-in client in ag2ts. For Claude on Amazon Bedrock use api_type "anthropic" with ' +
          "aws_access_key, aws_secret_key and aws_region (it needs the optional package @anthropic-ai/bedrock-sdk); for other " +
          'Bedrock models use Bedrock\'s OpenAI-compatible endpoint: api_type "openai" with base_url ' +
          '"https://bedrock-runtime.<region>.amazonaws.com/openai/v1" and a Bedrock API key as api_key; or register a custom ' +
          "ModelClient (model_client_cls + register_model_client).",
      ),
    );
    expect(() => new OpenAIWrapper({ model: "x", api_type: "watsonx" })).toThrow(
      'api_type "watsonx" is not built into ag2ts. Built in: "openai", "azure", "anthropic", "ollama", "groq", "together", "deepseek", "cerebras", "mistral", "cohere", "google", "lmstudio", "vllm", "gemini", "lm_studio".',
    );
  });
});
