// Sequential chats with carryover, ported from AG2's "sequential chats" example:
//   user.initiate_chats([
//       {"recipient": researcher, "message": "...", "max_turns": 1, "summary_method": "last_msg"},
//       {"recipient": writer, "message": "...", "max_turns": 1, "summary_method": "last_msg"},
//   ])
// The summary of each chat is carried over into the first message of the next.
// With OPENAI_API_KEY set it talks to OpenAI; otherwise scripted models answer.
import { AssistantAgent, UserProxyAgent } from "../dist/index.mjs";
import { ScriptedModelClient } from "../dist/testing.mjs";

const live = process.env.OPENAI_API_KEY
  ? { config_list: [{ model: "gpt-4o-mini", api_key: process.env.OPENAI_API_KEY }] }
  : null;
const scripted = (...replies) => live ?? new ScriptedModelClient(replies).llm_config();

const researcher = new AssistantAgent("researcher", {
  llm_config: scripted("Finding: Node 20 ships fetch, a test runner and AsyncLocalStorage.\nTERMINATE"),
});
const writer = new AssistantAgent("writer", {
  llm_config: scripted("Node 20 brings fetch, a test runner and AsyncLocalStorage out of the box.\nTERMINATE"),
});
const user = new UserProxyAgent("user", {
  human_input_mode: "NEVER",
  code_execution_config: false,
  is_termination_msg: (m) => typeof m.content === "string" && m.content.includes("TERMINATE"),
});

const results = await user.initiate_chats([
  { recipient: researcher, message: "List what Node 20 ships built in.", max_turns: 1, summary_method: "last_msg" },
  {
    recipient: writer,
    message: "Write one sentence for a newsletter.",
    max_turns: 1,
    summary_method: "last_msg",
    carryover: "Audience: backend developers.",
  },
]);

// The writer's first message carried its own carryover and the researcher's summary.
console.log(`Carried over: ${JSON.stringify(results[1].chat_history[0].content)}`);
console.log(`Summaries: ${results.map((r) => JSON.stringify(r.summary)).join(" | ")}`);
