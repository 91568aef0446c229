/**
 * Issue #10: every event of a run is recorded and checked against the
 * final ChatResult — a two-agent chat with a tool call, a group chat and a
 * nested chat.
 */
import { GroupChat, GroupChatManager, content_str, type AG2Event, type ChatResult, type Message } from "ag2ts";
import { captured, pairs, plain, samePath, scripted } from "./helpers";

const endsWithTerminate = (m: Message) => typeof m.content === "string" && m.content.endsWith("TERMINATE");

function weatherChat() {
  const assistant = scripted("assistant", [
    { tool_calls: [{ id: "call_1", name: "get_weather", arguments: { city: "Paris" } }], usage: { prompt_tokens: 100, completion_tokens: 10 } },
    { content: "It is sunny. TERMINATE", usage: { prompt_tokens: 200, completion_tokens: 20 } },
  ]);
  const user = plain("user", { is_termination_msg: endsWithTerminate });
  user.register_for_execution()(function get_weather({ city }: { city: string }) {
    return `sunny in ${city}`;
  });
  return { user, assistant };
}

/** Checks the two-agent facts every chat's events must agree with. */
function expectAgreement(events: AG2Event[], result: ChatResult, path: string[], sender: string, recipient: string): void {
  const own = events.filter((e) => samePath(e, path));
  expect(own[0]).toEqual({ type: "chat_start", sender, recipient, path });
  expect(own.at(-1)).toEqual({
    type: "chat_end",
    sender,
    recipient,
    stop_reason: result.stop_reason,
    stopped_by: result.stopped_by,
    summary: result.summary,
    messages: result.chat_history.length,
    path,
  });
  // Every message between the two agents was sent, in the order of the history.
  const sent = own.filter((e): e is Extract<AG2Event, { type: "sent_message" }> => e.type === "sent_message");
  expect(sent.map((e) => [e.message.name, e.message.content])).toEqual(pairs(result.chat_history));
  // The same messages were received, each by the other agent.
  const received = own.filter((e): e is Extract<AG2Event, { type: "received_message" }> => e.type === "received_message");
  expect(received.map((e) => [e.sender, e.recipient, e.message.content])).toEqual(sent.map((e) => [e.sender, e.recipient, e.message.content]));
}

describe("events agree with the ChatResult", () => {
  it("a two-agent chat with a tool call: messages, tool call and result, usage, stop reason", async () => {
    const { user, assistant } = weatherChat();
    const events: AG2Event[] = [];
    const { result, io } = await captured(() =>
      user.initiate_chat(assistant.agent, { message: "Weather in Paris?", on_event: (e) => events.push(e) }),
    );
    expect(pairs(result.chat_history)).toEqual([
      ["user", "Weather in Paris?"],
      [undefined, null], // a tool-call message carries no name
      ["user", "sunny in Paris"],
      ["assistant", "It is sunny. TERMINATE"],
    ]);
    expect(result.stop_reason).toBe("termination_msg");
    expect(result.stopped_by).toBe("user");
    expectAgreement(events, result, ["chat:1"], "user", "assistant");

    // The tool call in the history is the one the events show, with its result.
    const call = result.chat_history[1].tool_calls![0];
    const toolEvents = events.filter((e) => e.type === "execute_function" || e.type === "function_result");
    expect(toolEvents).toEqual([
      { type: "execute_function", agent: "user", name: "get_weather", is_async: false, call_id: call.id, path: ["chat:1"] },
      {
        type: "function_result",
        agent: "user",
        name: "get_weather",
        arguments: { city: "Paris" },
        content: "sunny in Paris",
        verbose: false,
        call_id: call.id,
        path: ["chat:1"],
      },
    ]);
    expect(result.chat_history[2].tool_responses).toEqual([{ tool_call_id: "call_1", role: "tool", content: "sunny in Paris" }]);

    // Usage events add up to the chat's cost.
    const usage = events.filter((e): e is Extract<AG2Event, { type: "usage" }> => e.type === "usage");
    expect(usage.map((e) => [e.agent, e.prompt_tokens, e.completion_tokens, e.cached])).toEqual([
      ["assistant", 100, 10, false],
      ["assistant", 200, 20, false],
    ]);
    const total = usage.reduce((sum, e) => sum + e.cost, 0);
    expect(total).toBeCloseTo(0.1 + 0.02 + 0.2 + 0.04, 10);
    expect(result.cost.usage_including_cached_inference.total_cost).toBeCloseTo(total, 10);
    const model = result.cost.usage_including_cached_inference.scripted as { prompt_tokens: number; completion_tokens: number };
    expect([model.prompt_tokens, model.completion_tokens]).toEqual([300, 30]);

    // The termination decision is an event, just before the end.
    expect(events.filter((e) => e.type === "termination")).toEqual([
      { type: "termination", agent: "user", stop_reason: "termination_msg", reason: "Termination message condition on agent 'user' met", path: ["chat:1"] },
    ]);
    // The console showed the same messages.
    for (const message of result.chat_history) if (typeof message.content === "string") expect(io.output).toContain(message.content);
    expect(io.output).toContain(">>>>>>>> EXECUTING FUNCTION get_weather...");
  });

  it("silent hides the printer only: the events are the same", async () => {
    const loud: AG2Event[] = [];
    const quiet: AG2Event[] = [];
    const a = weatherChat();
    const { io: loudIo } = await captured(() => a.user.initiate_chat(a.assistant.agent, { message: "Weather in Paris?", on_event: (e) => loud.push(e) }));
    const b = weatherChat();
    const { io: quietIo } = await captured(() =>
      b.user.initiate_chat(b.assistant.agent, { message: "Weather in Paris?", silent: true, on_event: (e) => quiet.push(e) }),
    );
    expect(loudIo.output).not.toBe("");
    // Only the tool lines are printed: AG2's silent hides the messages, not the tool execution.
    expect(quietIo.output).not.toContain("Weather in Paris?");
    expect(quiet).toEqual(loud);
  });

  it("initiate_chat_stream yields the same events as on_event, then resolves with the ChatResult", async () => {
    const { user, assistant } = weatherChat();
    const viaCallback: AG2Event[] = [];
    const { result: streamed } = await captured(async () => {
      const run = user.initiate_chat_stream(assistant.agent, { message: "Weather in Paris?", silent: true, on_event: (e) => viaCallback.push(e) });
      const seen: AG2Event[] = [];
      for await (const event of run) seen.push(event);
      return { seen, result: await run.result, done: run.done, recorded: run.events };
    });
    expect(streamed.done).toBe(true);
    expect(streamed.seen).toEqual(viaCallback);
    expect(streamed.recorded).toEqual(viaCallback);
    expect(streamed.seen.map((e) => e.type)).toEqual([
      "chat_start",
      "sent_message",
      "received_message",
      "usage",
      "sent_message",
      "received_message",
      "execute_function",
      "function_result",
      "sent_message",
      "received_message",
      "usage",
      "sent_message",
      "received_message",
      "termination",
      "chat_end",
    ]);
    expect(streamed.result.stop_reason).toBe("termination_msg");
    expectAgreement(streamed.seen, streamed.result, ["chat:1"], "user", "assistant");
  });

  it("a group chat: speakers, group messages and the stop reason agree with the result", async () => {
    const me = plain("me");
    const members = ["alice", "bob", "carol"].map((name) => plain(name, { default_auto_reply: `${name} here` }));
    const gc = new GroupChat({ agents: members, messages: [], max_round: 4, speaker_selection_method: "round_robin" });
    const manager = new GroupChatManager({ groupchat: gc, llm_config: false });
    const events: AG2Event[] = [];
    const { result } = await captured(() => me.initiate_chat(manager, { message: "Roll call!", on_event: (e) => events.push(e) }));

    expect(pairs(gc.messages)).toEqual([
      ["me", "Roll call!"],
      ["alice", "alice here"],
      ["bob", "bob here"],
      ["carol", "carol here"],
    ]);
    expect(result.stop_reason).toBe("max_round");
    expect(result.stopped_by).toBe("chat_manager");
    expectAgreement(events, result, ["chat:1"], "me", "chat_manager");

    const group = ["chat:1", "group:chat_manager"];
    const inGroup = events.filter((e) => samePath(e, group));
    // The chosen speakers are the authors of the group messages after the first.
    const speakers = inGroup.flatMap((e) => (e.type === "group_chat_next_speaker" ? [e.agent] : []));
    expect(speakers).toEqual(gc.messages.slice(1).map((m) => m.name));
    // What the speakers said to the manager is the group transcript after the first message.
    const said = inGroup.flatMap((e) => (e.type === "sent_message" && e.recipient === "chat_manager" ? [[e.sender, e.message.content]] : []));
    expect(said).toEqual(pairs(gc.messages.slice(1)));
    // Every message reached every member but its author through the manager (me is not a member).
    const broadcasts = inGroup.flatMap((e) => (e.type === "received_message" && e.sender === "chat_manager" ? [[e.recipient, e.content]] : []));
    expect(broadcasts).toEqual(
      gc.messages.flatMap((m) => members.filter((a) => a.name !== m.name).map((a) => [a.name, m.content])),
    );
    expect(inGroup.filter((e) => e.type === "termination")).toEqual([
      { type: "termination", agent: "chat_manager", stop_reason: "max_round", reason: "Maximum rounds (4) reached", path: group },
    ]);
    // AG2's gotcha (spec 20 §4): me is not a member, so last_msg is the first message.
    expect(result.summary).toBe("Roll call!");
  });

  it("a nested chat: its events carry the nested path and its summary becomes the outer reply", async () => {
    const me = plain("me");
    const writer = plain("writer");
    const critic = scripted("critic", [{ content: "Too long.", usage: { prompt_tokens: 10, completion_tokens: 2 } }]);
    writer.register_nested_chats([{ recipient: critic.agent, max_turns: 1, summary_method: "last_msg" }], me);
    const events: AG2Event[] = [];
    const { result } = await captured(() => me.initiate_chat(writer, { message: "Draft: hello", max_turns: 1, on_event: (e) => events.push(e) }));

    expect(pairs(result.chat_history)).toEqual([
      ["me", "Draft: hello"],
      ["writer", "Too long."],
    ]);
    expect(result.stop_reason).toBe("max_turns");
    expectAgreement(events, result, ["chat:1"], "me", "writer");

    const nestedPath = ["chat:1", "nested:writer", "chat:2"];
    const nestedEnd = events.find((e) => e.type === "chat_end" && samePath(e, nestedPath));
    expect(nestedEnd).toEqual({
      type: "chat_end",
      sender: "writer",
      recipient: "critic",
      stop_reason: "max_turns",
      stopped_by: null,
      summary: "Too long.",
      messages: 2,
      path: nestedPath,
    });
    const nestedSent = events.filter((e) => e.type === "sent_message" && samePath(e, nestedPath));
    expect(nestedSent.map((e) => e.type === "sent_message" && [e.sender, e.recipient, content_str(e.message.content as string)])).toEqual([
      ["writer", "critic", "Draft: hello"],
      ["critic", "writer", "Too long."],
    ]);
    // The nested chat's events come between the outer chat's first message and the reply it produced.
    const index = (pred: (e: AG2Event) => boolean) => events.findIndex(pred);
    const firstOuter = index((e) => e.type === "sent_message" && samePath(e, ["chat:1"]) && e.sender === "me");
    const reply = index((e) => e.type === "sent_message" && samePath(e, ["chat:1"]) && e.sender === "writer");
    expect(index((e) => e.type === "chat_start" && samePath(e, nestedPath))).toBeGreaterThan(firstOuter);
    expect(events.indexOf(nestedEnd!)).toBeLessThan(reply);
    // The critic's model call is in the nested chat.
    expect(events.filter((e) => e.type === "usage").map((e) => e.path)).toEqual([nestedPath]);
  });

  it("sequential chats number their paths in order and on_event of initiate_chats sees them all", async () => {
    const me = plain("me");
    const a = plain("a", { default_auto_reply: "from a" });
    const b = plain("b", { default_auto_reply: "from b" });
    const events: AG2Event[] = [];
    const { result } = await captured(() =>
      me.initiate_chats(
        [
          { recipient: a, message: "one", max_turns: 1, silent: true },
          { recipient: b, message: "two", max_turns: 1, silent: true },
        ],
        { on_event: (e) => events.push(e) },
      ),
    );
    const ends = events.filter((e) => e.type === "chat_end");
    expect(ends.map((e) => e.path)).toEqual([["chat:1"], ["chat:2"]]);
    result.forEach((r, i) => expectAgreement(events, r, [`chat:${i + 1}`], "me", i === 0 ? "a" : "b"));
    expect(result.map((r) => r.summary)).toEqual(["from a", "from b"]);
    // The banners are events too, outside any chat.
    expect(events.filter((e) => e.type === "chat_start_banner").map((e) => e.path)).toEqual([[], []]);
  });
});
