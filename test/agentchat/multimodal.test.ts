import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  FileNotFoundError,
  IOStream,
  MultimodalConversableAgent,
  OpenAIWrapper,
  UserProxyAgent,
  convert_base64_to_data_uri,
  get_image_data,
  gpt4v_formatter,
  set_logger,
} from "ag2ts";
import { CapturingIOStream } from "ag2ts/testing";
import { anthropicMessage, chatCompletion, FakeServer } from "../oai/fake-servers";

// A 1x1 PNG.
const PNG_B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const JPEG_B64 = "/9j/4AAQSkZJRgABAQ==";

let server: FakeServer;
let dir: string;
let png: string;
beforeEach(async () => {
  server = await FakeServer.start();
  dir = mkdtempSync(join(tmpdir(), "ag2ts-img-"));
  png = join(dir, "dot.png");
  writeFileSync(png, Buffer.from(PNG_B64, "base64"));
  set_logger(() => undefined);
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  set_logger(null);
});

describe("vision utilities (AG2 names)", () => {
  test("convert_base64_to_data_uri reads the media type from the data", () => {
    expect(convert_base64_to_data_uri(PNG_B64)).toBe(`data:image/png;base64,${PNG_B64}`);
    expect(convert_base64_to_data_uri(JPEG_B64)).toBe(`data:image/jpeg;base64,${JPEG_B64}`);
    expect(convert_base64_to_data_uri("R0lGODlhAQABAAAAACw=")).toBe("data:image/gif;base64,R0lGODlhAQABAAAAACw=");
    expect(convert_base64_to_data_uri("AAAA")).toBe("data:image/jpeg;base64,AAAA");
  });

  test("get_image_data: a file, a data URI and a URL, as base64 or bytes", async () => {
    expect(await get_image_data(png)).toBe(PNG_B64);
    expect(await get_image_data(`data:image/png;base64,${PNG_B64}`)).toBe(PNG_B64);
    expect(Buffer.from((await get_image_data(png, { use_b64: false })) as Uint8Array).toString("base64")).toBe(PNG_B64);
    const missing = await get_image_data(join(dir, "missing.png")).catch((e) => e);
    expect(missing).toBeInstanceOf(FileNotFoundError);
    expect(missing.message).toBe(`The image file '${join(dir, "missing.png")}' does not exist.`);
    // A URL is fetched (the fake server's body stands in for image bytes).
    server.enqueue({ json: { a: 1 } });
    expect(await get_image_data(`${server.url}/cat.png`)).toBe(Buffer.from('{"a":1}').toString("base64"));
    expect(`${server.requests[0].method} ${server.requests[0].url}`).toBe("GET /cat.png");
  });

  test("gpt4v_formatter splits text at <img> tags: files become data URIs, URLs stay", () => {
    expect(gpt4v_formatter(`What is in <img ${png}> and <img https://example.com/cat.jpg>?`)).toEqual([
      { type: "text", text: "What is in " },
      { type: "image_url", image_url: { url: `data:image/png;base64,${PNG_B64}` } },
      { type: "text", text: " and " },
      { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
      { type: "text", text: "?" },
    ]);
    expect(gpt4v_formatter(`<img ${png}>`, { img_format: "url" })).toEqual([{ type: "image_url", image_url: { url: png } }]);
    expect(gpt4v_formatter("no images")).toEqual([{ type: "text", text: "no images" }]);
    expect(() => gpt4v_formatter(`<img ${join(dir, "nope.png")}>`)).toThrow(FileNotFoundError);
  });
});

const question = () => `What is in <img ${png}> and <img https://example.com/cat.jpg>?`;
const userParts = () => [
  { type: "text", text: "What is in " },
  { type: "image_url", image_url: { url: `data:image/png;base64,${PNG_B64}` } },
  { type: "text", text: " and " },
  { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
  { type: "text", text: "?" },
];

async function ask(llm_config: Record<string, unknown>): Promise<string> {
  const vision = new MultimodalConversableAgent("vision", { llm_config, human_input_mode: "NEVER" });
  const user = new UserProxyAgent("user", { human_input_mode: "NEVER", code_execution_config: false });
  const io = new CapturingIOStream();
  await IOStream.set_default(io, () => user.initiate_chat(vision, { message: question(), max_turns: 1 }));
  return io.output;
}

describe("MultimodalConversableAgent", () => {
  test("through OpenAI: <img> tags become image parts; the printed conversation shows <image>", async () => {
    server.enqueue(chatCompletion({ content: "A dot and a cat." }));
    const output = await ask({ config_list: [{ model: "gpt-4o-mini", api_key: "sk-test", base_url: `${server.url}/v1`, max_retries: 0 }] });
    expect(server.requests[0].body).toEqual({
      model: "gpt-4o-mini",
      messages: [
        { role: "system", content: [{ type: "text", text: "You are a helpful AI assistant." }] },
        { role: "user", name: "user", content: userParts() },
      ],
    });
    expect(output).toBe(
      "user (to vision):\n\nWhat is in \n<image>\n and \n<image>\n?\n\n" + "-".repeat(80) + "\n" +
        "vision (to user):\n\nA dot and a cat.\n\n" + "-".repeat(80) + "\n",
    );
  });

  test("through Anthropic: data URIs become base64 image blocks, URLs url blocks", async () => {
    server.enqueue(anthropicMessage({ content: [{ type: "text", text: "A dot and a cat." }] }));
    await ask({ config_list: [{ model: "claude-haiku-4-5", api_type: "anthropic", api_key: "sk-ant", base_url: server.url, max_retries: 0 }] });
    expect(server.requests[0].body).toEqual({
      model: "claude-haiku-4-5",
      system: "You are a helpful AI assistant.",
      max_tokens: 4096,
      temperature: 1,
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is in " },
            { type: "image", source: { type: "base64", media_type: "image/png", data: PNG_B64 } },
            { type: "text", text: " and " },
            { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
            { type: "text", text: "?" },
          ],
        },
      ],
    });
  });
});

test("image parts given to create reach OpenAI unchanged", async () => {
  server.enqueue(chatCompletion({ content: "ok" }));
  const client = new OpenAIWrapper({ config_list: [{ model: "gpt-4o-mini", api_key: "sk", base_url: `${server.url}/v1`, max_retries: 0 }] });
  await client.create({ messages: [{ role: "user", content: userParts() as never }] });
  expect(server.requests[0].body.messages).toEqual([{ role: "user", content: userParts() }]);
});
