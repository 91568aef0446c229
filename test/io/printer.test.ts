/**
 * The console layout of received messages (spec 60 §3.1), printed by the
 * receiver through the default IOStream, with colours only when the stream
 * supports them.
 */
import { ConversableAgent, IOStream, subscribe_events, type AG2Event, type ConversableAgentOptions, type Message } from "ag2ts";
import { CapturingIOStream, ScriptedModelClient } from "ag2ts/testing";

const RULE = "-".repeat(80);
const END = `\n${RULE}\n`;
const stars = (title: string) => "*".repeat(title.length);
const green = (text: string) => `\x1b[32m${text}\x1b[0m`;
const yellow = (text: string) => `\x1b[33m${text}\x1b[0m`;

function agents(bobOptions: ConversableAgentOptions = {}) {
  const alice = new ConversableAgent("alice", { llm_config: false, human_input_mode: "NEVER" });
  const bob = new ConversableAgent("bob", { llm_config: false, human_input_mode: "NEVER", ...bobOptions });
  return { alice, bob };
}

/** What bob prints when he receives `message` from alice (no reply requested). */
async function printed(message: Message | string, options: { color?: boolean; bob?: ConversableAgentOptions } = {}) {
  const { alice, bob } = agents(options.bob);
  const io = new CapturingIOStream({ supports_color: options.color ?? false });
  await IOStream.set_default(io, () => bob.receive(message, alice, { request_reply: false }));
  return io.output;
}

describe("received message layout", () => {
  it("text: header, blank line, content, blank line, 80 dashes", async () => {
    expect(await printed("What is 2+2?")).toBe("alice (to bob):\n\nWhat is 2+2?\n\n" + RULE + "\n");
    expect(await printed({ content: "multi\nline" })).toBe("alice (to bob):\n\nmulti\nline\n" + END);
  });

  it("list content is printed through content_str", async () => {
    const message: Message = {
      content: [
        { type: "text", text: "Look at " },
        { type: "image_url", image_url: { url: "https://example.invalid/cat.png" } },
      ],
    };
    expect(await printed(message)).toBe("alice (to bob):\n\nLook at \n<image>\n" + END);
  });

  it("function response: green title, content, green stars of the same length, rule", async () => {
    const title = "***** Response from calling function (get_time) *****";
    expect(await printed({ role: "function", name: "get_time", content: "12:00" })).toBe(
      `alice (to bob):\n\n${title}\n12:00\n${stars(title)}\n` + END,
    );
  });

  it("tool responses: one header, one block and rule per response", async () => {
    const message: Message = {
      role: "tool",
      content: "sunny\n\n13:37",
      tool_responses: [
        { tool_call_id: "call_1", role: "tool", content: "sunny" },
        { tool_call_id: "call_22", role: "tool", content: "13:37" },
      ],
    };
    const t1 = "***** Response from calling tool (call_1) *****";
    const t2 = "***** Response from calling tool (call_22) *****";
    expect(await printed(message)).toBe(`alice (to bob):\n\n${t1}\nsunny\n${stars(t1)}\n` + END + `${t2}\n13:37\n${stars(t2)}\n` + END);
  });

  it("a tool message without tool_responses prints itself; a missing id prints 'No id found'", async () => {
    const t1 = "***** Response from calling tool (call_9) *****";
    expect(await printed({ role: "tool", tool_call_id: "call_9", content: "42" })).toBe(`alice (to bob):\n\n${t1}\n42\n${stars(t1)}\n` + END);
    const t2 = "***** Response from calling tool (No id found) *****";
    expect(await printed({ role: "tool", content: "42" })).toBe(`alice (to bob):\n\n${t2}\n42\n${stars(t2)}\n` + END);
  });

  it("function_call suggestion: content, title, arguments, stars, rule", async () => {
    const title = "***** Suggested function call: add *****";
    expect(await printed({ content: "Let me add.", function_call: { name: "add", arguments: '{"a": 1, "b": 2}' } })).toBe(
      `alice (to bob):\n\nLet me add.\n${title}\nArguments: \n{"a": 1, "b": 2}\n${stars(title)}\n` + END,
    );
    expect(await printed({ content: null, function_call: { name: "add", arguments: "{}" } })).toBe(
      `alice (to bob):\n\n${title}\nArguments: \n{}\n${stars(title)}\n` + END,
    );
  });

  it("function_call without name or arguments prints the placeholders", async () => {
    const title = "***** Suggested function call: (No function name found) *****";
    expect(await printed({ content: null, function_call: {} as Message["function_call"] })).toBe(
      `alice (to bob):\n\n${title}\nArguments: \n(No arguments found)\n${stars(title)}\n` + END,
    );
  });

  it("tool_calls suggestion: one block per call with stars of equal length, then one rule", async () => {
    const message: Message = {
      content: null,
      tool_calls: [
        { id: "call_1", type: "function", function: { name: "weather", arguments: '{"city":"Oslo"}' } },
        { id: "call_22", type: "function", function: { name: "clock", arguments: "{}" } },
      ],
    };
    const t1 = "***** Suggested tool call (call_1): weather *****";
    const t2 = "***** Suggested tool call (call_22): clock *****";
    expect(await printed(message)).toBe(
      `alice (to bob):\n\n${t1}\nArguments: \n{"city":"Oslo"}\n${stars(t1)}\n${t2}\nArguments: \n{}\n${stars(t2)}\n` + END,
    );
  });

  it("tool_calls with content, and a call without id", async () => {
    const message: Message = { content: "Checking.", tool_calls: [{ function: { name: "weather", arguments: "{}" } }] };
    const title = "***** Suggested tool call (No tool call id found): weather *****";
    expect(await printed(message)).toBe(`alice (to bob):\n\nChecking.\n${title}\nArguments: \n{}\n${stars(title)}\n` + END);
  });

  it("tool_responses on a non-tool message print before its content, without rules", async () => {
    const message: Message = {
      role: "user",
      content: "Stop, use Celsius.",
      tool_responses: [
        { tool_call_id: "call_1", role: "tool", content: "USER INTERRUPTED" },
        { tool_call_id: "call_2", role: "tool", content: "USER INTERRUPTED" },
      ],
    };
    const t1 = "***** Response from calling tool (call_1) *****";
    const t2 = "***** Response from calling tool (call_2) *****";
    expect(await printed(message)).toBe(
      `alice (to bob):\n\n${t1}\nUSER INTERRUPTED\n${stars(t1)}\n${t2}\nUSER INTERRUPTED\n${stars(t2)}\nStop, use Celsius.\n` + END,
    );
  });

  it("templated content is resolved with the context, format strings only when the receiver allows them", async () => {
    const allowing = { llm_config: new ScriptedModelClient([]).llm_config({ allow_format_str_template: true }) };
    const message: Message = { content: "Hello {name}, {{literal}}", context: { name: "Ada" } };
    expect(await printed(message, { bob: allowing })).toBe("alice (to bob):\n\nHello Ada, {literal}\n" + END);
    expect(await printed(message)).toBe("alice (to bob):\n\nHello {name}, {{literal}}\n" + END);
    const template: Message = { content: (context: Record<string, unknown>) => `Hi ${String(context.name)}!`, context: { name: "Ada" } };
    expect(await printed(template)).toBe("alice (to bob):\n\nHi Ada!\n" + END);
  });

  it("the sender's allow_format_str_template does not matter", async () => {
    const alice = new ConversableAgent("alice", {
      llm_config: new ScriptedModelClient([]).llm_config({ allow_format_str_template: true }),
      human_input_mode: "NEVER",
    });
    const bob = new ConversableAgent("bob", { llm_config: false, human_input_mode: "NEVER" });
    const io = new CapturingIOStream();
    await IOStream.set_default(io, () => alice.send({ content: "Hello {name}", context: { name: "Ada" } }, bob, { request_reply: false }));
    expect(io.output).toBe("alice (to bob):\n\nHello {name}\n" + END);
  });

  it("silent sends print nothing", async () => {
    const { alice, bob } = agents();
    const io = new CapturingIOStream();
    await IOStream.set_default(io, () => alice.send("quiet", bob, { request_reply: false, silent: true }));
    expect(io.output).toBe("");
    expect(bob.chat_messages.get(alice)).toEqual([{ content: "quiet", role: "user", name: "alice" }]);
  });
});

describe("colours", () => {
  it("colour only the sender name in the header and the green title and star lines", async () => {
    const message: Message = { content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "weather", arguments: "{}" } }] };
    const title = "***** Suggested tool call (call_1): weather *****";
    expect(await printed(message, { color: true })).toBe(
      `${yellow("alice")} (to bob):\n\n${green(title)}\nArguments: \n{}\n${green(stars(title))}\n` + END,
    );
  });

  it("a function response in colour", async () => {
    const title = "***** Response from calling function (f) *****";
    expect(await printed({ role: "function", name: "f", content: "1" }, { color: true })).toBe(
      `${yellow("alice")} (to bob):\n\n${green(title)}\n1\n${green(stars(title))}\n` + END,
    );
  });

  it("no escape codes when the stream does not support colour", async () => {
    const out = await printed({ role: "tool", tool_responses: [{ tool_call_id: "c", role: "tool", content: "x" }], content: "x" });
    expect(out).not.toContain("\x1b[");
  });
});

describe("events and output agree", () => {
  it("a received_message event carries what was printed", async () => {
    const { alice, bob } = agents();
    const events: AG2Event[] = [];
    const io = new CapturingIOStream();
    await IOStream.set_default(io, () =>
      subscribe_events((e) => events.push(e), () => bob.receive({ content: "Hi {x}", context: { x: 1 } }, alice, { request_reply: false })),
    );
    expect(events).toEqual([
      { type: "received_message", sender: "alice", recipient: "bob", message: { content: "Hi {x}", context: { x: 1 }, name: "alice", role: "user" }, content: "Hi {x}", path: [] },
    ]);
    expect(io.output).toBe("alice (to bob):\n\nHi {x}\n" + END);
  });
});
