// Long conversations with TransformMessages, ported from AG2's notebook
// agentchat_transform_messages:
//   context_handling = transform_messages.TransformMessages(transforms=[
//       transforms.MessageHistoryLimiter(max_messages=10),
//       transforms.MessageTokenLimiter(max_tokens=1000, max_tokens_per_message=50, min_tokens=500)])
//   context_handling.add_to_agent(assistant)
//
// A 200-message history is far beyond the model's (here: 1000-token) context
// window; the transforms cut what the model is sent, never the stored history.
// With OPENAI_API_KEY set it talks to OpenAI; otherwise a scripted model with
// a 1000-token context answers, and fails if it is sent more.
import {
  AssistantAgent,
  MessageHistoryLimiter,
  MessageTokenLimiter,
  TransformMessages,
  UserProxyAgent,
  count_token,
  load_token_encoding,
} from "../dist/index.mjs";
import { ScriptedModelClient } from "../dist/testing.mjs";

const CONTEXT_WINDOW = 1000;
// In the ES module build an encoding loads asynchronously, once; then counting is synchronous.
await load_token_encoding("gpt-3.5-turbo");

const smallModel = (request) => {
  const tokens = count_token(request.messages, "gpt-3.5-turbo");
  if (tokens > CONTEXT_WINDOW) throw new Error(`context window exceeded: ${tokens} > ${CONTEXT_WINDOW} tokens`);
  console.log(`Model received: ${request.messages.length} messages, ${tokens} tokens (window ${CONTEXT_WINDOW})`);
  return "The last messages were about message 199: the history is long, but I only need its end.\nTERMINATE";
};
const llm_config = process.env.OPENAI_API_KEY
  ? { config_list: [{ model: "gpt-4o-mini", api_key: process.env.OPENAI_API_KEY }] }
  : new ScriptedModelClient([smallModel]).llm_config();

const assistant = new AssistantAgent("assistant", { llm_config });
const user = new UserProxyAgent("user", { human_input_mode: "NEVER", code_execution_config: false, max_consecutive_auto_reply: 0 });

new TransformMessages({
  transforms: [
    new MessageHistoryLimiter({ max_messages: 10 }),
    new MessageTokenLimiter({ max_tokens: 1000, max_tokens_per_message: 50, min_tokens: 500 }),
  ],
}).add_to_agent(assistant);

// 200 earlier messages, each about 60 tokens.
const filler = "This is a long message that repeats itself to fill the history. ".repeat(5);
for (let i = 0; i < 100; i++) {
  await user.send(`Message ${2 * i}: ${filler}`, assistant, { request_reply: false, silent: true });
  await assistant.send(`Message ${2 * i + 1}: ${filler}`, user, { request_reply: false, silent: true });
}
const history = assistant.chat_messages.get(user);
console.log(`History before the chat: ${history.length} messages, ${count_token(history, "gpt-3.5-turbo")} tokens`);

const result = await user.initiate_chat(assistant, { message: "What were the last messages about?", clear_history: false });
console.log(`Stored history: ${assistant.chat_messages.get(user).length} messages`);
console.log(`Summary: ${result.summary}`);
