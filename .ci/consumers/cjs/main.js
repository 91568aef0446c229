// A fresh CommonJS project using the packed ag2ts.
const { AssistantAgent, UserProxyAgent, IOStream } = require("ag2ts");
const { ScriptedModelClient, CapturingIOStream } = require("ag2ts/testing");

(async () => {
  const model = new ScriptedModelClient(["Paris.", "Yes, Paris.\nTERMINATE"]);
  const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config() });
  const user = new UserProxyAgent("user", { human_input_mode: "NEVER", code_execution_config: false, default_auto_reply: "Sure?" });
  const io = new CapturingIOStream();
  const result = await IOStream.set_default(io, () => user.initiate_chat(assistant, { message: "Capital of France?", max_turns: 2 }));
  if (result.summary !== "Yes, Paris.\n" || result.chat_history.length !== 4) throw new Error("unexpected result " + result.summary);
  console.log("CJS consumer ok");
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
