/**
 * Chat summaries (spec 20 §4): null, "last_msg", "reflection_with_llm" and callables.
 */
import { BadRequestError, InternalServerError } from "openai";
import { AssistantAgent, ConversableAgent, ValueError, gather_usage_summary, type Message } from "ag2ts";
import { ScriptedModelClient } from "ag2ts/testing";
import { captured, collectWarnings, scriptedAgent } from "./chat-helpers";

const DEFAULT_PROMPT = "Summarize the key takeaways of the conversation. Do not begin with an introductory phrase.";

/** A user that sends one message and stops, and an assistant that replies from a script. */
function pair(script: ConstructorParameters<typeof ScriptedModelClient>[0]) {
  const model = new ScriptedModelClient(script);
  const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config() });
  const user = scriptedAgent("user", { max_consecutive_auto_reply: 0 });
  return { model, assistant, user };
}

describe("summary_method: 'last_msg' (the default)", () => {
  it("returns the recipient's last message with TERMINATE removed and whitespace kept", async () => {
    const alice = scriptedAgent("alice", { max_consecutive_auto_reply: 0 });
    const bob = scriptedAgent("bob", { default_auto_reply: "  Done. TERMINATE \nTERMINATE!" });
    const { result } = await captured(() => alice.initiate_chat(bob, { message: "work" }));
    expect(result.summary).toBe("  Done.  \n!");
    const explicit = await captured(() => alice.initiate_chat(bob, { message: "work", summary_method: "last_msg" }));
    expect(explicit.result.summary).toBe("  Done.  \n!");
  });

  it("reads the recipient's side, which ends with the last message of either agent", async () => {
    const alice = scriptedAgent("alice", { default_auto_reply: "alice's last word", max_consecutive_auto_reply: 1 });
    const bob = scriptedAgent("bob", { default_auto_reply: "bob speaks", max_consecutive_auto_reply: 1 });
    const { result } = await captured(() => alice.initiate_chat(bob, { message: "hi" }));
    expect(result.chat_history.map((m) => m.content)).toEqual(["hi", "bob speaks", "alice's last word"]);
    expect(result.summary).toBe("alice's last word");
  });

  it("joins the text parts of list content, each with TERMINATE removed", async () => {
    const alice = scriptedAgent("alice", { max_consecutive_auto_reply: 0 });
    const bob = scriptedAgent("bob", {
      default_auto_reply: {
        content: [
          { type: "text", text: "part one TERMINATE" },
          { type: "image_url", image_url: { url: "https://example.invalid/x.png" } },
          { type: "text", text: "TERMINATE part two" },
        ],
      },
    });
    const { result } = await captured(() => alice.initiate_chat(bob, { message: "hi" }));
    expect(result.summary).toBe("part one \n part two");
  });

  it("is '' when the last message has null content", async () => {
    const alice = scriptedAgent("alice", { max_consecutive_auto_reply: 0 });
    const bob = scriptedAgent("bob", { default_auto_reply: { content: null, function_call: { name: "f", arguments: "{}" } } });
    const { result } = await captured(() => alice.initiate_chat(bob, { message: "hi" }));
    expect(result.chat_history.at(-1)).toEqual({ content: null, function_call: { name: "f", arguments: "{}" }, role: "assistant" });
    expect(result.summary).toBe("");
  });

  it("warns and returns '' when the recipient never talked to the sender", async () => {
    const alice = scriptedAgent("alice");
    const bob = scriptedAgent("bob");
    const { result, warnings } = await collectWarnings(() => alice._summarize_chat("last_msg", {}, bob));
    expect(result).toBe("");
    expect(warnings).toEqual([
      "Cannot extract summary using last_msg: The agent 'alice' is not present in any conversation. No history available for this agent.. Using an empty str as summary.",
    ]);
  });
});

describe("summary_method: null and callables", () => {
  it("null gives ''", async () => {
    const alice = scriptedAgent("alice", { max_consecutive_auto_reply: 0 });
    const bob = scriptedAgent("bob", { default_auto_reply: "something" });
    const { result } = await captured(() => alice.initiate_chat(bob, { message: "hi", summary_method: null }));
    expect(result.summary).toBe("");
  });

  it("a callable gets (sender, recipient, summary_args) and its value is the summary", async () => {
    const alice = scriptedAgent("alice", { max_consecutive_auto_reply: 0 });
    const bob = scriptedAgent("bob", { default_auto_reply: "answer" });
    const calls: unknown[][] = [];
    const summary_args = { note: "n" };
    const { result } = await captured(() =>
      alice.initiate_chat(bob, {
        message: "hi",
        summary_args,
        summary_method: (sender, recipient, args) => {
          calls.push([sender, recipient, { ...args }]);
          return `${sender.name}->${recipient.name}: ${recipient.last_message(sender)!.content} (${args.note})`;
        },
      }),
    );
    expect(result.summary).toBe("alice->bob: answer (n)");
    expect(calls).toHaveLength(1);
    expect(calls[0][0]).toBe(alice);
    expect(calls[0][1]).toBe(bob);
    expect(calls[0][2]).toEqual({ note: "n", cache: null });
    // The caller's summary_args object is copied, not written to.
    expect(summary_args).toEqual({ note: "n" });
  });

  it("an async callable is awaited; summary_args.cache defaults to the chat cache", async () => {
    const alice = scriptedAgent("alice", { max_consecutive_auto_reply: 0 });
    const bob = scriptedAgent("bob", { default_auto_reply: "answer" });
    const chatCache = { get: async () => undefined, set: async () => {}, close: async () => {} };
    const ownCache = { get: async () => undefined, set: async () => {}, close: async () => {} };
    const seen: unknown[] = [];
    const summary_method = async (_s: ConversableAgent, _r: ConversableAgent, args: Record<string, unknown>) => {
      seen.push(args.cache);
      return "async summary";
    };
    const first = await captured(() => alice.initiate_chat(bob, { message: "hi", cache: chatCache, summary_method }));
    const second = await captured(() =>
      alice.initiate_chat(bob, { message: "hi", cache: chatCache, summary_method, summary_args: { cache: ownCache } }),
    );
    const third = await captured(() => alice.initiate_chat(bob, { message: "hi", summary_method }));
    expect([first.result.summary, second.result.summary, third.result.summary]).toEqual(["async summary", "async summary", "async summary"]);
    expect(seen[0]).toBe(chatCache);
    expect(seen[1]).toBe(ownCache);
    // No leak of an earlier chat's cache into a later call (AG2's mutable default is not reproduced).
    expect(seen[2]).toBeNull();
  });

  it("_summarize_chat rejects an unknown method with AG2's message", async () => {
    const alice = scriptedAgent("alice");
    const bob = scriptedAgent("bob");
    await expect(alice._summarize_chat("first_msg" as "last_msg", {}, bob)).rejects.toThrow(
      new ValueError("If not None, the summary_method must be a string from [`reflection_with_llm`, `last_msg`] or a callable."),
    );
  });
});

describe("summary_method: 'reflection_with_llm'", () => {
  it("sends the history plus a final system message holding the prompt, without the agent's system message", async () => {
    const { model, assistant, user } = pair(["The answer is 4.", "Two plus two is four."]);
    const { result } = await captured(() => user.initiate_chat(assistant, { message: "2+2?", summary_method: "reflection_with_llm" }));
    expect(result.summary).toBe("Two plus two is four.");
    expect(model.requests).toHaveLength(2);
    expect(model.requests[1].messages).toEqual([
      { content: "2+2?", role: "user", name: "user" },
      { content: "The answer is 4.", role: "assistant", name: "assistant" },
      { role: "system", content: DEFAULT_PROMPT },
    ]);
    // The reflection is not stored in the conversation.
    expect(result.chat_history.map((m) => m.content)).toEqual(["2+2?", "The answer is 4."]);
    model.assert_consumed();
  });

  it("uses the recipient's client first", async () => {
    const senderModel = new ScriptedModelClient({ model: "sender-model", script: [] });
    const recipientModel = new ScriptedModelClient({ model: "recipient-model", script: ["reply", "recipient summary"] });
    const sender = new ConversableAgent("sender", { llm_config: senderModel.llm_config(), human_input_mode: "NEVER", max_consecutive_auto_reply: 0 });
    const recipient = new ConversableAgent("recipient", { llm_config: recipientModel.llm_config(), human_input_mode: "NEVER" });
    const { result } = await captured(() => sender.initiate_chat(recipient, { message: "hi", summary_method: "reflection_with_llm" }));
    expect(result.summary).toBe("recipient summary");
    expect(senderModel.requests).toHaveLength(0);
    expect(recipientModel.requests).toHaveLength(2);
    recipientModel.assert_consumed();
  });

  it("falls back to the sender's client", async () => {
    const senderModel = new ScriptedModelClient(["sender summary"]);
    const sender = new ConversableAgent("sender", { llm_config: senderModel.llm_config(), human_input_mode: "NEVER", max_consecutive_auto_reply: 0 });
    const recipient = scriptedAgent("recipient", { default_auto_reply: "fixed reply" });
    const { result } = await captured(() => sender.initiate_chat(recipient, { message: "hi", summary_method: "reflection_with_llm" }));
    expect(result.summary).toBe("sender summary");
    // The history is the recipient's side of the conversation.
    expect(senderModel.requests[0].messages).toEqual([
      { content: "hi", role: "user", name: "sender" },
      { content: "fixed reply", role: "assistant", name: "recipient" },
      { role: "system", content: DEFAULT_PROMPT },
    ]);
  });

  it("summary_args summary_role 'user' and summary_prompt change the final message", async () => {
    const { model, assistant, user } = pair(["reply", "short"]);
    const { result } = await captured(() =>
      user.initiate_chat(assistant, {
        message: "hi",
        summary_method: "reflection_with_llm",
        summary_args: { summary_role: "user", summary_prompt: "One word, please." },
      }),
    );
    expect(result.summary).toBe("short");
    expect(model.requests[1].messages.at(-1)).toEqual({ role: "user", content: "One word, please." });
    expect(model.requests[1].messages).toHaveLength(3);
  });

  it("with no client on either side throws at validation, before any message", async () => {
    const alice = scriptedAgent("alice");
    const bob = scriptedAgent("bob");
    await expect(alice.initiate_chat(bob, { message: "hi", summary_method: "reflection_with_llm" })).rejects.toThrow(
      new ValueError("llm client must be set in either the recipient or sender when summary_method is reflection_with_llm."),
    );
    expect(alice.chat_messages.size).toBe(0);
    expect(bob.chat_messages.size).toBe(0);
  });

  it("called directly without a client it throws 'No OpenAIWrapper client is found.'", async () => {
    const alice = scriptedAgent("alice");
    const bob = scriptedAgent("bob");
    await expect(alice._summarize_chat("reflection_with_llm", {}, bob)).rejects.toThrow(new ValueError("No OpenAIWrapper client is found."));
  });

  it("rejects a non-string summary_prompt or summary_role", async () => {
    const { assistant, user } = pair(["reply"]);
    await expect(
      captured(() =>
        user.initiate_chat(assistant, { message: "hi", summary_method: "reflection_with_llm", summary_args: { summary_prompt: 5 as unknown as string } }),
      ),
    ).rejects.toThrow(new ValueError("The summary_prompt must be a string."));
    await expect(
      user._summarize_chat("reflection_with_llm", { summary_role: ["user"] }, assistant),
    ).rejects.toThrow(new ValueError("The summary_role in summary_arg must be a string."));
  });

  it("unrolls tool responses in the history", async () => {
    const model = new ScriptedModelClient(["weather summary"]);
    const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config() });
    const user = scriptedAgent("user");
    const history: Message[] = [
      { content: "Weather in Oslo?", role: "user", name: "user" },
      { content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "weather", arguments: '{"city":"Oslo"}' } }], role: "assistant" },
      {
        content: "-3C",
        tool_responses: [{ tool_call_id: "call_1", role: "tool", content: "-3C" }],
        role: "tool",
        name: "user",
      },
    ];
    assistant.chat_messages_get(user).push(...history);
    const summary = await user._summarize_chat("reflection_with_llm", {}, assistant);
    expect(summary).toBe("weather summary");
    expect(model.requests[0].messages).toEqual([
      { content: "Weather in Oslo?", role: "user", name: "user" },
      { content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "weather", arguments: '{"city":"Oslo"}' } }], role: "assistant" },
      { tool_call_id: "call_1", role: "tool", content: "-3C" },
      { role: "system", content: DEFAULT_PROMPT },
    ]);
  });

  it("uses the content of a message reply, '' when it has none", async () => {
    const { assistant, user } = pair([
      "reply",
      { content: "text beside a tool call", tool_calls: [{ id: "c1", name: "f", arguments: {} }] },
      "reply 2",
      { content: null, tool_calls: [{ id: "c2", name: "f", arguments: {} }] },
    ]);
    const first = await captured(() => user.initiate_chat(assistant, { message: "hi", summary_method: "reflection_with_llm" }));
    expect(first.result.summary).toBe("text beside a tool call");
    const second = await captured(() => user.initiate_chat(assistant, { message: "hi", summary_method: "reflection_with_llm" }));
    expect(second.result.summary).toBe("");
  });

  it("warns and returns '' on a provider bad-request error", async () => {
    const badRequest = new BadRequestError(400, { message: "context length exceeded" }, "context length exceeded", new Headers());
    const { model, assistant, user } = pair(["reply", { error: badRequest }]);
    const { result: run, warnings } = await collectWarnings(() =>
      captured(() => user.initiate_chat(assistant, { message: "hi", summary_method: "reflection_with_llm" })),
    );
    expect(run.result.summary).toBe("");
    expect(warnings).toEqual([
      `Cannot extract summary using reflection_with_llm: ${badRequest.message}. Using an empty str as summary.`,
    ]);
    expect(badRequest.message).toBe("400 context length exceeded");
    model.assert_consumed();
  });

  it("lets other errors propagate and still restores the caches", async () => {
    const serverError = new InternalServerError(500, { message: "boom" }, "boom", new Headers());
    const { model, assistant, user } = pair(["reply", { error: serverError }]);
    const chatCache = { get: async () => undefined, set: async () => {}, close: async () => {} };
    await expect(
      captured(() => user.initiate_chat(assistant, { message: "hi", summary_method: "reflection_with_llm", cache: chatCache })),
    ).rejects.toBe(serverError);
    expect(user.client_cache).toBeNull();
    expect(assistant.client_cache).toBeNull();
    model.assert_consumed();
  });

  it("counts the reflection's tokens in ChatResult.cost", async () => {
    const { model, assistant, user } = pair([
      { content: "reply", usage: { prompt_tokens: 10, completion_tokens: 2 } },
      { content: "summary", usage: { prompt_tokens: 30, completion_tokens: 3 } },
    ]);
    const { result } = await captured(() => user.initiate_chat(assistant, { message: "hi", summary_method: "reflection_with_llm" }));
    expect(result.cost.usage_excluding_cached_inference).toEqual({
      total_cost: 0,
      scripted: { cost: 0, prompt_tokens: 40, completion_tokens: 5, total_tokens: 45 },
    });
    expect(result.cost).toEqual(gather_usage_summary([user, assistant]));
    model.assert_consumed();
  });
});
