import {
  AssistantAgent,
  ChatResult,
  ConversableAgent,
  InvalidCarryOverTypeError,
  IOStream,
  UserProxyAgent,
  ValueError,
  a_initiate_chats,
  initiate_chats,
  set_logger,
  type ChatQueueEntry,
  type Message,
} from "ag2ts";
import { CapturingIOStream, ScriptedModelClient, type ScriptStep } from "ag2ts/testing";

const STARS = "*".repeat(80);
const RULE = "-".repeat(80);
const block = (from: string, to: string, text: string) => `${from} (to ${to}):\n\n${text}\n\n${RULE}\n`;
const banner = (verbose?: { message: string; carryover: string }) =>
  `\n${STARS}\nStarting a new chat....\n` +
  (verbose ? `Message:\n${verbose.message}\nCarryover:\n${verbose.carryover}\n` : "") +
  `\n${STARS}\n`;

function assistant(name: string, script: ScriptStep[]) {
  const model = new ScriptedModelClient(script);
  return { agent: new AssistantAgent(name, { llm_config: model.llm_config() }), model };
}
function user(name = "user") {
  return new UserProxyAgent(name, { human_input_mode: "NEVER", code_execution_config: false });
}
/** The text of the first message a model saw (its last request message of its first request). */
const firstSeen = (model: ScriptedModelClient, request = 0) => model.requests[request].messages.at(-1)?.content;

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

let warnings: string[] = [];
beforeEach(() => {
  warnings = [];
  set_logger((_level, message) => warnings.push(message));
});
afterAll(() => set_logger(null));

function quietly<T>(fn: () => Promise<T>, io = new CapturingIOStream()): Promise<T> {
  return IOStream.set_default(io, fn);
}

describe("initiate_chats (sequential)", () => {
  it("runs a research -> write -> edit pipeline with exact carryover", async () => {
    const me = user();
    const research = assistant("researcher", ["Cats sleep 16 hours a day. TERMINATE"]);
    const write = assistant("writer", ["Draft: Cats are champion sleepers."]);
    const edit = assistant("editor", ["Final: Cats are champion sleepers, 16 hours a day.\nTERMINATE"]);
    const results = await quietly(() =>
      me.initiate_chats([
        { recipient: research.agent, message: "Find a fact about cats.", max_turns: 1 },
        { recipient: write.agent, message: "Write a one-line post.", max_turns: 1 },
        { recipient: edit.agent, message: "Edit the post.", max_turns: 1, summary_method: "last_msg" },
      ]),
    );
    expect(firstSeen(research.model)).toBe("Find a fact about cats.");
    expect(firstSeen(write.model)).toBe("Write a one-line post.\nContext: \nCats sleep 16 hours a day. ");
    expect(firstSeen(edit.model)).toBe(
      "Edit the post.\nContext: \nCats sleep 16 hours a day. \nDraft: Cats are champion sleepers.",
    );
    expect(results.map((r) => r.summary)).toEqual([
      "Cats sleep 16 hours a day. ",
      "Draft: Cats are champion sleepers.",
      "Final: Cats are champion sleepers, 16 hours a day.\n",
    ]);
    expect(results.every((r) => r instanceof ChatResult && r.chat_id === null)).toBe(true);
    expect(results[2].chat_history.map((m) => [m.role, m.name, m.content])).toEqual([
      ["assistant", "user", "Edit the post.\nContext: \nCats sleep 16 hours a day. \nDraft: Cats are champion sleepers."],
      ["user", "editor", "Final: Cats are champion sleepers, 16 hours a day.\nTERMINATE"],
    ]);
    expect(me.get_chat_results()).toEqual(results);
    expect(me.get_chat_results({ chat_index: 1 })).toBe(results[1]);
    for (const { model } of [research, write, edit]) model.assert_consumed();
  });

  it("leaves out the summaries of excluded chat indexes and appends summaries after the entry's own carryover", async () => {
    const me = user();
    const a = assistant("a", ["summary A"]);
    const b = assistant("b", ["summary B"]);
    const c = assistant("c", ["summary C"]);
    const d = assistant("d", ["summary D"]);
    await quietly(() =>
      me.initiate_chats([
        { recipient: a.agent, message: "one", max_turns: 1 },
        { recipient: b.agent, message: "two", max_turns: 1, carryover: "Background." },
        { recipient: c.agent, message: "three", max_turns: 1, finished_chat_indexes_to_exclude_from_carryover: [0] },
        { recipient: d.agent, message: "four", max_turns: 1, carryover: ["x", { content: "y" }], finished_chat_indexes_to_exclude_from_carryover: [1, 2] },
      ]),
    );
    expect(firstSeen(a.model)).toBe("one");
    expect(firstSeen(b.model)).toBe("two\nContext: \nBackground.\nsummary A");
    expect(firstSeen(c.model)).toBe("three\nContext: \nsummary B");
    expect(firstSeen(d.model)).toBe("four\nContext: \nx\ny\nsummary A");
  });

  it("does not change the caller's queue: running it twice gives identical first messages", async () => {
    const me = user();
    const a = assistant("a", ["A1", "A2"]);
    const b = assistant("b", ["B1", "B2"]);
    const queue: ChatQueueEntry[] = [
      { recipient: a.agent, message: "first", max_turns: 1 },
      { recipient: b.agent, message: "second", max_turns: 1, carryover: ["given"] },
    ];
    const before = queue.map((entry) => ({ ...entry, carryover: entry.carryover && [...(entry.carryover as unknown[])] }));
    await quietly(() => me.initiate_chats(queue));
    await quietly(() => me.initiate_chats(queue));
    expect(firstSeen(b.model, 0)).toBe("second\nContext: \ngiven\nA1");
    expect(firstSeen(b.model, 1)).toBe("second\nContext: \ngiven\nA2");
    expect(firstSeen(a.model, 0)).toBe(firstSeen(a.model, 1));
    expect(queue).toEqual(before);
    expect("sender" in queue[0]).toBe(false);
  });

  it("module initiate_chats needs a sender on every entry; the agent method fills it", async () => {
    const me = user();
    const a = assistant("a", ["hello"]);
    await expect(initiate_chats([{ recipient: a.agent, message: "hi", max_turns: 1 }])).rejects.toThrow(
      new ValueError("sender must be provided."),
    );
    await expect(initiate_chats([{ sender: me } as ChatQueueEntry])).rejects.toThrow("recipient must be provided.");
    expect(a.model.requests).toHaveLength(0);
    const results = await quietly(() => initiate_chats([{ sender: me, recipient: a.agent, message: "hi", max_turns: 1 }]));
    expect(results[0].chat_history.map((m) => [m.name, m.content])).toEqual([
      ["user", "hi"],
      ["a", "hello"],
    ]);
    // The module form does not store results on any agent.
    expect(me.get_chat_results()).toEqual([]);
  });

  it("prints a banner per entry unless silent; verbose adds the message and the carryover", async () => {
    const me = user();
    const a = assistant("a", ["alpha"]);
    const b = assistant("b", ["beta"]);
    const c = assistant("c", ["gamma"]);
    const d = assistant("d", ["delta"]);
    const io = new CapturingIOStream();
    function make_question(): string {
      return "What next?";
    }
    await quietly(
      () =>
        me.initiate_chats([
          { recipient: a.agent, message: "Start.", max_turns: 1 },
          { recipient: b.agent, message: "Go on.", max_turns: 1, verbose: true, carryover: "Seed." },
          { recipient: c.agent, message: { content: "As dict." }, max_turns: 1, silent: true },
          { recipient: d.agent, message: make_question, max_turns: 1, verbose: true },
        ]),
      io,
    );
    expect(io.output).toBe(
      banner() +
        block("user", "a", "Start.") +
        block("a", "user", "alpha") +
        banner({ message: "Go on.", carryover: "Seed.\nalpha" }) +
        block("user", "b", "Go on.\nContext: \nSeed.\nalpha") +
        block("b", "user", "beta") +
        banner({ message: "Callable: make_question", carryover: "alpha\nbeta\ngamma" }) +
        block("user", "d", "What next?") +
        block("d", "user", "delta"),
    );
  });

  it("renders an object message as Dict and a missing one as None in a verbose banner, and warns about both problems", async () => {
    const me = user();
    const a = assistant("a", ["one", "two"]);
    const io = new CapturingIOStream({ inputs: ["typed by a human"] });
    await quietly(
      () =>
        me.initiate_chats([
          { recipient: a.agent, message: { content: "obj", role: "user" }, max_turns: 1, verbose: true, silent: false },
          { recipient: a.agent, max_turns: 1, verbose: true, clear_history: false },
        ]),
      io,
    );
    expect(io.output.startsWith(banner({ message: 'Dict: {"content":"obj","role":"user"}', carryover: "" }))).toBe(true);
    expect(io.output).toContain(banner({ message: "None", carryover: "one" }));
    expect(io.prompts).toEqual([">"]);
    expect(firstSeen(a.model, 1)).toBe("typed by a human\nContext: \none");
    expect(warnings).toEqual([
      "The chat queue talks to a more than once. Each of those chats clears the history with that recipient first; " +
        "set clear_history: false on an entry to continue the earlier conversation instead.",
      "The chat queue entry for a has no message, so its first message will be read from human input. " +
        "Give the entry a message to avoid the prompt.",
    ]);
  });

  it("keeps earlier results unchanged when a later chat clears the same conversation", async () => {
    const me = user();
    const a = assistant("a", ["first answer", "second answer"]);
    const results = await quietly(() =>
      me.initiate_chats([
        { recipient: a.agent, message: "q1", max_turns: 1 },
        { recipient: a.agent, message: "q2", max_turns: 1 },
      ]),
    );
    expect(results[0].chat_history.map((m) => m.content)).toEqual(["q1", "first answer"]);
    expect(results[1].chat_history.map((m) => m.content)).toEqual(["q2\nContext: \nfirst answer", "second answer"]);
    expect(me.chat_messages.get(a.agent)?.map((m) => m.content)).toEqual(["q2\nContext: \nfirst answer", "second answer"]);
  });

  it("checks every entry before the first chat starts", async () => {
    const me = user();
    const a = assistant("a", []);
    const b = assistant("b", []);
    await expect(
      me.initiate_chats([
        { recipient: a.agent, message: "x", max_turns: 1 },
        { recipient: b.agent, message: "y", carryover: 42 as unknown as string },
      ]),
    ).rejects.toThrow(new InvalidCarryOverTypeError("Carryover should be a string or a list of strings. Not adding carryover to the message."));
    await expect(
      me.initiate_chats([
        { recipient: a.agent, message: "x", max_turns: 1 },
        { recipient: b.agent, message: "y", summary_method: "shortest" as "last_msg" },
      ]),
    ).rejects.toThrow("summary_method must be a string chosen from 'reflection_with_llm' or 'last_msg' or a callable, or None.");
    await expect(
      me.initiate_chats([
        { recipient: a.agent, message: "x", max_turns: 1 },
        { recipient: b.agent, message: "y", max_turn: 1 },
      ]),
    ).rejects.toThrow("initiate_chat: unknown option 'max_turn'. Did you mean 'max_turns'?");
    await expect(
      me.initiate_chats([
        { recipient: a.agent, message: "x", max_turns: 1 },
        { recipient: new ConversableAgent("plain", { llm_config: false }), message: "y", summary_method: "reflection_with_llm" },
      ]),
    ).rejects.toThrow("llm client must be set in either the recipient or sender when summary_method is reflection_with_llm.");
    expect(a.model.requests).toHaveLength(0);
    expect(me.chat_messages.get(a.agent)).toBeUndefined();
  });

  it("gives a callable message the carryover in its context and does not append it", async () => {
    const me = user();
    const a = assistant("a", ["A"]);
    const b = assistant("b", ["B"]);
    const seen: unknown[] = [];
    await quietly(() =>
      me.initiate_chats([
        { recipient: a.agent, message: "hi", max_turns: 1 },
        {
          recipient: b.agent,
          max_turns: 1,
          topic: "cats",
          message: (sender: ConversableAgent, recipient: ConversableAgent, context: Record<string, unknown>) => {
            seen.push(sender.name, recipient.name, context.carryover, context.topic);
            return `About ${context.topic}.`;
          },
        },
      ]),
    );
    expect(seen).toEqual(["user", "b", ["A"], "cats"]);
    expect(firstSeen(b.model)).toBe("About cats.");
  });
});

describe("a_initiate_chats (concurrent, with prerequisites)", () => {
  it("starts chats as soon as their prerequisites finish and carries over only their summaries", async () => {
    const log: string[] = [];
    const gateA = deferred();
    const gateB = deferred();
    const started = { a: deferred(), b: deferred(), d: deferred() };
    const finishedD = deferred();
    const step = (name: "a" | "b" | "c" | "d", reply: string, gate?: Promise<void>): ScriptStep => async () => {
      started[name as "a"]?.resolve();
      if (gate) await gate;
      return reply;
    };
    const a = assistant("a", [step("a", "fact A", gateA.promise)]);
    const b = assistant("b", [step("b", "fact B", gateB.promise)]);
    const c = assistant("c", [step("c", "report C")]);
    const d = assistant("d", [step("d", "note D")]);
    const tracked = (id: number) => ({
      message: (_s: ConversableAgent, r: ConversableAgent, context: Record<string, unknown>) => {
        log.push(`start ${id}`);
        const carried = (context.carryover as string[]).join(" | ");
        return carried ? `task ${id} given ${carried}` : `task ${id}`;
      },
      summary_method: (_s: ConversableAgent, r: ConversableAgent) => {
        log.push(`finish ${id}`);
        if (id === 4) finishedD.resolve();
        return String(r.last_message(_s)?.content);
      },
    });
    const me = user();
    const running = quietly(() =>
      me.a_initiate_chats([
        { chat_id: 3, recipient: c.agent, prerequisites: [1, 2], max_turns: 1, ...tracked(3) },
        { chat_id: 1, recipient: a.agent, max_turns: 1, ...tracked(1) },
        { chat_id: 2, recipient: b.agent, max_turns: 1, ...tracked(2) },
        { chat_id: 4, recipient: d.agent, prerequisites: [2], max_turns: 1, ...tracked(4) },
      ]),
    );
    await Promise.all([started.a.promise, started.b.promise]);
    expect(log).toEqual(["start 1", "start 2"]);
    gateB.resolve();
    await started.d.promise;
    await finishedD.promise;
    expect(log).toEqual(["start 1", "start 2", "finish 2", "start 4", "finish 4"]);
    gateA.resolve();
    const results = await running;
    expect(log).toEqual(["start 1", "start 2", "finish 2", "start 4", "finish 4", "finish 1", "start 3", "finish 3"]);
    expect(firstSeen(c.model)).toBe("task 3 given fact A | fact B");
    expect(firstSeen(d.model)).toBe("task 4 given fact B");
    expect(Object.keys(results)).toEqual(["1", "2", "3", "4"]);
    expect(Object.entries(results).map(([id, r]) => [Number(id), r.chat_id, r.summary])).toEqual([
      [1, 1, "fact A"],
      [2, 2, "fact B"],
      [3, 3, "report C"],
      [4, 4, "note D"],
    ]);
    expect(me.get_chat_results()).toBe(results);
    expect(me.get_chat_results({ chat_index: 3 })).toBe(results[3]);
  });

  it("appends prerequisite summaries to a string message, in prerequisite order, minus excluded chat ids", async () => {
    const a = assistant("a", ["A"]);
    const b = assistant("b", ["B"]);
    const c = assistant("c", ["C"]);
    const e = assistant("e", ["E"]);
    const me = user();
    const results = await quietly(() =>
      a_initiate_chats([
        { sender: me, chat_id: 10, recipient: a.agent, message: "a?", max_turns: 1 },
        { sender: me, chat_id: 20, recipient: b.agent, message: "b?", max_turns: 1, carryover: "own" },
        { sender: me, chat_id: 30, recipient: c.agent, message: "c?", max_turns: 1, prerequisites: [20, 10] },
        { sender: me, chat_id: 40, recipient: e.agent, message: "e?", max_turns: 1, prerequisites: [10, 20, 30],
          finished_chat_indexes_to_exclude_from_carryover: [10, 30] },
      ]),
    );
    expect(firstSeen(b.model)).toBe("b?\nContext: \nown");
    expect(firstSeen(c.model)).toBe("c?\nContext: \nB\nA");
    expect(firstSeen(e.model)).toBe("e?\nContext: \nB");
    expect(results[40].chat_id).toBe(40);
  });

  it("rejects a bad dependency graph before any chat starts, naming the ids", async () => {
    const a = assistant("a", []);
    const b = assistant("b", []);
    const me = user();
    const run = (queue: ChatQueueEntry[]) => quietly(() => me.a_initiate_chats(queue));
    await expect(run([{ recipient: a.agent, message: "x" }])).rejects.toThrow(
      "Each chat must have a unique id for async multi-chat execution. The entry at index 0 has no chat_id.",
    );
    await expect(
      run([
        { chat_id: 1, recipient: a.agent, message: "x" },
        { chat_id: 1, recipient: b.agent, message: "y" },
      ]),
    ).rejects.toThrow("Each chat must have a unique id for async multi-chat execution. chat_id 1 is used more than once.");
    await expect(run([{ chat_id: 1, recipient: a.agent, message: "x", prerequisites: ["0" as unknown as number] }])).rejects.toThrow(
      'Prerequisite chat id is not int. Chat 1 lists "0".',
    );
    await expect(run([{ chat_id: 1, recipient: a.agent, message: "x", prerequisites: [7, 8] }])).rejects.toThrow(
      "Chat 1 has prerequisites that match no chat_id in the queue: 7, 8. Known chat ids: 1.",
    );
    await expect(
      run([
        { chat_id: 1, recipient: a.agent, message: "x" },
        { chat_id: 2, recipient: b.agent, message: "y", prerequisites: [3] },
        { chat_id: 3, recipient: b.agent, message: "z", prerequisites: [4] },
        { chat_id: 4, recipient: a.agent, message: "w", prerequisites: [2] },
      ]),
    ).rejects.toThrow(
      new ValueError(
        "The chat prerequisites form a cycle: 2 -> 3 -> 4 -> 2. Chats 2, 3, 4 could never start; remove one of the prerequisites in the cycle.",
      ),
    );
    await expect(run([{ chat_id: 5, recipient: a.agent, message: "x", prerequisites: [5] }])).rejects.toThrow(
      "The chat prerequisites form a cycle: 5 -> 5.",
    );
    expect(a.model.requests).toHaveLength(0);
    expect(b.model.requests).toHaveLength(0);
    expect(me.chat_messages.size).toBe(0);
  });

  it("fails the dependents of a failed chat, lets the others finish, and rejects with the failure", async () => {
    const failure = new Error("model down");
    const a = assistant("a", [{ error: failure }]);
    const b = assistant("b", []);
    const c = assistant("c", ["independent"]);
    const me = user();
    const summaries: string[] = [];
    await expect(
      quietly(() =>
        me.a_initiate_chats([
          { chat_id: 1, recipient: a.agent, message: "x", max_turns: 1 },
          { chat_id: 2, recipient: b.agent, message: "y", max_turns: 1, prerequisites: [1] },
          {
            chat_id: 3,
            recipient: c.agent,
            message: "z",
            max_turns: 1,
            summary_method: (s: ConversableAgent, r: ConversableAgent) => {
              const text = String(r.last_message(s)?.content);
              summaries.push(text);
              return text;
            },
          },
        ]),
      ),
    ).rejects.toBe(failure);
    expect(b.model.requests).toHaveLength(0);
    expect(me.chat_messages.get(b.agent)).toBeUndefined();
    expect(summaries).toEqual(["independent"]);
  });
});

describe("ChatResult snapshots across queued chats", () => {
  it("a result's history, human input and cost do not change after later chats", async () => {
    const me = user();
    const a = assistant("a", [{ content: "one", usage: { prompt_tokens: 3, completion_tokens: 1 } }, "two", "three"]);
    const io = new CapturingIOStream({ inputs: ["typed"] });
    const [first] = await quietly(() => me.initiate_chats([{ recipient: a.agent, max_turns: 1, silent: true }]), io);
    expect(first.human_input).toEqual(["typed"]);
    expect(first.chat_history.map((m: Message) => m.content)).toEqual(["typed", "one"]);
    const snapshot = JSON.parse(JSON.stringify(first)) as ChatResult;
    await quietly(() =>
      me.initiate_chats([
        { recipient: a.agent, message: "again", max_turns: 1, silent: true },
        { recipient: a.agent, message: "more", max_turns: 1, silent: true, clear_history: false },
      ]),
    );
    expect(JSON.parse(JSON.stringify(first))).toEqual(snapshot);
    expect(me.chat_messages.get(a.agent)?.map((m) => m.content)).toEqual(["again", "two", "more\nContext: \ntwo", "three"]);
  });
});
