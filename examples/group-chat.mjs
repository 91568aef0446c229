// A group chat with automatic speaker selection, ported from AG2's group chat example:
//   groupchat = GroupChat(agents=[user, planner, writer], messages=[], max_round=6,
//                         speaker_selection_method="auto")
//   manager = GroupChatManager(groupchat=groupchat, llm_config=llm_config)
//   user.initiate_chat(manager, message="...")
// The manager's model picks the next speaker from the agents' descriptions.
// With OPENAI_API_KEY set it talks to OpenAI; otherwise scripted models answer.
import { AssistantAgent, GroupChat, GroupChatManager, UserProxyAgent } from "../dist/index.mjs";
import { ScriptedModelClient } from "../dist/testing.mjs";

const live = process.env.OPENAI_API_KEY
  ? { config_list: [{ model: "gpt-4o-mini", api_key: process.env.OPENAI_API_KEY }] }
  : null;
const scripted = (...replies) => live ?? new ScriptedModelClient(replies).llm_config();

const planner = new AssistantAgent("planner", {
  description: "Breaks a task into steps.",
  llm_config: scripted("Steps: 1) pick a city 2) describe it in one line."),
});
const writer = new AssistantAgent("writer", {
  description: "Writes the final text.",
  llm_config: scripted("Lisbon: hills, trams and the Atlantic light.\nTERMINATE"),
});
const user = new UserProxyAgent("user", {
  human_input_mode: "NEVER",
  code_execution_config: false,
  description: "The person who asked.",
});

const groupchat = new GroupChat({
  agents: [user, planner, writer],
  messages: [],
  max_round: 6,
  speaker_selection_method: "auto",
});
// The manager's own model answers the "who speaks next?" question.
const manager = new GroupChatManager({
  groupchat,
  llm_config: scripted("planner", "writer"),
  is_termination_msg: (m) => typeof m.content === "string" && m.content.includes("TERMINATE"),
});

const result = await user.initiate_chat(manager, { message: "Describe a European city in one line." });
console.log(`Speakers: ${groupchat.messages.map((m) => m.name).join(" -> ")}`);
console.log(`Summary: ${result.summary}`);
