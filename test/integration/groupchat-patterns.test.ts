/**
 * Cross-area tests: group chats (spec 30) inside the conversation patterns of
 * spec 20 §6-8 — a GroupChatManager as a recipient of initiate_chats and
 * a_initiate_chats, nested chats answering inside a group chat, and a group
 * chat run as a nested chat.
 */
import {
  AbortError,
  AssistantAgent,
  ConversableAgent,
  GroupChat,
  GroupChatManager,
  IOStream,
  UserProxyAgent,
  a_initiate_chats,
  initiate_chats,
  set_logger,
  type Agent,
  type Message,
} from "ag2ts";
import { CapturingIOStream, ScriptedModelClient, type ScriptStep } from "ag2ts/testing";

const STARS = "*".repeat(80);
const RULE = "-".repeat(80);
const block = (from: string, to: string, text: string) => `${from} (to ${to}):\n\n${text}\n\n${RULE}\n`;
const next = (name: string) => `\nNext speaker: ${name}\n\n`;
const banner = `\n${STARS}\nStarting a new chat....\n\n${STARS}\n`;

/** Role, name and content of each message. */
const rnc = (messages: Message[]) => messages.map((m) => [m.role, m.name, m.content]);

/** A member that always answers `reply` (no model, never asks a human). */
function member(name: string, reply: string | Message = `${name} speaks`): ConversableAgent {
  return new ConversableAgent(name, { llm_config: false, human_input_mode: "NEVER", default_auto_reply: reply, description: `${name} does ${name}'s job` });
}
function assistant(name: string, script: ScriptStep[]) {
  const model = new ScriptedModelClient(script);
  return { agent: new AssistantAgent(name, { llm_config: model.llm_config(), system_message: `You are ${name}.` }), model };
}
function user(name = "user", options: Record<string, unknown> = {}) {
  return new UserProxyAgent(name, { human_input_mode: "NEVER", code_execution_config: false, ...options });
}
const endsWithTerminate = (m: Message) => typeof m.content === "string" && m.content.trimEnd().endsWith("TERMINATE");

async function capture<T>(fn: () => Promise<T>, inputs: string[] = []): Promise<{ io: CapturingIOStream; result: T }> {
  const io = new CapturingIOStream({ inputs });
  const result = await IOStream.set_default(io, fn);
  return { io, result };
}

let logs: string[] = [];
beforeEach(() => {
  logs = [];
  set_logger((_level, message) => logs.push(message));
});
afterAll(() => set_logger(null));

describe("a GroupChatManager as a recipient of initiate_chats (spec 20 §6, spec 30 §4 gotcha)", () => {
  it("research -> group writing -> group review pipeline: exact carryover, transcripts, output and summaries", async () => {
    const me = user();
    const researcher = assistant("researcher", ["Cats sleep 16 hours a day. TERMINATE"]);
    // Group 1: the initiator is a member, so last_msg reads the last broadcast it received.
    const writer = assistant("writer", ["Draft: Cats are champion sleepers."]);
    const critic = member("critic", "Good draft. TERMINATE");
    const gc1 = new GroupChat({ agents: [me, writer.agent, critic], speaker_selection_method: "round_robin", max_round: 5 });
    const manager1 = new GroupChatManager({ name: "writing_manager", groupchat: gc1, is_termination_msg: endsWithTerminate });
    // Group 2: the initiator is not a member; the summary is a reflection over the group transcript.
    const editor = member("editor", "Final: Cats are champion sleepers, 16 hours a day.");
    const checker = member("checker", "Checked.");
    const summarizer = new ScriptedModelClient(["The post was edited and checked."]);
    const gc2 = new GroupChat({ agents: [editor, checker], speaker_selection_method: "round_robin", max_round: 3 });
    const manager2 = new GroupChatManager({ name: "review_manager", groupchat: gc2, llm_config: summarizer.llm_config() });

    const { io, result: results } = await capture(() =>
      me.initiate_chats([
        { recipient: researcher.agent, message: "Find a fact about cats.", max_turns: 1 },
        { recipient: manager1, message: "Write a one-line post." },
        { recipient: manager2, message: "Edit and check the post.", summary_method: "reflection_with_llm" },
      ]),
    );

    const first1 = "Write a one-line post.\nContext: \nCats sleep 16 hours a day. ";
    const first2 = `Edit and check the post.\nContext: \nCats sleep 16 hours a day. \nGood draft. `;
    expect(results.map((r) => r.summary)).toEqual(["Cats sleep 16 hours a day. ", "Good draft. ", "The post was edited and checked."]);

    // Group 1: transcript, every side's history, the writer's model request.
    expect(rnc(gc1.messages)).toEqual([
      ["user", "user", first1],
      ["user", "writer", "Draft: Cats are champion sleepers."],
      ["user", "critic", "Good draft. TERMINATE"],
    ]);
    expect(writer.model.requests[0].messages).toEqual([
      { content: "You are writer.", role: "system" },
      { content: first1, role: "user", name: "user" },
    ]);
    expect(rnc(results[1].chat_history)).toEqual([
      ["assistant", "user", first1],
      ["user", "writer", "Draft: Cats are champion sleepers."],
      ["user", "critic", "Good draft. TERMINATE"],
    ]);
    expect(manager1.termination_reason).toBe("Termination message condition on the GroupChatManager 'writing_manager' met");

    // Group 2: the initiator got nothing back; the reflection read the whole transcript.
    expect(rnc(gc2.messages)).toEqual([
      ["user", "user", first2],
      ["user", "editor", "Final: Cats are champion sleepers, 16 hours a day."],
      ["user", "checker", "Checked."],
    ]);
    expect(rnc(results[2].chat_history)).toEqual([["assistant", "user", first2]]);
    expect(summarizer.requests).toHaveLength(1);
    expect(summarizer.requests[0].messages).toEqual([
      { content: first2, role: "user", name: "user" },
      { content: "Final: Cats are champion sleepers, 16 hours a day.", role: "user", name: "editor" },
      { content: "Checked.", role: "user", name: "checker" },
      { role: "system", content: ConversableAgent.DEFAULT_SUMMARY_PROMPT },
    ]);

    expect(io.output).toBe(
      banner +
        block("user", "researcher", "Find a fact about cats.") +
        block("researcher", "user", "Cats sleep 16 hours a day. TERMINATE") +
        banner +
        block("user", "writing_manager", first1) +
        next("writer") +
        block("writer", "writing_manager", "Draft: Cats are champion sleepers.") +
        next("critic") +
        block("critic", "writing_manager", "Good draft. TERMINATE") +
        banner +
        block("user", "review_manager", first2) +
        next("editor") +
        block("editor", "review_manager", "Final: Cats are champion sleepers, 16 hours a day.") +
        next("checker") +
        block("checker", "review_manager", "Checked."),
    );
    expect(me.get_chat_results()).toEqual(results);
    for (const model of [researcher.model, writer.model, summarizer]) model.assert_consumed();
  });
});

describe("initiate_chats with a manager: last_msg gotcha, silent entries, clear_history across chats", () => {
  it("an outside initiator's last_msg summary is its own first message, and that is what the next chat carries over", async () => {
    const me = member("me");
    const gc = new GroupChat({ agents: [member("a"), member("b")], speaker_selection_method: "round_robin", max_round: 3 });
    const manager = new GroupChatManager({ groupchat: gc });
    const follow = assistant("follow", ["Noted."]);
    const { io, result } = await capture(() =>
      me.initiate_chats([
        { recipient: manager, message: "Discuss.", carryover: "Background.", silent: true },
        { recipient: follow.agent, message: "Go on.", max_turns: 1, silent: true },
      ]),
    );
    // spec 20 §4: the manager never sends anything back to an outside initiator.
    expect(result[0].summary).toBe("Discuss.\nContext: \nBackground.");
    expect(rnc(result[0].chat_history)).toEqual([["assistant", "me", "Discuss.\nContext: \nBackground."]]);
    expect(follow.model.requests[0].messages.at(-1)).toEqual({
      content: "Go on.\nContext: \nDiscuss.\nContext: \nBackground.",
      role: "user",
      name: "me",
    });
    // A silent entry hides the banner and the initiator's message, not the group's own turns
    // (the group is silenced by the manager's `silent` option only).
    expect(io.output).toBe(next("a") + block("a", "chat_manager", "a speaks") + next("b") + block("b", "chat_manager", "b speaks"));
  });

  it("a silent manager in a silent entry prints nothing at all", async () => {
    const me = member("me");
    const gc = new GroupChat({ agents: [member("a"), member("b")], speaker_selection_method: "round_robin", max_round: 3 });
    const manager = new GroupChatManager({ groupchat: gc, silent: true });
    const { io, result } = await capture(() => me.initiate_chats([{ recipient: manager, message: "Discuss.", silent: true }]));
    expect(io.output).toBe("");
    expect(gc.messages.map((m) => m.content)).toEqual(["Discuss.", "a speaks", "b speaks"]);
    expect(result[0].summary).toBe("Discuss.");
  });

  it("clear_history: false on a later entry continues the same group transcript; the default starts afresh", async () => {
    const me = member("me");
    const a = member("a");
    const b = member("b");
    const gc = new GroupChat({ agents: [me, a, b], speaker_selection_method: "round_robin", max_round: 2 });
    const manager = new GroupChatManager({ groupchat: gc });
    const { result } = await capture(() =>
      me.initiate_chats([
        { recipient: manager, message: "one" },
        { recipient: manager, message: "two", clear_history: false },
        { recipient: manager, message: "three" },
      ]),
    );
    expect(logs).toEqual([
      "The chat queue talks to chat_manager more than once. Each of those chats clears the history with that recipient first; " +
        "set clear_history: false on an entry to continue the earlier conversation instead.",
    ]);
    // The initiator is a member: each chat's last_msg is the last broadcast (a's turn).
    expect(result.map((r) => r.summary)).toEqual(["a speaks", "a speaks", "a speaks"]);
    const second = "two\nContext: \na speaks";
    const third = "three\nContext: \na speaks\na speaks";
    // Chat 2 kept chat 1's transcript and histories; results are snapshots.
    expect(rnc(result[1].chat_history)).toEqual([
      ["assistant", "me", "one"],
      ["user", "a", "a speaks"],
      ["assistant", "me", second],
      ["user", "a", "a speaks"],
    ]);
    expect(rnc(result[0].chat_history)).toEqual([
      ["assistant", "me", "one"],
      ["user", "a", "a speaks"],
    ]);
    // Chat 3 (clear_history defaults to true) reset the transcript and the members' histories with the manager.
    expect(rnc(gc.messages)).toEqual([
      ["user", "me", third],
      ["user", "a", "a speaks"],
    ]);
    expect(rnc(result[2].chat_history)).toEqual([
      ["assistant", "me", third],
      ["user", "a", "a speaks"],
    ]);
    expect(rnc(a.chat_messages_get(manager))).toEqual([
      ["user", "me", third],
      ["assistant", "a", "a speaks"],
    ]);
    expect(rnc(b.chat_messages_get(manager))).toEqual([
      ["user", "me", third],
      ["user", "a", "a speaks"],
    ]);
    expect(rnc(manager.chat_messages_get(me))).toEqual([
      ["user", "me", third],
      ["assistant", "a", "a speaks"],
    ]);
  });

  it("before chat 2 with clear_history: false, the members still hold chat 1 with the manager", async () => {
    const me = member("me");
    const a = member("a");
    const b = member("b");
    const gc = new GroupChat({ agents: [me, a, b], speaker_selection_method: "round_robin", max_round: 2 });
    const manager = new GroupChatManager({ groupchat: gc });
    await capture(() =>
      me.initiate_chats([
        { recipient: manager, message: "one" },
        { recipient: manager, message: "two", clear_history: false, finished_chat_indexes_to_exclude_from_carryover: [0] },
      ]),
    );
    expect(rnc(gc.messages)).toEqual([
      ["user", "me", "one"],
      ["user", "a", "a speaks"],
      ["user", "me", "two"],
      ["user", "a", "a speaks"],
    ]);
    expect(rnc(b.chat_messages_get(manager))).toEqual(rnc(gc.messages));
  });

  it("reflection_with_llm with a manager that has no model uses the initiator's client on the group transcript", async () => {
    const model = new ScriptedModelClient(["a and b spoke."]);
    const me = new ConversableAgent("me", { llm_config: model.llm_config(), human_input_mode: "NEVER" });
    const gc = new GroupChat({ agents: [member("a"), member("b")], speaker_selection_method: "round_robin", max_round: 3 });
    const manager = new GroupChatManager({ groupchat: gc, llm_config: false });
    const { result } = await capture(() =>
      me.initiate_chats([
        { recipient: manager, message: "Talk.", summary_method: "reflection_with_llm", summary_args: { summary_prompt: "Sum up.", summary_role: "user" }, silent: true },
      ]),
    );
    expect(result[0].summary).toBe("a and b spoke.");
    expect(model.requests.map((r) => r.messages)).toEqual([
      [
        { content: "Talk.", role: "user", name: "me" },
        { content: "a speaks", role: "user", name: "a" },
        { content: "b speaks", role: "user", name: "b" },
        { content: "Sum up.", role: "user" },
      ],
    ]);
    model.assert_consumed();
  });

  it("auto selection and the reflection summary share the manager's model client, in that order", async () => {
    const model = new ScriptedModelClient(["writer", "critic", "Writer drafted, critic approved."]);
    const me = member("me");
    const writer = member("writer", "Draft.");
    const critic = member("critic", "Approved.");
    const gc = new GroupChat({ agents: [writer, critic], max_round: 3 });
    const manager = new GroupChatManager({ groupchat: gc, llm_config: model.llm_config() });
    const { io, result } = await capture(() =>
      me.initiate_chats([{ recipient: manager, message: "Write it.", summary_method: "reflection_with_llm" }]),
    );
    expect(result[0].summary).toBe("Writer drafted, critic approved.");
    expect(gc.messages.map((m) => [m.name, m.content])).toEqual([
      ["me", "Write it."],
      ["writer", "Draft."],
      ["critic", "Approved."],
    ]);
    expect(model.requests).toHaveLength(3);
    expect(model.requests[1].messages.slice(1)).toEqual([
      { content: "Write it.", role: "user", name: "me" },
      { content: "Draft.", role: "user", name: "writer" },
      { content: gc.select_speaker_prompt(), role: "system", name: "checking_agent" },
    ]);
    expect(model.requests[2].messages).toEqual([
      { content: "Write it.", role: "user", name: "me" },
      { content: "Draft.", role: "user", name: "writer" },
      { content: "Approved.", role: "user", name: "critic" },
      { role: "system", content: ConversableAgent.DEFAULT_SUMMARY_PROMPT },
    ]);
    expect(io.output).toBe(
      banner + block("me", "chat_manager", "Write it.") + next("writer") + block("writer", "chat_manager", "Draft.") + next("critic") + block("critic", "chat_manager", "Approved."),
    );
    model.assert_consumed();
  });
});

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("a_initiate_chats with GroupChatManager recipients (spec 20 §7)", () => {
  it("group chats start when their prerequisites finish, run concurrently otherwise, and carry over prerequisite summaries by chat id", async () => {
    const order: string[] = [];
    const me = member("me");
    const other = member("other");
    // Chat 1 (two-agent) waits until chat 2's group has started: only true concurrency lets it finish.
    const groupStarted = deferred();
    const researcher = assistant("researcher", [
      async () => {
        order.push("chat1: researcher waits");
        await groupStarted.promise;
        order.push("chat1: researcher answers");
        return "Fact: cats sleep a lot.";
      },
    ]);
    // Chat 2: a group the initiator belongs to; its last_msg is the last broadcast.
    const x = member("x", "x idea");
    x.register_reply(GroupChatManager, async () => {
      order.push("chat2: x speaks");
      groupStarted.resolve();
      return [true, "x idea"];
    });
    const y = member("y", "y conclusion");
    y.register_reply(GroupChatManager, async () => {
      order.push("chat2: y speaks");
      return [true, "y conclusion"];
    });
    const gcA = new GroupChat({ agents: [other, x, y], speaker_selection_method: "round_robin", max_round: 3 });
    const managerA = new GroupChatManager({ name: "manager_a", groupchat: gcA });
    // Chats 3 and 4: groups that depend on both.
    const z = member("z", "z reviewed");
    z.register_reply(GroupChatManager, async () => {
      order.push("chat3: z speaks");
      return [true, "z reviewed"];
    });
    const gcB = new GroupChat({ agents: [me, z], speaker_selection_method: "round_robin", max_round: 2 });
    const managerB = new GroupChatManager({ name: "manager_b", groupchat: gcB });
    const w = member("w", "w noted");
    const gcC = new GroupChat({ agents: [w, member("v")], speaker_selection_method: "round_robin", max_round: 2 });
    const managerC = new GroupChatManager({ name: "manager_c", groupchat: gcC });

    const { io, result } = await capture(() =>
      a_initiate_chats([
        { chat_id: 3, sender: me, recipient: managerB, message: "Review.", prerequisites: [1, 2], silent: true },
        { chat_id: 1, sender: me, recipient: researcher.agent, message: "Research.", max_turns: 1, silent: true },
        { chat_id: 2, sender: other, recipient: managerA, message: "Brainstorm.", silent: true },
        { chat_id: 4, sender: me, recipient: managerC, message: "Note it.", prerequisites: [2, 1], finished_chat_indexes_to_exclude_from_carryover: [1], silent: true },
      ]),
    );
    expect(Object.keys(result).map(Number).sort()).toEqual([1, 2, 3, 4]);
    expect([1, 2, 3, 4].map((id) => result[id].chat_id)).toEqual([1, 2, 3, 4]);
    expect(result[1].summary).toBe("Fact: cats sleep a lot.");
    expect(result[2].summary).toBe("y conclusion");
    // Chat 3 lists [1, 2]: both summaries in prerequisite order; chat 4 lists [2, 1] and excludes id 1.
    expect(gcB.messages.map((m) => [m.name, m.content])).toEqual([
      ["me", "Review.\nContext: \nFact: cats sleep a lot.\ny conclusion"],
      ["z", "z reviewed"],
    ]);
    expect(gcC.messages.map((m) => [m.name, m.content])).toEqual([
      ["me", "Note it.\nContext: \ny conclusion"],
      ["w", "w noted"],
    ]);
    expect(result[3].summary).toBe("z reviewed");
    expect(result[4].summary).toBe("Note it.\nContext: \ny conclusion");
    // The two first chats interleave; the dependent chat starts after both finished.
    expect(order.slice(0, 2)).toEqual(["chat1: researcher waits", "chat2: x speaks"]);
    expect(new Set(order.slice(2, 4))).toEqual(new Set(["chat1: researcher answers", "chat2: y speaks"]));
    expect(order.slice(4)).toEqual(["chat3: z speaks"]);
    const first = next("x") + block("x", "manager_a", "x idea") + next("y") + block("y", "manager_a", "y conclusion");
    expect(io.output.startsWith(first)).toBe(true);
    // Chats 3 and 4 run concurrently: their lines may interleave, each chat's in its own order.
    const rest = io.output.slice(first.length);
    const pieces = [next("z"), block("z", "manager_b", "z reviewed"), next("w"), block("w", "manager_c", "w noted")];
    expect(pieces.reduce((left, piece) => left.replace(piece, ""), rest)).toBe("");
    expect(rest.indexOf(pieces[0])).toBeLessThan(rest.indexOf(pieces[1]));
    expect(rest.indexOf(pieces[2])).toBeLessThan(rest.indexOf(pieces[3]));
    researcher.model.assert_consumed();
  });
});

describe("nested chats inside a group chat (spec 20 §8, issue #6 scope 3)", () => {
  function solverGroup() {
    const planner = member("planner", "Plan: solver, compute 2 + 2.");
    const solver = new ConversableAgent("solver", { llm_config: false, human_input_mode: "NEVER", description: "Solves with a calculator." });
    const reviewer = member("reviewer", "Verified. TERMINATE");
    const gc = new GroupChat({ agents: [planner, solver, reviewer], speaker_selection_method: "round_robin", max_round: 6 });
    const manager = new GroupChatManager({ groupchat: gc, is_termination_msg: endsWithTerminate });
    return { planner, solver, reviewer, gc, manager };
  }

  it("a member with register_nested_chats answers with its nested chat's summary, which is broadcast to the group", async () => {
    const { planner, solver, reviewer, gc, manager } = solverGroup();
    const calculator = assistant("calculator", ["2 + 2 = 4. TERMINATE"]);
    solver.register_nested_chats([{ recipient: calculator.agent, max_turns: 1, summary_method: "last_msg" }], manager);
    const me = member("me");
    const { io, result } = await capture(() => me.initiate_chat(manager, { message: "What is 2 + 2?" }));

    expect(rnc(gc.messages)).toEqual([
      ["user", "me", "What is 2 + 2?"],
      ["user", "planner", "Plan: solver, compute 2 + 2."],
      ["user", "solver", "2 + 2 = 4. "],
      ["user", "reviewer", "Verified. TERMINATE"],
    ]);
    // The nested chat started from the last message the group sent the solver.
    expect(calculator.model.requests[0].messages).toEqual([
      { content: "You are calculator.", role: "system" },
      { content: "Plan: solver, compute 2 + 2.", role: "user", name: "solver" },
    ]);
    expect(rnc(solver.chat_messages_get(calculator.agent))).toEqual([
      ["assistant", "solver", "Plan: solver, compute 2 + 2."],
      ["user", "calculator", "2 + 2 = 4. TERMINATE"],
    ]);
    expect(rnc(solver.chat_messages_get(manager))).toEqual([
      ["user", "me", "What is 2 + 2?"],
      ["user", "planner", "Plan: solver, compute 2 + 2."],
      ["assistant", "solver", "2 + 2 = 4. "],
      ["user", "reviewer", "Verified. TERMINATE"],
    ]);
    expect(rnc(planner.chat_messages_get(manager)).at(2)).toEqual(["user", "solver", "2 + 2 = 4. "]);
    expect(rnc(reviewer.chat_messages_get(manager)).at(2)).toEqual(["user", "solver", "2 + 2 = 4. "]);
    // The nested chat is printed in place, between the solver's selection and its answer.
    expect(io.output).toBe(
      block("me", "chat_manager", "What is 2 + 2?") +
        next("planner") +
        block("planner", "chat_manager", "Plan: solver, compute 2 + 2.") +
        next("solver") +
        banner +
        block("solver", "calculator", "Plan: solver, compute 2 + 2.") +
        block("calculator", "solver", "2 + 2 = 4. TERMINATE") +
        block("solver", "chat_manager", "2 + 2 = 4. ") +
        next("reviewer") +
        block("reviewer", "chat_manager", "Verified. TERMINATE"),
    );
    expect(result.summary).toBe("What is 2 + 2?");
    calculator.model.assert_consumed();
  });

  it("a nested queue of two chats inside the group: the second gets the first's summary as carryover; the message callable sees the manager", async () => {
    const { solver, gc, manager } = solverGroup();
    const calculator = assistant("calculator", ["4"]);
    const checker = assistant("checker", ["4 is correct."]);
    const seen: Array<{ recipient: string; sender: string | undefined; last: unknown; count: number; config: unknown }> = [];
    solver.register_nested_chats(
      [
        {
          recipient: calculator.agent,
          max_turns: 1,
          message: (recipient: ConversableAgent, messages: Message[] | null, sender: Agent | null, config: unknown) => {
            seen.push({ recipient: recipient.name, sender: sender?.name, last: messages?.at(-1)?.content, count: messages?.length ?? 0, config });
            return "Compute 2 + 2.";
          },
        },
        { recipient: checker.agent, max_turns: 1, message: "Check the result.", silent: true },
      ],
      (sender: Agent | null) => sender instanceof GroupChatManager,
      { config: { tag: "nested" } },
    );
    const me = member("me");
    const { io } = await capture(() => me.initiate_chat(manager, { message: "What is 2 + 2?", silent: true }));
    expect(seen).toEqual([{ recipient: "solver", sender: "chat_manager", last: "Plan: solver, compute 2 + 2.", count: 2, config: { tag: "nested" } }]);
    expect(checker.model.requests[0].messages.at(-1)).toEqual({ content: "Check the result.\nContext: \n4", role: "user", name: "solver" });
    expect(gc.messages.map((m) => [m.name, m.content])).toEqual([
      ["me", "What is 2 + 2?"],
      ["planner", "Plan: solver, compute 2 + 2."],
      ["solver", "4 is correct."],
      ["reviewer", "Verified. TERMINATE"],
    ]);
    // The silent second nested chat prints nothing, not even its banner.
    expect(io.output).toBe(
      next("planner") +
        block("planner", "chat_manager", "Plan: solver, compute 2 + 2.") +
        next("solver") +
        banner +
        block("solver", "calculator", "Compute 2 + 2.") +
        block("calculator", "solver", "4") +
        block("solver", "chat_manager", "4 is correct.") +
        next("reviewer") +
        block("reviewer", "chat_manager", "Verified. TERMINATE"),
    );
  });

  it("a nested chat with no runnable entry gives no reply, which ends the group chat", async () => {
    const { solver, gc, manager } = solverGroup();
    const calculator = assistant("calculator", []);
    solver.register_nested_chats([{ recipient: calculator.agent, message: () => null }], manager);
    const me = member("me");
    await capture(() => me.initiate_chat(manager, { message: "What is 2 + 2?" }));
    expect(gc.messages.map((m) => m.name)).toEqual(["me", "planner"]);
    expect(manager.termination_reason).toBe("No reply generated");
    expect(calculator.model.requests).toHaveLength(0);
  });

  it("the nested trigger only fires for the manager: the same agent answers normally outside the group", async () => {
    const { solver, manager } = solverGroup();
    const calculator = assistant("calculator", ["4"]);
    solver.register_nested_chats([{ recipient: calculator.agent, max_turns: 1, silent: true }], manager);
    const outsider = member("outsider");
    const { result } = await capture(() => outsider.initiate_chat(solver, { message: "Hello?", max_turns: 1, silent: true }));
    // The solver has no model: its default auto reply ("") answers.
    expect(rnc(result.chat_history)).toEqual([
      ["assistant", "outsider", "Hello?"],
      ["user", "solver", ""],
    ]);
    expect(calculator.model.requests).toHaveLength(0);
  });
});

describe("a private nested chat between two members of the same group", () => {
  it("stays out of the group transcript and out of both members' conversations with the manager", async () => {
    const me = member("me");
    const solver = new ConversableAgent("solver", { llm_config: false, human_input_mode: "NEVER", description: "Solves." });
    const reviewer = new ConversableAgent("reviewer", { llm_config: false, human_input_mode: "NEVER", description: "Reviews." });
    reviewer.register_reply(solver, () => [true, "Privately: looks right."]);
    reviewer.register_reply(GroupChatManager, () => [true, "Publicly approved."]);
    const gc = new GroupChat({ agents: [solver, reviewer], speaker_selection_method: "round_robin", max_round: 3 });
    const manager = new GroupChatManager({ groupchat: gc });
    solver.register_nested_chats([{ recipient: reviewer, message: "Is 4 right?", max_turns: 1, silent: true }], manager);
    await capture(() => me.initiate_chat(manager, { message: "2 + 2?", silent: true }));
    expect(rnc(gc.messages)).toEqual([
      ["user", "me", "2 + 2?"],
      ["user", "solver", "Privately: looks right."],
      ["user", "reviewer", "Publicly approved."],
    ]);
    expect(rnc(reviewer.chat_messages_get(solver))).toEqual([
      ["user", "solver", "Is 4 right?"],
      ["assistant", "reviewer", "Privately: looks right."],
    ]);
    expect(rnc(reviewer.chat_messages_get(manager))).toEqual([
      ["user", "me", "2 + 2?"],
      ["user", "solver", "Privately: looks right."],
      ["assistant", "reviewer", "Publicly approved."],
    ]);
    expect([...reviewer.chat_messages.keys()].map((x) => x.name).sort()).toEqual(["chat_manager", "solver"]);
  });
});

describe("a group chat run as a nested chat (register_nested_chats with a GroupChatManager recipient)", () => {
  function team() {
    const lead = new ConversableAgent("lead", { llm_config: false, human_input_mode: "NEVER", description: "Leads the team." });
    const writer = member("writer", "Draft: hello world");
    const critic = member("critic", "Looks fine. TERMINATE");
    const gc = new GroupChat({ agents: [lead, writer, critic], speaker_selection_method: "round_robin", max_round: 6 });
    const manager = new GroupChatManager({ groupchat: gc, is_termination_msg: endsWithTerminate });
    return { lead, writer, critic, gc, manager };
  }

  it("the outer agent replies with the nested group chat's last_msg summary; a second nested chat gets it as carryover", async () => {
    const { lead, gc, manager } = team();
    const polisher = assistant("polisher", ["Hello, world!"]);
    lead.register_nested_chats(
      [
        { recipient: manager, summary_method: "last_msg" },
        { recipient: polisher.agent, message: "Polish the draft.", max_turns: 1 },
      ],
      ConversableAgent,
    );
    const me = user("me");
    const { io, result } = await capture(() => me.initiate_chat(lead, { message: "Write a greeting.", max_turns: 1 }));
    expect(rnc(result.chat_history)).toEqual([
      ["assistant", "me", "Write a greeting."],
      ["user", "lead", "Hello, world!"],
    ]);
    expect(rnc(gc.messages)).toEqual([
      ["user", "lead", "Write a greeting."],
      ["user", "writer", "Draft: hello world"],
      ["user", "critic", "Looks fine. TERMINATE"],
    ]);
    // The lead is a member, so last_msg is the critic's broadcast (TERMINATE removed).
    expect(polisher.model.requests[0].messages.at(-1)).toEqual({ content: "Polish the draft.\nContext: \nLooks fine. ", role: "user", name: "lead" });
    expect(rnc(lead.chat_messages_get(manager))).toEqual([
      ["assistant", "lead", "Write a greeting."],
      ["user", "writer", "Draft: hello world"],
      ["user", "critic", "Looks fine. TERMINATE"],
    ]);
    expect(io.output).toBe(
      block("me", "lead", "Write a greeting.") +
        banner +
        block("lead", "chat_manager", "Write a greeting.") +
        next("writer") +
        block("writer", "chat_manager", "Draft: hello world") +
        next("critic") +
        block("critic", "chat_manager", "Looks fine. TERMINATE") +
        banner +
        block("lead", "polisher", "Polish the draft.\nContext: \nLooks fine. ") +
        block("polisher", "lead", "Hello, world!") +
        block("lead", "me", "Hello, world!"),
    );
    polisher.model.assert_consumed();
  });

  it("a nested group chat with reflection_with_llm summarises the group transcript with the manager's model", async () => {
    const model = new ScriptedModelClient(["A draft was written and approved."]);
    const writer = member("writer", "Draft: hello world");
    const critic = member("critic", "Looks fine. TERMINATE");
    const gc = new GroupChat({ agents: [writer, critic], speaker_selection_method: "round_robin", max_round: 6 });
    const manager = new GroupChatManager({ groupchat: gc, llm_config: model.llm_config(), is_termination_msg: endsWithTerminate });
    const lead = new ConversableAgent("lead", { llm_config: false, human_input_mode: "NEVER" });
    lead.register_nested_chats([{ recipient: manager, summary_method: "reflection_with_llm", silent: true }], ConversableAgent);
    const me = user("me");
    const { io, result } = await capture(() => me.initiate_chat(lead, { message: "Write a greeting.", max_turns: 1, silent: true }));
    expect(rnc(result.chat_history)).toEqual([
      ["assistant", "me", "Write a greeting."],
      ["user", "lead", "A draft was written and approved."],
    ]);
    expect(model.requests[0].messages).toEqual([
      { content: "Write a greeting.", role: "user", name: "lead" },
      { content: "Draft: hello world", role: "user", name: "writer" },
      { content: "Looks fine. TERMINATE", role: "user", name: "critic" },
      { role: "system", content: ConversableAgent.DEFAULT_SUMMARY_PROMPT },
    ]);
    // The entry is silent but the group's turns print (the manager is not silent).
    expect(io.output).toBe(next("writer") + block("writer", "chat_manager", "Draft: hello world") + next("critic") + block("critic", "chat_manager", "Looks fine. TERMINATE"));
    model.assert_consumed();
  });

  it("each trigger reruns the nested group chat from a fresh transcript; clear_history: false continues it", async () => {
    for (const clear_history of [true, false]) {
      const { lead, gc, manager } = team();
      lead.register_nested_chats([{ recipient: manager, clear_history, silent: true }], ConversableAgent);
      const me = member("me", "Another one.");
      const { result } = await capture(() => me.initiate_chat(lead, { message: "Write a greeting.", max_turns: 2, silent: true }));
      expect(rnc(result.chat_history)).toEqual([
        ["assistant", "me", "Write a greeting."],
        ["user", "lead", "Looks fine. "],
        ["assistant", "me", "Another one."],
        ["user", "lead", "Looks fine. "],
      ]);
      const run = (first: string) => [
        ["lead", first],
        ["writer", "Draft: hello world"],
        ["critic", "Looks fine. TERMINATE"],
      ];
      expect(gc.messages.map((m) => [m.name, m.content])).toEqual(
        clear_history ? run("Another one.") : [...run("Write a greeting."), ...run("Another one.")],
      );
    }
  });
});

describe("chat caches across group chats and nested chats (spec 20 §2 steps 2 and 7, spec 30 §7.3)", () => {
  it("members use the group chat's cache only while it runs; every agent gets its earlier cache back, nested chats included", async () => {
    const earlierMe = { name: "me's earlier cache" };
    const earlierB = { name: "b's earlier cache" };
    const groupCache = { name: "group cache" } as never;
    const nestedCache = { name: "nested cache" } as never;
    const seen: Array<[string, unknown]> = [];
    const record = (agent: ConversableAgent, reply: string) =>
      agent.register_reply(GroupChatManager, (recipient) => {
        seen.push([recipient.name, recipient.client_cache]);
        return [true, reply];
      });
    const me = member("me");
    me.client_cache = earlierMe;
    const a = member("a");
    record(a, "a speaks");
    const b = member("b");
    b.client_cache = earlierB;
    const helper = member("helper");
    helper.register_reply(ConversableAgent, (recipient, _messages, sender) => {
      seen.push([`helper (asked by ${sender?.name})`, recipient.client_cache]);
      seen.push([`${sender?.name} during its nested chat`, (sender as ConversableAgent).client_cache]);
      return [true, "helped"];
    });
    b.register_nested_chats([{ recipient: helper, max_turns: 1, cache: nestedCache, silent: true }], GroupChatManager);
    const c = member("c");
    record(c, "c speaks");
    const gc = new GroupChat({ agents: [me, a, b, c], speaker_selection_method: "round_robin", max_round: 4 });
    const manager = new GroupChatManager({ groupchat: gc });
    await capture(() => me.initiate_chat(manager, { message: "go", cache: groupCache, silent: true }));
    expect(gc.messages.map((m) => [m.name, m.content])).toEqual([
      ["me", "go"],
      ["a", "a speaks"],
      ["b", "helped"],
      ["c", "c speaks"],
    ]);
    expect(seen).toEqual([
      ["a", groupCache],
      ["helper (asked by b)", nestedCache],
      ["b during its nested chat", nestedCache],
      ["c", groupCache],
    ]);
    expect([me, a, b, c, helper, manager].map((x) => [x.name, x.client_cache, x.previous_cache])).toEqual([
      ["me", earlierMe, null],
      ["a", null, null],
      ["b", earlierB, null],
      ["c", null, null],
      ["helper", null, null],
      ["chat_manager", null, null],
    ]);
  });
});

describe("failures, aborts and costs across the two areas", () => {
  it("a group chat that fails rejects its dependent chats and a_initiate_chats; independent chats still finish", async () => {
    const me = member("me");
    const broken = member("broken");
    broken.register_reply(GroupChatManager, () => {
      throw new Error("member crashed");
    });
    const gc = new GroupChat({ agents: [broken, member("ok")], speaker_selection_method: "round_robin", max_round: 3 });
    const manager = new GroupChatManager({ groupchat: gc });
    const independent = assistant("independent", ["done"]);
    const dependent = assistant("dependent", []);
    await expect(
      capture(() =>
        me.a_initiate_chats([
          { chat_id: 1, recipient: manager, message: "start", silent: true },
          { chat_id: 2, recipient: dependent.agent, message: "after", prerequisites: [1], max_turns: 1, silent: true },
          { chat_id: 3, recipient: independent.agent, message: "alone", max_turns: 1, silent: true },
        ]),
      ),
    ).rejects.toThrow("member crashed");
    expect(dependent.model.requests).toHaveLength(0);
    expect(independent.model.requests).toHaveLength(1);
    expect(gc.messages.map((m) => m.content)).toEqual(["start"]);
  });

  it("aborting a sequential queue inside a group chat stops the group and the rest of the queue", async () => {
    const controller = new AbortController();
    const me = member("me");
    const a = member("a");
    a.register_reply(GroupChatManager, () => {
      controller.abort();
      return [true, "a speaks"];
    });
    const b = member("b");
    const gc = new GroupChat({ agents: [a, b], speaker_selection_method: "round_robin", max_round: 5 });
    const manager = new GroupChatManager({ groupchat: gc });
    const later = assistant("later", []);
    // Issue #10: the aborted chat resolves with stop_reason "aborted" and ends the queue
    // (this used to reject with AbortError).
    const { result } = await capture(() =>
      me.initiate_chats([
        { recipient: manager, message: "start", signal: controller.signal, silent: true },
        { recipient: later.agent, message: "next", max_turns: 1, silent: true },
      ]),
    );
    expect(result.map((r) => r.stop_reason)).toEqual(["aborted"]);
    expect(result[0].chat_history.map((m) => m.content)).toEqual(["start"]);
    // a's reply was never sent: the send after the abort threw.
    expect(gc.messages.map((m) => m.content)).toEqual(["start"]);
    expect(b.chat_messages_get(manager).map((m) => m.content)).toEqual(["start"]);
    expect(later.model.requests).toHaveLength(0);
  });

  it("ChatResult.cost of a group chat counts the manager's reflection summary, not the speaker selections", async () => {
    const usage = { prompt_tokens: 100, completion_tokens: 10 };
    const model = new ScriptedModelClient({
      script: [{ content: "b", usage }, { content: "Summary.", usage: { prompt_tokens: 50, completion_tokens: 5 } }],
      price: [1, 2],
    });
    const me = member("me");
    const gc = new GroupChat({ agents: [member("a"), member("b")], max_round: 2 });
    const manager = new GroupChatManager({ groupchat: gc, llm_config: model.llm_config() });
    const { result } = await capture(() => me.initiate_chats([{ recipient: manager, message: "go", summary_method: "reflection_with_llm", silent: true }]));
    expect(gc.messages.map((m) => [m.name, m.content])).toEqual([
      ["me", "go"],
      ["b", "b speaks"],
    ]);
    expect(result[0].summary).toBe("Summary.");
    const summaryOnly = { total_cost: 0.06, scripted: { cost: 0.06, prompt_tokens: 50, completion_tokens: 5, total_tokens: 55 } };
    expect(result[0].cost).toEqual({ usage_including_cached_inference: summaryOnly, usage_excluding_cached_inference: summaryOnly });
    model.assert_consumed();
  });
});

describe("more nested-chat options inside group chats", () => {
  it("carryover_config summarises the member's conversation with the manager, minus the hand-off, into the nested chat's message", async () => {
    const me = member("me");
    const planner = member("planner", "Plan: add the numbers.");
    const critic = member("critic", "Solver, your turn.");
    const solver = new ConversableAgent("solver", { llm_config: false, human_input_mode: "NEVER", description: "Solves." });
    const gc = new GroupChat({ agents: [planner, critic, solver], speaker_selection_method: "round_robin", max_round: 4 });
    const manager = new GroupChatManager({ groupchat: gc });
    const calculator = assistant("calculator", ["3"]);
    solver.register_nested_chats(
      [{ recipient: calculator.agent, message: "Compute.", max_turns: 1, silent: true, carryover_config: { summary_method: "all" } }],
      manager,
    );
    await capture(() => me.initiate_chat(manager, { message: "1 + 2?", silent: true }));
    // The solver's history with the manager was [me, planner, critic]; the last two are the hand-off.
    expect(calculator.model.requests[0].messages.at(-1)).toEqual({ content: "Compute.\nContext:\n1 + 2?", role: "user", name: "solver" });
    expect(gc.messages.map((m) => [m.name, m.content])).toEqual([
      ["me", "1 + 2?"],
      ["planner", "Plan: add the numbers."],
      ["critic", "Solver, your turn."],
      ["solver", "3"],
    ]);
  });

  it("use_async nested chats inside a group chat reply with the last entry's summary", async () => {
    const me = member("me");
    const solver = new ConversableAgent("solver", { llm_config: false, human_input_mode: "NEVER", description: "Solves." });
    const gc = new GroupChat({ agents: [member("planner", "Plan."), solver], speaker_selection_method: "round_robin", max_round: 3 });
    const manager = new GroupChatManager({ groupchat: gc });
    const x = assistant("x", ["x result"]);
    const y = assistant("y", ["y result"]);
    const z = assistant("z", ["z result"]);
    solver.register_nested_chats(
      [
        { chat_id: 10, recipient: x.agent, max_turns: 1, silent: true },
        { chat_id: 11, recipient: y.agent, message: "Y?", max_turns: 1, silent: true },
        { chat_id: 12, recipient: z.agent, message: "Z?", max_turns: 1, prerequisites: [10, 11], silent: true },
      ],
      manager,
      { use_async: true },
    );
    await capture(() => me.initiate_chat(manager, { message: "Go.", silent: true }));
    expect(x.model.requests[0].messages.at(-1)?.content).toBe("Plan.");
    expect(z.model.requests[0].messages.at(-1)?.content).toBe("Z?\nContext: \nx result\ny result");
    expect(gc.messages.map((m) => [m.name, m.content])).toEqual([
      ["me", "Go."],
      ["planner", "Plan."],
      ["solver", "z result"],
    ]);
  });

  it("hierarchical teams: a member of the outer group runs an inner group it also belongs to", async () => {
    const me = member("me");
    const lead = new ConversableAgent("team_lead", { llm_config: false, human_input_mode: "NEVER", description: "Leads the inner team." });
    const coder = member("coder", "def add(a, b): return a + b");
    const tester = member("tester", "Tests pass.");
    const inner = new GroupChat({ agents: [lead, coder, tester], speaker_selection_method: "round_robin", max_round: 3 });
    const innerManager = new GroupChatManager({ name: "inner_manager", groupchat: inner });
    const architect = member("architect", "Team lead, build add().");
    const reviewer = member("reviewer", "Approved. TERMINATE");
    const outer = new GroupChat({ agents: [architect, lead, reviewer], speaker_selection_method: "round_robin", max_round: 5 });
    const outerManager = new GroupChatManager({ name: "outer_manager", groupchat: outer, is_termination_msg: endsWithTerminate });
    lead.register_nested_chats([{ recipient: innerManager, silent: true }], outerManager);
    const { io } = await capture(() => me.initiate_chat(outerManager, { message: "We need add().", silent: true }));
    expect(rnc(outer.messages)).toEqual([
      ["user", "me", "We need add()."],
      ["user", "architect", "Team lead, build add()."],
      ["user", "team_lead", "Tests pass."],
      ["user", "reviewer", "Approved. TERMINATE"],
    ]);
    expect(rnc(inner.messages)).toEqual([
      ["user", "team_lead", "Team lead, build add()."],
      ["user", "coder", "def add(a, b): return a + b"],
      ["user", "tester", "Tests pass."],
    ]);
    // The lead keeps two separate conversations, one per manager.
    expect(rnc(lead.chat_messages_get(innerManager))).toEqual([
      ["assistant", "team_lead", "Team lead, build add()."],
      ["user", "coder", "def add(a, b): return a + b"],
      ["user", "tester", "Tests pass."],
    ]);
    expect(rnc(lead.chat_messages_get(outerManager))).toEqual([
      ["user", "me", "We need add()."],
      ["user", "architect", "Team lead, build add()."],
      ["assistant", "team_lead", "Tests pass."],
      ["user", "reviewer", "Approved. TERMINATE"],
    ]);
    expect([outerManager.last_speaker?.name, innerManager.last_speaker?.name]).toEqual(["reviewer", "tester"]);
    expect(io.output).toBe(
      next("architect") +
        block("architect", "outer_manager", "Team lead, build add().") +
        next("team_lead") +
        next("coder") +
        block("coder", "inner_manager", "def add(a, b): return a + b") +
        next("tester") +
        block("tester", "inner_manager", "Tests pass.") +
        block("team_lead", "outer_manager", "Tests pass.") +
        next("reviewer") +
        block("reviewer", "outer_manager", "Approved. TERMINATE"),
    );
  });
});

describe("the manager's _prepare_chat across queued chats (spec 30 §7.2)", () => {
  it("each queued chat resets the members' auto-reply counters, also with clear_history: false", async () => {
    const me = member("me");
    const a = new ConversableAgent("a", { llm_config: false, human_input_mode: "NEVER", default_auto_reply: "a speaks", max_consecutive_auto_reply: 1, description: "a" });
    const b = member("b");
    const gc = new GroupChat({ agents: [a, b], speaker_selection_method: "round_robin", max_round: 3 });
    const manager = new GroupChatManager({ groupchat: gc });
    // Alone, a second turn for a in the same chat is refused (its counter reached 1).
    await capture(() => me.initiate_chat(manager, { message: "warm-up", silent: true }));
    expect(gc.messages.map((m) => m.name)).toEqual(["me", "a", "b"]);
    const gc2 = new GroupChat({ agents: [a, b], speaker_selection_method: "round_robin", max_round: 4 });
    const manager2 = new GroupChatManager({ name: "manager2", groupchat: gc2 });
    await capture(() => me.initiate_chat(manager2, { message: "twice", silent: true }));
    expect(gc2.messages.map((m) => m.name)).toEqual(["me", "a", "b"]);
    expect(manager2.termination_reason).toBe("No reply generated");

    const { result } = await capture(() =>
      me.initiate_chats([
        { recipient: manager, message: "one", silent: true },
        { recipient: manager, message: "two", clear_history: false, silent: true },
      ]),
    );
    // me is not a member: its conversation with the manager holds only its own messages.
    expect(result.map((r) => r.chat_history.map((m) => m.content))).toEqual([["one"], ["one", "two\nContext: \none"]]);
    expect(gc.messages.map((m) => m.content)).toEqual(["one", "a speaks", "b speaks", "two\nContext: \none", "a speaks", "b speaks"]);
  });

  it("a human member's inputs land in that chat's ChatResult.human_input only", async () => {
    const me = user("me", { human_input_mode: "ALWAYS" });
    const a = member("a");
    const gc = new GroupChat({ agents: [me, a], speaker_selection_method: "round_robin", max_round: 4 });
    const manager = new GroupChatManager({ groupchat: gc });
    const { io, result } = await capture(
      () =>
        me.initiate_chats([
          { recipient: manager, message: "one", silent: true },
          { recipient: manager, message: "two", silent: true },
        ]),
      ["more please", "again"],
    );
    const prompt = "Replying as me. Give feedback to chat_manager. Press enter to skip and use auto-reply, or type 'exit' to end the conversation: ";
    expect(io.prompts).toEqual([prompt, prompt]);
    expect(result.map((r) => r.human_input)).toEqual([["more please"], ["again"]]);
    expect(rnc(gc.messages)).toEqual([
      ["user", "me", "two\nContext: \na speaks"],
      ["user", "a", "a speaks"],
      ["user", "me", "again"],
      ["user", "a", "a speaks"],
    ]);
    expect(result.map((r) => r.summary)).toEqual(["a speaks", "a speaks"]);
  });

  it("max_turns: 2 with a member as initiator runs the group once per turn, continuing the transcript", async () => {
    const script = new ScriptedModelClient(["Follow-up."]);
    const me = new ConversableAgent("me", { llm_config: script.llm_config(), human_input_mode: "NEVER", system_message: "You are me." });
    const a = member("a");
    const gc = new GroupChat({ agents: [me, a], speaker_selection_method: "round_robin", max_round: 2 });
    const manager = new GroupChatManager({ groupchat: gc });
    const { result } = await capture(() => me.initiate_chats([{ recipient: manager, message: "Start.", max_turns: 2, silent: true }]));
    expect(rnc(gc.messages)).toEqual([
      ["user", "me", "Start."],
      ["user", "a", "a speaks"],
      ["user", "me", "Follow-up."],
      ["user", "a", "a speaks"],
    ]);
    expect(script.requests[0].messages).toEqual([
      { content: "You are me.", role: "system" },
      { content: "Start.", role: "assistant", name: "me" },
      { content: "a speaks", role: "user", name: "a" },
    ]);
    expect(rnc(result[0].chat_history)).toEqual([
      ["assistant", "me", "Start."],
      ["user", "a", "a speaks"],
      ["assistant", "me", "Follow-up."],
      ["user", "a", "a speaks"],
    ]);
    script.assert_consumed();
  });
});

describe("resume, then continue through a chat queue (spec 30 §7.6 with spec 20 §6)", () => {
  it("the resumed last speaker continues the group with clear_history: false; the next queued chat carries its summary", async () => {
    const writer = member("writer", "Second draft.");
    const critic = member("critic", "Approved.");
    const gc = new GroupChat({ agents: [writer, critic], speaker_selection_method: "round_robin", max_round: 3, send_introductions: true });
    const manager = new GroupChatManager({ groupchat: gc });
    const saved: Message[] = [
      { content: "Write a haiku.", role: "user", name: "Admin" },
      { content: "First draft.", role: "user", name: "writer" },
      { content: "Too long.", role: "user", name: "critic" },
    ];
    const publisher = assistant("publisher", ["Published."]);
    const { io, result } = await capture(async () => {
      const [speaker, last] = await manager.resume(saved);
      return initiate_chats([
        { sender: speaker as ConversableAgent, recipient: manager, message: last, clear_history: false },
        { sender: writer, recipient: publisher.agent, message: "Publish it.", max_turns: 1 },
      ]);
    });
    expect(rnc(gc.messages)).toEqual([
      ["user", "Admin", "Write a haiku."],
      ["user", "writer", "First draft."],
      ["user", "critic", "Too long."],
      ["user", "writer", "Second draft."],
      ["user", "critic", "Approved."],
    ]);
    // critic (the resumed speaker) is a member: last_msg is the last broadcast it received.
    expect(result[0].summary).toBe("Approved.");
    expect(rnc(result[0].chat_history)).toEqual([
      ["user", "Admin", "Write a haiku."],
      ["user", "writer", "First draft."],
      ["assistant", "critic", "Too long."],
      ["user", "writer", "Second draft."],
      ["assistant", "critic", "Approved."],
    ]);
    expect(publisher.model.requests[0].messages.at(-1)).toEqual({ content: "Publish it.\nContext: \nApproved.", role: "user", name: "writer" });
    // No introductions after resume; the banner shows before each queued chat.
    expect(io.output).toBe(
      "Prepared group chat with 3 messages, the last speaker is critic\n" +
        banner +
        block("critic", "chat_manager", "Too long.") +
        next("writer") +
        block("writer", "chat_manager", "Second draft.") +
        next("critic") +
        block("critic", "chat_manager", "Approved.") +
        banner +
        block("writer", "publisher", "Publish it.\nContext: \nApproved.") +
        block("publisher", "writer", "Published."),
    );
  });
});
