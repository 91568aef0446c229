/**
 * IOWebsockets (issue 18): a real `ws` server on 127.0.0.1 and real `ws`
 * clients. print → text frames, send → JSON frames, input ← client frames;
 * each connection's chats print to that connection only; a client that goes
 * away aborts its chat; close() frees the port.
 */
import { createServer } from "node:net";
import WebSocket from "ws";
import {
  AbortError,
  ConversableAgent,
  IOStream,
  IOWebsockets,
  RuntimeError,
  ValueError,
  set_logger,
  subscribe_events,
  type AG2Event,
  type ChatResult,
  type IOWebsocketsServer,
} from "ag2ts";
import { CapturingIOStream, ScriptedModelClient, type ScriptStep } from "ag2ts/testing";
import { RecordingClient, deferred } from "./ws-client";

const PROMPT = (name: string, sender: string) =>
  `Replying as ${name}. Give feedback to ${sender}. Press enter to skip and use auto-reply, or type 'exit' to end the conversation: `;

function pair(script: ScriptStep[], userMode: "ALWAYS" | "NEVER" = "ALWAYS") {
  const assistant = new ConversableAgent("assistant", { llm_config: new ScriptedModelClient(script).llm_config(), human_input_mode: "NEVER" });
  const user = new ConversableAgent("user", { llm_config: false, human_input_mode: userMode });
  return { assistant, user };
}

/** Whether something listens on the port (a plain TCP listen there fails). */
function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(true));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(false)));
  });
}

let servers: IOWebsocketsServer[] = [];
async function start(on_connect: (io: IOWebsockets) => unknown, more: { on_error?: (err: unknown, io: IOWebsockets) => void } = {}) {
  const server = await IOWebsockets.run_server({ on_connect, port: 0, ...more });
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

describe("IOWebsockets round trip with a ws client", () => {
  it("print sends text frames, send sends JSON frames, input answers with the client's next frame, and the connection closes when on_connect returns", async () => {
    const seen = deferred<{ isDefault: boolean; isWs: boolean; color: boolean; answers: string[] }>();
    const server = await start(async (io) => {
      io.print("hello", 42, null, { sep: "|" });
      io.print("no newline", { end: "" });
      io.send({ type: "note", text: "an event" });
      const name = await io.input("Your name? ");
      const second = await io.input();
      io.print(`got ${name} and ${second}`);
      seen.resolve({ isDefault: IOStream.get_default() === io, isWs: io.websocket instanceof WebSocket, color: io.supports_color, answers: [name, second] });
    });
    expect(server.url).toBe(`ws://127.0.0.1:${server.port}`);
    expect(server.uri).toBe(server.url);
    const client = await RecordingClient.connect(server.url);
    await client.frame("Your name? ");
    client.send("Ada");
    // A binary frame is decoded as UTF-8.
    client.send(Buffer.from("Lovelace é", "utf8"));
    expect(await client.closed).toEqual({ code: 1000, reason: "" });
    expect(client.frames).toEqual([
      "hello|42|None\n",
      "no newline",
      '{"type":"note","text":"an event"}',
      "Your name? ",
      "got Ada and Lovelace é\n",
    ]);
    expect(await seen.promise).toEqual({ isDefault: true, isWs: true, color: false, answers: ["Ada", "Lovelace é"] });
  });

  it("frames the client sent before input was asked are answered first, in order", async () => {
    const answers = deferred<string[]>();
    const gate = deferred<void>();
    const server = await start(async (io) => {
      await gate.promise;
      answers.resolve([await io.input(), await io.input("third? ")]);
    });
    const client = await RecordingClient.connect(server.url);
    client.send("first");
    client.send("second");
    // Both frames are on the server before input is asked.
    await new Promise((resolve) => setTimeout(resolve, 50));
    gate.resolve();
    expect(await answers.promise).toEqual(["first", "second"]);
    await client.closed;
    expect(client.frames).toEqual(["third? "]);
  });

  it("a chat prints to the socket what it prints to a console, asks the client for human input, and events go out as JSON", async () => {
    const script = ["Hello from the model.", "Second answer. TERMINATE"];
    // The same chat on a capturing stream: what the console would show.
    const reference = pair(script);
    const io = new CapturingIOStream({ inputs: ["Tell me more"] });
    const expected = await IOStream.set_default(io, () => reference.user.initiate_chat(reference.assistant, { message: "Hi", max_turns: 2 }));

    const result = deferred<ChatResult>();
    const server = await start(async (iostream) => {
      const { user, assistant } = pair(script);
      const events: AG2Event[] = [];
      const chat = await subscribe_events(
        (e) => {
          if (e.type === "chat_end") iostream.send(e);
          events.push(e);
        },
        () => user.initiate_chat(assistant, { message: "Hi", max_turns: 2 }),
      );
      result.resolve(chat);
    });
    const client = await RecordingClient.connect(server.url);
    await client.frame(PROMPT("user", "assistant"));
    client.send("Tell me more");
    await client.closed;
    const chat = await result.promise;
    expect(chat.chat_history.map((m) => m.content)).toEqual(expected.chat_history.map((m) => m.content));
    expect(chat.chat_history.map((m) => m.content)).toEqual(["Hi", "Hello from the model.", "Tell me more", "Second answer. TERMINATE"]);
    expect(chat.stop_reason).toBe("max_turns");
    const last = client.frames.at(-1)!;
    expect(JSON.parse(last)).toEqual({
      type: "chat_end",
      sender: "user",
      recipient: "assistant",
      stop_reason: "max_turns",
      stopped_by: null,
      summary: "Second answer. ",
      messages: 4,
      path: ["chat:1"],
    });
    const printed = client.frames.slice(0, -1);
    expect(printed.filter((f) => f === PROMPT("user", "assistant"))).toHaveLength(1);
    expect(io.prompts).toEqual([PROMPT("user", "assistant")]);
    expect(printed.filter((f) => f !== PROMPT("user", "assistant")).join("")).toBe(io.output);
    expect(io.output).toContain("user (to assistant):\n\nHi\n");
  });
});

describe("two concurrent connections", () => {
  it("each connection's chat prints only to its own socket; nothing reaches the global default", async () => {
    const global = new CapturingIOStream();
    const saved = IOStream.get_global_default();
    IOStream.set_global_default(global);
    try {
      const bothAsked = { count: 0, all: deferred<void>() };
      const results: Record<string, ChatResult> = {};
      const server = await start(async (io) => {
        const who = await io.input("who are you? ");
        const assistant = new ConversableAgent(`assistant_${who}`, {
          llm_config: new ScriptedModelClient([`Answer for ${who}.`, `Bye ${who}. TERMINATE`]).llm_config(),
          human_input_mode: "NEVER",
        });
        const user = new ConversableAgent(`user_${who}`, { llm_config: false, human_input_mode: "ALWAYS" });
        // Both chats are running at once: each waits here until the other has started.
        if (++bothAsked.count === 2) bothAsked.all.resolve();
        await bothAsked.all.promise;
        results[who] = await user.initiate_chat(assistant, { message: `Hi from ${who}`, max_turns: 2 });
      });
      const [a, b] = await Promise.all([RecordingClient.connect(server.url), RecordingClient.connect(server.url)]);
      await Promise.all([a.frame("who are you? "), b.frame("who are you? ")]);
      a.send("alice");
      b.send("bob");
      await Promise.all([a.frame(PROMPT("user_alice", "assistant_alice")), b.frame(PROMPT("user_bob", "assistant_bob"))]);
      // Answer bob first: the two chats interleave.
      b.send("more for bob");
      a.send("more for alice");
      await Promise.all([a.closed, b.closed]);
      for (const [client, me, other] of [[a, "alice", "bob"], [b, "bob", "alice"]] as const) {
        const text = client.frames.join("");
        expect(text).toContain(`user_${me} (to assistant_${me}):\n\nHi from ${me}\n`);
        expect(text).toContain(`Bye ${me}. TERMINATE`);
        expect(text).not.toContain(other);
      }
      expect(results.alice.chat_history.map((m) => m.content)).toEqual(["Hi from alice", "Answer for alice.", "more for alice", "Bye alice. TERMINATE"]);
      expect(results.bob.chat_history.map((m) => m.content)).toEqual(["Hi from bob", "Answer for bob.", "more for bob", "Bye bob. TERMINATE"]);
      expect(global.output).toBe("");
    } finally {
      IOStream.set_global_default(saved);
    }
  });
});

describe("the client goes away mid-chat", () => {
  it("while the chat waits for human input: the chat ends with stop_reason aborted, the pending input rejects", async () => {
    const result = deferred<{ chat: ChatResult; events: AG2Event[]; closed: boolean; reason: unknown }>();
    const server = await start(async (io) => {
      const { user, assistant } = pair(["Model answer."]);
      const events: AG2Event[] = [];
      const chat = await user.initiate_chat(assistant, { message: "Hi", on_event: (e) => events.push(e) });
      result.resolve({ chat, events, closed: io.closed, reason: io.signal.reason });
    });
    const client = await RecordingClient.connect(server.url);
    await client.frame(PROMPT("user", "assistant"));
    client.ws.close(4000, "tab closed");
    const { chat, events, closed, reason } = await result.promise;
    expect(chat.stop_reason).toBe("aborted");
    expect(chat.stopped_by).toBeNull();
    expect(chat.chat_history.map((m) => m.content)).toEqual(["Hi", "Model answer."]);
    expect(closed).toBe(true);
    expect(reason).toBeInstanceOf(RuntimeError);
    expect((reason as Error).message).toBe("the websocket connection closed (code 4000)");
    expect(events.find((e) => e.type === "termination")).toMatchObject({
      stop_reason: "aborted",
      reason: "The chat was aborted: the websocket connection closed (code 4000)",
    });
    expect(server.connections).toBe(0);
  });

  it("while a model is answering (it never does): the chat ends aborted; input after the close rejects with AbortError", async () => {
    const result = deferred<{ chat: ChatResult; after: unknown }>();
    const modelCalled = deferred<void>();
    const server = await start(async (io) => {
      const { user, assistant } = pair([
        () => {
          modelCalled.resolve();
          return new Promise<string>(() => {});
        },
      ], "NEVER");
      const chat = await user.initiate_chat(assistant, { message: "Hi" });
      const after = await io.input("anyone? ").catch((err: unknown) => err);
      result.resolve({ chat, after });
    });
    const client = await RecordingClient.connect(server.url);
    await modelCalled.promise;
    client.ws.terminate();
    const { chat, after } = await result.promise;
    expect(chat.stop_reason).toBe("aborted");
    expect(chat.chat_history.map((m) => m.content)).toEqual(["Hi"]);
    expect(after).toBeInstanceOf(AbortError);
    expect((after as Error).message).toBe("The operation was aborted: the websocket connection closed (code 1006)");
  });
});

describe("the server", () => {
  it("close() closes the open connections (code 1001), ends their chats as aborted, waits for on_connect and frees the port", async () => {
    const ended = deferred<string | null>();
    const server = await start(async () => {
      const { user, assistant } = pair(["Model answer."]);
      const chat = await user.initiate_chat(assistant, { message: "Hi" });
      ended.resolve(chat.stop_reason);
    });
    const client = await RecordingClient.connect(server.url);
    await client.frame(PROMPT("user", "assistant"));
    expect(await portTaken(server.port)).toBe(true);
    expect(server.connections).toBe(1);
    let settled = false;
    const closing = server.close().then(() => (settled = true));
    expect(await client.closed).toEqual({ code: 1001, reason: "server closing" });
    await closing;
    expect(settled).toBe(true);
    expect(await ended.promise).toBe("aborted");
    expect(server.connections).toBe(0);
    expect(await portTaken(server.port)).toBe(false);
    // Closing again is a no-op.
    await server.close();
    await expect(RecordingClient.connect(server.url)).rejects.toThrow(/ECONNREFUSED/);
  });

  it("with a body (Python's `with ... as uri`) the server runs for the body and is closed after it", async () => {
    let port = -1;
    const server = await IOWebsockets.run_server_in_thread({ on_connect: (io) => io.print("hi"), port: 0 }, async (uri) => {
      port = Number(new URL(uri).port);
      const client = await RecordingClient.connect(uri);
      await client.closed;
      expect(client.frames).toEqual(["hi\n"]);
    });
    expect(server.port).toBe(port);
    expect(await portTaken(port)).toBe(false);
  });

  it("an on_connect that fails is reported (a warning by default) and the connection closes with 1011", async () => {
    const warnings: string[] = [];
    set_logger((level, message) => warnings.push(`${level}: ${message}`));
    try {
      const server = await start(async (io) => {
        io.print("about to fail");
        throw new ValueError("bad setup");
      });
      const client = await RecordingClient.connect(server.url);
      expect(await client.closed).toEqual({ code: 1011, reason: "on_connect failed" });
      expect(client.frames).toEqual(["about to fail\n"]);
      await server.close();
      expect(warnings).toEqual(["warning: IOWebsockets: on_connect failed: bad setup"]);
    } finally {
      set_logger(null);
    }
    const reported = deferred<unknown>();
    const server = await start(() => Promise.reject(new Error("boom")), { on_error: (err) => reported.resolve(err) });
    const client = await RecordingClient.connect(server.url);
    await client.closed;
    expect(await reported.promise).toEqual(new Error("boom"));
  });

  it("misconfiguration is an error naming the option", async () => {
    const run = (options: unknown) => IOWebsockets.run_server(options as Parameters<typeof IOWebsockets.run_server>[0]);
    await expect(run({ port: 0 })).rejects.toThrow(
      new ValueError("IOWebsockets.run_server: option 'on_connect' is required: a function (iostream) => ... run for each connection."),
    );
    await expect(run({ on_conect: () => {}, port: 0 })).rejects.toThrow("IOWebsockets.run_server: unknown option 'on_conect'. Did you mean 'on_connect'?");
    await expect(run({ on_connect: () => {}, port: "8765" })).rejects.toThrow(
      "IOWebsockets.run_server: option 'port' must be an integer from 0 to 65535, got string.",
    );
    await expect(run({ on_connect: "chat" })).rejects.toThrow("IOWebsockets.run_server: option 'on_connect' must be a function, got string.");
    expect(() => new IOWebsockets({} as never)).toThrow(
      new ValueError("IOWebsockets: websocket must be a WebSocket of the 'ws' package (an object with send() and on())."),
    );
    const server = await start(() => {});
    const taken = run({ on_connect: () => {}, port: server.port });
    await expect(taken).rejects.toThrow(RuntimeError);
    await expect(taken).rejects.toThrow(
      `IOWebsockets.run_server: 127.0.0.1:${server.port} is in use: choose another port (option 'port'; 0 picks a free one).`,
    );
  });
});
