// An image question, ported from AG2's multimodal example:
//   image_agent = MultimodalConversableAgent("image-explainer", llm_config=...)
//   user_proxy.initiate_chat(image_agent, message="What's the breed of this dog? <img https://...>")
//
// An <img path_or_url> tag in a message becomes an image part: an http(s) URL
// is sent as it is, a local file is read and sent as a data URI. The printed
// conversation shows <image> where the image is, as in AG2.
// With OPENAI_API_KEY set it talks to OpenAI; otherwise a scripted model answers.
import { MultimodalConversableAgent, UserProxyAgent } from "../dist/index.mjs";
import { ScriptedModelClient } from "../dist/testing.mjs";

const scripted = new ScriptedModelClient(["The dog in the picture is a Golden Retriever."]);
const llm_config = process.env.OPENAI_API_KEY
  ? { config_list: [{ model: "gpt-4o-mini", api_key: process.env.OPENAI_API_KEY }] }
  : scripted.llm_config();

const image_agent = new MultimodalConversableAgent("image-explainer", { llm_config, max_consecutive_auto_reply: 1 });
const user_proxy = new UserProxyAgent("User_proxy", { human_input_mode: "NEVER", code_execution_config: false });

const image = "https://th.bing.com/th/id/R.422068ce8af4e15b0634fe2540adea7a?rik=y4OcXBE%2fqutDOw&pid=ImgRaw&r=0";
await user_proxy.initiate_chat(image_agent, { message: `What's the breed of this dog?\n<img ${image}>`, max_turns: 1 });

const sent = image_agent.chat_messages_get(user_proxy)[0].content;
console.log(`Parts sent: ${sent.map((part) => part.type).join(", ")}`);
