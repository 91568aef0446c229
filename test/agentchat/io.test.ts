import { execFile } from "node:child_process";
import * as path from "node:path";
import { AssistantAgent, ConversableAgent, IOStream } from "ag2ts";
import { CapturingIOStream, ScriptedModelClient } from "ag2ts/testing";
import { block, capture } from "./helpers";

function runFixture(stdin: string): Promise<string> {
  const root = path.resolve(__dirname, "../..");
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ["-r", "ts-node/register", path.join(__dirname, "fixtures/console-input.ts")],
      { cwd: root, env: { ...process.env, TS_NODE_PROJECT: path.join(root, "tsconfig.test.json"), TS_NODE_TRANSPILE_ONLY: "1" } },
      (err, stdout) => (err ? reject(err) : resolve(stdout)),
    );
    child.stdin?.end(stdin);
  });
}

describe("IOConsole human input (spec 10 §12)", () => {
  it("reads one line per prompt from stdin and throws RuntimeError at end of input", async () => {
    const out = await runFixture("yes\n\n");
    expect(out).toBe(
      'first? [got "yes"]\n' +
        'second? [got ""]\n' +
        "third? [RuntimeError: No human input available: stdin has ended. In a notebook or a server, set an IOStream that " +
        'answers input (IOStream.set_global_default or IOStream.set_default), or use human_input_mode "NEVER".]\n',
    );
  });
});

describe("IOStream defaults", () => {
  it("two concurrent chats print to their own scoped streams", async () => {
    async function chat(tag: string) {
      const model = new ScriptedModelClient([`${tag} reply`]);
      const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config() });
      const user = new ConversableAgent("user", { human_input_mode: "NEVER", max_consecutive_auto_reply: 0 });
      return capture(() => user.initiate_chat(assistant, { message: `${tag} question` }));
    }
    const [one, two] = await Promise.all([chat("one"), chat("two")]);
    expect(one.io.output).toBe(block("user", "assistant", "one question") + block("assistant", "user", "one reply"));
    expect(two.io.output).toBe(block("user", "assistant", "two question") + block("assistant", "user", "two reply"));
  });

  it("the global default is used outside a scope", async () => {
    const previous = IOStream.get_global_default();
    const io = new CapturingIOStream();
    IOStream.set_global_default(io);
    try {
      const a = new ConversableAgent("a");
      const b = new ConversableAgent("b");
      await a.send("global", b);
      a.print_usage_summary();
    } finally {
      IOStream.set_global_default(previous);
    }
    expect(io.output).toBe(block("a", "b", "global") + "No cost incurred from agent 'a'.\n");
  });
});

describe("printing received messages", () => {
  it("colours the sender name yellow on a colour stream", async () => {
    const a = new ConversableAgent("a");
    const b = new ConversableAgent("b");
    const { io } = await capture(() => a.send("hi", b), [], true);
    expect(io.output).toBe(`\x1b[33ma\x1b[0m (to b):\n\nhi\n\n${"-".repeat(80)}\n`);
  });

  it("resolves templated content with the message context", async () => {
    const a = new ConversableAgent("a");
    const b = new ConversableAgent("b");
    const template = (context: Record<string, unknown>) => `Hello ${String(context.who)}`;
    const { io } = await capture(() => a.send({ content: template, context: { who: "Ann" } }, b));
    expect(io.output).toBe(block("a", "b", "Hello Ann"));
    const stored = b.chat_messages.get(a)?.[0];
    expect(stored?.content).toBe(template);
    expect(stored?.context).toEqual({ who: "Ann" });
  });

  it("formats a string template only when the receiver allows format-string templates", async () => {
    const model = new ScriptedModelClient([]);
    const a = new ConversableAgent("a");
    const strict = new ConversableAgent("strict");
    const allowing = new ConversableAgent("allowing", { llm_config: model.llm_config({ allow_format_str_template: true }) });
    const message = { content: "Hi {who}", context: { who: "Bo" } };
    const { io } = await capture(async () => {
      await a.send(message, strict);
      await a.send(message, allowing);
    });
    expect(io.output).toBe(block("a", "strict", "Hi {who}") + block("a", "allowing", "Hi Bo"));
  });
});
