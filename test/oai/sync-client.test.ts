/**
 * A custom model client whose `create` answers synchronously (as AG2's
 * custom clients do) is answered without a promise inside the library
 * (OpenAIWrapper.createNow, the reply chain). What a user sees must be the
 * same as with a client that answers with a promise: responses, usage,
 * errors, caches, filters, aborts. Every test runs both kinds.
 */
import { AbortError, ConversableAgent, InMemoryCache, OpenAIWrapper, TimeoutError, type ModelClientResponse } from "ag2ts";

interface Log {
  requests: Array<Record<string, unknown>>;
}

/** An AG2-style client: answers `reply-<n>` with fixed usage; `fail` makes the next call throw it. */
function clientClass(kind: "sync" | "async") {
  return class EchoClient {
    static fail: unknown = null;
    constructor(
      readonly config: Record<string, unknown>,
      readonly options: Record<string, unknown> = {},
    ) {}
    create(params: Record<string, unknown>): ModelClientResponse | Promise<ModelClientResponse> {
      const log = this.options.log as Log;
      // The messages list is lent for the call (ModelClient.create): a copy is kept.
      log.requests.push({ ...params, messages: [...(params.messages as unknown[])] });
      const fail = EchoClient.fail;
      EchoClient.fail = null;
      const answer = (): ModelClientResponse => {
        if (fail) throw fail;
        return {
          id: `r${log.requests.length}`,
          model: "echo-model",
          choices: [{ index: 0, message: { role: "assistant", content: `reply-${log.requests.length}` }, finish_reason: "stop" }],
          usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 },
        } as ModelClientResponse;
      };
      return kind === "sync" ? answer() : Promise.resolve().then(answer);
    }
    message_retrieval(response: ModelClientResponse) {
      return (response as { choices: Array<{ message: { content: string } }> }).choices.map((c) => c.message.content);
    }
    cost() {
      return 0.5;
    }
    static get_usage(response: ModelClientResponse) {
      const usage = (response as { usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } }).usage;
      return { ...usage, cost: 0.5, model: "echo-model" };
    }
  };
}

function wrapperWith(kind: "sync" | "async", entry: Record<string, unknown> = {}) {
  const Client = clientClass(kind);
  const log: Log = { requests: [] };
  const wrapper = new OpenAIWrapper({ config_list: [{ model: "echo-model", model_client_cls: "EchoClient", ...entry }] });
  wrapper.register_model_client(Client, { log });
  return { wrapper, log, Client };
}

const timeoutLike = () => Object.assign(new Error("Request timed out."), { name: "APIConnectionTimeoutError" });
const apiErrorLike = () => Object.assign(new Error("400 bad request"), { status: 400 });

describe.each(["sync", "async"] as const)("a custom client answering %sly", (kind) => {
  it("create resolves with the response, its entry, its cost, and the usage booked", async () => {
    const { wrapper, log } = wrapperWith(kind);
    const response = await wrapper.create({ messages: [{ role: "user", content: "hi" }] });
    expect(response).toMatchObject({ id: "r1", config_id: 0, pass_filter: true, cost: 0.5 });
    expect(Object.keys(response)).not.toContain("message_retrieval_function");
    expect(wrapper.extract_text_or_completion_object(response)).toEqual(["reply-1"]);
    expect(log.requests).toEqual([{ messages: [{ role: "user", content: "hi" }], model: "echo-model" }]);
    const summary = { total_cost: 0.5, "echo-model": { cost: 0.5, prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 } };
    expect(wrapper.actual_usage_summary).toEqual(summary);
    expect(wrapper.total_usage_summary).toEqual(summary);
  });

  it("a client that throws: timeouts become TimeoutError, other errors reject as they are", async () => {
    const { wrapper, Client } = wrapperWith(kind);
    Client.fail = timeoutLike();
    const timedOut = wrapper.create({ messages: [{ role: "user", content: "hi" }] });
    await expect(timedOut).rejects.toBeInstanceOf(TimeoutError);
    await expect(timedOut).rejects.toThrow(/^OpenAI API call timed out\./);
    Client.fail = apiErrorLike();
    await expect(wrapper.create({ messages: [{ role: "user", content: "hi" }] })).rejects.toThrow("400 bad request");
    expect(wrapper.actual_usage_summary).toBeNull();
  });

  it("an aborted signal rejects before the client is asked", async () => {
    const { wrapper, log } = wrapperWith(kind);
    const controller = new AbortController();
    controller.abort();
    await expect(wrapper.create({ messages: [{ role: "user", content: "hi" }], signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    expect(log.requests).toHaveLength(0);
  });

  it("a cache answers the repeated request; a filter sees every response", async () => {
    const { wrapper, log } = wrapperWith(kind);
    const cache = new InMemoryCache();
    const request = { messages: [{ role: "user", content: "same" }], cache };
    const first = await wrapper.create(request);
    const second = await wrapper.create(request);
    expect([first.id, second.id, log.requests.length]).toEqual(["r1", "r1", 1]);
    expect(wrapper.actual_usage_summary?.total_cost).toBe(0.5);
    expect(wrapper.total_usage_summary?.total_cost).toBe(1);
    const seen: string[] = [];
    const filtered = await wrapper.create({
      messages: [{ role: "user", content: "other" }],
      filter_func: ({ response }: { response: ModelClientResponse }) => {
        seen.push(String((response as unknown as { id: string }).id));
        return false;
      },
    });
    expect(seen).toEqual(["r2"]);
    expect(filtered.pass_filter).toBe(false);
  });

  it("in a chat: the same history, usage and summary", async () => {
    const { Client } = wrapperWith(kind);
    const log: Log = { requests: [] };
    const assistant = new ConversableAgent("assistant", {
      llm_config: { config_list: [{ model: "echo-model", model_client_cls: "EchoClient" }] },
      human_input_mode: "NEVER",
    });
    assistant.register_model_client(Client, { log });
    const user = new ConversableAgent("user", { llm_config: false, human_input_mode: "NEVER", default_auto_reply: "more" });
    const result = await user.initiate_chat(assistant, { message: "start", max_turns: 3, silent: true });
    expect(result.chat_history.map((m) => [m.role, m.content])).toEqual([
      ["assistant", "start"],
      ["user", "reply-1"],
      ["assistant", "more"],
      ["user", "reply-2"],
      ["assistant", "more"],
      ["user", "reply-3"],
    ]);
    expect(log.requests.map((r) => (r.messages as unknown[]).length)).toEqual([2, 4, 6]);
    expect(result.summary).toBe("reply-3");
    expect(result.cost.usage_excluding_cached_inference).toEqual({
      total_cost: 1.5,
      "echo-model": { cost: 1.5, prompt_tokens: 30, completion_tokens: 60, total_tokens: 90 },
    });
  });

  it("in a chat: an error thrown by the client fails the chat with that error", async () => {
    const { Client } = wrapperWith(kind);
    const assistant = new ConversableAgent("assistant", {
      llm_config: { config_list: [{ model: "echo-model", model_client_cls: "EchoClient" }] },
      human_input_mode: "NEVER",
    });
    assistant.register_model_client(Client, { log: { requests: [] } });
    const user = new ConversableAgent("user", { llm_config: false, human_input_mode: "NEVER" });
    Client.fail = new RangeError("client broke");
    const failed = user.initiate_chat(assistant, { message: "start", max_turns: 2, silent: true });
    await expect(failed).rejects.toThrow(RangeError);
    const err = (await failed.catch((e: unknown) => e)) as { chat_result: { stop_reason: string; chat_history: unknown[] } };
    expect(err.chat_result.stop_reason).toBe("error");
    expect(err.chat_result.chat_history).toEqual([{ role: "assistant", content: "start", name: "user" }]);
  });
});
