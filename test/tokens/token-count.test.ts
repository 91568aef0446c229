/**
 * Mirrors AG2 test/test_token_count.py case by case, plus fixed counts for
 * the gpt-4o (o200k_base) and gpt-4 (cl100k_base) encodings.
 */
import {
  count_token,
  get_max_token_limit,
  KeyError,
  load_token_encoding,
  NotImplementedError,
  num_tokens_from_functions,
  percentile_used,
  set_log_level,
  set_logger,
  token_left,
  ValueError,
} from "../../src/index";
import type { FunctionDescription } from "../../src/index";

const logs: string[] = [];
beforeEach(() => {
  logs.length = 0;
  set_logger((level, message) => logs.push(`${level}: ${message}`));
});
afterEach(() => {
  set_logger(null);
  set_log_level("warning");
});

const func1: FunctionDescription = {
  name: "sh",
  description: "run a shell script and return the execution result.",
  parameters: {
    type: "object",
    properties: { script: { type: "string", description: "Valid shell script to execute." } },
    required: ["script"],
  },
};
const func2: FunctionDescription = {
  name: "query_wolfram",
  description: "Return the API query result from the Wolfram Alpha. the return is a tuple of (result, is_success).",
  parameters: { type: "object", properties: {} },
};
const func3: FunctionDescription = {
  name: "python",
  description: "run cell in ipython and return the execution result.",
  parameters: {
    type: "object",
    properties: { cell: { type: "string", description: "Valid Python cell to execute." } },
    required: ["cell"],
  },
};

describe("num_tokens_from_functions (test_num_tokens_from_functions)", () => {
  test.each([
    [[func1], 44],
    [[func2], 46],
    [[func3], 45],
    [[func1, func2], 78],
  ])("case %#", (functions, expected) => {
    expect(num_tokens_from_functions(functions)).toBe(expected);
  });

  test("an enum field counts its options; an unsupported field is a warning", () => {
    const withEnum: FunctionDescription = {
      name: "f",
      description: "d",
      parameters: { type: "object", properties: { unit: { type: "string", enum: ["C", "F"], default: "C" } } },
    };
    // name 1 + description 1 - 2, key 1, type 2+1, enum -3 + (3+1)*2, properties 11, functions 12
    expect(num_tokens_from_functions([withEnum])).toBe(0 + 1 + 3 + 5 + 11 + 12);
    expect(logs).toEqual(["warning: Not supported field default"]);
  });
});

const SYSTEM =
  "You are a helpful AI assistant.\nSolve tasks using your coding and language skills.\nIn the following cases, suggest python code (in a python coding block) or shell script (in a sh coding block) for the user to execute.\n    1. When you need to collect info, use the code to output the info you need, for example, browse or search the web, download/read a file, print the content of a webpage or a file, get the current date/time, check the operating system. After sufficient info is printed and the task is ready to be solved based on your language skill, you can solve the task by yourself.\n    2. When you need to perform some task with code, use the code to perform the task and output the result. Finish the task smartly.\nSolve the task step by step if you need to. If a plan is not provided, explain your plan first. Be clear which step uses code, and which step uses your language skill.\nWhen using code, you must indicate the script type in the code block. The user cannot provide any other feedback or perform any other action beyond executing the code you suggest. The user can't modify your code. So do not suggest incomplete code which requires users to modify. Don't use a code block if it's not intended to be executed by the user.\nIf you want the user to save the code in a file before executing it, put # filename: <filename> inside the code block as the first line. Don't include multiple code blocks in one response. Do not ask users to copy and paste the result. Instead, use 'print' function for the output when relevant. Check the execution result returned by the user.\nIf the result indicates there is an error, fix the error and output the code again. Suggest the full code instead of partial code or code changes. If the error can't be fixed or if the task is not solved even after the code is executed successfully, analyze the problem, revisit your assumption, collect additional info you need, and think of a different approach to try.\nWhen you find an answer, verify the answer carefully. Include verifiable evidence in your response if possible.\nReply \"TERMINATE\" in the end when everything is done.\n    ";
const CHAT = [
  { content: SYSTEM, role: "system" },
  { content: "Hi", role: "user", name: "user_proxy" },
  {
    content:
      "Hello! How can I assist you today? If you have a specific task or question, feel free to share it, and I'll do my best to help.",
    role: "assistant",
    name: "assistant",
  },
  { content: "okkk", role: "user", name: "user_proxy" },
];

describe("message lists for models tiktoken does not know (test_num_token_from_messages)", () => {
  test.each([
    ["mistral-", "Mistral.AI models are not supported in tiktoken. Returning num tokens assuming gpt-4-0613."],
    ["deepseek-chat", "Deepseek models are not supported in tiktoken. Returning num tokens assuming gpt-4-0613."],
    ["claude", "Claude is not supported in tiktoken. Returning num tokens assuming gpt-4-0613."],
    ["gemini", "Gemini is not supported in tiktoken. Returning num tokens assuming gpt-4-0613."],
  ])("%s counts 524 tokens as gpt-4-0613", (model, info) => {
    set_log_level("info");
    expect(count_token(CHAT, model)).toBe(524);
    expect(logs).toEqual([`warning: Model ${model} not found. Using cl100k_base encoding.`, `info: ${info}`]);
  });

  test("a model with no known message overhead is NotImplementedError", () => {
    expect(() => count_token(CHAT, "llama3")).toThrow(NotImplementedError);
    expect(() => count_token(CHAT, "llama3")).toThrow(
      "_num_token_from_messages() is not implemented for model llama3. See https://github.com/openai/openai-python/blob/main/chatml.md for information on how messages are converted to tokens.",
    );
    // A string has no overhead, so any model counts it (with cl100k_base).
    expect(count_token("okkk", "llama3")).toBe(2);
  });
});

describe("image parts (test_num_tokens_from_gpt_image)", () => {
  const image =
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAUAAAAFCAYAAACNbyblAAAAHElEQVQI12P4" +
    "//8/w38GIAXDIBKE0DHxgljNBAAO9TXL0Y4OHwAAAABJRU5ErkJggg==";
  const withImage = (detail?: string) => [
    { role: "system", content: "you are a helpful assistant. af3758 *3 33(3)" },
    {
      role: "user",
      content: [
        { type: "text", text: "hello asdfjj qeweee" },
        { type: "image_url", image_url: { url: image, ...(detail ? { detail } : {}) } },
      ],
    },
  ];

  test("a 5x5 PNG costs 85 + 170 tokens on gpt-4-vision-preview", () => {
    expect(count_token(withImage(), "gpt-4-vision-preview")).toBe(34 + 255);
  });

  test("detail low costs the base 85 tokens on gpt-4o", () => {
    expect(count_token(withImage("low"), "gpt-4o")).toBe(34 + 85);
  });

  test("an image that cannot be measured counts 0 with AG2's warning", () => {
    const messages = [{ role: "user", content: [{ type: "image_url", image_url: { url: "https://example.com/cat.png" } }] }];
    expect(count_token(messages, "gpt-4o")).toBe(3 + 1 + 3);
    expect(logs).toEqual([
      "warning: Error in num_tokens_from_gpt_image: The size of the image at https://example.com/cat.png is unknown: ag2ts counts image tokens only for data URIs and base64 images.",
    ]);
  });
});

describe("count_token, percentile_used, token_left (test_count_token)", () => {
  const messages = [
    { role: "system", content: "you are a helpful assistant. af3758 *3 33(3)" },
    { role: "user", content: "hello asdfjj qeweee" },
  ];
  test("message list", () => {
    expect(count_token(messages)).toBe(34);
    expect(percentile_used(messages)).toBe(34 / 4096);
    expect(token_left(messages)).toBe(4096 - 34);
  });
  test("text", () => {
    const text = "I'm sorry, but I'm not able to";
    expect(count_token(text)).toBe(10);
    expect(token_left(text)).toBe(4096 - 10);
    expect(percentile_used(text)).toBe(10 / 4096);
  });
  test("the model may be a string or an options object", () => {
    expect(count_token(messages, { model: "gpt-4" })).toBe(34);
    expect(token_left(messages, { model: "gpt-4" })).toBe(8192 - 34);
    expect(() => count_token("x", { modle: "gpt-4" } as never)).toThrow("count_token: unknown option 'modle'. The only option is 'model'");
    expect(() => count_token(42 as never)).toThrow(new ValueError("input must be str, list or dict, but we got number"));
  });
});

describe("get_max_token_limit (test_model_aliases)", () => {
  test("Azure spellings name the same models", () => {
    expect(get_max_token_limit("gpt35-turbo")).toBe(get_max_token_limit("gpt-3.5-turbo"));
    expect(get_max_token_limit("gpt-35-turbo")).toBe(get_max_token_limit("gpt-3.5-turbo"));
    expect(get_max_token_limit("gpt4")).toBe(get_max_token_limit("gpt-4"));
    expect(get_max_token_limit("gpt4-32k")).toBe(get_max_token_limit("gpt-4-32k"));
    expect(get_max_token_limit("gpt4o")).toBe(get_max_token_limit("gpt-4o"));
    expect(get_max_token_limit("gpt4o-mini")).toBe(get_max_token_limit("gpt-4o-mini"));
  });
  test("table values; the default model is gpt-3.5-turbo-0613; an unknown model is a KeyError", () => {
    expect(get_max_token_limit()).toBe(4096);
    expect(get_max_token_limit({ model: "gpt-4o" })).toBe(128000);
    expect(get_max_token_limit("gpt-3.5-turbo")).toBe(16385);
    expect(get_max_token_limit("gpt-4-32k")).toBe(32768);
    expect(() => get_max_token_limit("llama3")).toThrow(KeyError);
    expect(() => get_max_token_limit("llama3")).toThrow("get_max_token_limit: unknown model 'llama3'. Known models: gpt-3.5-turbo, ");
  });
});

describe("gpt-4o (o200k_base) and gpt-4 (cl100k_base) encodings", () => {
  test("token ids of a fixed string", async () => {
    expect((await load_token_encoding("gpt-4")).encode("hello world")).toEqual([15339, 1917]);
    expect((await load_token_encoding("gpt-4o")).encode("hello world")).toEqual([24912, 2375]);
    expect((await load_token_encoding("o200k_base")).name).toBe("o200k_base");
  });
  test("counts differ by encoding", () => {
    const text = "I'm sorry, but I'm not able to";
    expect(count_token(text, "gpt-4")).toBe(10);
    expect(count_token(text, "gpt-4o")).toBe(8);
    expect(count_token(text, "gpt-4o-2024-08-06")).toBe(8);
    const messages = [
      { role: "system", content: "you are a helpful assistant. af3758 *3 33(3)" },
      { role: "user", content: "hello asdfjj qeweee" },
    ];
    expect(count_token(messages, "gpt-4o")).toBe(34);
  });
  test("names, tool calls (as Python json.dumps) and tool responses", () => {
    const messages = [
      { role: "user", name: "user_proxy", content: "Weather in Paris?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city": "Paris"}' } }],
      },
      { role: "tool", tool_call_id: "call_1", content: "64F" },
    ];
    expect(count_token(messages, "gpt-4")).toBe(
      3 * 3 + 3 + 1 /* name */ + // overhead
        count_token("user") + count_token("user_proxy") + count_token("Weather in Paris?") +
        count_token("assistant") +
        count_token('[{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\"}"}}]') +
        count_token("tool") + count_token("call_1") + count_token("64F"),
    );
  });
});
