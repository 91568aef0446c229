/**
 * IOConsole (spec 60 §2.2, §2.4): colour rules, printing to a real stdout and
 * reading human input from a real stdin, in child `node` processes running
 * the built package.
 */
import { IOConsole } from "ag2ts";
import { distEntry, runNode, runNodeOnTty, runNodeOnTtyTyping } from "./child";

const RULE = "-".repeat(80);
const block = (from: string, to: string, text: string) => `${from} (to ${to}):\n\n${text}\n\n${RULE}\n`;
const yellow = (text: string) => `\x1b[33m${text}\x1b[0m`;

describe("IOConsole.supports_color", () => {
  const saved = { NO_COLOR: process.env.NO_COLOR, FORCE_COLOR: process.env.FORCE_COLOR };
  const savedTTY = Object.getOwnPropertyDescriptor(process.stdout, "isTTY");

  function setup(tty: boolean, env: { NO_COLOR?: string; FORCE_COLOR?: string }): void {
    delete process.env.NO_COLOR;
    delete process.env.FORCE_COLOR;
    Object.assign(process.env, env);
    Object.defineProperty(process.stdout, "isTTY", { value: tty, configurable: true, writable: true });
  }

  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    if (savedTTY) Object.defineProperty(process.stdout, "isTTY", savedTTY);
    else delete (process.stdout as { isTTY?: boolean }).isTTY;
  });

  it.each([
    [true, {}, true],
    [true, { NO_COLOR: "1" }, false],
    [false, {}, false],
    [false, { FORCE_COLOR: "1" }, true],
    [true, { NO_COLOR: "1", FORCE_COLOR: "1" }, true],
    [false, { NO_COLOR: "1" }, false],
  ] as Array<[boolean, { NO_COLOR?: string; FORCE_COLOR?: string }, boolean]>)(
    "stdout TTY %s with env %j -> %s",
    (tty, env, expected) => {
      setup(tty, env);
      expect(new IOConsole().supports_color).toBe(expected);
    },
  );

  it("is read when asked, not fixed at construction", () => {
    setup(false, {});
    const io = new IOConsole();
    expect(io.supports_color).toBe(false);
    process.env.FORCE_COLOR = "1";
    expect(io.supports_color).toBe(true);
  });
});

/** A script that runs a one-turn chat printing to the global IOConsole. */
function chatScript(): string {
  const index = distEntry("index");
  return `
    const { ConversableAgent } = require(${JSON.stringify(index)});
    const alice = new ConversableAgent("alice", { llm_config: false, human_input_mode: "NEVER" });
    const bob = new ConversableAgent("bob", { llm_config: false, human_input_mode: "NEVER", default_auto_reply: "ok" });
    alice.initiate_chat(bob, { message: "hi", max_turns: 1 });
  `;
}

describe("IOConsole output in a child process", () => {
  it("emits ANSI colours on a TTY", async () => {
    const { stdout, code } = await runNodeOnTty(chatScript());
    expect(code).toBe(0);
    expect(stdout).toBe(`${yellow("alice")} (to bob):\n\nhi\n\n${RULE}\n${yellow("bob")} (to alice):\n\nok\n\n${RULE}\n`);
  });

  it("prints plain text on a TTY when NO_COLOR is set", async () => {
    const { stdout, code } = await runNodeOnTty(chatScript(), { env: { NO_COLOR: "1" } });
    expect(code).toBe(0);
    expect(stdout).toBe(block("alice", "bob", "hi") + block("bob", "alice", "ok"));
  });

  it("prints plain text when piped", async () => {
    const { stdout, stderr, code } = await runNode(chatScript());
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toBe(block("alice", "bob", "hi") + block("bob", "alice", "ok"));
  });

  it("emits colours when piped with FORCE_COLOR", async () => {
    const { stdout, code } = await runNode(chatScript(), { env: { FORCE_COLOR: "1" } });
    expect(code).toBe(0);
    expect(stdout).toBe(`${yellow("alice")} (to bob):\n\nhi\n\n${RULE}\n${yellow("bob")} (to alice):\n\nok\n\n${RULE}\n`);
  });
});

describe("IOConsole.input from a real stdin", () => {
  it("writes each prompt and reads one line per call", async () => {
    const index = distEntry("index");
    const script = `
      const { IOStream } = require(${JSON.stringify(index)});
      (async () => {
        const io = IOStream.get_global_default();
        const answers = [await io.input("Name: "), await io.input(""), await io.input("Secret? ", { password: true }), await io.input("", { password: true })];
        process.stderr.write(JSON.stringify(answers));
      })();
    `;
    const { stdout, stderr, code } = await runNode(script, { input: "Ada\n\nhunter2\nlast line\n" });
    expect(code).toBe(0);
    expect(stdout).toBe("Name: Secret? Password: ");
    expect(JSON.parse(stderr)).toEqual(["Ada", "", "hunter2", "last line"]);
  });

  it("throws RuntimeError when stdin has ended", async () => {
    const index = distEntry("index");
    const script = `
      const { IOStream } = require(${JSON.stringify(index)});
      (async () => {
        const io = IOStream.get_global_default();
        const first = await io.input("> ");
        try {
          await io.input("again> ");
          process.stderr.write("no error");
        } catch (err) {
          process.stderr.write(JSON.stringify([first, err.name, err.message]));
        }
      })();
    `;
    const { stdout, stderr, code } = await runNode(script, { input: "only line\n" });
    expect(code).toBe(0);
    expect(stdout).toBe("> again> ");
    expect(JSON.parse(stderr)).toEqual([
      "only line",
      "RuntimeError",
      "No human input available: stdin has ended. In a notebook or a server, set an IOStream that answers input " +
        '(IOStream.set_global_default or IOStream.set_default), or use human_input_mode "NEVER".',
    ]);
  });

  it("answers a chat's human input: the first message and a human reply", async () => {
    const index = distEntry("index");
    const script = `
      const { ConversableAgent } = require(${JSON.stringify(index)});
      const alice = new ConversableAgent("alice", { llm_config: false, human_input_mode: "NEVER" });
      const bob = new ConversableAgent("bob", { llm_config: false, human_input_mode: "ALWAYS" });
      alice.initiate_chat(bob, { message: null, max_turns: 1 }).then((result) => {
        process.stderr.write(JSON.stringify([result.human_input, bob._human_input, result.summary]));
      });
    `;
    const { stdout, stderr, code } = await runNode(script, { input: "hello from stdin\nbob typed this\n" });
    expect(code).toBe(0);
    const bobPrompt =
      "Replying as bob. Give feedback to alice. Press enter to skip and use auto-reply, or type 'exit' to end the conversation: ";
    expect(stdout).toBe(">" + block("alice", "bob", "hello from stdin") + bobPrompt + block("bob", "alice", "bob typed this"));
    expect(JSON.parse(stderr)).toEqual([["hello from stdin"], ["bob typed this"], "bob typed this"]);
  });

  it("does not echo a password typed on a terminal, and applies backspaces", async () => {
    const index = distEntry("index");
    const script = `
      const { IOStream } = require(${JSON.stringify(index)});
      (async () => {
        const io = IOStream.get_global_default();
        const answers = [await io.input("Visible: "), await io.input("", { password: true }), await io.input("Again: ")];
        io.print(JSON.stringify(answers));
        process.exit(0);
      })();
    `;
    const { stdout, code } = await runNodeOnTtyTyping(script, [
      { after: "Visible: ", type: "shown\r" },
      { after: "Password: ", type: "s3x\x7fcret\r" },
      { after: "Again: ", type: "x\r" },
    ]);
    expect(code).toBe(0);
    // The terminal echoes ordinary input; the password is not shown, only the line break after it.
    expect(stdout).toBe('Visible: shown\nPassword: \nAgain: x\n["shown","s3cret","x"]\n');
  });
});
