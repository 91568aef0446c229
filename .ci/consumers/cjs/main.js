// A fresh CommonJS project using the packed ag2ts.
const { AssistantAgent, UserProxyAgent, IOStream } = require("ag2ts");
const { ScriptedModelClient, CapturingIOStream } = require("ag2ts/testing");
const { TransformMessages, MessageHistoryLimiter } = require("ag2ts/capabilities");

(async () => {
  const model = new ScriptedModelClient(["Paris.", "Yes, Paris.\nTERMINATE"]);
  const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config() });
  const user = new UserProxyAgent("user", { human_input_mode: "NEVER", code_execution_config: false, default_auto_reply: "Sure?" });
  const io = new CapturingIOStream();
  const result = await IOStream.set_default(io, () => user.initiate_chat(assistant, { message: "Capital of France?", max_turns: 2 }));
  if (result.summary !== "Yes, Paris.\n" || result.chat_history.length !== 4) throw new Error("unexpected result " + result.summary);
  // ag2ts/capabilities: the model sees the last message only; the stored history keeps both.
  const see = (request) => `I see ${request.messages.length - 1} message(s).`;
  const limited = new ScriptedModelClient([see, see]);
  const bot = new AssistantAgent("bot", { llm_config: limited.llm_config() });
  new TransformMessages({ transforms: [new MessageHistoryLimiter({ max_messages: 1 })] }).add_to_agent(bot);
  const again = await IOStream.set_default(io, () => user.initiate_chat(bot, { message: "one", max_turns: 2 }));
  if (again.chat_history[3].content !== "I see 1 message(s).") throw new Error("unexpected capability result " + again.chat_history[3].content);
  console.log("CJS consumer ok");
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
