// Deno smoke test of the built ESM entry (run by .ci/after.d/25-deno-smoke.sh):
//   deno run -A .ci/deno-smoke.mjs full   a chat, a tool call, and code execution
//                                         (sh and python blocks) in a chat
//   deno run -A --import-map .ci/deno-lazy-imports.json .ci/deno-smoke.mjs lazy
//                                         the import, the chat and the tool call
//                                         with Node-only modules mapped to a
//                                         module that throws when loaded
// Prints one "ok: ..." line per check; any failure throws.
import {
  AssistantAgent,
  IOStream,
  LocalCommandLineCodeExecutor,
  UserProxyAgent,
  register_function,
} from "../dist/index.mjs";
import { CapturingIOStream, ScriptedModelClient } from "../dist/testing.mjs";

const mode = Deno.args[0];
if (mode !== "full" && mode !== "lazy") throw new Error("usage: deno-smoke.mjs full|lazy");

function expectEqual(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
  console.log(`ok: ${what}`);
}
const quiet = (fn) => IOStream.set_default(new CapturingIOStream(), fn);
const endsWithTerminate = (m) => typeof m.content === "string" && m.content.trimEnd().endsWith("TERMINATE");

// 1. A two-agent chat.
{
  const model = new ScriptedModelClient(["2 + 2 = 4.\nTERMINATE"]);
  const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config() });
  const user = new UserProxyAgent("user", { human_input_mode: "NEVER", code_execution_config: false });
  const io = new CapturingIOStream();
  const result = await IOStream.set_default(io, () => user.initiate_chat(assistant, { message: "What is 2 + 2?", max_turns: 1 }));
  expectEqual(result.summary, "2 + 2 = 4.\n", "chat summary");
  expectEqual(
    result.chat_history.map((m) => [m.role, m.name, m.content]),
    [
      ["assistant", "user", "What is 2 + 2?"],
      ["user", "assistant", "2 + 2 = 4.\nTERMINATE"],
    ],
    "chat history",
  );
  if (!io.output.includes("user (to assistant):")) throw new Error("chat output lacks the 'user (to assistant):' header");
  model.assert_consumed();
}

// 2. A tool call with a JSON schema, validated and executed.
{
  const model = new ScriptedModelClient([
    { tool_calls: [{ name: "add", arguments: { a: 2, b: 40 } }] },
    "The sum is 42.\nTERMINATE",
  ]);
  const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config() });
  const user = new UserProxyAgent("user", {
    human_input_mode: "NEVER",
    code_execution_config: false,
    is_termination_msg: endsWithTerminate,
  });
  register_function(({ a, b }) => a + b, {
    caller: assistant,
    executor: user,
    name: "add",
    description: "Add two numbers.",
    parameters: {
      type: "object",
      properties: { a: { type: "number" }, b: { type: "number" } },
      required: ["a", "b"],
    },
  });
  const result = await quiet(() => user.initiate_chat(assistant, { message: "Add 2 and 40." }));
  const tool = result.chat_history.find((m) => m.role === "tool");
  expectEqual(tool?.content, "42", "tool call result");
  expectEqual(model.requests.length, 2, "tool chat model requests");
}

if (mode === "lazy") {
  // The import map really is in force: loading a trapped module throws.
  let trapped = false;
  try {
    await import("node:child_process");
  } catch (e) {
    trapped = String(e?.message).includes("Node-only module eagerly");
  }
  if (!trapped) throw new Error("the import map did not trap node:child_process: run with --import-map .ci/deno-lazy-imports.json");
  console.log("ok: import, chat and tool call loaded no Node-only module");
} else {
  // 3. Code execution in a chat: a failing python block, then sh and python blocks that succeed.
  const work_dir = await Deno.makeTempDir({ prefix: "ag2ts-deno-" });
  try {
    const model = new ScriptedModelClient([
      "```python\nprint(undefined_name)\n```",
      "```sh\necho from-sh\n```\n```python\nprint(sum(range(10)))\n```",
      "Done.\nTERMINATE",
    ]);
    const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config() });
    const user = new UserProxyAgent("user", {
      human_input_mode: "NEVER",
      code_execution_config: { executor: new LocalCommandLineCodeExecutor({ work_dir, timeout: 30 }) },
      is_termination_msg: endsWithTerminate,
    });
    const result = await quiet(() => user.initiate_chat(assistant, { message: "Run some code." }));
    const runs = result.chat_history.filter((m) => String(m.content).startsWith("exitcode:"));
    expectEqual(runs.length, 2, "code execution replies");
    if (!/^exitcode: 1 \(execution failed\)\nCode output: [^]*NameError: name 'undefined_name' is not defined/.test(runs[0].content)) {
      throw new Error(`failing python block: unexpected reply ${JSON.stringify(runs[0].content)}`);
    }
    console.log("ok: failing python block reports exit code 1 and the traceback");
    expectEqual(runs[1].content, "exitcode: 0 (execution succeeded)\nCode output: from-sh\n45\n", "sh and python blocks");
  } finally {
    await Deno.remove(work_dir, { recursive: true });
  }
}
console.log(`deno smoke (${mode}) ok`);
