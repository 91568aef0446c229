// A fresh ESM project using the packed ag2ts: type-checked with tsc, run with node and deno.
import { AssistantAgent, UserProxyAgent, IOStream, type ChatResult } from "ag2ts";
import { ScriptedModelClient, CapturingIOStream, type ScriptedRequest } from "ag2ts/testing";
import { TransformMessages, MessageHistoryLimiter } from "ag2ts/capabilities";

const model = new ScriptedModelClient(["Paris.", "Yes, Paris.\nTERMINATE"]);
const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config() });
const user = new UserProxyAgent("user", { human_input_mode: "NEVER", code_execution_config: false, default_auto_reply: "Sure?" });
const io = new CapturingIOStream();
const result: ChatResult = await IOStream.set_default(io, () => user.initiate_chat(assistant, { message: "Capital of France?", max_turns: 2 }));
if (result.summary !== "Yes, Paris.\n" || result.chat_history.length !== 4) {
  throw new Error(`unexpected result: ${JSON.stringify(result.summary)} / ${result.chat_history.length} messages`);
}
if (!io.output.startsWith("user (to assistant):\n\nCapital of France?\n")) throw new Error("unexpected output:\n" + io.output);
// ag2ts/capabilities: the model sees the last message only; the stored history keeps both.
const see = (request: ScriptedRequest) => `I see ${request.messages.length - 1} message(s).`;
const limited = new ScriptedModelClient([see, see]);
const bot = new AssistantAgent("bot", { llm_config: limited.llm_config() });
new TransformMessages({ transforms: [new MessageHistoryLimiter({ max_messages: 1 })] }).add_to_agent(bot);
const again = await IOStream.set_default(io, () => user.initiate_chat(bot, { message: "one", max_turns: 2 }));
if (again.chat_history[3].content !== "I see 1 message(s).") throw new Error(`unexpected capability result ${again.chat_history[3].content}`);
console.log("ESM consumer ok");
