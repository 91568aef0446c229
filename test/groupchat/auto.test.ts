import { GroupChat, GroupChatManager, ValueError, set_logger, type Message } from "ag2ts";
import { ScriptedModelClient } from "ag2ts/testing";
import { capture, member } from "./helpers";

beforeEach(() => set_logger(() => {}));
afterEach(() => set_logger(null));

const RULES =
  "1. If the text speaks as one of the speakers (e.g. \"As the ...\"), pick that speaker.\n" +
  "2. If the text says who speaks \"next\", pick that one.\n" +
  "3. Otherwise pick the first speaker named in the text.\n" +
  "Names are case-sensitive; do not shorten or change them.\n";
const MULTIPLE = `Your reply contained several names; reply with the next speaker's name only. Pick it by these rules, highest priority first:\n${RULES}Reply with the name ONLY, without any explanation.`;
const NONE =
  `You did not pick a speaker. As a reminder, pick the next speaker by these rules, highest priority first:\n${RULES}` +
  "Only these names are accepted: ['Alice', 'Bob', 'Carol'].\nReply with the name ONLY, without any explanation.";
const PROMPT = "Read the conversation above, then pick from ['Alice', 'Bob', 'Carol'] the role that should act next. Reply with the role name only.";

function setup(script: string[], options: Record<string, unknown> = {}) {
  const model = new ScriptedModelClient(script);
  const alice = member("Alice", "Alice here", "Plans the work.");
  const bob = member("Bob", "Bob here", "Writes the code.");
  const carol = member("Carol", "Carol here", "Reviews the code.");
  const gc = new GroupChat({ agents: [alice, bob, carol], ...options });
  const manager = new GroupChatManager({ groupchat: gc, llm_config: model.llm_config() });
  return { model, alice, bob, carol, gc, manager };
}

describe("auto selection (spec 30 §5)", () => {
  it("sends the selection message, the transcript and the prompt; 'Bob' selects Bob", async () => {
    const { model, alice, bob, gc, manager } = setup(["Bob"]);
    gc.append({ content: "Let's build a parser.", role: "user" }, alice);
    const { io, result } = await capture(() => gc.select_speaker(alice, manager));
    expect(result).toBe(bob);
    expect(model.requests).toHaveLength(1);
    expect(model.requests[0].messages).toEqual([
      { content: gc.select_speaker_msg(), role: "system" },
      { content: "Let's build a parser.", role: "user", name: "Alice" },
      { content: PROMPT, name: "checking_agent", role: "system" },
    ]);
    expect(model.requests[0].messages[0].content).toBe(
      "You are taking part in a role-play game. These roles are available:\nAlice: Plans the work.\nBob: Writes the code.\nCarol: Reviews the code..\n" +
        "Read the conversation that follows, then pick from ['Alice', 'Bob', 'Carol'] the role that should act next. Reply with the role name only.",
    );
    expect(io.output).toBe("");
    model.assert_consumed();
  });

  it("without a prompt template the last transcript message starts the selection chat", async () => {
    const { model, alice, carol, gc, manager } = setup(["Carol"], { select_speaker_prompt_template: null });
    gc.append({ content: "first", role: "user" }, alice);
    gc.append({ content: "second", role: "user" }, carol);
    expect(await gc.select_speaker(carol, manager)).toBe(carol);
    expect(model.requests[0].messages.slice(1)).toEqual([
      { content: "first", role: "user", name: "Alice" },
      { content: "second", role: "user", name: "Carol" },
    ]);
  });

  it("'Bob or Carol' triggers the multiple-names reminder, then a single name wins", async () => {
    const { model, alice, carol, gc, manager } = setup(["Bob or Carol", "Carol"]);
    gc.append({ content: "hi", role: "user" }, alice);
    expect(await gc.select_speaker(alice, manager)).toBe(carol);
    expect(model.requests).toHaveLength(2);
    expect(model.requests[1].messages.slice(2)).toEqual([
      { content: PROMPT, name: "checking_agent", role: "system" },
      { content: "Bob or Carol", role: "assistant", name: "speaker_selection_agent" },
      { content: MULTIPLE, name: "checking_agent", role: "system" },
    ]);
  });

  it("'nobody' triggers the none reminder listing the names", async () => {
    const { model, alice, bob, gc, manager } = setup(["nobody", "Bob"]);
    gc.append({ content: "hi", role: "user" }, alice);
    expect(await gc.select_speaker(alice, manager)).toBe(bob);
    expect(model.requests[1].messages.at(-1)).toEqual({ content: NONE, name: "checking_agent", role: "system" });
  });

  it("after 1 + max_retries failures the next agent in round-robin order is chosen; verbose prints each attempt", async () => {
    const { model, bob, carol, gc, manager } = setup(["nobody", "Alice and Bob", "I cannot decide"], { select_speaker_auto_verbose: true });
    gc.append({ content: "hi", role: "user" }, bob);
    const { io, result } = await capture(() => gc.select_speaker(bob, manager));
    expect(result).toBe(carol);
    model.assert_consumed();
    const attempts = io.lines.filter((l) => l.startsWith(">>>>>>>> Select speaker"));
    expect(attempts).toEqual([
      ">>>>>>>> Select speaker attempt #1 failed as it did not include any agent names.",
      ">>>>>>>> Select speaker attempt 2 of 3 failed as it included multiple agent names.",
      ">>>>>>>> Select speaker attempt #3 failed as it did not include any agent names.",
    ]);
    // Verbose also shows the selection chat itself.
    expect(io.output).toContain("checking_agent (to speaker_selection_agent):\n\n" + PROMPT);
  });

  it("counts mentions among the eligible agents only, and falls back within them", async () => {
    const { model, alice, carol, gc, manager } = setup(["Bob, then Alice"], {
      max_retries_for_selecting_speaker: 0,
      allow_repeat_speaker: false,
    });
    gc.append({ content: "hi", role: "user" }, alice);
    expect(await gc.select_speaker(alice, manager)).toBe(manager.groupchat.agents[1]);
    expect(model.requests).toHaveLength(1);
    const { result } = await capture(() => gc.select_speaker(carol, new GroupChatManager({ groupchat: gc, llm_config: new ScriptedModelClient(["Zed"]).llm_config() })));
    expect(result).toBe(alice);
  });

  it("prints the success line when verbose", async () => {
    const { alice, gc, manager } = setup(["Alice"], { select_speaker_auto_verbose: true });
    gc.append({ content: "hi", role: "user" }, alice);
    const { io } = await capture(() => gc.select_speaker(alice, manager));
    expect(io.lines).toContain(">>>>>>>> Select speaker attempt 1 of 3 successfully selected: Alice");
  });

  it.each([
    ["**Bob**", "Bob"],
    ["'Carol'", "Carol"],
    ['"bob"', "Bob"],
    ["  BOB.  ", "Bob"],
    ["_Carol_", "Carol"],
    ["`alice`", "Alice"],
    ["Next speaker: carol", "Carol"],
  ])("normalises %j to %s without a retry", async (reply, expected) => {
    const { model, alice, gc, manager } = setup([reply]);
    gc.append({ content: "hi", role: "user" }, alice);
    expect((await gc.select_speaker(alice, manager)).name).toBe(expected);
    model.assert_consumed();
  });

  it("matches names with underscores written with spaces, in any case, but never a longer name", async () => {
    const model = new ScriptedModelClient(["story writer", "**Story_Writer**", "Bob_2", "Bob"]);
    const writer = member("Story_writer");
    const bob = member("Bob");
    const gc = new GroupChat({ agents: [writer, bob], max_retries_for_selecting_speaker: 1 });
    const manager = new GroupChatManager({ groupchat: gc, llm_config: model.llm_config() });
    gc.append({ content: "hi", role: "user" }, bob);
    expect(await gc.select_speaker(bob, manager)).toBe(writer);
    expect(await gc.select_speaker(bob, manager)).toBe(writer);
    // "Bob_2" names nobody: one retry, then "Bob".
    expect(await gc.select_speaker(writer, manager)).toBe(bob);
    expect(model.requests).toHaveLength(4);
    expect(model.requests[3].messages.at(-1)?.content).toContain("You did not pick a speaker.");
  });

  it("strips a pending tool call from the transcript copy the selector sees", async () => {
    const { model, alice, bob, gc, manager } = setup(["Bob"]);
    gc.append({ content: "hi", role: "user" }, alice);
    gc.append({ content: null, role: "assistant", tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }] }, bob);
    // Bob and Carol can both "execute" f, so the filter leaves the choice to the model.
    for (const agent of gc.agents.slice(1)) (agent as unknown as { register_function: (m: object) => void }).register_function({ f: () => "ok" });
    expect(await gc.select_speaker(bob, manager)).toBe(bob);
    expect(model.requests[0].messages[2]).toEqual({ content: "", role: "assistant", name: "Bob" });
  });

  it("needs an LLM config: manager llm_config false and no select_speaker_auto_llm_config throws", async () => {
    const alice = member("Alice");
    const gc = new GroupChat({ agents: [alice, member("Bob"), member("Carol")] });
    gc.append({ content: "hi", role: "user" }, alice);
    await expect(gc.select_speaker(alice, new GroupChatManager({ groupchat: gc, llm_config: false }))).rejects.toThrow(ValueError);
    await expect(gc.select_speaker(alice, new GroupChatManager({ groupchat: gc }))).rejects.toThrow(
      "The group chat's internal speaker selection agent has no LLM configuration",
    );
  });

  it("select_speaker_auto_llm_config overrides the manager's config", async () => {
    const selectorModel = new ScriptedModelClient(["Carol"]);
    const managerModel = new ScriptedModelClient([]);
    const { alice, carol, gc } = setup([], { select_speaker_auto_llm_config: selectorModel.llm_config() });
    const manager = new GroupChatManager({ groupchat: gc, llm_config: managerModel.llm_config() });
    gc.append({ content: "hi", role: "user" }, alice);
    expect(await gc.select_speaker(alice, manager)).toBe(carol);
    expect(managerModel.requests).toHaveLength(0);
    selectorModel.assert_consumed();
  });

  it("registers select_speaker_auto_model_client_cls for model_client_cls entries", async () => {
    const llm = { config_list: [{ model: "selector", model_client_cls: "ScriptedModelClient", script: ["Bob"] }] };
    const { alice, bob, gc } = setup([], { select_speaker_auto_llm_config: llm, select_speaker_auto_model_client_cls: [ScriptedModelClient] });
    const manager = new GroupChatManager({ groupchat: gc, llm_config: false });
    gc.append({ content: "hi", role: "user" }, alice);
    expect(await gc.select_speaker(alice, manager)).toBe(bob);
    const missing = setup([], { select_speaker_auto_llm_config: llm });
    missing.gc.append({ content: "hi", role: "user" }, missing.alice);
    await expect(missing.gc.select_speaker(missing.alice, missing.manager)).rejects.toThrow(
      "a custom model was found in the config ('ScriptedModelClient') but no model_client_cls was supplied to GroupChat",
    );
    class OtherClient extends ScriptedModelClient {}
    const wrong = setup([], { select_speaker_auto_llm_config: llm, select_speaker_auto_model_client_cls: [OtherClient] });
    wrong.gc.append({ content: "hi", role: "user" }, wrong.alice);
    await expect(wrong.gc.select_speaker(wrong.alice, wrong.manager)).rejects.toThrow(
      "No class named 'ScriptedModelClient' is among the GroupChat's select_speaker_auto_model_client_cls.",
    );
  });

  it("uses role_for_select_speaker_messages and custom templates", async () => {
    const { model, alice, gc, manager } = setup(["nobody", "Alice"], {
      role_for_select_speaker_messages: "user",
      select_speaker_prompt_template: "Who next of {agentlist}?",
      select_speaker_auto_none_template: "Only {agentlist}, please.",
    });
    gc.append({ content: "hi", role: "user" }, alice);
    await gc.select_speaker(alice, manager);
    const last = (i: number): Message | undefined => model.requests[i].messages.at(-1);
    expect(last(0)).toEqual({ content: "Who next of ['Alice', 'Bob', 'Carol']?", name: "checking_agent", role: "user" });
    expect(last(1)).toEqual({ content: "Only ['Alice', 'Bob', 'Carol'], please.", name: "checking_agent", role: "user" });
  });

  it("runs a whole auto group chat, one selection call per turn", async () => {
    const { model, alice, gc, manager } = setup(["Bob", "Carol"], { max_round: 3 });
    const { io } = await capture(() => alice.initiate_chat(manager, { message: "Plan: build it." }));
    expect(gc.messages.map((m) => [m.name, m.content])).toEqual([
      ["Alice", "Plan: build it."],
      ["Bob", "Bob here"],
      ["Carol", "Carol here"],
    ]);
    expect(model.requests[1].messages.slice(1, 3)).toEqual([
      { content: "Plan: build it.", role: "user", name: "Alice" },
      { content: "Bob here", role: "user", name: "Bob" },
    ]);
    expect(io.output).not.toContain("speaker_selection_agent");
    model.assert_consumed();
  });

  it("applies select_speaker_transform_messages to the internal selector agent", async () => {
    const added: string[] = [];
    const transform = {
      add_to_agent(agent: { name: string; register_hook: (name: string, hook: (m: Message[]) => Message[]) => void }) {
        added.push(agent.name);
        agent.register_hook("process_all_messages_before_reply", (messages) => messages.slice(-1));
      },
    };
    const { model, alice, bob, gc, manager } = setup(["Bob"], { select_speaker_transform_messages: transform });
    gc.append({ content: "one", role: "user" }, alice);
    gc.append({ content: "two", role: "user" }, alice);
    expect(await gc.select_speaker(alice, manager)).toBe(bob);
    expect(added).toEqual(["speaker_selection_agent"]);
    expect(model.requests[0].messages).toEqual([
      { content: gc.select_speaker_msg(), role: "system" },
      { content: PROMPT, name: "checking_agent", role: "system" },
    ]);
  });
});

describe("auto selection across rounds: what the selector is sent is the transcript as it is now", () => {
  it("each round sends the whole transcript; an edit in place, a replacement and a removal are seen", async () => {
    const { model, alice, bob, carol, gc, manager } = setup(["Bob", "Carol", "Alice", "Bob"]);
    gc.append({ content: "round one", role: "user" }, alice);
    expect(await gc.select_speaker(alice, manager)).toBe(bob);
    gc.append({ content: "round two", role: "user" }, bob);
    expect(await gc.select_speaker(bob, manager)).toBe(carol);
    gc.messages[0].content = "round one (edited)";
    gc.append({ content: "round three", role: "user" }, carol);
    expect(await gc.select_speaker(carol, manager)).toBe(alice);
    gc.messages[1] = { content: "round two (replaced)", role: "user", name: "Bob" };
    gc.messages.splice(2, 1);
    expect(await gc.select_speaker(alice, manager)).toBe(bob);
    const transcript = (i: number) => model.requests[i].messages.slice(1, -1).map((m) => m.content);
    expect(model.requests.map((r) => r.messages[0])).toEqual(Array(4).fill({ content: gc.select_speaker_msg(), role: "system" }));
    expect(model.requests.map((r) => r.messages.at(-1))).toEqual(Array(4).fill({ content: PROMPT, name: "checking_agent", role: "system" }));
    expect(transcript(0)).toEqual(["round one"]);
    expect(transcript(1)).toEqual(["round one", "round two"]);
    expect(transcript(2)).toEqual(["round one (edited)", "round two", "round three"]);
    expect(transcript(3)).toEqual(["round one (edited)", "round two (replaced)"]);
    model.assert_consumed();
  });

  it("a message edited in place into parts or into a call is sent as text, its call left out while it is last", async () => {
    const { model, alice, bob, carol, gc, manager } = setup(["Bob", "Carol", "Alice"], { func_call_filter: false });
    gc.append({ content: "round one", role: "user" }, alice);
    expect(await gc.select_speaker(alice, manager)).toBe(bob);
    gc.messages[0].content = [{ type: "text", text: "round one" }, { type: "text", text: "(as parts)" }];
    gc.append({ content: "round two", role: "user" }, bob);
    expect(await gc.select_speaker(bob, manager)).toBe(carol);
    const call = { id: "c1", type: "function", function: { name: "f", arguments: "{}" } };
    (gc.messages[1] as Message).tool_calls = [call] as Message["tool_calls"];
    expect(await gc.select_speaker(carol, manager)).toBe(alice);
    const transcript = (i: number) => model.requests[i].messages.slice(1, -1);
    expect(transcript(0)).toEqual([{ content: "round one", role: "user", name: "Alice" }]);
    expect(transcript(1)).toEqual([
      { content: "round one\n(as parts)", role: "user", name: "Alice" },
      { content: "round two", role: "user", name: "Bob" },
    ]);
    expect(transcript(2)).toEqual([
      { content: "round one\n(as parts)", role: "user", name: "Alice" },
      { content: "round two", role: "user", name: "Bob" },
    ]);
    model.assert_consumed();
  });

  it("a trailing tool call is left out while it is last, and sent once a message follows it", async () => {
    const { model, alice, bob, gc, manager } = setup(["Bob", "Alice"], { func_call_filter: false });
    const call = { id: "c1", type: "function", function: { name: "f", arguments: "{}" } };
    gc.append({ content: "calling f", role: "assistant", tool_calls: [call] } as Message, alice);
    expect(await gc.select_speaker(alice, manager)).toBe(bob);
    gc.append({ content: "f returned 1", role: "user" }, bob);
    expect(await gc.select_speaker(bob, manager)).toBe(alice);
    expect(model.requests[0].messages[1]).toEqual({ content: "calling f", role: "assistant", name: "Alice" });
    expect(model.requests[1].messages[1]).toEqual({ content: "calling f", tool_calls: [call], role: "assistant", name: "Alice" });
    expect(model.requests[1].messages[2]).toEqual({ content: "f returned 1", role: "user", name: "Bob" });
  });

  it("without a prompt template each round opens with the newest message", async () => {
    const { model, alice, bob, carol, gc, manager } = setup(["Bob", "Carol"], { select_speaker_prompt_template: null });
    gc.append({ content: "first", role: "user" }, alice);
    expect(await gc.select_speaker(alice, manager)).toBe(bob);
    gc.append({ content: "second", role: "user" }, bob);
    expect(await gc.select_speaker(bob, manager)).toBe(carol);
    expect(model.requests.map((r) => r.messages.slice(1).map((m) => [m.name, m.content]))).toEqual([
      [["Alice", "first"]],
      [
        ["Alice", "first"],
        ["Bob", "second"],
      ],
    ]);
  });
});

describe("the selection chat seen and unseen", () => {
  /**
   * A whole group chat with "auto" selection and retries (one reply names
   * two agents): with an event listener the selection chat runs as an
   * initiate_chat (its events can be seen); without one only its turns run.
   */
  async function run(listen: boolean) {
    const { model, alice, gc, manager } = setup(["Bob or Carol", "Bob", "Carol", "Alice"], { max_round: 4 });
    const events: string[] = [];
    const { result } = await capture(() =>
      alice.initiate_chat(manager, { message: "Plan a parser.", ...(listen ? { on_event: (e: { type: string; path: string[] }) => events.push(`${e.type} ${e.path.join("/")}`) } : {}) }),
    );
    model.assert_consumed();
    return { requests: model.requests.map((r) => r.messages), transcript: gc.messages.map((m) => [m.name, m.content]), stop: [result.stop_reason, result.stopped_by], events };
  }

  it("sends the selector the same requests and picks the same speakers either way", async () => {
    const unseen = await run(false);
    const seen = await run(true);
    expect(unseen.requests).toEqual(seen.requests);
    expect(unseen.requests.map((messages) => messages.at(-1)?.content)).toEqual([PROMPT, MULTIPLE, PROMPT, PROMPT]);
    expect(unseen.transcript).toEqual(seen.transcript);
    expect(unseen.transcript).toEqual([
      ["Alice", "Plan a parser."],
      ["Bob", "Bob here"],
      ["Carol", "Carol here"],
      ["Alice", "Alice here"],
    ]);
    expect(unseen.stop).toEqual(["max_round", "chat_manager"]);
    expect(seen.stop).toEqual(unseen.stop);
    // With a listener, each selection chat is a chat of its own inside the group.
    expect(seen.events.filter((e) => e.startsWith("chat_start"))).toEqual([
      "chat_start chat:1",
      "chat_start chat:1/group:chat_manager/chat:2",
      "chat_start chat:1/group:chat_manager/chat:3",
      "chat_start chat:1/group:chat_manager/chat:4",
    ]);
  });
});
