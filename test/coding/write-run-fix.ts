import { AssistantAgent, IOStream, UserProxyAgent, content_str, type CodeExecutionConfig } from "ag2ts";
import { CapturingIOStream, ScriptedModelClient } from "ag2ts/testing";
import { fence } from "./helpers";

export const TASK = "Print the sum of the numbers 1 to 10.";
export const FAILING = "import sys\nsys.exit('total is not defined yet')";
export const FIXED = "total = sum(range(1, 11))\nprint(total)";
export const REPLIES = [
  "Let me compute it.\n" + fence("python", FAILING),
  "Sorry, here is the fix.\n" + fence("python", FIXED),
  "The sum is 55.\nTERMINATE",
];

/**
 * A scripted assistant writes failing code, the user proxy runs it, the
 * assistant fixes it, the proxy runs it again, and the assistant ends.
 */
export async function writeRunFixChat(code_execution_config: CodeExecutionConfig) {
  const model = new ScriptedModelClient(REPLIES);
  const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config() });
  const proxy = new UserProxyAgent("user_proxy", {
    human_input_mode: "NEVER",
    code_execution_config,
    is_termination_msg: (m) => content_str(m.content as string).trimEnd().endsWith("TERMINATE"),
  });
  const io = new CapturingIOStream();
  const result = await IOStream.set_default(io, () => proxy.initiate_chat(assistant, { message: TASK }));
  return { model, result, output: io.output, proxy };
}
