import { mkdtempSync, existsSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AssistantAgent, Cache, IOStream, UserProxyAgent, set_logger } from "ag2ts";
import { CapturingIOStream } from "ag2ts/testing";
import { chatCompletion, FakeServer, openaiError } from "./fake-servers";

let server: FakeServer;
let dir: string;
let cwd: string;
const warnings: string[] = [];
beforeEach(async () => {
  server = await FakeServer.start();
  dir = mkdtempSync(join(tmpdir(), "ag2ts-e2e-"));
  cwd = process.cwd();
  process.chdir(dir);
  warnings.length = 0;
  set_logger((_l, m) => warnings.push(m));
});
afterEach(async () => {
  process.chdir(cwd);
  rmSync(dir, { recursive: true, force: true });
  await server.close();
  set_logger(null);
});

const agents = (llm_config: Record<string, unknown>) => ({
  assistant: new AssistantAgent("assistant", { llm_config }),
  user: new UserProxyAgent("user", { human_input_mode: "NEVER", code_execution_config: false, default_auto_reply: "Go on." }),
});

/** A server that answers from the last user message, so repeated chats are deterministic. */
function echoReply(req: { body: Record<string, any> }) {
  const last = req.body.messages.at(-1).content as string;
  return chatCompletion({ content: `Answer to: ${last}`, model: "gpt-4o-2024-08-06", prompt_tokens: 100, completion_tokens: 20 });
}

describe("agents over a fake OpenAI server", () => {
  test("AssistantAgent chats with a UserProxyAgent; ChatResult.cost sums the usage", async () => {
    for (let i = 0; i < 2; i++) server.enqueue(echoReply);
    const { assistant, user } = agents({ config_list: [{ model: "gpt-4o", api_key: "sk-e2e-SECRET", base_url: server.url, max_retries: 0 }] });
    const io = new CapturingIOStream();
    const result = await IOStream.set_default(io, () => user.initiate_chat(assistant, { message: "What is 2+2?", max_turns: 2 }));
    expect(result.chat_history.map((m) => [m.role, m.content])).toEqual([
      ["assistant", "What is 2+2?"],
      ["user", "Answer to: What is 2+2?"],
      ["assistant", "Go on."],
      ["user", "Answer to: Go on."],
    ]);
    expect(server.requests[0].body.messages[0]).toEqual({ role: "system", content: AssistantAgent.DEFAULT_SYSTEM_MESSAGE });
    const cost = 2 * (100 * 0.0025 + 20 * 0.01) / 1000;
    const usage = { total_cost: cost, "gpt-4o-2024-08-06": { cost, prompt_tokens: 200, completion_tokens: 40, total_tokens: 240 } };
    expect(result.cost.usage_including_cached_inference.total_cost).toBeCloseTo(cost, 12);
    expect(result.cost.usage_excluding_cached_inference["gpt-4o-2024-08-06"]).toEqual(usage["gpt-4o-2024-08-06"]);
    expect(io.output).not.toContain("sk-e2e-SECRET");
    expect(existsSync(join(dir, ".cache"))).toBe(false);
  });

  test("first entry answers 500, second answers: the chat completes and usage shows only the second entry", async () => {
    const other = await FakeServer.start();
    try {
      const { assistant, user } = agents({
        config_list: [
          { model: "gpt-4o", api_key: "k1", base_url: server.url, max_retries: 0 },
          { model: "gpt-4o-mini", api_key: "k2", base_url: other.url, max_retries: 0 },
        ],
      });
      server.enqueue(openaiError(500, "internal", { type: "server_error" }));
      other.enqueue(chatCompletion({ content: "fine", model: "gpt-4o-mini-2024-07-18", prompt_tokens: 30, completion_tokens: 7 }));
      const io = new CapturingIOStream();
      const result = await IOStream.set_default(io, () => user.initiate_chat(assistant, { message: "hi", max_turns: 1 }));
      expect(result.chat_history.at(-1)?.content).toBe("fine");
      expect(Object.keys(result.cost.usage_excluding_cached_inference)).toEqual(["total_cost", "gpt-4o-mini-2024-07-18"]);
      const summary = new CapturingIOStream();
      await IOStream.set_default(summary, () => assistant.print_usage_summary({ mode: "actual" }));
      expect(summary.output).toContain("* Model 'gpt-4o-mini-2024-07-18': cost: 1e-05, prompt_tokens: 30, completion_tokens: 7, total_tokens: 37");
      expect(summary.output).not.toContain("gpt-4o-2024");
    } finally {
      await other.close();
    }
  });

  test("re-running a chat with the same cache_seed makes zero requests", async () => {
    server.enqueue(echoReply, echoReply);
    const config = { config_list: [{ model: "gpt-4o", api_key: "k", base_url: server.url, max_retries: 0 }], cache_seed: 7 };
    const first = agents(config);
    const run1 = await IOStream.set_default(new CapturingIOStream(), () => first.user.initiate_chat(first.assistant, { message: "cached?", max_turns: 2 }));
    expect(server.requests).toHaveLength(2);
    expect(readdirSync(join(dir, ".cache", "7")).filter((f) => f.endsWith(".json"))).toHaveLength(2);

    const second = agents(config);
    const run2 = await IOStream.set_default(new CapturingIOStream(), () => second.user.initiate_chat(second.assistant, { message: "cached?", max_turns: 2 }));
    expect(server.requests).toHaveLength(2);
    expect(run2.chat_history).toEqual(run1.chat_history);
    expect(run2.cost.usage_excluding_cached_inference).toEqual({ total_cost: 0 });
    expect(run2.cost.usage_including_cached_inference).toEqual(run1.cost.usage_including_cached_inference);
  });

  test("initiate_chat with a cache: second identical chat uses no API calls; the cache stays usable", async () => {
    server.enqueue(echoReply);
    const config = { config_list: [{ model: "gpt-4o", api_key: "k", base_url: server.url, max_retries: 0 }] };
    const cache = Cache.disk({ cache_seed: "chat", cache_path_root: join(dir, "store") });
    for (let i = 0; i < 2; i++) {
      const { assistant, user } = agents(config);
      await IOStream.set_default(new CapturingIOStream(), () => user.initiate_chat(assistant, { message: "same", max_turns: 1, cache }));
      expect(assistant.client_cache).toBeNull();
    }
    expect(server.requests).toHaveLength(1);
    await cache.set("after", { ok: 1 });
    expect(await cache.get("after")).toEqual({ ok: 1 });
    await cache.close();
  });

  test("reflection_with_llm summary uses the model; an HTTP 400 gives a warning and an empty summary", async () => {
    server.enqueue(echoReply, chatCompletion({ content: "Summary: 4." }));
    const { assistant, user } = agents({ config_list: [{ model: "gpt-4o", api_key: "k", base_url: server.url, max_retries: 0 }] });
    const result = await IOStream.set_default(new CapturingIOStream(), () =>
      user.initiate_chat(assistant, { message: "2+2?", max_turns: 1, summary_method: "reflection_with_llm" }),
    );
    expect(result.summary).toBe("Summary: 4.");
    expect(server.requests[1].body.messages.at(-1).role).toBe("system");

    server.enqueue(echoReply, openaiError(400, "context too long"));
    const again = agents({ config_list: [{ model: "gpt-4o", api_key: "k", base_url: server.url, max_retries: 0 }] });
    const failed = await IOStream.set_default(new CapturingIOStream(), () =>
      again.user.initiate_chat(again.assistant, { message: "2+2?", max_turns: 1, summary_method: "reflection_with_llm" }),
    );
    expect(failed.summary).toBe("");
    expect(warnings).toContain("Cannot extract summary using reflection_with_llm: 400 context too long. Using an empty str as summary.");
  });
});
