import { ConversableAgent, IOStream, type Message } from "ag2ts";
import { ScriptedModelClient } from "ag2ts/testing";
import { anthropicMessage, chatCompletion, FakeServer } from "../oai/fake-servers";

// What the model is sent is the history as it is at the time of the call
// (AG2 rebuilds it from the stored history on every call). The list is reused
// between calls (src/core/message-log.ts); these tests pin that every
// change to the stored history is seen, for every kind of model client.

type Reply = string | { tool_calls: Array<{ id: string; name: string; arguments: string }> };

/** One way of answering model calls, and what each call was sent (as plain data). */
interface ClientKind {
  llm_config(replies: Reply[]): Record<string, unknown>;
  sent(): Message[][];
  close(): Promise<void>;
}

/** The scripted client of ag2ts/testing: its recorded requests. */
function scripted(): ClientKind {
  let model: ScriptedModelClient;
  return {
    llm_config(replies) {
      model = new ScriptedModelClient(
        replies.map((r) => (typeof r === "string" ? r : { tool_calls: r.tool_calls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments })) })),
      );
      return model.llm_config() as Record<string, unknown>;
    },
    sent: () => model.requests.map((r) => r.messages),
    close: async () => model.assert_consumed(),
  };
}

/** A user's own client, AG2 style: it copies what it is given as JSON at the time of the call. */
function custom(): ClientKind {
  const seen: Message[][] = [];
  return {
    llm_config(replies) {
      const queue = [...replies];
      const client = {
        async create(params: { messages: Message[] }) {
          seen.push(JSON.parse(JSON.stringify(params.messages)));
          const reply = queue.shift();
          const message =
            typeof reply === "string"
              ? { role: "assistant", content: reply }
              : { role: "assistant", content: null, tool_calls: reply!.tool_calls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } })) };
          return { model: "custom", choices: [{ index: 0, message, finish_reason: "stop" }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } };
        },
        message_retrieval: (r: { choices: Array<{ message: Message }> }) =>
          r.choices.map((c) => (c.message.tool_calls ? c.message : (c.message.content as string))),
        cost: () => 0,
      };
      return { config_list: [{ model: "custom", model_client: client }] };
    },
    sent: () => seen,
    close: async () => {},
  };
}

/** The real `openai` SDK against a fake server: the request bodies the server received. */
function openai(): ClientKind {
  let server: FakeServer | null = null;
  return {
    llm_config(replies) {
      throw new Error(`call start() first (${replies.length})`);
    },
    sent: () => server!.requests.map((r) => r.body.messages as Message[]),
    close: async () => server?.close(),
    async start(replies: Reply[]) {
      server = await FakeServer.start();
      for (const r of replies) server.enqueue(typeof r === "string" ? chatCompletion({ content: r }) : chatCompletion({ tool_calls: r.tool_calls }));
      return { config_list: [{ model: "gpt-4o-mini", api_key: "sk-test", base_url: server.url, max_retries: 0 }] };
    },
  } as ClientKind & { start(replies: Reply[]): Promise<Record<string, unknown>> };
}

const kinds: Array<[string, () => ClientKind]> = [
  ["ScriptedModelClient", scripted],
  ["a custom client", custom],
  ["the OpenAI client (fake server)", openai],
];

const view = (messages: Message[]) => messages.map((m) => [m.role, m.content]);
const silent = { request_reply: true, silent: true } as const;

describe.each(kinds)("the next model call sees the history as it is now: %s", (_name, make) => {
  let kind: ClientKind;
  let assistant: ConversableAgent;
  let user: ConversableAgent;

  async function setUp(replies: Reply[], system_message = "Be brief.") {
    kind = make();
    const start = (kind as { start?: (r: Reply[]) => Promise<Record<string, unknown>> }).start;
    const llm_config = start ? await start(replies) : kind.llm_config(replies);
    assistant = new ConversableAgent("assistant", { llm_config: llm_config as never, human_input_mode: "NEVER", system_message });
    user = new ConversableAgent("user", { llm_config: false, human_input_mode: "NEVER" });
  }
  afterEach(async () => kind.close());

  const history = () => assistant.chat_messages.get(user)!;

  test("a message edited in place after it was sent", async () => {
    await setUp(["noted", "ok"]);
    await user.send("secret: 1234", assistant, silent);
    history()[0].content = "secret: [redacted]";
    await user.send("what did I say?", assistant, silent);
    expect(view(kind.sent()[0])).toEqual([
      ["system", "Be brief."],
      ["user", "secret: 1234"],
    ]);
    expect(kind.sent()[1]).toEqual([
      { content: "Be brief.", role: "system" },
      { content: "secret: [redacted]", name: "user", role: "user" },
      { content: "noted", role: "assistant", name: "assistant" },
      { content: "what did I say?", name: "user", role: "user" },
    ]);
    expect(JSON.stringify(kind.sent()[1])).not.toContain("1234");
  });

  test("a message replaced in the middle", async () => {
    await setUp(["a", "b", "c"]);
    await user.send("q1", assistant, silent);
    await user.send("q2", assistant, silent);
    history()[1] = { content: "A (replaced)", role: "assistant", name: "assistant" };
    await user.send("q3", assistant, silent);
    expect(view(kind.sent()[2]).slice(1)).toEqual([
      ["user", "q1"],
      ["assistant", "A (replaced)"],
      ["user", "q2"],
      ["assistant", "b"],
      ["user", "q3"],
    ]);
  });

  test("an agent that talks to two agents in turn: each history as it is now when the agent comes back to it", async () => {
    await setUp(["a1", "b1", "a2", "b2"]);
    const other = new ConversableAgent("other", { llm_config: false, human_input_mode: "NEVER" });
    await user.send("u1", assistant, silent);
    await other.send("o1", assistant, silent);
    history()[1] = { content: "a1 (replaced)", role: "assistant", name: "assistant" };
    assistant.chat_messages.get(other)![0].content = "o1 (edited)";
    await user.send("u2", assistant, silent);
    await other.send("o2", assistant, silent);
    expect(kind.sent().map((request) => view(request).slice(1))).toEqual([
      [["user", "u1"]],
      [["user", "o1"]],
      [
        ["user", "u1"],
        ["assistant", "a1 (replaced)"],
        ["user", "u2"],
      ],
      [
        ["user", "o1 (edited)"],
        ["assistant", "b1"],
        ["user", "o2"],
      ],
    ]);
  });

  test("an agent that takes no new properties (Object.preventExtensions) is sent the history as it is now", async () => {
    await setUp(["noted", "ok"]);
    Object.preventExtensions(assistant);
    await user.send("q1", assistant, silent);
    history()[0].content = "q1 (edited)";
    await user.send("q2", assistant, silent);
    expect(view(kind.sent()[1]).slice(1)).toEqual([
      ["user", "q1 (edited)"],
      ["assistant", "noted"],
      ["user", "q2"],
    ]);
  });

  test("a message removed from the middle", async () => {
    await setUp(["a", "b", "c"]);
    await user.send("q1", assistant, silent);
    await user.send("q2", assistant, silent);
    history().splice(1, 2); // drops "a" and "q2"
    await user.send("q3", assistant, silent);
    expect(view(kind.sent()[2]).slice(1)).toEqual([
      ["user", "q1"],
      ["assistant", "b"],
      ["user", "q3"],
    ]);
  });

  test("a message inserted in the middle", async () => {
    await setUp(["a", "b"]);
    await user.send("q1", assistant, silent);
    history().splice(1, 0, { content: "(a note)", role: "user", name: "user" });
    await user.send("q2", assistant, silent);
    expect(view(kind.sent()[1]).slice(1)).toEqual([
      ["user", "q1"],
      ["user", "(a note)"],
      ["assistant", "a"],
      ["user", "q2"],
    ]);
  });

  test("a cleared history and an updated system message", async () => {
    await setUp(["a", "b", "c"]);
    await user.send("q1", assistant, silent);
    assistant.update_system_message("Be thorough.");
    await user.send("q2", assistant, silent);
    assistant.clear_history({ recipient: user });
    await user.send("fresh start", assistant, silent);
    expect(view(kind.sent()[1])).toEqual([
      ["system", "Be thorough."],
      ["user", "q1"],
      ["assistant", "a"],
      ["user", "q2"],
    ]);
    expect(view(kind.sent()[2])).toEqual([
      ["system", "Be thorough."],
      ["user", "fresh start"],
    ]);
  });

  test("tool responses: unrolled, internal keys left out, and an in-place edit of a tool result seen", async () => {
    await setUp([{ tool_calls: [{ id: "c1", name: "lookup", arguments: '{"key":"pin"}' }] }, "done", "again"], "Use tools.");
    const executor = new ConversableAgent("executor", {
      llm_config: false,
      human_input_mode: "NEVER",
      function_map: { lookup: () => "pin is 1234" },
      max_consecutive_auto_reply: 1,
    });
    const io = { print: () => {}, input: async () => "" };
    await IOStream.set_default(io, () => executor.initiate_chat(assistant, { message: "find the pin", silent: true, max_turns: 2 }));
    const toolCall = { id: "c1", type: "function", function: { name: "lookup", arguments: '{"key":"pin"}' } };
    expect(kind.sent()[1].slice(1)).toEqual([
      { content: "find the pin", role: "user", name: "executor" },
      { content: null, tool_calls: [toolCall], role: "assistant" },
      { tool_call_id: "c1", role: "tool", content: "pin is 1234" },
    ]);
    const stored = assistant.chat_messages.get(executor)!;
    const toolMessage = stored[2];
    expect(toolMessage.role).toBe("tool");
    (toolMessage.tool_responses as Message[])[0].content = "pin is [redacted]";
    toolMessage.content = "pin is [redacted]";
    await executor.send("and now?", assistant, silent);
    expect(kind.sent()[2].slice(3)).toEqual([
      { tool_call_id: "c1", role: "tool", content: "pin is [redacted]" },
      { content: "done", role: "assistant", name: "assistant" },
      { content: "and now?", name: "executor", role: "user" },
    ]);
  });
});

describe("what a model client may do with the list it is given", () => {
  test("changing the list itself does not change the next call nor the history", async () => {
    const seen: Array<Array<[unknown, unknown]>> = [];
    let n = 0;
    const client = {
      async create(params: { messages: Message[] }) {
        seen.push(view(params.messages) as Array<[unknown, unknown]>);
        params.messages.push({ role: "user", content: "extra" });
        params.messages[0] = { role: "system", content: "REPLACED" };
        params.messages.splice(1, 1);
        n += 1;
        return { model: "m", choices: [{ message: { role: "assistant", content: `reply ${n}` } }] };
      },
      message_retrieval: (r: { choices: Array<{ message: { content: string } }> }) => r.choices.map((c) => c.message.content),
      cost: () => 0,
    };
    const assistant = new ConversableAgent("assistant", {
      llm_config: { config_list: [{ model: "m", model_client: client }] } as never,
      human_input_mode: "NEVER",
      system_message: "Be brief.",
    });
    const user = new ConversableAgent("user", { llm_config: false, human_input_mode: "NEVER" });
    await user.send("q1", assistant, silent);
    await user.send("q2", assistant, silent);
    expect(seen[1]).toEqual([
      ["system", "Be brief."],
      ["user", "q1"],
      ["assistant", "reply 1"],
      ["user", "q2"],
    ]);
    expect(view(assistant.chat_messages.get(user)!)).toEqual([
      ["user", "q1"],
      ["assistant", "reply 1"],
      ["user", "q2"],
      ["assistant", "reply 2"],
    ]);
  });

  test("a list still held by a model call in flight is not changed by the next call", async () => {
    const held: Message[][] = [];
    const release: Array<() => void> = [];
    let entered: () => void = () => {};
    const client = {
      async create(params: { messages: Message[] }) {
        const n = held.push(params.messages);
        entered();
        await new Promise<void>((resolve) => release.push(resolve));
        return { model: "m", choices: [{ message: { role: "assistant", content: `reply ${n}` } }] };
      },
      message_retrieval: (r: { choices: Array<{ message: { content: string } }> }) => r.choices.map((c) => c.message.content),
      cost: () => 0,
    };
    const assistant = new ConversableAgent("assistant", {
      llm_config: { config_list: [{ model: "m", model_client: client }] } as never,
      human_input_mode: "NEVER",
      system_message: "Be brief.",
    });
    const history: Message[] = [{ content: "q1", role: "user" }];
    const inFlight = () => new Promise<void>((resolve) => (entered = resolve));
    let wait = inFlight();
    const first = assistant.generate_reply({ messages: history });
    await wait;
    history.push({ content: "q2", role: "user" });
    wait = inFlight();
    const second = assistant.generate_reply({ messages: history });
    await wait;
    expect(held[0]).not.toBe(held[1]);
    expect(view(held[0])).toEqual([
      ["system", "Be brief."],
      ["user", "q1"],
    ]);
    expect(view(held[1])).toEqual([
      ["system", "Be brief."],
      ["user", "q1"],
      ["user", "q2"],
    ]);
    release.forEach((r) => r());
    expect([await first, await second]).toEqual(["reply 1", "reply 2"]);
  });

  test("ScriptedModelClient keeps each request as it was: a later edit is recorded anew, not backdated", async () => {
    const model = new ScriptedModelClient(["one", "two"]);
    const assistant = new ConversableAgent("assistant", { llm_config: model.llm_config(), human_input_mode: "NEVER" });
    const user = new ConversableAgent("user", { llm_config: false, human_input_mode: "NEVER" });
    await user.send({ content: [{ type: "text", text: "pin 1234" }] } as never, assistant, silent);
    ((assistant.chat_messages.get(user)![0].content as Array<{ text: string }>)[0]).text = "pin [redacted]";
    await user.send("next", assistant, silent);
    expect(model.requests[0].messages[1].content).toEqual([{ type: "text", text: "pin 1234" }]);
    expect(model.requests[1].messages[1].content).toEqual([{ type: "text", text: "pin [redacted]" }]);
    // An unchanged message shares its recorded copy with the earlier request.
    expect(model.requests[1].messages[0]).toBe(model.requests[0].messages[0]);
    expect(model.requests[1].messages).toHaveLength(4);
  });
});

describe("the Anthropic client (fake server) is sent the history as it is now too", () => {
  let server: FakeServer;
  beforeEach(async () => {
    server = await FakeServer.start();
  });
  afterEach(async () => server.close());

  test("an edit in place, a replacement and a removal reach the next request body", async () => {
    for (const text of ["noted", "ok", "fine"]) server.enqueue(anthropicMessage({ content: [{ type: "text", text }] }));
    const llm_config = { config_list: [{ model: "claude-haiku-4-5", api_type: "anthropic", api_key: "sk-ant-test", base_url: server.url, max_retries: 0 }] };
    const assistant = new ConversableAgent("assistant", { llm_config: llm_config as never, human_input_mode: "NEVER", system_message: "Be brief." });
    const user = new ConversableAgent("user", { llm_config: false, human_input_mode: "NEVER" });
    await user.send("secret: 1234", assistant, silent);
    const history = assistant.chat_messages.get(user)!;
    history[0].content = "secret: [redacted]";
    await user.send("second", assistant, silent);
    history[1] = { content: "NOTED (replaced)", role: "assistant", name: "assistant" };
    history.splice(2, 2); // drops "second" and "ok"
    await user.send("third", assistant, silent);
    const sent = server.requests.map((r) => ({ system: r.body.system, messages: r.body.messages }));
    expect(sent[1].messages).toEqual([
      { role: "user", content: "secret: [redacted]" },
      { role: "assistant", content: "noted" },
      { role: "user", content: "second" },
    ]);
    expect(sent[2].messages).toEqual([
      { role: "user", content: "secret: [redacted]" },
      { role: "assistant", content: "NOTED (replaced)" },
      { role: "user", content: "third" },
    ]);
    expect(JSON.stringify(sent.slice(1))).not.toContain("1234");
  });
});
