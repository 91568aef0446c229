import { AssistantAgent, ConversableAgent, GroupChat, GroupChatManager, set_logger, type Message } from "ag2ts";
import { ScriptedModelClient } from "ag2ts/testing";
import { capture, collectLogs, member, rnc } from "./helpers";

afterEach(() => set_logger(null));

function team(script: string[] = []) {
  const model = new ScriptedModelClient(script);
  const planner = new AssistantAgent("planner", { llm_config: model.llm_config(), description: "Plans." });
  const executor = new ConversableAgent("executor", {
    llm_config: false,
    human_input_mode: "NEVER",
    description: "Runs tools.",
    function_map: { get_weather: ({ city }: { city: string }) => `sunny in ${city}` },
  });
  const gc = new GroupChat({ agents: [planner, executor], speaker_selection_method: "round_robin", send_introductions: true });
  const manager = new GroupChatManager({ groupchat: gc, is_termination_msg: (m) => String(m.content).includes("TERMINATE") });
  return { model, planner, executor, gc, manager };
}

const saved: Message[] = [
  { content: "Weather in Paris?", role: "user", name: "Admin" },
  {
    content: "",
    role: "assistant",
    name: "planner",
    tool_calls: [{ id: "call_w", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
  },
  { content: "sunny in Paris", role: "tool", name: "executor", tool_responses: [{ tool_call_id: "call_w", role: "tool", content: "sunny in Paris" }] },
  { content: "It is sunny. TERMINATE", role: "user", name: "planner" },
];

describe("resume (spec 30 §7.6)", () => {
  it("rebuilds the transcript and histories from JSON with tool-call messages, returns the last speaker and message", async () => {
    const logs = collectLogs();
    const { planner, executor, gc, manager } = team();
    const { io, result } = await capture(() => manager.resume(manager.messages_to_string(saved), { remove_termination_string: "TERMINATE" }));
    const [speaker, last] = result;
    expect(speaker).toBe(planner);
    expect(last).toEqual({ content: "It is sunny. ", role: "user", name: "planner" });
    expect(gc.messages.map((m) => [m.role, m.name, m.content])).toEqual([
      ["user", "Admin", "Weather in Paris?"],
      ["assistant", "planner", ""],
      ["tool", "executor", "sunny in Paris"],
    ]);
    expect(gc.messages[1].tool_calls).toEqual(saved[1].tool_calls);
    expect(rnc(planner.chat_messages_get(manager))).toEqual([
      ["user", "Admin", "Weather in Paris?"],
      ["assistant", "planner", ""],
      ["tool", "executor", "sunny in Paris"],
    ]);
    expect(rnc(executor.chat_messages_get(manager))).toEqual([
      ["user", "Admin", "Weather in Paris?"],
      ["assistant", "planner", ""],
      ["tool", "executor", "sunny in Paris"],
    ]);
    expect(planner.chat_messages_get(manager)[1].tool_calls).toEqual(saved[1].tool_calls);
    expect(io.output).toBe("Prepared group chat with 4 messages, the last speaker is planner\n");
    expect(gc.send_introductions).toBe(false);
    expect(logs).toEqual([]);
    // The saved messages are not modified.
    expect(saved[3].content).toBe("It is sunny. TERMINATE");
  });

  it("continues the chat from the resumed state without re-sending introductions", async () => {
    const { model, planner, executor, gc, manager } = team(["Anything else? TERMINATE"]);
    const [speaker, last] = await capture(() => manager.resume(saved, { remove_termination_string: (c) => c.replace(" TERMINATE", ""), silent: true })).then((r) => r.result);
    expect(speaker).toBe(planner);
    await capture(() => (speaker as ConversableAgent).initiate_chat(manager, { message: last, clear_history: false }));
    expect(gc.messages.map((m) => [m.name, m.content])).toEqual([
      ["Admin", "Weather in Paris?"],
      ["planner", ""],
      ["executor", "sunny in Paris"],
      ["planner", "It is sunny."],
      ["executor", ""],
      ["planner", "Anything else? TERMINATE"],
    ]);
    expect(executor.chat_messages_get(manager).some((m) => String(m.content).startsWith(GroupChat.DEFAULT_INTRO_MSG))).toBe(false);
    // The planner's model saw the resumed history, tool call and response included.
    expect(model.requests[0].messages.slice(1).map((m: Message) => [m.role, m.content])).toEqual([
      ["user", "Weather in Paris?"],
      ["assistant", ""],
      ["tool", "sunny in Paris"],
      ["assistant", "It is sunny."],
      ["user", ""],
    ]);
  });

  it("names unnamed messages (a ChatResult history) after the manager", async () => {
    const { gc, manager } = team();
    const [speaker, last] = (await capture(() => manager.resume([{ content: "hi", role: "user" }, { content: "go on", role: "user" }]))).result;
    expect(speaker).toBe(manager);
    expect(last.name).toBe("chat_manager");
    expect(gc.messages).toEqual([{ content: "hi", role: "user", name: "chat_manager" }]);
  });

  it("warns when the last message still terminates the chat", async () => {
    const logs = collectLogs();
    const { manager } = team();
    await capture(() => manager.resume(saved, { silent: true }));
    expect(logs).toEqual(["The last message meets the termination condition, so the resumed chat may end immediately."]);
  });

  it("rejects unknown names, empty lists and other types", async () => {
    const { manager } = team();
    await expect(manager.resume([{ content: "x", name: "stranger" }])).rejects.toThrow(
      "Agent name in message doesn't exist as agent in group chat: stranger",
    );
    await expect(manager.resume([])).rejects.toThrow(
      "Cannot resume group chat as no messages were provided. Use GroupChatManager.run_chat or ConversableAgent.initiate_chat to start a new chat.",
    );
    await expect(manager.resume([42] as never)).rejects.toThrow("Messages is not of type str or List[Dict]");
    await expect(manager.resume("not json")).rejects.toThrow("Messages string is not a valid JSON string");
  });

  it("clears previous state of members, manager and transcript", async () => {
    const { planner, gc, manager } = team();
    const other = member("other");
    manager.chat_messages_get(other).push({ content: "old", role: "user" });
    planner.chat_messages_get(other).push({ content: "old", role: "user" });
    gc.messages.push({ content: "old" });
    await capture(() => manager.resume(saved.slice(0, 2), { silent: true }));
    expect(manager.chat_messages.has(other)).toBe(false);
    expect(planner.chat_messages.has(other)).toBe(false);
    expect(gc.messages.map((m) => m.content)).toEqual(["Weather in Paris?"]);
  });
});
