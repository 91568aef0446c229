import {
  Agent,
  ConversableAgent,
  GroupChat,
  GroupChatManager,
  NoEligibleSpeakerError,
  ValueError,
  set_logger,
  type Message,
} from "ag2ts";
import { capture, collectLogs, member } from "./helpers";

beforeEach(() => set_logger(() => {}));
afterEach(() => set_logger(null));

const names = (gc: GroupChat) => gc.messages.map((m) => m.name);

async function runGroup(gc: GroupChat, starter: ConversableAgent, inputs: string[] = []) {
  const manager = new GroupChatManager({ groupchat: gc });
  const { io } = await capture(() => starter.initiate_chat(manager, { message: "start" }), inputs);
  return { manager, io };
}

describe("round_robin (spec 30 §6.1)", () => {
  it("goes a, b, c, a from an outside initiator and prints the next speaker", async () => {
    const [a, b, c] = [member("a"), member("b"), member("c")];
    const gc = new GroupChat({ agents: [a, b, c], speaker_selection_method: "round_robin", max_round: 5 });
    const { io, manager } = await runGroup(gc, member("user"));
    expect(names(gc)).toEqual(["user", "a", "b", "c", "a"]);
    expect(io.output.match(/Next speaker: \w+/g)).toEqual(["Next speaker: a", "Next speaker: b", "Next speaker: c", "Next speaker: a"]);
    expect(manager.termination_reason).toBe("Maximum rounds (5) reached");
  });

  it("skips to the next allowed agent in group order when the graph restricts the choice", async () => {
    const [a, b, c, d] = [member("a"), member("b"), member("c"), member("d")];
    const graph = new Map<Agent, Agent[]>([
      [a, [c, d]],
      [b, [a, d]],
      [c, [b, d]],
      [d, [b, c]],
    ]);
    const gc = new GroupChat({
      agents: [a, b, c, d],
      speaker_selection_method: "round_robin",
      allowed_or_disallowed_speaker_transitions: graph,
      speaker_transitions_type: "allowed",
      max_round: 6,
    });
    await runGroup(gc, a);
    expect(names(gc)).toEqual(["a", "c", "d", "b", "d", "b"]);
  });
});

describe("random (spec 30 §6.2)", () => {
  it("uses the injected random source", async () => {
    const [a, b, c] = [member("a"), member("b"), member("c")];
    const draws = [0.9, 0.5, 0.1, 0.34];
    const gc = new GroupChat({ agents: [a, b, c], speaker_selection_method: "RANDOM", max_round: 5, random_source: () => draws.shift() as number });
    await runGroup(gc, member("user"));
    expect(names(gc)).toEqual(["user", "c", "b", "a", "b"]);
    expect(draws).toEqual([]);
  });

  it("never repeats the last speaker when allow_repeat_speaker is false", async () => {
    const agents = [member("a"), member("b"), member("c")];
    const repeating = new GroupChat({ agents, speaker_selection_method: "random", max_round: 5, random_source: () => 0 });
    await runGroup(repeating, member("user"));
    expect(names(repeating)).toEqual(["user", "a", "a", "a", "a"]);
    const strict = new GroupChat({ agents, speaker_selection_method: "random", max_round: 5, random_source: () => 0, allow_repeat_speaker: false });
    await runGroup(strict, member("user"));
    expect(names(strict)).toEqual(["user", "a", "b", "a", "b"]);
  });

  it("allows repeats only for the listed agents", async () => {
    const [a, b, c] = [member("a"), member("b"), member("c")];
    const gc = new GroupChat({ agents: [a, b, c], speaker_selection_method: "random", max_round: 5, random_source: () => 0.99, allow_repeat_speaker: [c] });
    await runGroup(gc, a);
    expect(names(gc)).toEqual(["a", "c", "c", "c", "c"]);
    const gc2 = new GroupChat({ agents: [a, b, c], speaker_selection_method: "random", max_round: 4, random_source: () => 0, allow_repeat_speaker: [c] });
    await runGroup(gc2, a);
    expect(names(gc2)).toEqual(["a", "b", "a", "b"]);
  });
});

describe("function-call filter (spec 30 §4 step 4)", () => {
  const toolCall = (name: string): Message => ({
    content: null,
    role: "assistant",
    tool_calls: [{ id: "call_1", type: "function", function: { name, arguments: "{}" } }],
  });

  it("routes a tool call to the only agent that can execute it, ignoring repeat and graph rules", async () => {
    const a = member("a");
    const executor = new ConversableAgent("executor", { llm_config: false, human_input_mode: "NEVER", function_map: { lookup: () => "42" } });
    const c = member("c");
    const gc = new GroupChat({
      agents: [a, executor, c],
      allowed_or_disallowed_speaker_transitions: new Map<Agent, Agent[]>([[a, [c]], [executor, [a]], [c, [a]]]),
      speaker_transitions_type: "allowed",
    });
    const manager = new GroupChatManager({ groupchat: gc, llm_config: false });
    gc.append(toolCall("lookup"), a);
    expect(await gc.select_speaker(a, manager)).toBe(executor);
    const noRepeat = new GroupChat({ agents: [a, executor, c], allow_repeat_speaker: false });
    noRepeat.append(toolCall("lookup"), executor);
    expect(await noRepeat.select_speaker(executor, manager)).toBe(executor);
  });

  it("falls back to the only agent with a function_map, and fails when nobody has one", async () => {
    const a = member("a");
    const other = new ConversableAgent("other", { llm_config: false, function_map: { something_else: () => "" } });
    const manager = new GroupChatManager({ groupchat: new GroupChat({ agents: [a, other] }) });
    const gc = new GroupChat({ agents: [a, other] });
    gc.append({ content: null, role: "assistant", function_call: { name: "lookup", arguments: "{}" } }, a);
    expect(await gc.select_speaker(a, manager)).toBe(other);
    const nobody = new GroupChat({ agents: [a, member("b")] });
    nobody.append(toolCall("lookup"), a);
    await expect(nobody.select_speaker(a, manager)).rejects.toThrow(
      new ValueError("No agent can execute the function lookup. Please check the function_map of the agents."),
    );
  });

  it("is skipped when func_call_filter is false", async () => {
    const a = member("a");
    const executor = new ConversableAgent("executor", { llm_config: false, function_map: { lookup: () => "42" } });
    const c = member("c");
    const gc = new GroupChat({ agents: [a, executor, c], func_call_filter: false, speaker_selection_method: "round_robin" });
    gc.append(toolCall("lookup"), executor);
    expect(await gc.select_speaker(executor, new GroupChatManager({ groupchat: gc }))).toBe(c);
  });
});

describe("selection functions (spec 30 §4 step 1)", () => {
  it("an agent returned by the function bypasses every filter", async () => {
    const [a, b] = [member("a"), member("b")];
    const gc = new GroupChat({ agents: [a, b], allow_repeat_speaker: false, max_round: 4, speaker_selection_method: () => a });
    await runGroup(gc, a);
    expect(names(gc)).toEqual(["a", "a", "a", "a"]);
  });

  it("null ends the chat without an error; a method name delegates", async () => {
    const [a, b, c] = [member("a"), member("b"), member("c")];
    const seen: string[] = [];
    const gc = new GroupChat({
      agents: [a, b, c],
      speaker_selection_method: async (last, groupchat) => {
        seen.push(last.name);
        return groupchat.messages.length >= 3 ? null : "round_robin";
      },
    });
    const { manager } = await runGroup(gc, a);
    expect(names(gc)).toEqual(["a", "b", "c"]);
    expect(seen).toEqual(["a", "b", "c"]);
    expect(manager.termination_reason).toBe("No next speaker selected");
  });

  it("rejects agents outside the group and other return types", async () => {
    const [a, b] = [member("a"), member("b")];
    const manager = new GroupChatManager({ groupchat: new GroupChat({ agents: [a, b] }) });
    const outside = new GroupChat({ agents: [a, b], speaker_selection_method: () => member("x") });
    await expect(outside.select_speaker(a, manager)).rejects.toThrow("Custom speaker selection function returned an agent x not in the group chat.");
    const weird = new GroupChat({ agents: [a, b], speaker_selection_method: () => 42 as never });
    await expect(weird.select_speaker(a, manager)).rejects.toThrow(
      "Custom speaker selection function returned an object of type number instead of Agent or str.",
    );
    const badName = new GroupChat({ agents: [a, b], speaker_selection_method: () => "loudest" });
    await expect(badName.select_speaker(a, manager)).rejects.toThrow("GroupChat speaker_selection_method is set to 'loudest'.");
    const none = new GroupChat({ agents: [a, b], speaker_selection_method: () => null });
    await expect(none.select_speaker(a, manager)).rejects.toThrow(
      new NoEligibleSpeakerError("Custom speaker selection function returned None. Terminating conversation."),
    );
  });
});

describe("population and graph rules (spec 30 §4 steps 3, 6)", () => {
  it("a one-agent group throws at the first selection", async () => {
    const a = member("a");
    const gc = new GroupChat({ agents: [a], speaker_selection_method: "round_robin" });
    await expect(runGroup(gc, member("user"))).rejects.toThrow("GroupChat is underpopulated with 1 agents.");
    expect(gc.messages).toHaveLength(1);
  });

  it("warns about a two-agent group that allows repeats", async () => {
    const logs = collectLogs();
    const [a, b] = [member("a"), member("b")];
    const gc = new GroupChat({ agents: [a, b], speaker_selection_method: "random", random_source: () => 0 });
    await gc.select_speaker(a, new GroupChatManager({ groupchat: gc }));
    expect(logs[0]).toMatch(/^GroupChat is underpopulated with 2 agents\./);
  });

  it("returns a single eligible agent without asking the model or the human", async () => {
    const [a, b, c] = [member("a"), member("b"), member("c")];
    const graph = new Map<Agent, Agent[]>([[a, [b]], [b, [a, c]], [c, [a]]]);
    const auto = new GroupChat({ agents: [a, b, c], allowed_or_disallowed_speaker_transitions: graph, speaker_transitions_type: "allowed" });
    // The manager has no model: an LLM call would throw.
    expect(await auto.select_speaker(a, new GroupChatManager({ groupchat: auto, llm_config: false }))).toBe(b);
    const manual = new GroupChat({ agents: [a, b, c], allowed_or_disallowed_speaker_transitions: graph, speaker_transitions_type: "allowed", speaker_selection_method: "manual" });
    const { io, result } = await capture(() => manual.select_speaker(c, new GroupChatManager({ groupchat: manual })));
    expect(result).toBe(a);
    expect(io.prompts).toEqual([]);
  });

  it("ends the chat quietly when the last speaker has no outgoing transitions or nobody is eligible", async () => {
    const [a, b] = [member("a"), member("b")];
    const sink = new GroupChat({
      agents: [a, b],
      speaker_selection_method: "round_robin",
      allowed_or_disallowed_speaker_transitions: new Map<Agent, Agent[]>([[a, [b]]]),
      speaker_transitions_type: "allowed",
    });
    const { manager } = await runGroup(sink, a);
    expect(names(sink)).toEqual(["a", "b"]);
    expect(manager.termination_reason).toBe("No next speaker selected");
    await expect(sink.select_speaker(b, manager)).rejects.toThrow(
      new NoEligibleSpeakerError("Last speaker b is not in the allowed_speaker_transitions_dict."),
    );
    const selfOnly = new GroupChat({
      agents: [a, b],
      allowed_or_disallowed_speaker_transitions: new Map<Agent, Agent[]>([[a, []], [b, [a]]]),
      speaker_transitions_type: "allowed",
    });
    await expect(selfOnly.select_speaker(a, manager)).rejects.toThrow(NoEligibleSpeakerError);
  });

  it("a forbidding graph keeps the conversation on its edges", async () => {
    const [a, b, c] = [member("a"), member("b"), member("c")];
    const gc = new GroupChat({
      agents: [a, b, c],
      speaker_selection_method: "random",
      random_source: () => 0,
      allowed_or_disallowed_speaker_transitions: new Map<Agent, Agent[]>([[a, [a, b]], [b, [b]], [c, [a, c]]]),
      speaker_transitions_type: "disallowed",
      max_round: 6,
    });
    await runGroup(gc, a);
    // a may go to c; b to a or c; c to b.
    expect(names(gc)).toEqual(["a", "c", "b", "a", "c", "b"]);
  });
});

describe("manual selection (spec 30 §6.3)", () => {
  const listing = "Please select the next speaker from the following list:\n1: a\n2: b\n3: c\n";
  const prompt = "Enter the number of the next speaker (press enter or type q to use automatic selection): ";

  it("'2' picks the second agent; '' and 'q' fall back to the next agent", async () => {
    const [a, b, c] = [member("a"), member("b"), member("c")];
    const gc = new GroupChat({ agents: [a, b, c], speaker_selection_method: "manual", max_round: 4 });
    const { io } = await runGroup(gc, a, ["2", "", "q"]);
    expect(names(gc)).toEqual(["a", "b", "c", "a"]);
    expect(io.prompts).toEqual([prompt, prompt, prompt]);
    expect(io.output.split(listing).length - 1).toBe(3);
  });

  it("two invalid answers print the three-tries message and use the next agent", async () => {
    const [a, b, c] = [member("a"), member("b"), member("c")];
    const gc = new GroupChat({ agents: [a, b, c], speaker_selection_method: "Manual", max_round: 2 });
    const { io } = await runGroup(gc, b, ["x", "9"]);
    expect(names(gc)).toEqual(["b", "c"]);
    expect(io.output).toContain(
      listing +
        "Invalid input. Please enter a number between 1 and 3.\n" +
        "Invalid input. Please enter a number between 1 and 3.\n" +
        "You have tried 3 times. The next speaker will be selected automatically.\n",
    );
  });

  it("lists only the eligible agents", async () => {
    const [a, b, c] = [member("a"), member("b"), member("c")];
    const gc = new GroupChat({ agents: [a, b, c], speaker_selection_method: "manual", allow_repeat_speaker: false });
    const { io, result } = await capture(() => gc.select_speaker(a, new GroupChatManager({ groupchat: gc })), ["2"]);
    expect(result).toBe(c);
    expect(io.output).toBe("Please select the next speaker from the following list:\n1: b\n2: c\n");
  });
});
