/**
 * The benchmark scenarios (issue 9), run against the built package.
 * Each scenario builds fresh agents, runs the chat (timed), then checks that
 * it did the expected work: the message count and the number of model calls.
 * A scenario whose counts are wrong throws instead of reporting a figure.
 */

/** @typedef {{ messages: number, llm_calls: number, ms: number }} RunResult */

export class CountMismatch extends Error {}

function check(scenario, what, actual, expected) {
  if (actual !== expected) {
    throw new CountMismatch(`${scenario}: expected ${expected} ${what}, got ${actual}; the bench is not measuring the intended work.`);
  }
}

const BIG = 1_000_000_000;
/** CPU time (user + system) of this process since `start`, in ms: less disturbed by other processes than wall time. */
const cpuMs = (start) => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};
// request_count, not requests.length: reading `requests` copies every recorded request.
const calls = (models) => models.reduce((sum, m) => sum + m.request_count, 0);
const consumed = (models) => models.forEach((m) => m.assert_consumed());

/**
 * S1: two ConversableAgents in NEVER mode; the recipient answers from a
 * scripted model, the sender with its default_auto_reply. `messages` must be even.
 */
export async function S1(lib, testing, { messages = 1000 } = {}) {
  const { ConversableAgent } = lib;
  const turns = messages / 2;
  const script = Array.from({ length: turns }, (_, i) => `Answer number ${i}: the framework keeps talking.`);
  const model = new testing.ScriptedModelClient(script);
  const user = new ConversableAgent("user", {
    llm_config: false,
    human_input_mode: "NEVER",
    default_auto_reply: "Please go on.",
    max_consecutive_auto_reply: BIG,
  });
  const assistant = new ConversableAgent("assistant", {
    llm_config: model.llm_config(),
    human_input_mode: "NEVER",
    max_consecutive_auto_reply: BIG,
  });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await user.initiate_chat(assistant, { message: "Let us start.", max_turns: turns, silent: true });
  const ms = performance.now() - t0;
  const cpu_ms = cpuMs(c0);
  check("S1", "messages", result.chat_history.length, messages);
  check("S1", "model calls", calls([model]), turns);
  consumed([model]);
  return { messages: result.chat_history.length, llm_calls: calls([model]), ms, cpu_ms };
}

/** S2: GroupChat round_robin, 8 agents on scripted models, max_round 400. */
export async function S2(lib, testing, { rounds = 400, agents: n = 8 } = {}) {
  const { ConversableAgent, GroupChat, GroupChatManager } = lib;
  // Agent 0 opens; round i (1..rounds-1) is spoken by agent i % n.
  const counts = Array.from({ length: n }, () => 0);
  for (let i = 1; i < rounds; i++) counts[i % n] += 1;
  const models = counts.map((count, k) =>
    new testing.ScriptedModelClient(Array.from({ length: count }, (_, j) => `Agent ${k} says thing ${j}.`)),
  );
  const agents = models.map(
    (model, k) =>
      new ConversableAgent(`agent_${k}`, {
        llm_config: model.llm_config(),
        human_input_mode: "NEVER",
        max_consecutive_auto_reply: BIG,
        description: `Member number ${k}.`,
      }),
  );
  const gc = new GroupChat({ agents, messages: [], max_round: rounds, speaker_selection_method: "round_robin" });
  const manager = new GroupChatManager({ groupchat: gc, llm_config: false, silent: true });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await agents[0].initiate_chat(manager, { message: "Round robin, everyone.", silent: true });
  const ms = performance.now() - t0;
  const cpu_ms = cpuMs(c0);
  check("S2", "messages", gc.messages.length, rounds);
  check("S2", "model calls", calls(models), rounds - 1);
  consumed(models);
  return { messages: gc.messages.length, llm_calls: calls(models), ms, cpu_ms };
}

/** S3: GroupChat "auto", 4 agents, a scripted selector names the next agent, max_round 100. */
export async function S3(lib, testing, { rounds = 100, agents: n = 4 } = {}) {
  const { ConversableAgent, GroupChat, GroupChatManager } = lib;
  const names = Array.from({ length: n }, (_, k) => `agent_${k}`);
  // Selection i (1..rounds-1) picks agent i % n; agent 0 opens the chat.
  const picks = Array.from({ length: rounds - 1 }, (_, i) => (i + 1) % n);
  const selector = new testing.ScriptedModelClient(picks.map((k) => names[k]));
  const counts = Array.from({ length: n }, () => 0);
  for (const k of picks) counts[k] += 1;
  const models = counts.map((count, k) =>
    new testing.ScriptedModelClient(Array.from({ length: count }, (_, j) => `Agent ${k} has point ${j}.`)),
  );
  const agents = models.map(
    (model, k) =>
      new ConversableAgent(names[k], {
        llm_config: model.llm_config(),
        human_input_mode: "NEVER",
        max_consecutive_auto_reply: BIG,
        description: `Specialist number ${k}.`,
      }),
  );
  const gc = new GroupChat({ agents, messages: [], max_round: rounds, speaker_selection_method: "auto" });
  const manager = new GroupChatManager({ groupchat: gc, llm_config: selector.llm_config(), silent: true });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await agents[0].initiate_chat(manager, { message: "Pick whoever fits.", silent: true });
  const ms = performance.now() - t0;
  const cpu_ms = cpuMs(c0);
  check("S3", "messages", gc.messages.length, rounds);
  check("S3", "model calls", calls([selector, ...models]), 2 * (rounds - 1));
  consumed([selector, ...models]);
  for (let i = 1; i < rounds; i++) check("S3", `speaker of round ${i}`, gc.messages[i].name, names[picks[i - 1]]);
  return { messages: gc.messages.length, llm_calls: calls([selector, ...models]), ms, cpu_ms };
}

/** S4: tool loop; the scripted model issues one tool call per turn, the executor runs it. */
export async function S4(lib, testing, { tool_calls = 200 } = {}) {
  const { ConversableAgent } = lib;
  const script = Array.from({ length: tool_calls }, (_, i) => ({ tool_calls: [{ name: "add", arguments: { a: i, b: 1 } }] }));
  script.push("TERMINATE");
  const model = new testing.ScriptedModelClient(script);
  let executed = 0;
  const executor = new ConversableAgent("executor", {
    llm_config: false,
    human_input_mode: "NEVER",
    max_consecutive_auto_reply: BIG,
    function_map: {
      add: ({ a, b }) => {
        executed += 1;
        return a + b;
      },
    },
  });
  const assistant = new ConversableAgent("assistant", {
    llm_config: model.llm_config(),
    human_input_mode: "NEVER",
    max_consecutive_auto_reply: BIG,
  });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await executor.initiate_chat(assistant, { message: "Add numbers with the tool.", silent: true });
  const ms = performance.now() - t0;
  const cpu_ms = cpuMs(c0);
  const history = result.chat_history;
  check("S4", "messages", history.length, 2 * tool_calls + 2);
  check("S4", "model calls", calls([model]), tool_calls + 1);
  check("S4", "tool executions", executed, tool_calls);
  check("S4", "last tool result", history.at(-2).content, String(tool_calls));
  consumed([model]);
  return { messages: history.length, llm_calls: calls([model]), ms, cpu_ms };
}

/** S5: initiate_chats with 50 two-turn chats, carryover, summary last_msg. */
export async function S5(lib, testing, { chats = 50 } = {}) {
  const { ConversableAgent } = lib;
  const model = new testing.ScriptedModelClient(
    Array.from({ length: 2 * chats }, (_, i) => `Result ${i >> 1}.${i & 1}: done.`),
  );
  const user = new ConversableAgent("user", {
    llm_config: false,
    human_input_mode: "NEVER",
    default_auto_reply: "Thanks, anything else?",
    max_consecutive_auto_reply: BIG,
  });
  const assistant = new ConversableAgent("assistant", {
    llm_config: model.llm_config(),
    human_input_mode: "NEVER",
    max_consecutive_auto_reply: BIG,
  });
  const queue = Array.from({ length: chats }, (_, i) => ({
    recipient: assistant,
    message: `Task ${i}: do the next step.`,
    max_turns: 2,
    summary_method: "last_msg",
    carryover: i === 0 ? "Start from a clean slate." : undefined,
    silent: true,
  }));
  for (const entry of queue) if (entry.carryover === undefined) delete entry.carryover;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const results = await user.initiate_chats(queue);
  const ms = performance.now() - t0;
  const cpu_ms = cpuMs(c0);
  const messages = results.reduce((sum, r) => sum + r.chat_history.length, 0);
  check("S5", "chats", results.length, chats);
  check("S5", "messages", messages, 4 * chats);
  check("S5", "model calls", calls([model]), 2 * chats);
  check("S5", "last summary", results.at(-1).summary, `Result ${chats - 1}.1: done.`);
  // The carryover of every earlier chat reaches the last chat's first message.
  const first = String(results.at(-1).chat_history[0].content);
  check("S5", "carried-over summaries in the last chat", first.split(": done.").length - 1, chats - 1);
  consumed([model]);
  return { messages, llm_calls: calls([model]), ms, cpu_ms };
}

export const SCENARIOS = { S1, S2, S3, S4, S5 };
