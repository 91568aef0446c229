// Human input without a terminal, ported from AG2's human-in-the-loop example:
//   user_proxy = UserProxyAgent("user_proxy", human_input_mode="ALWAYS", code_execution_config=False)
//   user_proxy.initiate_chat(assistant, message="...")
//
// IOInputProvider prints like the console but takes each answer from a
// function: here a list of canned answers, in a notebook a list or a web form,
// on a server a queue. An empty answer lets the agent auto-reply; "exit" ends the chat.
// With OPENAI_API_KEY set it talks to OpenAI; otherwise a scripted model answers.
import { AssistantAgent, IOInputProvider, IOStream, UserProxyAgent } from "../dist/index.mjs";
import { ScriptedModelClient } from "../dist/testing.mjs";

const llm_config = process.env.OPENAI_API_KEY
  ? { config_list: [{ model: "gpt-4o-mini", api_key: process.env.OPENAI_API_KEY }] }
  : new ScriptedModelClient([
      "The primes below 20 are 2, 3, 5, 7, 11, 13, 17 and 19: 8 of them.",
      "Of the even numbers only 2 is prime; 4, 6, ..., 18 are divisible by 2. The count stays 8.",
    ]).llm_config();

const answers = ["Please double-check the even numbers.", "exit"];
const human = new IOInputProvider((prompt) => answers.shift() ?? "exit");

const assistant = new AssistantAgent("assistant", { llm_config });
const user_proxy = new UserProxyAgent("user_proxy", { human_input_mode: "ALWAYS", code_execution_config: false });

// Scope the provider to this chat (IOStream.set_global_default(human) would set it for everything).
const result = await IOStream.set_default(human, () =>
  user_proxy.initiate_chat(assistant, { message: "How many prime numbers are there below 20?" }),
);
for (const m of result.chat_history) console.log(`${m.name}: ${String(m.content).split("\n")[0]}`);
console.log(`Human turns: ${result.human_input.length}`);
