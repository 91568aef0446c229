import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import {
  AssistantAgent,
  ChatResult,
  ConversableAgent,
  GroupChat,
  GroupChatManager,
  IOStream,
  KeyError,
  UserProxyAgent,
  ValueError,
  load_conversation,
  save_conversation,
  type ConversationState,
  type Message,
} from "ag2ts";
import { CapturingIOStream, ScriptedModelClient } from "ag2ts/testing";

const FIXTURES = path.resolve(__dirname, "../fixtures");
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), "utf8");
const rnc = (messages: Message[]) => messages.map((m) => [m.role, m.name, m.content]);

function pair(script: string[] = []) {
  const model = new ScriptedModelClient({ script });
  const user = new UserProxyAgent("user", { human_input_mode: "ALWAYS", code_execution_config: false });
  const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config(), system_message: "You translate." });
  return { model, user, assistant };
}

function group(script: unknown[] = [], admin_name = "Admin") {
  const model = new ScriptedModelClient({ script: script as never[] });
  const planner = new AssistantAgent("planner", { llm_config: model.llm_config(), description: "Plans." });
  const executor = new ConversableAgent("executor", {
    llm_config: false,
    human_input_mode: "NEVER",
    description: "Runs tools.",
    function_map: { get_weather: ({ city }: { city: string }) => `sunny in ${city}` },
  });
  const gc = new GroupChat({ agents: [planner, executor], speaker_selection_method: "round_robin", max_round: 4, admin_name });
  const manager = new GroupChatManager({ groupchat: gc });
  const user = new ConversableAgent("user", { llm_config: false, human_input_mode: "NEVER" });
  return { model, planner, executor, gc, manager, user };
}

async function quietly<T>(fn: () => Promise<T>, inputs: string[] = []): Promise<T> {
  return IOStream.set_default(new CapturingIOStream({ inputs }), fn);
}

const TWO_AGENT_HISTORY = [
  ["assistant", "user", "Say hi."],
  ["user", "assistant", "Hi!"],
  ["assistant", "user", "Now in French."],
  ["user", "assistant", "Salut !"],
];

describe("v1 two-agent fixture", () => {
  it("restores histories, counters, reply_at_receive, human inputs, finished chats and usage by name", () => {
    const { user, assistant } = pair();
    const loaded = load_conversation(fixture("conversation-v1-two-agent.json"), [user, assistant]);
    expect(loaded.kind).toBe("two_agent");
    expect([...loaded.agents.keys()]).toEqual(["user", "assistant"]);
    expect(rnc(user.chat_messages_get(assistant))).toEqual(TWO_AGENT_HISTORY);
    expect(rnc(assistant.chat_messages_get(user))).toEqual([
      ["user", "user", "Say hi."],
      ["assistant", "assistant", "Hi!"],
      ["user", "user", "Now in French."],
      ["assistant", "assistant", "Salut !"],
    ]);
    expect([...user.chat_messages.keys()]).toEqual([assistant]);
    expect([...assistant._consecutive_auto_reply_counter.entries()]).toEqual([[user, 2]]);
    expect([...user._consecutive_auto_reply_counter.entries()]).toEqual([[assistant, 0]]);
    expect([...assistant.reply_at_receive.entries()]).toEqual([[user, true]]);
    expect(user._human_input).toEqual(["Now in French.", "exit"]);
    const finished = user.get_chat_results() as ChatResult[];
    expect(finished).toHaveLength(1);
    expect(finished[0]).toBeInstanceOf(ChatResult);
    expect(finished[0].summary).toBe("Salut !");
    expect(rnc(finished[0].chat_history)).toEqual(TWO_AGENT_HISTORY);
    expect(finished[0].human_input).toEqual(["Now in French.", "exit"]);
    expect(assistant.get_total_usage()).toEqual({
      total_cost: 0,
      scripted: { cost: 0, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    });
  });

  it("continues with initiate_chat({clear_history: false}): the model sees the restored history", async () => {
    const { model, user, assistant } = pair(["Hallo!"]);
    load_conversation(fixture("conversation-v1-two-agent.json"), [user, assistant]);
    const result = await quietly(() => user.initiate_chat(assistant, { message: "And in German?", clear_history: false }), ["exit"]);
    expect(model.requests[0].messages.map((m: Message) => [m.role, m.content])).toEqual([
      ["system", "You translate."],
      ["user", "Say hi."],
      ["assistant", "Hi!"],
      ["user", "Now in French."],
      ["assistant", "Salut !"],
      ["user", "And in German?"],
    ]);
    expect(rnc(result.chat_history)).toEqual([...TWO_AGENT_HISTORY, ["assistant", "user", "And in German?"], ["user", "assistant", "Hallo!"]]);
    expect(result.human_input).toEqual(["Now in French.", "exit", "exit"]);
    model.assert_consumed();
  });
});

const GROUP_TRANSCRIPT = [
  ["user", "user", "Weather in Paris?"],
  ["assistant", "planner", ""],
  ["tool", "executor", "sunny in Paris"],
  ["user", "planner", "It is sunny in Paris."],
];

describe("v1 group-chat fixture", () => {
  it("restores the transcript, last speaker, member and manager histories and the planner's usage", () => {
    const { planner, executor, gc, manager, user } = group();
    const loaded = load_conversation(fixture("conversation-v1-group-chat.json"), [user, manager]);
    expect(loaded.kind).toBe("group_chat");
    expect(loaded.last_speaker).toBe(planner);
    expect(manager.last_speaker).toBe(planner);
    expect(loaded.last_message).toEqual({ content: "It is sunny in Paris.", name: "planner", role: "user" });
    expect(rnc(gc.messages)).toEqual(GROUP_TRANSCRIPT);
    expect(gc.messages[1].tool_calls).toEqual([
      { id: "call_w1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
    ]);
    expect(rnc(executor.chat_messages_get(manager))).toEqual([
      ["user", "user", "Weather in Paris?"],
      ["assistant", "planner", ""],
      ["tool", "executor", "sunny in Paris"],
      ["user", "planner", "It is sunny in Paris."],
    ]);
    expect(rnc(manager.chat_messages_get(user))).toEqual([["user", "user", "Weather in Paris?"]]);
    expect(rnc(user.chat_messages_get(manager))).toEqual([["assistant", "user", "Weather in Paris?"]]);
    expect([...manager.chat_messages.keys()]).toEqual([user, planner, executor]);
    expect(planner.get_total_usage()).toEqual({
      total_cost: 0,
      scripted: { cost: 0, prompt_tokens: 60, completion_tokens: 11, total_tokens: 71 },
    });
    expect(gc.send_introductions).toBe(false);
  });

  it("continues the group chat where it stopped: the next speaker's model sees the restored transcript", async () => {
    const { model, gc, manager, user } = group(["Tomorrow it rains.", "Bye."]);
    load_conversation(fixture("conversation-v1-group-chat.json"), [user, manager]);
    await quietly(() => user.initiate_chat(manager, { message: "And tomorrow?", clear_history: false, max_turns: 1 }));
    // max_round (4) counts the rounds of this run; the restored transcript stays in front.
    expect(rnc(gc.messages)).toEqual([
      ...GROUP_TRANSCRIPT,
      ["user", "user", "And tomorrow?"],
      ["user", "planner", "Tomorrow it rains."],
      ["user", "executor", ""],
      ["user", "planner", "Bye."],
    ]);
    expect(model.requests[0].messages.slice(1).map((m: Message) => [m.role, m.content])).toEqual([
      ["user", "Weather in Paris?"],
      ["assistant", null],
      ["tool", "sunny in Paris"],
      ["assistant", "It is sunny in Paris."],
      ["user", "And tomorrow?"],
    ]);
  });

  it("also feeds GroupChatManager.resume: its messages are the saved transcript", async () => {
    const { planner, gc, manager } = group([], "user");
    const state = JSON.parse(fixture("conversation-v1-group-chat.json")) as ConversationState;
    const [speaker, last] = await quietly(() => manager.resume(state.group_chat!.messages, { silent: true }));
    expect(speaker).toBe(planner);
    expect(last).toEqual({ content: "It is sunny in Paris.", name: "planner", role: "user" });
    expect(rnc(gc.messages)).toEqual(GROUP_TRANSCRIPT.slice(0, 3));
  });
});

describe("save_conversation", () => {
  it("round-trips: saving the restored agents gives the same state", () => {
    const { user, manager } = group();
    const text = fixture("conversation-v1-group-chat.json");
    load_conversation(text, [user, manager]);
    const again = save_conversation([user, manager]);
    expect({ ...again, saved_at: "x" }).toEqual({ ...JSON.parse(text), saved_at: "x" });
    expect(again.version).toBe(1);
    expect(typeof again.saved_at).toBe("string");
  });

  it("saves a group by its manager: members included, kind group_chat", async () => {
    const { manager, planner, executor, gc } = group(["Done."]);
    await quietly(() => planner.initiate_chat(manager, { message: "Start.", max_turns: 1 }));
    const state = save_conversation([planner, manager]);
    expect(state.kind).toBe("group_chat");
    expect(Object.keys(state.agents).sort()).toEqual(["chat_manager", "executor", "planner"]);
    expect(state.group_chat).toEqual({
      manager: "chat_manager",
      messages: JSON.parse(JSON.stringify(gc.messages)),
      last_speaker: manager.last_speaker!.name,
      send_introductions: false,
    });
    expect(state.agents.executor.chat_messages.chat_manager).toEqual(JSON.parse(JSON.stringify(executor.chat_messages_get(manager))));
  });

  it("refuses agents outside the saved set, duplicate names and values JSON cannot hold", async () => {
    const { user, assistant } = pair();
    const other = new ConversableAgent("other", { llm_config: false });
    await user.send("hello", other, { request_reply: false, silent: true });
    expect(() => save_conversation([user, assistant])).toThrow(
      new ValueError(
        "save_conversation: the agents have conversations with 'other' (talked to user), not among the agents given. " +
          "Pass those agents too (e.g. save_conversation([manager, user]) for a group chat started by user), or clear_history() with them first.",
      ),
    );
    const twin = new ConversableAgent("user", { llm_config: false });
    expect(() => save_conversation([user, twin])).toThrow(
      "save_conversation: two different agents are named 'user'; saved conversations refer to agents by name, so names must be unique.",
    );
    const a = new ConversableAgent("a", { llm_config: false });
    const b = new ConversableAgent("b", { llm_config: false });
    a.chat_messages_get(b).push({ role: "user", content: "x", context: { when: new Date(0) } as never });
    expect(() => save_conversation([a, b])).toThrow(
      "Cannot save the conversation: a.chat_messages[b][0].context.when holds a Date object, which JSON cannot represent.",
    );
  });
});

describe("load_conversation errors", () => {
  it("names a missing agent and changes nothing", () => {
    const { user } = pair();
    const stranger = new AssistantAgent("translator", { llm_config: false });
    user.chat_messages_get(stranger).push({ role: "user", content: "kept" });
    let error: unknown;
    try {
      load_conversation(fixture("conversation-v1-two-agent.json"), [user, stranger]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(KeyError);
    expect((error as Error).message).toBe(
      "load_conversation: the saved conversation refers to agent(s) 'assistant' (in agents.user.chat_messages) that are not among the agents given " +
        "('user', 'translator'). Create agents with those names and pass them all.",
    );
    expect(rnc(user.chat_messages_get(stranger))).toEqual([["user", undefined, "kept"]]);
    expect(user._human_input).toEqual([]);
  });

  it("rejects an unknown version, a group state without its manager, and bad JSON", () => {
    const { user, assistant } = pair();
    const state = JSON.parse(fixture("conversation-v1-two-agent.json"));
    expect(() => load_conversation({ ...state, version: 2 }, [user, assistant])).toThrow(
      new ValueError("Unknown saved-conversation version 2: this ag2ts reads version(s) 1. Save it again with this version, or upgrade ag2ts."),
    );
    expect(() => load_conversation({ ...state, version: undefined }, [user, assistant])).toThrow("Unknown saved-conversation version undefined");
    const g = group();
    expect(() => load_conversation(fixture("conversation-v1-group-chat.json"), [g.user, g.planner, g.executor, new ConversableAgent("chat_manager", { llm_config: false })])).toThrow(
      "load_conversation: this is a saved group chat managed by 'chat_manager'; pass that GroupChatManager (got no GroupChatManager).",
    );
    expect(() => load_conversation("{not json", [user, assistant])).toThrow("The saved conversation is not valid JSON.");
  });
});

describe("across processes", () => {
  function child(args: string[]): Promise<string> {
    const root = path.resolve(__dirname, "../..");
    return new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        ["-r", "ts-node/register", path.join(__dirname, "fixtures/conversation-process.ts"), ...args],
        { cwd: root, env: { ...process.env, TS_NODE_PROJECT: path.join(root, "tsconfig.test.json"), TS_NODE_TRANSPILE_ONLY: "1" } },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
      );
    });
  }

  it("saves in one node process and resumes in another", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "ag2ts-conv-")), "state.json");
    await child(["save", file]);
    const saved = JSON.parse(readFileSync(file, "utf8")) as ConversationState;
    expect(saved.version).toBe(1);
    expect(saved.agents.user.human_input).toEqual(["Now in French.", "exit"]);
    const out = JSON.parse(await child(["resume", file]));
    expect(out).toEqual({
      model_saw: [
        ["system", "You translate."],
        ["user", "Say hi."],
        ["assistant", "Hi!"],
        ["user", "Now in French."],
        ["assistant", "Salut !"],
        ["user", "And in German?"],
      ],
      chat_history: [
        ["assistant", "Say hi."],
        ["user", "Hi!"],
        ["assistant", "Now in French."],
        ["user", "Salut !"],
        ["assistant", "And in German?"],
        ["user", "Hallo!"],
      ],
      human_input: ["Now in French.", "exit", "exit"],
      assistant_history: [
        ["user", "Say hi."],
        ["assistant", "Hi!"],
        ["user", "Now in French."],
        ["assistant", "Salut !"],
        ["user", "And in German?"],
        ["assistant", "Hallo!"],
      ],
      finished_summaries: ["Salut !"],
    });
  });
});
