// A worker of bench/queue.mjs: node bench/queue-worker.mjs <redis url> <queue> <concurrency>
import { AssistantAgent, UserProxyAgent } from "../dist/index.mjs";
import { ScriptedModelClient } from "../dist/testing.mjs";
import { ConversationRegistry, ConversationWorker } from "../dist/queue.mjs";

const [url, queueName, concurrency] = process.argv.slice(2);
const conversations = new ConversationRegistry();
// A 6-message chat (max_turns 3); each model reply takes `latency` ms (0: answered at once).
conversations.register("bench", ({ id, latency }) => {
  const step = (request) => {
    const text = `chat ${id}: reply to ${request.messages.length - 1}`;
    return latency > 0 ? new Promise((resolve) => setTimeout(() => resolve(text), latency)) : text;
  };
  const model = new ScriptedModelClient({ script: [step, step, step] });
  const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config() });
  const user = new UserProxyAgent("user", { human_input_mode: "NEVER", code_execution_config: false, default_auto_reply: "go on" });
  return { sender: user, recipient: assistant, message: `Start chat ${id}.`, max_turns: 3 };
});
const worker = new ConversationWorker({ connection: url, queueName, conversations, concurrency: Number(concurrency) });
await worker.start();
process.stdout.write("ready\n");
process.on("SIGTERM", () => worker.close().then(() => process.exit(0)));
