// A two-agent chat, ported from AG2's getting-started example:
//   assistant = AssistantAgent("assistant", llm_config=llm_config)
//   user_proxy = UserProxyAgent("user_proxy", human_input_mode="NEVER",
//       code_execution_config=False, default_auto_reply="Please continue. Reply TERMINATE when done.")
//   user_proxy.initiate_chat(assistant, message="...", max_turns=3)
//
// With OPENAI_API_KEY set it talks to OpenAI; otherwise a scripted model answers.
import { AssistantAgent, UserProxyAgent } from "../dist/index.mjs";
import { ScriptedModelClient } from "../dist/testing.mjs";

const llm_config = process.env.OPENAI_API_KEY
  ? { config_list: [{ model: "gpt-4o-mini", api_key: process.env.OPENAI_API_KEY }] }
  : new ScriptedModelClient([
      "Plan: count the primes below 20 by trial division.\nThey are 2, 3, 5, 7, 11, 13, 17 and 19.",
      "Double-checking: none of 1, 4, 6, 8, 9, 10, 12, 14, 15, 16, 18 is prime, so the count is 8.",
      "There are 8 prime numbers below 20.\nTERMINATE",
    ]).llm_config();

const assistant = new AssistantAgent("assistant", { llm_config });
const user_proxy = new UserProxyAgent("user_proxy", {
  human_input_mode: "NEVER",
  code_execution_config: false,
  default_auto_reply: "Please continue. Reply TERMINATE when done.",
});

const result = await user_proxy.initiate_chat(assistant, {
  message: "How many prime numbers are there below 20?",
  max_turns: 3,
});
console.log(`Summary: ${result.summary}`);
