/**
 * Issue #10: ChatResult.stop_reason and stopped_by, one test per reason,
 * for two-agent chats and group chats.
 */
import { AbortError, Agent, GroupChat, GroupChatManager, type AG2Event, type ChatResult, type Message } from "ag2ts";
import { captured, pairs, plain } from "./helpers";

const says = (word: string) => (m: Message) => m.content === word;

function stopOf(result: ChatResult) {
  return [result.stop_reason, result.stopped_by];
}

describe("ChatResult.stop_reason in a two-agent chat", () => {
  it("max_turns: the turn limit ends the chat, no agent stopped it", async () => {
    const a = plain("a", { default_auto_reply: "ping" });
    const b = plain("b", { default_auto_reply: "pong" });
    const { result } = await captured(() => a.initiate_chat(b, { message: "start", max_turns: 2 }));
    expect(pairs(result.chat_history).map((p) => p[1])).toEqual(["start", "pong", "ping", "pong"]);
    expect(stopOf(result)).toEqual(["max_turns", null]);
  });

  it("termination_msg: the agent whose is_termination_msg matched", async () => {
    const a = plain("a", { default_auto_reply: "more", is_termination_msg: says("bye") });
    const b = plain("b", { default_auto_reply: "bye" });
    const { result } = await captured(() => a.initiate_chat(b, { message: "hi" }));
    expect(pairs(result.chat_history).map((p) => p[1])).toEqual(["hi", "bye"]);
    expect(stopOf(result)).toEqual(["termination_msg", "a"]);
  });

  it("termination_msg in TERMINATE mode when the human just presses enter", async () => {
    const a = plain("a", { human_input_mode: "TERMINATE", is_termination_msg: says("bye") });
    const b = plain("b", { default_auto_reply: "bye" });
    const { result, io } = await captured(() => a.initiate_chat(b, { message: "hi" }), [""]);
    expect(io.prompts).toEqual(["Give feedback to b. Press enter or type 'exit' to stop the conversation: "]);
    expect(stopOf(result)).toEqual(["termination_msg", "a"]);
  });

  it("human_exit: the human typed exit", async () => {
    const a = plain("a", { human_input_mode: "ALWAYS" });
    const b = plain("b", { default_auto_reply: "hello" });
    const events: AG2Event[] = [];
    const { result } = await captured(() => a.initiate_chat(b, { message: "hi", on_event: (e) => events.push(e) }), ["exit"]);
    expect(pairs(result.chat_history).map((p) => p[1])).toEqual(["hi", "hello"]);
    expect(stopOf(result)).toEqual(["human_exit", "a"]);
    expect(result.human_input).toEqual(["exit"]);
    expect(events.filter((e) => e.type === "human_input_requested").map((e) => e.type === "human_input_requested" && e.agent)).toEqual(["a"]);
  });

  it("max_consecutive_auto_reply: the agent that ran out of auto replies", async () => {
    const a = plain("a", { default_auto_reply: "again", max_consecutive_auto_reply: 2 });
    const b = plain("b", { default_auto_reply: "ok" });
    const { result } = await captured(() => a.initiate_chat(b, { message: "hi" }));
    expect(pairs(result.chat_history).map((p) => p[1])).toEqual(["hi", "ok", "again", "ok", "again", "ok"]);
    expect(stopOf(result)).toEqual(["max_consecutive_auto_reply", "a"]);
  });

  it("no_reply: a reply function ended the chat with a null reply", async () => {
    const a = plain("a");
    const b = plain("b");
    b.register_reply([Agent, null], () => [true, null]);
    const events: AG2Event[] = [];
    const { result } = await captured(() => a.initiate_chat(b, { message: "hi", on_event: (e) => events.push(e) }));
    expect(pairs(result.chat_history).map((p) => p[1])).toEqual(["hi"]);
    expect(stopOf(result)).toEqual(["no_reply", "b"]);
    expect(events.filter((e) => e.type === "termination")).toEqual([
      { type: "termination", agent: "b", stop_reason: "no_reply", reason: "Agent 'b' has no reply", path: ["chat:1"] },
    ]);
  });

  it("no_reply with max_turns: the sender had nothing to say on a later turn", async () => {
    const a = plain("a");
    a.register_reply([Agent, null], () => [true, null]);
    const b = plain("b", { default_auto_reply: "ok" });
    const { result } = await captured(() => a.initiate_chat(b, { message: "hi", max_turns: 3 }));
    expect(pairs(result.chat_history).map((p) => p[1])).toEqual(["hi", "ok"]);
    expect(stopOf(result)).toEqual(["no_reply", "a"]);
  });

  it("error: the chat rejects with the error, which carries the partial result", async () => {
    const a = plain("a");
    const b = plain("b");
    b.register_reply([Agent, null], () => {
      throw new Error("reply crashed");
    });
    const events: AG2Event[] = [];
    const error = await captured(() => a.initiate_chat(b, { message: "hi", on_event: (e) => events.push(e) })).catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe("reply crashed");
    const partial = error.chat_result as ChatResult;
    expect(stopOf(partial)).toEqual(["error", null]);
    expect(pairs(partial.chat_history).map((p) => p[1])).toEqual(["hi"]);
    expect(events.slice(-2)).toEqual([
      { type: "error", name: "Error", message: "reply crashed", path: ["chat:1"] },
      { type: "chat_end", sender: "a", recipient: "b", stop_reason: "error", stopped_by: null, summary: "", messages: 1, path: ["chat:1"] },
    ]);
  });

  it("error: a stream's result rejects and its iterator throws after the last event", async () => {
    const a = plain("a");
    const b = plain("b");
    b.register_reply([Agent, null], () => {
      throw new Error("reply crashed");
    });
    const run = a.initiate_chat_stream(b, { message: "hi", silent: true });
    const seen: string[] = [];
    const thrown = await (async () => {
      for await (const event of run) seen.push(event.type);
    })().catch((e) => e);
    expect(thrown.message).toBe("reply crashed");
    expect(seen.slice(-2)).toEqual(["error", "chat_end"]);
    await expect(run.result).rejects.toThrow("reply crashed");
  });
});

describe("ChatResult.stop_reason of a group chat", () => {
  function group(options: { max_round?: number; manager_termination?: (m: Message) => boolean; members?: ReturnType<typeof plain>[] } = {}) {
    const members = options.members ?? ["x", "y"].map((name) => plain(name, { default_auto_reply: `${name} speaks` }));
    const gc = new GroupChat({ agents: members, messages: [], max_round: options.max_round ?? 10, speaker_selection_method: "round_robin" });
    const manager = new GroupChatManager({ groupchat: gc, llm_config: false, ...(options.manager_termination ? { is_termination_msg: options.manager_termination } : {}) });
    return { gc, manager };
  }

  it("max_round: stopped by the manager", async () => {
    const { gc, manager } = group({ max_round: 3 });
    const { result } = await captured(() => plain("me").initiate_chat(manager, { message: "go" }));
    expect(pairs(gc.messages).map((p) => p[1])).toEqual(["go", "x speaks", "y speaks"]);
    expect(stopOf(result)).toEqual(["max_round", "chat_manager"]);
    expect(manager.termination_reason).toBe("Maximum rounds (3) reached");
  });

  it("termination_msg on the manager", async () => {
    const { gc, manager } = group({ manager_termination: says("y speaks") });
    const { result } = await captured(() => plain("me").initiate_chat(manager, { message: "go" }));
    expect(pairs(gc.messages).map((p) => p[1])).toEqual(["go", "x speaks", "y speaks"]);
    expect(stopOf(result)).toEqual(["termination_msg", "chat_manager"]);
  });

  it("termination_msg of a member: the member that refused to answer", async () => {
    const x = plain("x", { default_auto_reply: "DONE" });
    const y = plain("y", { default_auto_reply: "y speaks", is_termination_msg: says("DONE") });
    const { gc, manager } = group({ members: [x, y] });
    const { result } = await captured(() => plain("me").initiate_chat(manager, { message: "go" }));
    expect(pairs(gc.messages).map((p) => p[1])).toEqual(["go", "DONE"]);
    expect(stopOf(result)).toEqual(["termination_msg", "y"]);
  });

  it("max_consecutive_auto_reply of a member", async () => {
    const x = plain("x", { default_auto_reply: "x speaks", max_consecutive_auto_reply: 1 });
    const y = plain("y", { default_auto_reply: "y speaks" });
    const { gc, manager } = group({ members: [x, y] });
    const { result } = await captured(() => plain("me").initiate_chat(manager, { message: "go" }));
    expect(pairs(gc.messages).map((p) => p[1])).toEqual(["go", "x speaks", "y speaks"]);
    expect(stopOf(result)).toEqual(["max_consecutive_auto_reply", "x"]);
  });

  it("no_reply when no speaker can be selected", async () => {
    const members = ["x", "y"].map((name) => plain(name, { default_auto_reply: `${name} speaks` }));
    const gc = new GroupChat({ agents: members, messages: [], max_round: 10, speaker_selection_method: () => null });
    const manager = new GroupChatManager({ groupchat: gc, llm_config: false });
    const events: AG2Event[] = [];
    const { result } = await captured(() => plain("me").initiate_chat(manager, { message: "go", on_event: (e) => events.push(e) }));
    expect(stopOf(result)).toEqual(["no_reply", "chat_manager"]);
    expect(events.filter((e) => e.type === "termination")).toEqual([
      { type: "termination", agent: "chat_manager", stop_reason: "no_reply", reason: "No next speaker selected", path: ["chat:1", "group:chat_manager"] },
    ]);
  });
});

describe("GroupChatManager.run_chat called directly", () => {
  it("takes on_event (events carry the group path) and a signal (rejects with AbortError, a lower-level call)", async () => {
    const members = ["x", "y"].map((name) => plain(name, { default_auto_reply: `${name} speaks` }));
    const gc = new GroupChat({ agents: members, messages: [], max_round: 3, speaker_selection_method: "round_robin" });
    const manager = new GroupChatManager({ groupchat: gc, llm_config: false, silent: true });
    const me = plain("me");
    const events: AG2Event[] = [];
    await captured(() => manager.run_chat({ messages: [{ content: "go", role: "user", name: "me" }], sender: me, on_event: (e) => events.push(e) }));
    expect(pairs(gc.messages).map((p) => p[1])).toEqual(["go", "x speaks", "y speaks"]);
    expect(events.filter((e) => e.type === "group_chat_next_speaker").map((e) => [e.type === "group_chat_next_speaker" && e.agent, e.path])).toEqual([
      ["x", ["group:chat_manager"]],
      ["y", ["group:chat_manager"]],
    ]);
    expect(events.at(-1)).toEqual({ type: "termination", agent: "chat_manager", stop_reason: "max_round", reason: "Maximum rounds (3) reached", path: ["group:chat_manager"] });

    gc.reset();
    const controller = new AbortController();
    controller.abort();
    await expect(
      captured(() => manager.run_chat({ messages: [{ content: "go", role: "user", name: "me" }], sender: me, signal: controller.signal })),
    ).rejects.toThrow(AbortError);
    expect(gc.messages).toEqual([]);
  });
});
