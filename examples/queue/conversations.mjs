// The fleet's conversations, imported by every worker and by the web server
// (which checks names at start). Scripted models answer, so no key is needed.
import { AssistantAgent, UserProxyAgent } from "../../dist/index.mjs";
import { ScriptedModelClient } from "../../dist/testing.mjs";
import { ConversationRegistry } from "../../dist/queue.mjs";

export const conversations = new ConversationRegistry();

const isDone = (m) => typeof m.content === "string" && m.content.endsWith("TERMINATE");

// A short research chat: three answers, the last one ends it.
conversations.register("research", ({ topic }, context) => {
  const step = (request) => {
    const n = request.messages.filter((m) => m.role === "assistant").length + 1;
    return new Promise((resolve) => setTimeout(resolve, 300).unref()).then(() =>
      n < 3 ? `Point ${n} about ${topic}.` : `Point ${n} about ${topic}. That is all.\nTERMINATE`,
    );
  };
  const model = new ScriptedModelClient({ script: [step, step, step] });
  const assistant = new AssistantAgent("researcher", { llm_config: model.llm_config() });
  const user = new UserProxyAgent("user", { human_input_mode: "NEVER", code_execution_config: false, default_auto_reply: "Go on.", is_termination_msg: isDone });
  return { sender: user, recipient: assistant, message: `Tell me about ${topic}.`, cache: context.cache };
});

// A person answers when the assistant is done (human_input_mode "TERMINATE"): the run waits without holding a worker.
conversations.register("support", ({ topic }) => {
  const step = (request) => `About ${topic}: ${String(request.messages.at(-1)?.content ?? "")} -- anything else?\nTERMINATE`;
  const model = new ScriptedModelClient({ script: Array.from({ length: 20 }, () => step) });
  const assistant = new AssistantAgent("support", { llm_config: model.llm_config() });
  const user = new UserProxyAgent("customer", { human_input_mode: "TERMINATE", code_execution_config: false, is_termination_msg: isDone });
  return { sender: user, recipient: assistant, message: `I need help with ${topic}.` };
});
