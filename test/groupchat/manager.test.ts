import { AssistantAgent, ConversableAgent, GroupChat, GroupChatManager, set_logger, type Agent, type GenerateReplyOptions, type Message, type ReplyValue, type SendOptions } from "ag2ts";
import { ScriptedModelClient } from "ag2ts/testing";
import { capture, member, rnc } from "./helpers";

beforeEach(() => set_logger(() => {}));
afterEach(() => set_logger(null));

const RULE = "-".repeat(80);
const block = (from: string, to: string, text: string) => `${from} (to ${to}):\n\n${text}\n\n${RULE}\n`;
const next = (name: string) => `\nNext speaker: ${name}\n\n`;

function roundRobin(names: string[], options: Record<string, unknown> = {}) {
  const agents = names.map((n) => member(n));
  const gc = new GroupChat({ agents, speaker_selection_method: "round_robin", ...options });
  const manager = new GroupChatManager({ groupchat: gc });
  return { agents, gc, manager };
}

describe("run_chat (spec 30 §7.3)", () => {
  it("broadcasts each message to every other member and stores exact messages on every side", async () => {
    const { agents, gc, manager } = roundRobin(["a", "b", "c"], { max_round: 3 });
    const [a, b, c] = agents;
    const { io, result } = await capture(() => a.initiate_chat(manager, { message: "start" }));
    expect(io.output).toBe(block("a", "chat_manager", "start") + next("b") + block("b", "chat_manager", "b speaks") + next("c") + block("c", "chat_manager", "c speaks"));
    expect(rnc(gc.messages)).toEqual([
      ["user", "a", "start"],
      ["user", "b", "b speaks"],
      ["user", "c", "c speaks"],
    ]);
    expect(rnc(a.chat_messages_get(manager))).toEqual([
      ["assistant", "a", "start"],
      ["user", "b", "b speaks"],
      ["user", "c", "c speaks"],
    ]);
    expect(rnc(b.chat_messages_get(manager))).toEqual([
      ["user", "a", "start"],
      ["assistant", "b", "b speaks"],
      ["user", "c", "c speaks"],
    ]);
    expect(rnc(c.chat_messages_get(manager))).toEqual([
      ["user", "a", "start"],
      ["user", "b", "b speaks"],
      ["assistant", "c", "c speaks"],
    ]);
    expect(rnc(manager.chat_messages_get(a))).toEqual([
      ["user", "a", "start"],
      ["assistant", "b", "b speaks"],
      ["assistant", "c", "c speaks"],
    ]);
    expect(rnc(manager.chat_messages_get(b))).toEqual([
      ["assistant", "a", "start"],
      ["user", "b", "b speaks"],
      ["assistant", "c", "c speaks"],
    ]);
    expect(manager.chat_messages.size).toBe(3);
    expect(result.summary).toBe("c speaks");
    expect(rnc(result.chat_history)).toEqual(rnc(a.chat_messages_get(manager)));
    expect(manager.last_speaker).toBe(c);
    expect(manager.termination_reason).toBe("Maximum rounds (3) reached");
  });

  it("broadcasts the terminating message to all other members before ending", async () => {
    const a = member("a");
    const b = member("b", "All done. TERMINATE");
    const c = member("c");
    const gc = new GroupChat({ agents: [a, b, c], speaker_selection_method: "round_robin" });
    const manager = new GroupChatManager({ groupchat: gc, is_termination_msg: (m) => String(m.content).endsWith("TERMINATE") });
    await capture(() => a.initiate_chat(manager, { message: "go" }));
    expect(gc.messages.map((m) => m.content)).toEqual(["go", "All done. TERMINATE"]);
    expect(a.chat_messages_get(manager).at(-1)).toEqual({ content: "All done. TERMINATE", name: "b", role: "user" });
    expect(c.chat_messages_get(manager).at(-1)).toEqual({ content: "All done. TERMINATE", name: "b", role: "user" });
    expect(manager.termination_reason).toBe("Termination message condition on the GroupChatManager 'chat_manager' met");
  });

  it("ends when the selected speaker produces no reply (its own termination check)", async () => {
    const a = member("a");
    const b = member("b", "done");
    const c = new ConversableAgent("c", { llm_config: false, human_input_mode: "NEVER", default_auto_reply: "never said", is_termination_msg: (m) => m.content === "done" });
    const gc = new GroupChat({ agents: [a, b, c], speaker_selection_method: "round_robin" });
    const manager = new GroupChatManager({ groupchat: gc });
    await capture(() => a.initiate_chat(manager, { message: "go" }));
    expect(gc.messages.map((m) => m.content)).toEqual(["go", "done"]);
    expect(manager.termination_reason).toBe("No reply generated");
  });

  it("a silent manager prints neither the next speaker nor the speakers' messages", async () => {
    const agents = ["a", "b", "c"].map((n) => member(n));
    const gc = new GroupChat({ agents, speaker_selection_method: "round_robin", max_round: 3 });
    const manager = new GroupChatManager({ groupchat: gc, silent: true });
    const { io } = await capture(() => agents[0].initiate_chat(manager, { message: "start" }));
    expect(io.output).toBe(block("a", "chat_manager", "start"));
    expect(gc.messages).toHaveLength(3);
  });

  it("send_introductions puts the intro first in each member's history but not in the transcript", async () => {
    const { agents, gc, manager } = roundRobin(["a", "b"], { max_round: 2, send_introductions: true });
    const [a, b] = agents;
    const { io } = await capture(() => a.initiate_chat(manager, { message: "start" }));
    const intro = `${GroupChat.DEFAULT_INTRO_MSG}\n\na: a does a's job\nb: b does b's job`;
    expect(rnc(b.chat_messages_get(manager))).toEqual([
      ["user", "chat_manager", intro],
      ["user", "a", "start"],
      ["assistant", "b", "b speaks"],
    ]);
    expect(rnc(a.chat_messages_get(manager))).toEqual([
      ["assistant", "a", "start"],
      ["user", "chat_manager", intro],
      ["user", "b", "b speaks"],
    ]);
    expect(gc.messages.map((m) => m.content)).toEqual(["start", "b speaks"]);
    expect(io.output).not.toContain(GroupChat.DEFAULT_INTRO_MSG);
  });

  it("keeps the group transcript text-only when a member sends image parts", async () => {
    const a = member("a");
    const b = member("b", { content: [{ type: "text", text: "see " }, { type: "image_url", image_url: { url: "http://127.0.0.1/x.png" } }] });
    const gc = new GroupChat({ agents: [a, b], speaker_selection_method: "round_robin", max_round: 2 });
    const manager = new GroupChatManager({ groupchat: gc });
    await capture(() => a.initiate_chat(manager, { message: "show me" }));
    expect(gc.messages[1]).toEqual({ content: "see \n<image>", name: "b", role: "user" });
    expect(a.chat_messages_get(manager).at(-1)).toEqual({ content: "see \n<image>", name: "b", role: "user" });
    expect(Array.isArray(manager.chat_messages_get(b).at(-1)?.content)).toBe(true);
  });

  it("settings changed on the GroupChat after the manager is built take effect", async () => {
    const { agents, gc, manager } = roundRobin(["a", "b", "c"]);
    gc.max_round = 2;
    gc.speaker_selection_method = () => agents[2];
    await capture(() => agents[0].initiate_chat(manager, { message: "x" }));
    expect(gc.messages.map((m) => m.name)).toEqual(["a", "c"]);
  });

  it("a new chat with clear_history resets the transcript and every member's history with the manager", async () => {
    const { agents, gc, manager } = roundRobin(["a", "b"], { max_round: 2 });
    const outsider = member("user");
    await capture(() => outsider.initiate_chat(manager, { message: "first" }));
    expect(gc.messages.map((m) => m.content)).toEqual(["first", "a speaks"]);
    await capture(() => outsider.initiate_chat(manager, { message: "second" }));
    expect(gc.messages.map((m) => m.content)).toEqual(["second", "a speaks"]);
    expect(agents[1].chat_messages_get(manager).map((m) => m.content)).toEqual(["second", "a speaks"]);
    expect(manager.chat_messages_get(outsider).map((m) => m.content)).toEqual(["second"]);
  });

  it("routes tool calls to the executor and carries tool messages through the transcript", async () => {
    const model = new ScriptedModelClient([
      { tool_calls: [{ id: "call_w", name: "get_weather", arguments: { city: "Paris" } }] },
      "It is sunny in Paris. TERMINATE",
    ]);
    const planner = new AssistantAgent("planner", { llm_config: model.llm_config(), description: "Plans." });
    const executor = new ConversableAgent("executor", {
      llm_config: false,
      human_input_mode: "NEVER",
      description: "Runs tools.",
      function_map: { get_weather: ({ city }: { city: string }) => `sunny in ${city}` },
    });
    const gc = new GroupChat({ agents: [planner, executor], speaker_selection_method: "round_robin" });
    const manager = new GroupChatManager({ groupchat: gc, is_termination_msg: (m) => String(m.content).endsWith("TERMINATE") });
    const user = member("user");
    await capture(() => user.initiate_chat(manager, { message: "Weather in Paris?" }));
    expect(gc.messages.map((m) => [m.role, m.name, m.content])).toEqual([
      ["user", "user", "Weather in Paris?"],
      ["assistant", "planner", ""],
      ["tool", "executor", "sunny in Paris"],
      ["user", "planner", "It is sunny in Paris. TERMINATE"],
    ]);
    expect(gc.messages[1].tool_calls).toEqual([{ id: "call_w", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }]);
    expect(gc.messages[2].tool_responses).toEqual([{ tool_call_id: "call_w", role: "tool", content: "sunny in Paris" }]);
    expect(model.requests[1].messages.slice(1).map((m: Message) => m.role)).toEqual(["user", "assistant", "tool"]);
    model.assert_consumed();
  });
});

describe("the clear history command (spec 30 §7.5)", () => {
  function withHuman(answer: string, options: Record<string, unknown> = {}) {
    const a = member("a");
    const b = member("b");
    const human = new ConversableAgent("human", { llm_config: false, human_input_mode: "ALWAYS", description: "A person." });
    const gc = new GroupChat({ agents: [a, b, human], speaker_selection_method: "round_robin", enable_clear_history: true, max_round: 5, ...options });
    const manager = new GroupChatManager({ groupchat: gc });
    return { a, b, human, gc, manager, run: () => capture(() => a.initiate_chat(manager, { message: "start" }), [answer]) };
  }

  it("'clear history 1' keeps the last transcript message and strips the command", async () => {
    const { a, b, gc, manager, run } = withHuman("Looks good. clear history 1");
    const { io } = await run();
    expect(io.output).toContain("Clearing history for all agents except last 1 messages.\n");
    expect(gc.messages.map((m) => [m.name, m.content])).toEqual([
      ["b", "b speaks"],
      ["human", "Looks good."],
      ["a", "a speaks"],
      ["b", "b speaks"],
    ]);
    expect(rnc(a.chat_messages_get(manager))).toEqual([
      ["user", "b", "b speaks"],
      ["user", "human", "Looks good."],
      ["assistant", "a", "a speaks"],
      ["user", "b", "b speaks"],
    ]);
    // The manager's own history is not cleared.
    expect(manager.chat_messages_get(b).map((m) => m.content)).toEqual(["start", "b speaks", "Looks good.", "a speaks", "b speaks"]);
  });

  it("'clear history b' clears only b's history", async () => {
    const { a, b, gc, manager, run } = withHuman("CLEAR HISTORY b, then go on", { max_round: 4 });
    const { io } = await run();
    expect(io.output).toContain("Clearing history for b.\n");
    expect(gc.messages.map((m) => m.content)).toEqual(["start", "b speaks", "then go on", "a speaks"]);
    expect(b.chat_messages_get(manager).map((m) => m.content)).toEqual(["then go on", "a speaks"]);
    expect(a.chat_messages_get(manager)).toHaveLength(4);
  });

  it("is ignored when disabled, or when there is no standalone 'clear' word", async () => {
    const off = withHuman("clear history 1", { enable_clear_history: false, max_round: 3 });
    await off.run();
    expect(off.gc.messages.map((m) => m.content)).toEqual(["start", "b speaks", "clear history 1"]);
    const unclear = withHuman("unclear history here", { max_round: 3 });
    const { io } = await unclear.run();
    expect(unclear.gc.messages.map((m) => m.content)).toEqual(["start", "b speaks", "unclear history here"]);
    expect(io.output).not.toContain("Clearing history");
  });

  it("plain-string replies (LLM replies) never trigger it", async () => {
    const a = member("a", "please clear history now");
    const b = member("b");
    const gc = new GroupChat({ agents: [a, b], speaker_selection_method: "round_robin", enable_clear_history: true, max_round: 3 });
    const manager = new GroupChatManager({ groupchat: gc });
    await capture(() => b.initiate_chat(manager, { message: "start" }));
    expect(gc.messages.map((m) => m.content)).toEqual(["start", "please clear history now", "b speaks"]);
  });
});

describe("summaries and nesting (spec 30 §7.1, issue #7 scope 4)", () => {
  it("reflection_with_llm summarises groupchat.messages", async () => {
    const model = new ScriptedModelClient(["They greeted each other."]);
    const agents = [member("a"), member("b")];
    const gc = new GroupChat({ agents, speaker_selection_method: "round_robin", max_round: 3 });
    const manager = new GroupChatManager({ groupchat: gc, llm_config: model.llm_config() });
    const user = member("user");
    const { result } = await capture(() => user.initiate_chat(manager, { message: "hello", summary_method: "reflection_with_llm" }));
    expect(result.summary).toBe("They greeted each other.");
    expect(model.requests[0].messages).toEqual([
      { content: "hello", role: "user", name: "user" },
      { content: "a speaks", role: "user", name: "a" },
      { content: "b speaks", role: "user", name: "b" },
      { role: "system", content: ConversableAgent.DEFAULT_SUMMARY_PROMPT },
    ]);
    expect(manager.chat_messages_for_summary(user)).toBe(gc.messages);
  });

  it("runs a group chat nested inside another chat through a reply function", async () => {
    const writer = member("writer", "Draft: hello world");
    const critic = member("critic", "Looks fine. TERMINATE");
    const lead = new ConversableAgent("lead", { llm_config: false, human_input_mode: "NEVER", description: "Leads." });
    const gc = new GroupChat({ agents: [lead, writer, critic], speaker_selection_method: "round_robin" });
    const manager = new GroupChatManager({ groupchat: gc, is_termination_msg: (m) => String(m.content).includes("TERMINATE") });
    const user = member("user");
    // Only the outer chat's partner triggers the nested group chat.
    lead.register_reply(user, async (recipient, messages) => {
      const task = String(messages?.at(-1)?.content ?? "");
      const inner = await recipient.initiate_chat(manager, { message: task, silent: true, summary_method: "last_msg" });
      return [true, inner.summary];
    });
    const { io, result } = await capture(() => user.initiate_chat(lead, { message: "Write a greeting.", max_turns: 1 }));
    expect(result.chat_history.map((m) => [m.name, m.content])).toEqual([
      ["user", "Write a greeting."],
      ["lead", "Looks fine. "],
    ]);
    expect(gc.messages.map((m) => [m.name, m.content])).toEqual([
      ["lead", "Write a greeting."],
      ["writer", "Draft: hello world"],
      ["critic", "Looks fine. TERMINATE"],
    ]);
    // The inner chat's first message is silent; the members' turns are printed.
    expect(io.output).toBe(
      block("user", "lead", "Write a greeting.") +
        next("writer") +
        block("writer", "chat_manager", "Draft: hello world") +
        next("critic") +
        block("critic", "chat_manager", "Looks fine. TERMINATE") +
        block("lead", "user", "Looks fine. "),
    );
  });

  it("two chats with the same manager in sequence, carrying the first summary over", async () => {
    const { agents, gc, manager } = roundRobin(["a", "b"], { max_round: 2 });
    const user = member("user");
    const first = await capture(() => user.initiate_chat(manager, { message: "one", silent: true }));
    const second = await capture(() => user.initiate_chat(manager, { message: "two", carryover: first.result.summary, silent: true }));
    // As in AG2, last_msg of an initiator outside the group is its own first message
    // (the manager never sends anything back to it).
    expect(first.result.summary).toBe("one");
    expect(gc.messages.map((m) => m.content)).toEqual(["two\nContext: \none", "a speaks"]);
    expect(second.result.summary).toBe("two\nContext: \none");
    expect(agents[0].chat_messages_get(manager)).toHaveLength(2);
  });
});

describe("events (STYLE habit 6)", () => {
  it("emits next-speaker events that agree with the transcript, even when the manager is silent", async () => {
    const { subscribe_events } = await import("ag2ts");
    const agents = ["a", "b", "c"].map((n) => member(n));
    const gc = new GroupChat({ agents, speaker_selection_method: "round_robin", max_round: 4 });
    const manager = new GroupChatManager({ groupchat: gc, silent: true });
    const seen: string[] = [];
    await capture(() =>
      subscribe_events(
        (event) => {
          if (event.type === "group_chat_next_speaker") seen.push(event.agent);
        },
        () => agents[0].initiate_chat(manager, { message: "go" }),
      ),
    );
    expect(seen).toEqual(["b", "c", "a"]);
    expect(gc.messages.slice(1).map((m) => m.name)).toEqual(seen);
  });
});

describe("the relay honours overridden methods", () => {
  it("a member's own receive and generate_reply, the manager's own send and a GroupChat's own select_speaker are called for every relay and round", async () => {
    const received: string[] = [];
    class Listener extends ConversableAgent {
      override async receive(message: Message | string, sender: Agent, options: SendOptions = {}): Promise<void> {
        received.push(`${sender.name}: ${typeof message === "string" ? message : message.content}`);
        return super.receive(message, sender, options);
      }
      override async generate_reply(options: GenerateReplyOptions = {}): Promise<ReplyValue> {
        received.push(`asked by ${options.sender?.name}`);
        return super.generate_reply(options);
      }
    }
    const sent: string[] = [];
    class CountingManager extends GroupChatManager {
      override async send(message: Message | string, recipient: Agent, options: SendOptions = {}): Promise<void> {
        sent.push(recipient.name);
        return super.send(message, recipient, options);
      }
    }
    const picks: string[] = [];
    class LoggingGroupChat extends GroupChat {
      override async select_speaker(last: Agent, selector: ConversableAgent): Promise<Agent> {
        const next = await super.select_speaker(last, selector);
        picks.push(`${last.name}->${next.name}`);
        return next;
      }
    }
    const alice = member("Alice");
    const bob = new Listener("Bob", { llm_config: false, human_input_mode: "NEVER", default_auto_reply: "Bob speaks", description: "Bob" });
    const carol = member("Carol");
    const gc = new LoggingGroupChat({ agents: [alice, bob, carol], max_round: 3, speaker_selection_method: "round_robin" });
    const manager = new CountingManager({ groupchat: gc, llm_config: false, silent: true });
    await alice.initiate_chat(manager, { message: "hello", silent: true });
    expect(received).toEqual(["chat_manager: hello", "asked by chat_manager", "chat_manager: Carol speaks"]);
    expect(sent).toEqual(["Bob", "Carol", "Alice", "Carol", "Alice", "Bob"]);
    expect(picks).toEqual(["Alice->Bob", "Bob->Carol"]);
    expect(bob.chat_messages.get(manager)!.map((m) => [m.role, m.name, m.content])).toEqual([
      ["user", "Alice", "hello"],
      ["assistant", "Bob", "Bob speaks"],
      ["user", "Carol", "Carol speaks"],
    ]);
  });
});

describe("the relay stores what send would", () => {
  // A relay where nothing can see it (no listener, log, hook, override or print) is stored
  // directly (relayDirect); with any of those it goes through send. Both must store the same.
  type Histories = Record<string, Array<[string, Message[]]>>;
  class OwnReceive extends ConversableAgent {
    override async receive(message: Message | string, sender: Agent, options: SendOptions = {}): Promise<void> {
      return super.receive(message, sender, options);
    }
  }
  async function run(how: "direct" | "listener" | "override"): Promise<{ histories: Histories; result: string[]; agents: ConversableAgent[]; manager: GroupChatManager }> {
    const make = (name: string, reply: string | Message) =>
      how === "override" && name === "Bob"
        ? new OwnReceive(name, { llm_config: false, human_input_mode: "NEVER", default_auto_reply: reply, description: name })
        : member(name, reply);
    const agents = [
      make("Alice", "Alice speaks"),
      make("Bob", { content: "Bob speaks", context: { ticket: { id: 7 } } }),
      make("Carol", { content: [{ type: "text", text: "Carol speaks" }] } as Message),
      make("Dave", "Dave speaks"),
    ];
    const gc = new GroupChat({ agents, messages: [], max_round: 6, speaker_selection_method: "round_robin" });
    const manager = new GroupChatManager({ groupchat: gc, llm_config: false });
    const events: string[] = [];
    const options = how === "listener" ? { on_event: (e: { type: string }) => void events.push(e.type) } : {};
    const result = await agents[0].initiate_chat(manager, { message: "hello", silent: true, ...options });
    const histories: Histories = {};
    for (const agent of [...agents, manager]) histories[agent.name] = [...agent.chat_messages.entries()].map(([other, list]) => [other.name, list]);
    if (how === "listener") expect(events.filter((t) => t === "received_message").length).toBeGreaterThan(0);
    return { histories, result: result.chat_history.map((m) => String(m.name)), agents, manager };
  }

  it("the same messages, roles, names and order as through send, with a listener or a member's own receive", async () => {
    const direct = await run("direct");
    expect(direct.histories).toEqual((await run("listener")).histories);
    expect(direct.histories).toEqual((await run("override")).histories);
    // Content is flattened to text and the name set to the speaker in the group transcript (AG2).
    expect(direct.histories.Dave).toEqual([
      [
        "chat_manager",
        [
          { content: "hello", name: "Alice", role: "user" },
          { content: "Bob speaks", name: "Bob", context: { ticket: { id: 7 } }, role: "user" },
          { content: "Carol speaks", name: "Carol", role: "user" },
          { content: "Dave speaks", name: "Dave", role: "assistant" },
          { content: "Alice speaks", name: "Alice", role: "user" },
          { content: "Bob speaks", name: "Bob", context: { ticket: { id: 7 } }, role: "user" },
        ],
      ],
    ]);
    // The manager keeps, per member, what it relayed (assistant) and what that member said (user).
    expect(direct.histories.chat_manager.map(([name, list]) => [name, list.map((m) => `${m.role}:${m.name}`).join(" ")])).toEqual([
      ["Alice", "user:Alice assistant:Bob assistant:Carol assistant:Dave user:Alice assistant:Bob"],
      ["Bob", "assistant:Alice user:Bob assistant:Carol assistant:Dave assistant:Alice user:Bob"],
      ["Carol", "assistant:Alice assistant:Bob user:Carol assistant:Dave assistant:Alice assistant:Bob"],
      ["Dave", "assistant:Alice assistant:Bob assistant:Carol user:Dave assistant:Alice assistant:Bob"],
    ]);
  });

  it("every stored message is its own copy (an edit of one conversation changes no other)", async () => {
    const { agents, manager } = await run("direct");
    const [alice, bob, carol, dave] = agents;
    // Bob's first message as Alice, Carol and Dave received it, and the manager's copies for them.
    const received = [alice, carol, dave].map((a) => a.chat_messages.get(manager)![1]);
    const relayed = [alice, carol, dave].map((a) => manager.chat_messages.get(a)![1]);
    const all = [...received, ...relayed, bob.chat_messages.get(manager)![1]];
    expect(all.map((m) => [m.role, m.content])).toEqual([
      ...Array(3).fill(["user", "Bob speaks"]),
      ...Array(3).fill(["assistant", "Bob speaks"]),
      ["assistant", "Bob speaks"],
    ]);
    expect(new Set(all).size).toBe(7);
    expect(new Set(all.map((m) => m.context)).size).toBe(7);
    (received[0].context as { ticket: { id: number } }).ticket.id = 8;
    expect(all.slice(1).map((m) => (m.context as { ticket: { id: number } }).ticket.id)).toEqual([7, 7, 7, 7, 7, 7]);
  });
});
