import {
  Agent,
  AgentNameConflictError,
  ConversableAgent,
  GroupChat,
  GroupChatManager,
  UndefinedNextAgentError,
  ValueError,
  set_logger,
} from "ag2ts";
import { collectLogs, member } from "./helpers";

afterEach(() => set_logger(null));

describe("GroupChat options and defaults (spec 30 §1)", () => {
  it("has AG2's defaults and a fully connected graph with self-loops", () => {
    const [a, b] = [member("a"), member("b")];
    const gc = new GroupChat({ agents: [a, b] });
    expect(gc.max_round).toBe(10);
    expect(gc.speaker_selection_method).toBe("auto");
    expect(gc.allow_repeat_speaker).toBe(true);
    expect(gc.max_retries_for_selecting_speaker).toBe(2);
    expect(gc.admin_name).toBe("Admin");
    expect(gc.func_call_filter).toBe(true);
    expect(gc.enable_clear_history).toBe(false);
    expect(gc.send_introductions).toBe(false);
    expect(gc.role_for_select_speaker_messages).toBe("system");
    expect(gc.select_speaker_auto_verbose).toBe(false);
    expect(gc.messages).toEqual([]);
    expect(gc.select_speaker_auto_none_template).toBe(GroupChat.DEFAULT_SELECT_SPEAKER_AUTO_NONE_TEMPLATE);
    expect(gc.select_speaker_prompt_template).toBe(GroupChat.DEFAULT_SELECT_SPEAKER_PROMPT_TEMPLATE);
    expect([...gc.allowed_speaker_transitions_dict.entries()]).toEqual([
      [a, [b, a]],
      [b, [a, b]],
    ]);
    expect(gc.agent_names).toEqual(["a", "b"]);
  });

  it("uses the messages array by reference and reads an empty prompt template back as null", () => {
    const messages = [{ content: "hi", role: "user", name: "a" }];
    const gc = new GroupChat({ agents: [member("a"), member("b")], messages, select_speaker_prompt_template: "" });
    expect(gc.messages).toBe(messages);
    expect(gc.select_speaker_prompt_template).toBeNull();
    expect(gc.select_speaker_prompt()).toBeNull();
  });

  it("adds self-loops only for the agents listed in allow_repeat_speaker", () => {
    const [a, b, c] = [member("a"), member("b"), member("c")];
    const gc = new GroupChat({ agents: [a, b, c], allow_repeat_speaker: [b] });
    expect(gc.allowed_speaker_transitions_dict.get(a)).toEqual([b, c]);
    expect(gc.allowed_speaker_transitions_dict.get(b)).toEqual([a, c, b]);
    const none = new GroupChat({ agents: [a, b, c], allow_repeat_speaker: false });
    expect(none.allowed_speaker_transitions_dict.get(c)).toEqual([a, b]);
  });

  it("rejects both allow_repeat_speaker and transitions, and transitions without a type", () => {
    const [a, b] = [member("a"), member("b")];
    const graph = new Map<Agent, Agent[]>([[a, [b]], [b, [a]]]);
    expect(() => new GroupChat({ agents: [a, b], allow_repeat_speaker: true, allowed_or_disallowed_speaker_transitions: graph, speaker_transitions_type: "allowed" })).toThrow(
      new ValueError(
        "Don't provide both allowed_or_disallowed_speaker_transitions and allow_repeat_speaker in group chat. Please set one of them to None.",
      ),
    );
    expect(() => new GroupChat({ agents: [a, b], allowed_or_disallowed_speaker_transitions: graph })).toThrow(
      "GroupChat allowed_or_disallowed_speaker_transitions is not None, but speaker_transitions_type is None. Please set speaker_transitions_type to either 'allowed' or 'disallowed'.",
    );
    expect(() => new GroupChat({ agents: [a, b], allowed_or_disallowed_speaker_transitions: graph, speaker_transitions_type: "Forbidden" })).toThrow(
      "GroupChat speaker_transitions_type is set to 'forbidden'. It should be one of ['allowed', 'disallowed', None] (case insensitive).",
    );
  });

  it("accepts DISALLOWED and inverts it including self-loops", () => {
    const [a, b, c] = [member("a"), member("b"), member("c")];
    const gc = new GroupChat({
      agents: [a, b, c],
      allowed_or_disallowed_speaker_transitions: new Map([[a, [b]], [c, [c]]]),
      speaker_transitions_type: "DISALLOWED",
    });
    expect(gc.speaker_transitions_type).toBe("disallowed");
    expect(gc.allow_repeat_speaker).toBeNull();
    expect([...gc.allowed_speaker_transitions_dict.entries()]).toEqual([
      [a, [a, c]],
      [b, [a, b, c]],
      [c, [a, b]],
    ]);
  });

  it("keeps an allowed graph as given", () => {
    const [a, b] = [member("a"), member("b")];
    const graph = new Map<Agent, Agent[]>([[a, [b]], [b, [a]]]);
    const gc = new GroupChat({ agents: [a, b], allowed_or_disallowed_speaker_transitions: graph, speaker_transitions_type: "allowed" });
    expect(gc.allowed_speaker_transitions_dict).toBe(graph);
  });

  it("rejects malformed graphs, naming the rule", () => {
    const [a, b] = [member("a"), member("b")];
    const outsider = member("x");
    const make = (graph: unknown) => () =>
      new GroupChat({ agents: [a, b], allowed_or_disallowed_speaker_transitions: graph as Map<Agent, Agent[]>, speaker_transitions_type: "allowed" });
    expect(make({ a: [b] })).toThrow("allowed_or_disallowed_speaker_transitions must be a Map from each agent to an array of agents.");
    expect(make(new Map([[a, b]]))).toThrow("must map every agent to an array of agents (got a non-array value)");
    expect(make(new Map([[outsider, [a]]]))).toThrow("has a key that is not an agent of the group chat: 'x'");
    expect(make(new Map([[a, ["b"]]]))).toThrow(
      "allowed_or_disallowed_speaker_transitions has values that are not arrays of agents: the entry of 'a' contains \"b\". Use the agent objects, not their names.",
    );
  });

  it("warns about isolated agents, missing agents and duplicates", () => {
    const logs = collectLogs();
    const [a, b, c] = [member("a"), member("b"), member("c")];
    new GroupChat({ agents: [a, b, c], allowed_or_disallowed_speaker_transitions: new Map([[a, [b, b]]]), speaker_transitions_type: "allowed" });
    expect(logs).toEqual([
      "There are isolated agent nodes, with neither incoming nor outgoing edges. Isolated agents: ['c']",
      "The set of agents in the speaker transitions does not match the group's agents. Offending agents: ['c']",
      "Agent 'a' has duplicate elements: ['b']. Please remove duplicates manually.",
    ]);
  });

  it("validates retries, methods, repeat flag, templates and unknown keys", () => {
    const agents = [member("a"), member("b")];
    expect(() => new GroupChat({ agents, max_retries_for_selecting_speaker: -1 })).toThrow(ValueError);
    expect(() => new GroupChat({ agents, speaker_selection_method: "foo" })).toThrow(
      "GroupChat speaker_selection_method is set to 'foo'. It should be one of ['auto', 'manual', 'random', 'round_robin'] (case insensitive).",
    );
    expect(new GroupChat({ agents, speaker_selection_method: "Round_Robin" }).speaker_selection_method).toBe("Round_Robin");
    expect(() => new GroupChat({ agents, allow_repeat_speaker: "yes" as unknown as boolean })).toThrow(
      "GroupChat allow_repeat_speaker should be a bool or a list of Agents.",
    );
    expect(() => new GroupChat({ agents, select_speaker_message_template: "" })).toThrow("select_speaker_message_template cannot be empty or None.");
    expect(() => new GroupChat({ agents, select_speaker_auto_none_template: null as unknown as string })).toThrow(
      "select_speaker_auto_none_template cannot be empty or None.",
    );
    expect(() => new GroupChat({ agents, role_for_select_speaker_messages: "" })).toThrow("role_for_select_speaker_messages cannot be empty or None.");
    expect(() => new GroupChat({ agents, select_speaker_auto_verbose: null as unknown as boolean })).toThrow(ValueError);
    expect(() => new GroupChat({ agents, select_speaker_transform_messages: {} as never })).toThrow(ValueError);
    expect(() => new GroupChat({ agents, max_rounds: 3 } as never)).toThrow("GroupChat: unknown option 'max_rounds'. Did you mean 'max_round'?");
  });
});

describe("GroupChat helper methods (spec 30 §2)", () => {
  it("finds agents by name, recursively, and reports conflicts", () => {
    const [a, b, inner] = [member("a"), member("b"), member("inner")];
    const innerManager = new GroupChatManager({ name: "sub", groupchat: new GroupChat({ agents: [inner, member("b")] }) });
    const gc = new GroupChat({ agents: [a, b, innerManager] });
    expect(gc.agent_by_name("b")).toBe(b);
    expect(gc.agent_by_name("inner")).toBeNull();
    expect(gc.agent_by_name("inner", { recursive: true })).toBe(inner);
    expect(gc.nested_agents().map((x) => x.name)).toEqual(["a", "b", "sub", "inner", "b"]);
    expect(() => gc.agent_by_name("b", { recursive: true, raise_on_name_conflict: true })).toThrow(
      new AgentNameConflictError("Found multiple agents with the same name."),
    );
  });

  it("next_agent walks the group order and rejects foreign agents", () => {
    const [a, b, c, d] = [member("a"), member("b"), member("c"), member("d")];
    const gc = new GroupChat({ agents: [a, b, c, d] });
    expect(gc.next_agent(a)).toBe(b);
    expect(gc.next_agent(d)).toBe(a);
    expect(gc.next_agent(member("outsider"))).toBe(a);
    expect(gc.next_agent(a, { agents: [c, d] })).toBe(c);
    expect(gc.next_agent(c, { agents: [a, b] })).toBe(a);
    expect(gc.next_agent(b, [b])).toBe(b);
    expect(() => gc.next_agent(a, { agents: [member("zz")] })).toThrow(
      new UndefinedNextAgentError("The provided agents list does not overlap with agents in the group."),
    );
  });

  it("fills the selection message and prompt (literal placeholders, Python list repr)", () => {
    const alice = member("Alice", "", "Writes code.");
    const obrien = member("O'Brien", "", "Reviews.");
    const gc = new GroupChat({
      agents: [alice, obrien],
      select_speaker_message_template: 'Roles:\n{roles}\nJSON {"pick": x} from {agentlist}',
      select_speaker_prompt_template: "Pick from {agentlist} {unknown}",
    });
    expect(gc.select_speaker_msg()).toBe('Roles:\nAlice: Writes code.\nO\'Brien: Reviews.\nJSON {"pick": x} from [\'Alice\', "O\'Brien"]');
    expect(gc.select_speaker_prompt({ agents: [alice] })).toBe("Pick from ['Alice'] {unknown}");
    const plain = new GroupChat({ agents: [alice, member("Bob", "", "Tests.")] });
    expect(plain.select_speaker_msg()).toBe(
      "You are taking part in a role-play game. These roles are available:\nAlice: Writes code.\nBob: Tests..\n" +
        "Read the conversation that follows, then pick from ['Alice', 'Bob'] the role that should act next. Reply with the role name only.",
    );
    expect(plain.introductions_msg()).toBe(`${GroupChat.DEFAULT_INTRO_MSG}\n\nAlice: Writes code.\nBob: Tests.`);
    const twice = new GroupChat({ agents: [alice, member("$&b", "", "Odd.")], select_speaker_prompt_template: "{agentlist}, again {agentlist}; {roles}" });
    expect(twice.select_speaker_prompt()).toBe("['Alice', '$&b'], again ['Alice', '$&b']; {roles}");
    expect(twice.select_speaker_prompt()).toBe("['Alice', '$&b'], again ['Alice', '$&b']; {roles}");
  });

  it("warns when an agent has no description", () => {
    const logs = collectLogs();
    const gc = new GroupChat({ agents: [member("a", "", ""), member("b")] });
    gc.select_speaker_msg();
    expect(logs[0]).toContain("The agent 'a' has an empty description");
  });

  it("lists the roles and names as they are now: a changed description or another agent list shows at once", () => {
    const alice = member("Alice", "", "Writes code.");
    const bob = member("Bob", "", "Tests.");
    const gc = new GroupChat({ agents: [alice, bob], select_speaker_message_template: "{roles} | {agentlist}" });
    expect(gc.select_speaker_msg()).toBe("Alice: Writes code.\nBob: Tests. | ['Alice', 'Bob']");
    alice.description = "Writes docs.";
    expect(gc.select_speaker_msg()).toBe("Alice: Writes docs.\nBob: Tests. | ['Alice', 'Bob']");
    expect(gc.select_speaker_msg({ agents: [bob] })).toBe("Bob: Tests. | ['Bob']");
    const other = new GroupChat({ agents: [member("Alice", "", "Writes docs."), member("Carol", "", "Plans.")], select_speaker_message_template: "{roles} | {agentlist}" });
    expect(other.select_speaker_msg()).toBe("Alice: Writes docs.\nCarol: Plans. | ['Alice', 'Carol']");
  });

  it("append stores a text-only copy named after the speaker and leaves the original alone", () => {
    const [a, b] = [member("a"), member("b")];
    const gc = new GroupChat({ agents: [a, b] });
    const original = {
      content: [
        { type: "text", text: "look" },
        { type: "image_url", image_url: { url: "http://x/y.png" } },
      ],
      role: "user",
      name: "someone",
    };
    const stored = gc.append(original, a);
    expect(stored).toEqual({ content: "look\n<image>", role: "user", name: "a" });
    expect(original.name).toBe("someone");
    expect(Array.isArray(original.content)).toBe(true);
    gc.append({ content: null, tool_calls: [{ id: "1", type: "function", function: { name: "f", arguments: "{}" } }], role: "assistant" }, b);
    gc.append({ content: "42", role: "function", name: "f" }, a);
    expect(gc.messages.slice(1).map((m) => [m.role, m.name, m.content])).toEqual([
      ["assistant", "b", ""],
      ["function", "f", "42"],
    ]);
    gc.reset();
    expect(gc.messages).toEqual([]);
  });

  it("_mentioned_agents counts whole-word, case-sensitive mentions", () => {
    const [writer, bob, bob2, alice] = [member("Story_writer"), member("Bob"), member("Bob_2"), member("Alice")];
    const gc = new GroupChat({ agents: [writer, bob, alice] });
    expect(gc._mentioned_agents("Story writer")).toEqual({ Story_writer: 1 });
    expect(gc._mentioned_agents("Story\\_writer, then Story_writer")).toEqual({ Story_writer: 2 });
    expect(gc._mentioned_agents("Bob_2")).toEqual({});
    expect(gc._mentioned_agents("Alice, then Alice")).toEqual({ Alice: 2 });
    expect(gc._mentioned_agents("bob")).toEqual({});
    expect(gc._mentioned_agents("Bob_2 and Bob", [bob, bob2])).toEqual({ Bob: 1, Bob_2: 1 });
    expect(gc._mentioned_agents("Bob or Alice")).toEqual({ Bob: 1, Alice: 1 });
  });
});

describe("GroupChatManager construction (spec 30 §7.1)", () => {
  it("has AG2's defaults and registers run_chat first", () => {
    const gc = new GroupChat({ agents: [member("a"), member("b")] });
    const manager = new GroupChatManager({ groupchat: gc });
    expect(manager.name).toBe("chat_manager");
    expect(manager.human_input_mode).toBe("NEVER");
    expect(manager.max_consecutive_auto_reply()).toBe(Number.MAX_SAFE_INTEGER);
    expect(manager.system_message).toBe("Manager of the group chat.");
    expect(manager.groupchat).toBe(gc);
    expect(manager._reply_func_list[0].reply_func).toBe(GroupChatManager.run_chat);
    expect(manager._reply_func_list[0].trigger).toBe(Agent);
    expect(manager._reply_func_list[0].config).toBe(gc);
    expect(manager.silent).toBeNull();
    expect(new GroupChatManager("boss", { groupchat: gc, silent: true })._silent).toBe(true);
  });

  it("rejects tools or functions in llm_config, and a missing groupchat", () => {
    const gc = new GroupChat({ agents: [member("a"), member("b")] });
    const tools = [{ type: "function", function: { name: "f", parameters: {} } }];
    expect(() => new GroupChatManager({ groupchat: gc, llm_config: { model: "m", tools } })).toThrow(
      "GroupChatManager is not allowed to make function/tool calls. Please remove the 'functions' or 'tools' config in 'llm_config' you passed in.",
    );
    expect(() => new GroupChatManager({} as never)).toThrow("GroupChatManager needs a GroupChat");
    expect(() => new GroupChatManager({ groupchat: gc, human_input_mod: "NEVER" } as never)).toThrow("unknown option 'human_input_mod'");
  });

  it("reset() empties the transcript through the reply config", () => {
    const gc = new GroupChat({ agents: [member("a"), member("b")], messages: [{ content: "x" }] });
    const manager = new GroupChatManager({ groupchat: gc });
    manager.reset();
    expect(gc.messages).toEqual([]);
  });

  it("messages_from_string(messages_to_string(x)) deep-equals x", () => {
    const manager = new GroupChatManager({ groupchat: new GroupChat({ agents: [member("a"), member("b")] }) });
    const x = [
      { content: "hi", role: "user", name: "a" },
      { content: null, role: "assistant", name: "b", tool_calls: [{ id: "c1", type: "function" as const, function: { name: "f", arguments: '{"q": 1}' } }] },
    ];
    expect(manager.messages_from_string(manager.messages_to_string(x))).toEqual(x);
    expect(() => manager.messages_from_string("{not json")).toThrow("Messages string is not a valid JSON string");
  });
});

it("exports AG2-named errors with default messages", () => {
  expect(new AgentNameConflictError().message).toBe("Found multiple agents with the same name.");
  expect(ConversableAgent).toBeDefined();
});
