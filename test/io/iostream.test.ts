/**
 * IOStream (spec 60 §2.1): print formatting, global and scoped defaults.
 */
import { Agent, ConversableAgent, IOConsole, IOStream, type OutputStream } from "ag2ts";
import { CapturingIOStream } from "ag2ts/testing";
import { distEntry, runNode } from "./child";

const RULE = "-".repeat(80);
const block = (from: string, to: string, text: string) => `${from} (to ${to}):\n\n${text}\n\n${RULE}\n`;

/** Every print case of the spec, as [arguments, expected text]. */
const PRINT_CASES: Array<[unknown[], string]> = [
  [["a", "b", { sep: "-" }], "a-b\n"],
  [[{ sep: "x", y: 1 }], '{"sep":"x","y":1}\n'],
  [[{}], "{}\n"],
  [["a", { end: "" }], "a"],
  [["a", "b", { sep: "", end: "!\n", flush: true }], "ab!\n"],
  [["x", { flush: true }], "x\n"],
  [[], "\n"],
  [[1, 2.5, null, undefined, true, false], "1 2.5 None None True False\n"],
  [[[1, "a"], { k: "v", n: null }], '[1,"a"] {"k":"v","n":null}\n'],
  [["only options are last:", { sep: "-" }, "tail"], 'only options are last: {"sep":"-"} tail\n'],
];

describe("print formatting", () => {
  it.each(PRINT_CASES)("CapturingIOStream.print(%j)", (args, expected) => {
    const io = new CapturingIOStream();
    io.print(...args);
    expect(io.output).toBe(expected);
  });

  it("a class instance with a 'sep' field is printed, not taken as options", () => {
    class Options {
      sep = "-";
    }
    const io = new CapturingIOStream();
    io.print("a", new Options());
    expect(io.output).toBe('a {"sep":"-"}\n');
  });

  it("IOConsole.print writes the same text to a real stdout", async () => {
    const index = distEntry("index");
    const script = `
      const { IOStream } = require(${JSON.stringify(index)});
      const cases = ${JSON.stringify(PRINT_CASES.map(([args]) => args))};
      const io = IOStream.get_global_default();
      for (const args of cases) { io.print(...args); io.print("|", { end: "" }); }
    `;
    const { stdout, stderr, code } = await runNode(script);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    // JSON turns undefined into null, which prints as None like undefined does.
    expect(stdout).toBe(PRINT_CASES.map(([, expected]) => expected + "|").join(""));
  });
});

describe("global default", () => {
  it("is an IOConsole after import", () => {
    expect(IOStream.get_global_default()).toBeInstanceOf(IOConsole);
    expect(IOStream.get_default()).toBe(IOStream.get_global_default());
  });

  it("throws RuntimeError when none has been set", () => {
    jest.isolateModules(() => {
      // A fresh copy of the module, before the package entry point sets IOConsole.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fresh = require("../../src/io/base") as typeof import("../../src/io/base");
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const errors = require("../../src/errors") as typeof import("../../src/errors");
      expect(() => fresh.IOStream.get_global_default()).toThrow(errors.RuntimeError);
      expect(() => fresh.IOStream.get_global_default()).toThrow("No global default IOStream has been set");
      expect(() => fresh.IOStream.get_default()).toThrow("No global default IOStream has been set");
    });
  });

  it("set_global_default replaces the stream used outside any scope", async () => {
    const original = IOStream.get_global_default();
    const io = new CapturingIOStream();
    IOStream.set_global_default(io);
    try {
      IOStream.get_default().print("to the new global");
      const scoped = new CapturingIOStream();
      await IOStream.set_default(scoped, () => IOStream.get_default().print("scoped"));
      expect(io.output).toBe("to the new global\n");
      expect(scoped.output).toBe("scoped\n");
    } finally {
      IOStream.set_global_default(original);
    }
    expect(IOStream.get_global_default()).toBe(original);
  });
});

describe("set_default scoping", () => {
  it("applies to everything fn awaits and ends with fn", async () => {
    const outer = new CapturingIOStream();
    const inner = new CapturingIOStream();
    const value = await IOStream.set_default(outer, async () => {
      IOStream.get_default().print("outer 1");
      await IOStream.set_default(inner, async () => {
        await new Promise((r) => setTimeout(r, 5));
        IOStream.get_default().print("inner");
      });
      await Promise.resolve();
      IOStream.get_default().print("outer 2");
      const global = await IOStream.set_default(null, () => IOStream.get_default());
      expect(global).toBe(IOStream.get_global_default());
      return 42;
    });
    expect(value).toBe(42);
    expect(outer.output).toBe("outer 1\nouter 2\n");
    expect(inner.output).toBe("inner\n");
    expect(IOStream.get_default()).toBe(IOStream.get_global_default());
  });

  it("two concurrent chats print to their own streams", async () => {
    // The two chats run in lockstep: each recipient's n-th reply waits until the
    // other chat's recipient has reached its n-th reply too. Run one after the
    // other, they would never finish.
    const arrivals: Record<string, number> = { one: 0, two: 0 };
    let waiting: Array<() => void> = [];
    const changed = () => {
      const wake = waiting;
      waiting = [];
      for (const w of wake) w();
    };
    const waitFor = async (cond: () => boolean) => {
      while (!cond()) await new Promise<void>((r) => waiting.push(r));
    };
    const order: string[] = [];
    function chatPair(prefix: string, other: string) {
      const a = new ConversableAgent(`${prefix}_a`, { llm_config: false, human_input_mode: "NEVER", default_auto_reply: `${prefix} a` });
      const b = new ConversableAgent(`${prefix}_b`, { llm_config: false, human_input_mode: "NEVER" });
      let n = 0;
      b.register_reply([Agent, null], async () => {
        n += 1;
        arrivals[prefix] = n;
        changed();
        await waitFor(() => arrivals[other] >= n);
        order.push(prefix);
        return [true, `${prefix} b ${n}`];
      });
      return { a, b };
    }
    const one = chatPair("one", "two");
    const two = chatPair("two", "one");
    const ioOne = new CapturingIOStream();
    const ioTwo = new CapturingIOStream();
    await Promise.all([
      IOStream.set_default(ioOne, () => one.a.initiate_chat(one.b, { message: "start one", max_turns: 3 })),
      IOStream.set_default(ioTwo, () => two.a.initiate_chat(two.b, { message: "start two", max_turns: 3 })),
    ]);
    expect(arrivals).toEqual({ one: 3, two: 3 });
    expect(order).toHaveLength(6);
    const expected = (p: string) =>
      block(`${p}_a`, `${p}_b`, `start ${p}`) +
      block(`${p}_b`, `${p}_a`, `${p} b 1`) +
      block(`${p}_a`, `${p}_b`, `${p} a`) +
      block(`${p}_b`, `${p}_a`, `${p} b 2`) +
      block(`${p}_a`, `${p}_b`, `${p} a`) +
      block(`${p}_b`, `${p}_a`, `${p} b 3`);
    expect(ioOne.output).toBe(expected("one"));
    expect(ioTwo.output).toBe(expected("two"));
  });

  it("a chat inside set_default is captured while a concurrent chat outside prints to the console", async () => {
    const index = distEntry("index");
    const testing = distEntry("testing");
    const script = `
      const { ConversableAgent, IOStream, Agent } = require(${JSON.stringify(index)});
      const { CapturingIOStream } = require(${JSON.stringify(testing)});
      function pair(p) {
        const a = new ConversableAgent(p + "_a", { llm_config: false, human_input_mode: "NEVER", default_auto_reply: p + " a" });
        const b = new ConversableAgent(p + "_b", { llm_config: false, human_input_mode: "NEVER" });
        b.register_reply([Agent, null], async () => { await new Promise((r) => setTimeout(r, 5)); return [true, p + " b"]; });
        return [a, b];
      }
      (async () => {
        const [ia, ib] = pair("inside");
        const [oa, ob] = pair("outside");
        const io = new CapturingIOStream();
        await Promise.all([
          IOStream.set_default(io, () => ia.initiate_chat(ib, { message: "in", max_turns: 2 })),
          oa.initiate_chat(ob, { message: "out", max_turns: 2 }),
        ]);
        process.stderr.write(io.output);
      })();
    `;
    const { stdout, stderr, code } = await runNode(script);
    expect(code).toBe(0);
    const expected = (p: string, first: string) =>
      block(`${p}_a`, `${p}_b`, first) +
      block(`${p}_b`, `${p}_a`, `${p} b`) +
      block(`${p}_a`, `${p}_b`, `${p} a`) +
      block(`${p}_b`, `${p}_a`, `${p} b`);
    expect(stdout).toBe(expected("outside", "out"));
    expect(stderr).toBe(expected("inside", "in"));
  });
});

describe("input through the IOStream", () => {
  it("an async input is awaited, and the prompt reaches the stream", async () => {
    const prompts: string[] = [];
    const stream: OutputStream & { input(prompt?: string): Promise<string> } = {
      print: () => {},
      input: async (prompt = "") => {
        prompts.push(prompt);
        await new Promise((r) => setTimeout(r, 2));
        return "answer from an async stream";
      },
    };
    const alice = new ConversableAgent("alice", { llm_config: false, human_input_mode: "NEVER" });
    const bob = new ConversableAgent("bob", { llm_config: false, human_input_mode: "NEVER", default_auto_reply: "ok" });
    const result = await IOStream.set_default(stream, () => alice.initiate_chat(bob, { message: null, max_turns: 1 }));
    expect(prompts).toEqual([">"]);
    expect(result.chat_history.map((m) => m.content)).toEqual(["answer from an async stream", "ok"]);
    expect(result.human_input).toEqual(["answer from an async stream"]);
  });
});
