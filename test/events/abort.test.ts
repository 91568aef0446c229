/**
 * Issue #10: cancellation. Aborting ends the run promptly with stop_reason
 * "aborted" and a partial ChatResult; model calls, tools and child
 * processes see the signal and nothing is left running.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { spawn, type ChildProcess } from "node:child_process";
import {
  AbortError,
  Agent,
  ConversableAgent,
  GroupChat,
  GroupChatManager,
  IOStream,
  currentSignal,
  type AG2Event,
  type ChatResult,
} from "ag2ts";
import { CapturingIOStream } from "ag2ts/testing";
import { captured, pairs, plain, scripted } from "./helpers";

const contents = (result: ChatResult) => pairs(result.chat_history).map((p) => p[1]);

/** An OpenAI-compatible server that never answers and records when the client hangs up. */
async function silentServer(): Promise<{ url: string; requests: number; hungUp: Promise<void>; close: () => Promise<void>; server: Server }> {
  let hangUp!: () => void;
  const hungUp = new Promise<void>((resolve) => (hangUp = resolve));
  const state = { requests: 0 };
  const server = createServer((req, res) => {
    state.requests += 1;
    req.resume();
    res.on("close", () => {
      if (!res.writableEnded) hangUp();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    get requests() {
      return state.requests;
    },
    hungUp,
    server,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("abort during a model call", () => {
  it("the real OpenAI client's request is cancelled and the chat resolves as aborted", async () => {
    const fake = await silentServer();
    try {
      const assistant = new ConversableAgent("assistant", {
        llm_config: { config_list: [{ model: "gpt-4o-mini", api_key: "sk-test", base_url: fake.url, max_retries: 0 }] },
        human_input_mode: "NEVER",
      });
      const user = plain("user");
      const controller = new AbortController();
      const events: AG2Event[] = [];
      const chat = captured(() =>
        user.initiate_chat(assistant, {
          message: "Tell me a story.",
          signal: controller.signal,
          on_event: (e) => {
            events.push(e);
            // Abort once the assistant has the message and is asking its model.
            if (e.type === "received_message" && e.recipient === "assistant") setImmediate(() => waitForRequest().then(() => controller.abort()));
          },
        }),
      );
      const waitForRequest = async () => {
        while (fake.requests === 0) await new Promise((r) => setTimeout(r, 5));
      };
      const { result } = await chat;
      await fake.hungUp; // the HTTP request was closed by the client, not answered
      expect(fake.requests).toBe(1);
      expect(result.stop_reason).toBe("aborted");
      expect(result.stopped_by).toBeNull();
      expect(contents(result)).toEqual(["Tell me a story."]);
      expect(events.filter((e) => e.type === "usage")).toEqual([]);
      expect(events.slice(-2).map((e) => e.type)).toEqual(["termination", "chat_end"]);
      expect(events.at(-2)).toEqual({
        type: "termination",
        agent: null,
        stop_reason: "aborted",
        reason: "The chat was aborted",
        path: ["chat:1"],
      });
    } finally {
      await fake.close();
    }
  });

  it("a model client that ignores the signal is abandoned: the chat still ends", async () => {
    let release!: () => void;
    const { agent: assistant, model } = scripted("assistant", [() => new Promise<string>((resolve) => (release = () => resolve("late")))]);
    const user = plain("user");
    const run = user.initiate_chat_stream(assistant, { message: "hi", silent: true });
    for await (const event of run) if (event.type === "received_message") setImmediate(() => run.abort(new Error("user pressed stop")));
    const result = await run.result;
    expect(result.stop_reason).toBe("aborted");
    expect(contents(result)).toEqual(["hi"]);
    expect(model.requests).toHaveLength(1);
    expect(run.events.find((e) => e.type === "termination")).toMatchObject({ reason: "The chat was aborted: user pressed stop" });
    release();
  });

  it("lower-level calls keep rejecting with AbortError: generate_reply with a signal", async () => {
    const { agent } = scripted("assistant", ["never used"]);
    const controller = new AbortController();
    controller.abort();
    await expect(agent.generate_reply({ messages: [{ role: "user", content: "hi" }], signal: controller.signal })).rejects.toThrow(AbortError);
  });
});

describe("abort during a tool call", () => {
  function toolChat(tool: (args: { seconds: number }, context?: { signal?: AbortSignal }) => unknown) {
    const { agent: assistant } = scripted("assistant", [{ tool_calls: [{ id: "call_1", name: "slow", arguments: { seconds: 60 } }] }]);
    const user = plain("user");
    user.register_for_execution({ name: "slow" })(tool);
    return { user, assistant };
  }

  it("the tool gets the chat's signal as its second argument and stops; no tool response is stored", async () => {
    const seen: string[] = [];
    const { user, assistant } = toolChat((_args, context) => {
      seen.push(context?.signal ? "got signal" : "no signal");
      return new Promise((_resolve, reject) => {
        context!.signal!.addEventListener("abort", () => {
          seen.push("tool stopped");
          reject(new Error("stopped"));
        });
      });
    });
    const events: AG2Event[] = [];
    const { result } = await captured(() =>
      user.initiate_chat(assistant, {
        message: "go",
        signal: AbortSignal.timeout(50),
        on_event: (e) => events.push(e),
      }),
    );
    expect(seen).toEqual(["got signal", "tool stopped"]);
    expect(result.stop_reason).toBe("aborted");
    expect(result.chat_history.map((m) => m.tool_calls?.[0].function.name ?? m.content)).toEqual(["go", "slow"]);
    // The abort did not become an "Error: ..." result for the model.
    expect(events.filter((e) => e.type === "function_result")).toEqual([]);
    expect(events.filter((e) => e.type === "execute_function")).toHaveLength(1);
  });

  it("a tool that ignores the signal is abandoned", async () => {
    const { user, assistant } = toolChat(() => new Promise(() => {}));
    const { result } = await captured(() => user.initiate_chat(assistant, { message: "go", signal: AbortSignal.timeout(50) }));
    expect(result.stop_reason).toBe("aborted");
    expect(contents(result)).toEqual(["go", null]);
  });
});

describe("abort during code execution (a child process)", () => {
  // The executors of src/coding take the same signal (currentSignal()); this
  // test runs a real child process from a reply function the same way.
  it("a reply function's child process is killed on abort and the chat ends", async () => {
    let child: ChildProcess | null = null;
    const runner = plain("runner");
    runner.register_reply([Agent, null], () => {
      const signal = currentSignal();
      return new Promise<[boolean, string]>((resolve) => {
        child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
        signal?.addEventListener("abort", () => child!.kill("SIGKILL"), { once: true });
        child.on("exit", (code, sig) => resolve([true, `exit ${code} ${sig}`]));
      });
    });
    const user = plain("user");
    const controller = new AbortController();
    const run = user.initiate_chat_stream(runner, { message: "run it", signal: controller.signal, silent: true });
    for await (const event of run) {
      if (event.type === "received_message" && event.recipient === "runner") {
        const started = (): Promise<unknown> => (child !== null && child.pid !== undefined ? Promise.resolve() : new Promise((r) => setTimeout(r, 5)).then(started));
        void started().then(() => controller.abort());
      }
    }
    const result = await run.result;
    expect(result.stop_reason).toBe("aborted");
    expect(contents(result)).toEqual(["run it"]);
    const proc = child as unknown as ChildProcess;
    const exit = proc.exitCode !== null || proc.signalCode !== null ? [proc.exitCode, proc.signalCode] : await new Promise((r) => proc.on("exit", (c, s) => r([c, s])));
    expect(exit).toEqual([null, "SIGKILL"]);
    expect(() => process.kill(proc.pid as number, 0)).toThrow(expect.objectContaining({ code: "ESRCH" }));
  });
});

describe("abort elsewhere", () => {
  it("while waiting for human input: AbortSignal.timeout ends the wait", async () => {
    // A person who never answers: prints like the capturing stream, input never resolves.
    const capture = new CapturingIOStream();
    const prompts: string[] = [];
    const io = {
      print: capture.print.bind(capture),
      input: (prompt = ""): Promise<string> => {
        prompts.push(prompt);
        return new Promise(() => {});
      },
    };
    const a = plain("a", { human_input_mode: "ALWAYS" });
    const b = plain("b", { default_auto_reply: "hello" });
    const result = await IOStream.set_default(io, () => a.initiate_chat(b, { message: "hi", signal: AbortSignal.timeout(30) }));
    expect(prompts).toEqual([
      "Replying as a. Give feedback to b. Press enter to skip and use auto-reply, or type 'exit' to end the conversation: ",
    ]);
    expect(result.stop_reason).toBe("aborted");
    expect(contents(result)).toEqual(["hi", "hello"]);
    expect(result.human_input).toEqual([]);
  });

  it("a group chat aborted by a member's reply keeps the messages so far", async () => {
    const controller = new AbortController();
    const x = plain("x", { default_auto_reply: "x speaks" });
    const y = plain("y");
    y.register_reply([Agent, null], () => {
      controller.abort();
      return [true, "y never gets to say this"];
    });
    const gc = new GroupChat({ agents: [x, y], messages: [], max_round: 10, speaker_selection_method: "round_robin" });
    const manager = new GroupChatManager({ groupchat: gc, llm_config: false });
    const events: AG2Event[] = [];
    const { result } = await captured(() =>
      plain("me").initiate_chat(manager, { message: "go", signal: controller.signal, on_event: (e) => events.push(e) }),
    );
    expect(pairs(gc.messages).map((p) => p[1])).toEqual(["go", "x speaks"]);
    expect(result.stop_reason).toBe("aborted");
    expect(events.at(-1)).toMatchObject({ type: "chat_end", stop_reason: "aborted", path: ["chat:1"] });
  });

  it("initiate_chats with a signal: the aborted chat ends the queue", async () => {
    const controller = new AbortController();
    const me = plain("me");
    const first = plain("first");
    first.register_reply([Agent, null], () => {
      controller.abort();
      return [true, "first answer"];
    });
    const second = plain("second", { default_auto_reply: "second answer" });
    const { result } = await captured(() =>
      me.initiate_chats(
        [
          { recipient: first, message: "one", max_turns: 2 },
          { recipient: second, message: "two", max_turns: 1 },
        ],
        { signal: controller.signal },
      ),
    );
    expect(result.map((r) => r.stop_reason)).toEqual(["aborted"]);
    expect(contents(result[0])).toEqual(["one"]);
    expect(second.chat_messages.size).toBe(0);
  });

  it("a nested chat aborted by the outer signal: both chats end as aborted", async () => {
    const me = plain("me");
    const writer = plain("writer");
    const critic = plain("critic");
    const run = me.initiate_chat_stream(writer, { message: "draft", max_turns: 1, silent: true });
    critic.register_reply([Agent, null], () => {
      run.abort();
      return [true, "critique"];
    });
    writer.register_nested_chats([{ recipient: critic, max_turns: 1 }], me);
    const result = await run.result;
    expect(result.stop_reason).toBe("aborted");
    expect(run.events.filter((e) => e.type === "chat_end").map((e) => [e.path, e.type === "chat_end" && e.stop_reason])).toEqual([
      [["chat:1", "nested:writer", "chat:2"], "aborted"],
      [["chat:1"], "aborted"],
    ]);
  });
});
