/**
 * The run context travels without AsyncLocalStorage on the library's own
 * path (src/core/run-context.ts): a chat's stop record, its caches and
 * its nesting survive every await the library makes, also with async hooks,
 * reply functions, termination checks and models, and with chats running at
 * the same time. AsyncLocalStorage carries it into a user's own async code
 * only when the run has a signal or an event listener; these tests cover
 * both ways.
 */
import { Agent, ConversableAgent, GroupChat, GroupChatManager, type AG2Event, type ChatResult, type Message } from "ag2ts";
import { ScriptedModelClient, type ScriptedRequest } from "ag2ts/testing";
import { captured, pairs, plain } from "../events/helpers";

/** A turn of the event loop (a macrotask), so that whatever else is queued runs meanwhile. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const stopOf = (result: ChatResult) => [result.stop_reason, result.stopped_by];
const says = (word: string) => (m: Message) => m.content === word;

/** A model that answers `texts` in order, each after a turn of the event loop. */
function slowModel(texts: string[]) {
  return new ScriptedModelClient(
    texts.map((text) => async (_request: ScriptedRequest) => {
      await tick();
      return text;
    }),
  );
}

/**
 * Registers on `agent` a reply function that waits a turn of the event loop,
 * then runs a one-turn chat with `helper` and answers with its summary
 * (`prefix` + summary); returns the nested chats' results as they finish.
 */
function nestedChatAfterAwait(agent: ConversableAgent, helper: ConversableAgent, prefix = "", silent = false): ChatResult[] {
  const inner: ChatResult[] = [];
  agent.register_reply([Agent, null], async (recipient) => {
    await tick();
    const result = await recipient.initiate_chat(helper, { message: "sub task", max_turns: 1, silent });
    inner.push(result);
    return [true, `${prefix}${result.summary}`];
  });
  return inner;
}

describe("the library's own awaits keep the chat's context (no signal, no listener)", () => {
  it("async hooks, an async reply function and an async termination check: the stop is recorded in the chat", async () => {
    const a = plain("a", { default_auto_reply: "again", max_consecutive_auto_reply: 2 });
    const b = plain("b", {
      default_auto_reply: "ok",
      is_termination_msg: async (m: Message) => {
        await tick();
        return m.content === "never";
      },
    });
    a.register_hook("process_message_before_send", async ({ message }) => {
      await tick();
      return message;
    });
    b.register_hook("process_all_messages_before_reply", async (messages) => {
      await tick();
      return messages;
    });
    const seen: string[] = [];
    a.register_reply([Agent, null], async (_recipient, messages) => {
      await tick();
      seen.push(String(messages?.at(-1)?.content));
      return [false, null];
    });
    const { result } = await captured(() => a.initiate_chat(b, { message: "hi" }));
    expect(pairs(result.chat_history).map((p) => p[1])).toEqual(["hi", "ok", "again", "ok", "again", "ok"]);
    expect(seen).toEqual(["ok", "ok", "ok"]);
    expect(stopOf(result)).toEqual(["max_consecutive_auto_reply", "a"]);
  });

  it("a human reply typed after a wait: human_exit is recorded for the agent that asked", async () => {
    const a = plain("a", { human_input_mode: "ALWAYS" });
    const b = new ConversableAgent("b", { llm_config: slowModel(["hello", "again"]).llm_config(), human_input_mode: "NEVER" });
    const { result, io } = await captured(() => a.initiate_chat(b, { message: "hi" }), ["more", "exit"]);
    expect(pairs(result.chat_history).map((p) => p[1])).toEqual(["hi", "hello", "more", "again"]);
    expect(io.prompts).toHaveLength(2);
    expect(stopOf(result)).toEqual(["human_exit", "a"]);
  });

  it("two chats at once, each with async models: each gets its own stop reason", async () => {
    const a1 = plain("a1", { is_termination_msg: says("done") });
    const b1 = new ConversableAgent("b1", { llm_config: slowModel(["working", "done"]).llm_config(), human_input_mode: "NEVER" });
    const a2 = plain("a2", { default_auto_reply: "go on", max_consecutive_auto_reply: 1 });
    const b2 = new ConversableAgent("b2", { llm_config: slowModel(["step 1", "step 2"]).llm_config(), human_input_mode: "NEVER" });
    a1._default_auto_reply = "continue";
    const [r1, r2] = await captured(() =>
      Promise.all([a1.initiate_chat(b1, { message: "task 1" }), a2.initiate_chat(b2, { message: "task 2" })]),
    ).then(({ result }) => result);
    expect(pairs(r1.chat_history).map((p) => p[1])).toEqual(["task 1", "working", "continue", "done"]);
    expect(stopOf(r1)).toEqual(["termination_msg", "a1"]);
    expect(pairs(r2.chat_history).map((p) => p[1])).toEqual(["task 2", "step 1", "go on", "step 2"]);
    expect(stopOf(r2)).toEqual(["max_consecutive_auto_reply", "a2"]);
  });

  it("a group chat with async speakers: the speaker that ran out of auto replies ends it", async () => {
    const writer = new ConversableAgent("writer", {
      llm_config: slowModel(["draft 1", "draft 2"]).llm_config(),
      human_input_mode: "NEVER",
      max_consecutive_auto_reply: 1,
    });
    const critic = new ConversableAgent("critic", { llm_config: slowModel(["critique 1"]).llm_config(), human_input_mode: "NEVER" });
    const user = plain("user");
    const gc = new GroupChat({ agents: [user, writer, critic], messages: [], max_round: 10, speaker_selection_method: "round_robin" });
    const manager = new GroupChatManager({ groupchat: gc, llm_config: false });
    const { result } = await captured(() => user.initiate_chat(manager, { message: "write it" }));
    expect(gc.messages.map((m) => [m.name, m.content])).toEqual([
      ["user", "write it"],
      ["writer", "draft 1"],
      ["critic", "critique 1"],
      ["user", ""],
    ]);
    // The writer's second turn: its reply chain recorded why it had nothing to say, inside the group.
    expect(stopOf(result)).toEqual(["max_consecutive_auto_reply", "writer"]);
  });

  it("a nested chat a reply function starts after its own await runs to its own end", async () => {
    const helper = new ConversableAgent("helper", { llm_config: slowModel(["sub answer"]).llm_config(), human_input_mode: "NEVER" });
    const a = plain("a", { default_auto_reply: "thanks", max_consecutive_auto_reply: 1 });
    const b = plain("b");
    const inner = nestedChatAfterAwait(b, helper, "from helper: ");
    const { result } = await captured(() => a.initiate_chat(b, { message: "hi", max_turns: 1 }));
    expect(pairs(inner[0].chat_history).map((p) => p[1])).toEqual(["sub task", "sub answer"]);
    expect(stopOf(inner[0])).toEqual(["max_turns", null]);
    expect(pairs(result.chat_history).map((p) => p[1])).toEqual(["hi", "from helper: sub answer"]);
    expect(stopOf(result)).toEqual(["max_turns", null]);
  });
});

/** A model whose one request aborts `controller` and then waits until `release()` (its answer is never used). */
function abortingModel() {
  const controller = new AbortController();
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const model = new ScriptedModelClient([
    async () => {
      controller.abort();
      await held;
      return "never seen";
    },
  ]);
  return { controller, model, release };
}

describe("a user's own awaits keep the context when the run needs it", () => {
  it("a chat with a signal next to one without: the abort stops only its own chat, each keeps its stop reason", async () => {
    const { controller, model: abortedModel, release } = abortingModel();
    const a1 = plain("a1");
    const b1 = new ConversableAgent("b1", { llm_config: abortedModel.llm_config(), human_input_mode: "NEVER" });
    const a2 = plain("a2", { default_auto_reply: "go on", max_consecutive_auto_reply: 1 });
    const b2 = new ConversableAgent("b2", { llm_config: slowModel(["step 1", "step 2"]).llm_config(), human_input_mode: "NEVER" });
    const { result } = await captured(() =>
      Promise.all([
        a1.initiate_chat(b1, { message: "task 1", signal: controller.signal }),
        a2.initiate_chat(b2, { message: "task 2" }),
      ]),
    );
    release();
    const [r1, r2] = result;
    expect(stopOf(r1)).toEqual(["aborted", null]);
    expect(pairs(r1.chat_history).map((p) => p[1])).toEqual(["task 1"]);
    expect(stopOf(r2)).toEqual(["max_consecutive_auto_reply", "a2"]);
    expect(pairs(r2.chat_history).map((p) => p[1])).toEqual(["task 2", "step 1", "go on", "step 2"]);
  });

  it("with a listener: a nested chat started after the user's await carries the outer chat's path", async () => {
    const helper = new ConversableAgent("helper", { llm_config: slowModel(["sub answer"]).llm_config(), human_input_mode: "NEVER" });
    const a = plain("a");
    const b = plain("b");
    nestedChatAfterAwait(b, helper, "", true);
    const events: AG2Event[] = [];
    await captured(() => a.initiate_chat(b, { message: "hi", max_turns: 1, on_event: (e) => events.push(e) }));
    expect(events.filter((e) => e.type === "chat_start").map((e) => [e.type === "chat_start" && e.recipient, e.path])).toEqual([
      ["b", ["chat:1"]],
      ["helper", ["chat:1", "chat:2"]],
    ]);
    expect(events.filter((e) => e.type === "chat_end").map((e) => e.path)).toEqual([["chat:1", "chat:2"], ["chat:1"]]);
  });

  it("with a signal: aborting the outer chat aborts a nested chat started after the user's await", async () => {
    // The outer chat is aborted while the nested chat waits for its model.
    const { controller, model: helperModel, release } = abortingModel();
    const helper = new ConversableAgent("helper", { llm_config: helperModel.llm_config(), human_input_mode: "NEVER" });
    const a = plain("a");
    const b = plain("b");
    const inner = nestedChatAfterAwait(b, helper);
    const { result } = await captured(() => a.initiate_chat(b, { message: "hi", max_turns: 1, signal: controller.signal }));
    release();
    expect(stopOf(inner[0])).toEqual(["aborted", null]);
    expect(pairs(inner[0].chat_history).map((p) => p[1])).toEqual(["sub task"]);
    expect(stopOf(result)).toEqual(["aborted", null]);
    expect(pairs(result.chat_history).map((p) => p[1])).toEqual(["hi"]);
  });
});
