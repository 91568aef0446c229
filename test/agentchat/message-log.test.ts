import { ConversableAgent, type Message } from "ag2ts";
import { ScriptedModelClient } from "ag2ts/testing";

// The message list sent to the model is kept per conversation and extended
// per call (src/agentchat/message-log.ts); these tests pin what the model sees.

function pair(model: { llm_config(): unknown } | Record<string, unknown>) {
  const llm_config = "llm_config" in model && typeof model.llm_config === "function" ? model.llm_config() : model;
  const assistant = new ConversableAgent("assistant", { llm_config: llm_config as never, human_input_mode: "NEVER", system_message: "Be brief." });
  const user = new ConversableAgent("user", { llm_config: false, human_input_mode: "NEVER" });
  return { assistant, user };
}

const view = (messages: Message[]) => messages.map((m) => [m.role, m.content]);

describe("messages sent to the model across calls", () => {
  it("records each request as it was at the time of the call", async () => {
    const model = new ScriptedModelClient(["one", "two"]);
    const { assistant, user } = pair(model);
    await user.send("first", assistant, { request_reply: true, silent: true });
    await user.send("second", assistant, { request_reply: true, silent: true });
    expect(model.request_count).toBe(2);
    expect(view(model.requests[0].messages)).toEqual([
      ["system", "Be brief."],
      ["user", "first"],
    ]);
    expect(view(model.requests[1].messages)).toEqual([
      ["system", "Be brief."],
      ["user", "first"],
      ["assistant", "one"],
      ["user", "second"],
    ]);
    expect(model.requests[1].messages[1]).toEqual({ content: "first", name: "user", role: "user" });
  });

  it("sees a replaced message and a cleared history", async () => {
    const model = new ScriptedModelClient(["a", "b", "c"]);
    const { assistant, user } = pair(model);
    await user.send("hello", assistant, { request_reply: true, silent: true });
    const history = assistant.chat_messages_get(user);
    history[0] = { content: "HELLO (edited)", role: "user", name: "user" };
    await user.send("again", assistant, { request_reply: true, silent: true });
    expect(view(model.requests[1].messages).slice(1)).toEqual([
      ["user", "HELLO (edited)"],
      ["assistant", "a"],
      ["user", "again"],
    ]);
    assistant.clear_history({ recipient: user });
    await user.send("fresh start", assistant, { request_reply: true, silent: true });
    expect(view(model.requests[2].messages)).toEqual([
      ["system", "Be brief."],
      ["user", "fresh start"],
    ]);
  });

  it("sees a message removed from the middle of the history", async () => {
    const model = new ScriptedModelClient(["a", "b", "c"]);
    const { assistant, user } = pair(model);
    await user.send("q1", assistant, { request_reply: true, silent: true });
    await user.send("q2", assistant, { request_reply: true, silent: true });
    assistant.chat_messages_get(user).splice(1, 2); // drops "a" and "q2"
    await user.send("q3", assistant, { request_reply: true, silent: true });
    expect(view(model.requests[2].messages).slice(1)).toEqual([
      ["user", "q1"],
      ["assistant", "b"],
      ["user", "q3"],
    ]);
  });

  it("sees an updated system message", async () => {
    const model = new ScriptedModelClient(["a", "b"]);
    const { assistant, user } = pair(model);
    await user.send("q1", assistant, { request_reply: true, silent: true });
    assistant.update_system_message("Be thorough.");
    await user.send("q2", assistant, { request_reply: true, silent: true });
    expect(model.requests[0].messages[0]).toEqual({ content: "Be brief.", role: "system" });
    expect(model.requests[1].messages[0]).toEqual({ content: "Be thorough.", role: "system" });
    expect(model.requests[1].messages).toHaveLength(4);
  });

  it("gives other clients fresh copies they may change", async () => {
    const seen: Message[][] = [];
    const client = {
      async create(params: { messages: Message[] }) {
        seen.push(params.messages.map((m) => ({ ...m })));
        for (const m of params.messages) m.content = "CLOBBERED";
        params.messages.push({ role: "user", content: "extra" });
        return { choices: [{ message: { role: "assistant", content: `reply ${seen.length}` } }], model: "m" };
      },
      message_retrieval: (r: { choices: Array<{ message: { content: string } }> }) => r.choices.map((c) => c.message.content),
      cost: () => 0,
    };
    const { assistant, user } = pair({ config_list: [{ model: "m", model_client: client }] });
    await user.send("q1", assistant, { request_reply: true, silent: true });
    await user.send("q2", assistant, { request_reply: true, silent: true });
    expect(view(seen[1])).toEqual([
      ["system", "Be brief."],
      ["user", "q1"],
      ["assistant", "reply 1"],
      ["user", "q2"],
    ]);
    expect(view(assistant.chat_messages_get(user))).toEqual([
      ["user", "q1"],
      ["assistant", "reply 1"],
      ["user", "q2"],
      ["assistant", "reply 2"],
    ]);
  });

  it("leaves context, override_role and tool_responses out and unrolls tool responses", async () => {
    const model = new ScriptedModelClient([{ tool_calls: [{ id: "c1", name: "add", arguments: { a: 1, b: 2 } }] }, "3"]);
    const assistant = new ConversableAgent("assistant", { llm_config: model.llm_config(), human_input_mode: "NEVER" });
    const executor = new ConversableAgent("executor", {
      llm_config: false,
      human_input_mode: "NEVER",
      function_map: { add: ({ a, b }: { a: number; b: number }) => a + b },
      is_termination_msg: (m: Message) => m.content === "3",
    });
    const io = { print: () => {}, input: async () => "" };
    const { IOStream } = await import("ag2ts");
    await IOStream.set_default(io, () => executor.initiate_chat(assistant, { message: "add 1 and 2", silent: true }));
    expect(model.requests[1].messages.slice(1)).toEqual([
      { content: "add 1 and 2", role: "user", name: "executor" },
      {
        content: null,
        tool_calls: [{ id: "c1", type: "function", function: { name: "add", arguments: '{"a":1,"b":2}' } }],
        role: "assistant",
      },
      { tool_call_id: "c1", role: "tool", content: "3" },
    ]);
  });
});
