// A two-agent coding chat with local code execution, ported from AG2's
// "code executors" getting-started example:
//   executor = LocalCommandLineCodeExecutor(timeout=30, work_dir=work_dir)
//   assistant = AssistantAgent("assistant", llm_config=llm_config)
//   user_proxy = UserProxyAgent("user_proxy", human_input_mode="NEVER",
//       code_execution_config={"executor": executor},
//       is_termination_msg=lambda m: m.get("content", "").rstrip().endswith("TERMINATE"))
//   user_proxy.initiate_chat(assistant, message="...")
//
// The assistant writes Python; the user proxy runs it with python3 in a
// temporary folder and sends back the exit code and output.
// With OPENAI_API_KEY set it talks to OpenAI; otherwise a scripted model answers.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AssistantAgent, LocalCommandLineCodeExecutor, UserProxyAgent } from "../dist/index.mjs";
import { ScriptedModelClient } from "../dist/testing.mjs";

const llm_config = process.env.OPENAI_API_KEY
  ? { config_list: [{ model: "gpt-4o-mini", api_key: process.env.OPENAI_API_KEY }] }
  : new ScriptedModelClient([
      "```python\nprimes = [n for n in range(2, 20) if all(n % d for d in range(2, n))]\nprint(len(prime))\n```",
      "Typo in the variable name; fixed:\n```python\nprimes = [n for n in range(2, 20) if all(n % d for d in range(2, n))]\nprint(len(primes), primes)\n```",
      "There are 8 primes below 20.\nTERMINATE",
    ]).llm_config();

const work_dir = mkdtempSync(join(tmpdir(), "ag2ts-example-"));
const executor = new LocalCommandLineCodeExecutor({ work_dir, timeout: 30 });
const assistant = new AssistantAgent("assistant", { llm_config });
const user_proxy = new UserProxyAgent("user_proxy", {
  human_input_mode: "NEVER",
  code_execution_config: { executor },
  is_termination_msg: (m) => typeof m.content === "string" && m.content.trimEnd().endsWith("TERMINATE"),
});

try {
  const result = await user_proxy.initiate_chat(assistant, {
    message: "How many primes are below 20? Compute it with Python.",
  });
  const runs = result.chat_history.filter((m) => String(m.content).startsWith("exitcode:"));
  console.log(`Code runs: ${runs.map((m) => String(m.content).split("\n")[0]).join(" | ")}`);
  console.log(`Summary: ${result.summary}`);
} finally {
  rmSync(work_dir, { recursive: true, force: true });
}
