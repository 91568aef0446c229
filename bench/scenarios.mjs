/**
 * The benchmark scenarios (issues 9, 14/15), run against the built package
 * with one of the model clients of clients.mjs. Each scenario builds fresh
 * agents (untimed), runs the chat (timed), then checks that it did the
 * intended work: message and model-call counts, every script consumed, and
 * a content check. A scenario whose checks fail throws instead of reporting.
 *
 * Every model reply, default auto-reply, system message and opening message
 * is 80 characters (text80), except S4's tool calls and its final "TERMINATE".
 */

/** @typedef {{ messages: number, llm_calls: number, ms: number, cpu_ms: number }} RunResult */

export class CountMismatch extends Error {}

function check(scenario, what, actual, expected) {
  if (actual !== expected) {
    throw new CountMismatch(
      `${scenario}: expected ${expected} ${what}, got ${actual}; the bench is not measuring the intended work.`,
    );
  }
}

const FILLER = " and the framework keeps the conversation going at a steady pace, one message after another";

/** `head` padded (or cut) to exactly 80 characters. The filler names no agent and says no TERMINATE. */
export function text80(head) {
  if (head.length > 70) throw new Error(`text80: head too long: ${head}`);
  return (head + FILLER).slice(0, 80);
}

const BIG = 1_000_000_000;
/** CPU time (user + system) of this process since `start`, in ms. */
const cpuMs = (start) => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};
const calls = (models) => models.reduce((sum, m) => sum + m.request_count, 0);
const consumed = (models) => models.forEach((m) => m.assert_consumed());
/** Times `fn` (the chat) between env.ready() and env.done(). */
async function timed(env, fn) {
  await env.ready();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  const cpu_ms = cpuMs(c0);
  await env.done();
  return { value, ms, cpu_ms };
}

/**
 * S1: two ConversableAgents in NEVER mode; the recipient answers from its
 * model, the sender with its default_auto_reply. `messages` must be even.
 */
export async function S1(lib, env, { messages = 1000 } = {}) {
  const { ConversableAgent } = lib;
  const turns = messages / 2;
  const script = Array.from({ length: turns }, (_, i) => text80(`Answer number ${i}:`));
  const model = env.model("assistant", script);
  const user = new ConversableAgent("user", {
    llm_config: false,
    human_input_mode: "NEVER",
    default_auto_reply: text80("Please go on."),
    max_consecutive_auto_reply: BIG,
  });
  const assistant = new ConversableAgent("assistant", {
    llm_config: model.llm_config,
    human_input_mode: "NEVER",
    max_consecutive_auto_reply: BIG,
  });
  model.register(assistant);
  const { value: result, ms, cpu_ms } = await timed(env, () =>
    user.initiate_chat(assistant, { message: text80("Let us start."), max_turns: turns, silent: true }),
  );
  check("S1", "messages", result.chat_history.length, messages);
  check("S1", "model calls", calls([model]), turns);
  consumed([model]);
  check("S1", "last reply", result.chat_history.at(-1).content, script.at(-1));
  return { messages: result.chat_history.length, llm_calls: calls([model]), ms, cpu_ms };
}

/** S2: GroupChat round_robin, 8 agents with system messages, each on its own model, max_round 400. */
export async function S2(lib, env, { rounds = 400, agents: n = 8 } = {}) {
  const { ConversableAgent, GroupChat, GroupChatManager } = lib;
  // Agent 0 opens; round i (1..rounds-1) is spoken by agent i % n.
  const counts = Array.from({ length: n }, () => 0);
  for (let i = 1; i < rounds; i++) counts[i % n] += 1;
  const scripts = counts.map((count, k) => Array.from({ length: count }, (_, j) => text80(`Agent ${k} says thing ${j}.`)));
  const models = scripts.map((script, k) => env.model(`agent_${k}`, script));
  const agents = models.map((model, k) => {
    const agent = new ConversableAgent(`agent_${k}`, {
      system_message: text80(`You are panel member number ${k}; speak when it is your turn.`),
      llm_config: model.llm_config,
      human_input_mode: "NEVER",
      max_consecutive_auto_reply: BIG,
    });
    model.register(agent);
    return agent;
  });
  const gc = new GroupChat({ agents, messages: [], max_round: rounds, speaker_selection_method: "round_robin" });
  const manager = new GroupChatManager({ groupchat: gc, llm_config: false, silent: true });
  const { ms, cpu_ms } = await timed(env, () =>
    agents[0].initiate_chat(manager, { message: text80("Round robin, everyone."), silent: true }),
  );
  check("S2", "messages", gc.messages.length, rounds);
  check("S2", "model calls", calls(models), rounds - 1);
  consumed(models);
  const lastSpeaker = (rounds - 1) % n;
  check("S2", "last message", gc.messages.at(-1).content, scripts[lastSpeaker].at(-1));
  check("S2", "last speaker", gc.messages.at(-1).name, `agent_${lastSpeaker}`);
  return { messages: gc.messages.length, llm_calls: calls(models), ms, cpu_ms };
}

/**
 * S3: GroupChat "auto", 4 agents, max_round 100. The selector is configured
 * on the GroupChat (select_speaker_auto_llm_config, plus
 * select_speaker_auto_model_client_cls for the custom and scripted clients);
 * its replies name the next agent in an 80-character sentence.
 */
export async function S3(lib, env, { rounds = 100, agents: n = 4 } = {}) {
  const { ConversableAgent, GroupChat, GroupChatManager } = lib;
  const names = Array.from({ length: n }, (_, k) => `agent_${k}`);
  // Selection i (1..rounds-1) picks agent i % n; agent 0 opens the chat.
  const picks = Array.from({ length: rounds - 1 }, (_, i) => (i + 1) % n);
  const selector = env.selector("selector", picks.map((k) => text80(`The next speaker should be ${names[k]}.`)));
  const counts = Array.from({ length: n }, () => 0);
  for (const k of picks) counts[k] += 1;
  const scripts = counts.map((count, k) => Array.from({ length: count }, (_, j) => text80(`Agent ${k} has point ${j}.`)));
  const models = scripts.map((script, k) => env.model(names[k], script));
  const agents = models.map((model, k) => {
    const agent = new ConversableAgent(names[k], {
      llm_config: model.llm_config,
      human_input_mode: "NEVER",
      max_consecutive_auto_reply: BIG,
      description: text80(`Specialist number ${k}, who answers questions of kind ${k}.`),
    });
    model.register(agent);
    return agent;
  });
  const gc = new GroupChat({
    agents,
    messages: [],
    max_round: rounds,
    speaker_selection_method: "auto",
    ...selector.groupchat,
  });
  const manager = new GroupChatManager({ groupchat: gc, llm_config: false, silent: true });
  const { ms, cpu_ms } = await timed(env, () =>
    agents[0].initiate_chat(manager, { message: text80("Pick whoever fits."), silent: true }),
  );
  const all = [selector.handle, ...models];
  check("S3", "messages", gc.messages.length, rounds);
  check("S3", "selector calls", selector.handle.request_count, rounds - 1);
  check("S3", "model calls", calls(all), 2 * (rounds - 1));
  consumed(all);
  for (let i = 1; i < rounds; i++) check("S3", `speaker of round ${i}`, gc.messages[i].name, names[picks[i - 1]]);
  return { messages: gc.messages.length, llm_calls: calls(all), ms, cpu_ms };
}

/**
 * S4: tool loop; the tool is registered with the root `register_function`
 * (caller: the assistant, executor: the executor); the model issues one tool
 * call per turn, 200 calls, then TERMINATE.
 */
export async function S4(lib, env, { tool_calls = 200 } = {}) {
  const { ConversableAgent, register_function } = lib;
  const script = Array.from({ length: tool_calls }, (_, i) => ({ tool_calls: [{ name: "add", arguments: { a: i, b: 1 } }] }));
  script.push("TERMINATE");
  const model = env.model("assistant", script);
  let executed = 0;
  const executor = new ConversableAgent("executor", {
    llm_config: false,
    human_input_mode: "NEVER",
    max_consecutive_auto_reply: BIG,
  });
  const assistant = new ConversableAgent("assistant", {
    llm_config: model.llm_config,
    human_input_mode: "NEVER",
    max_consecutive_auto_reply: BIG,
  });
  model.register(assistant);
  const add = ({ a, b }) => {
    executed += 1;
    return a + b;
  };
  register_function(add, {
    caller: assistant,
    executor,
    name: "add",
    description: "Adds two numbers and returns the sum.",
    parameters: {
      type: "object",
      properties: { a: { type: "number", description: "first addend" }, b: { type: "number", description: "second addend" } },
      required: ["a", "b"],
    },
  });
  const { value: result, ms, cpu_ms } = await timed(env, () =>
    executor.initiate_chat(assistant, { message: text80("Add numbers with the tool."), silent: true }),
  );
  const history = result.chat_history;
  check("S4", "messages", history.length, 2 * tool_calls + 2);
  check("S4", "model calls", calls([model]), tool_calls + 1);
  if (model.with_tools !== null) check("S4", "requests offering the tool", model.with_tools, tool_calls + 1);
  check("S4", "tool executions", executed, tool_calls);
  check("S4", "last tool result", history.at(-2).content, String(tool_calls));
  check("S4", "last message", history.at(-1).content, "TERMINATE");
  consumed([model]);
  return { messages: history.length, llm_calls: calls([model]), ms, cpu_ms };
}

/**
 * S5: initiate_chats with 50 sequential two-turn chats, each with its own
 * (distinct) assistant agent and model; first carryover given, summaries
 * `last_msg` carried over.
 */
export async function S5(lib, env, { chats = 50 } = {}) {
  const { ConversableAgent } = lib;
  const user = new ConversableAgent("user", {
    llm_config: false,
    human_input_mode: "NEVER",
    default_auto_reply: text80("Thanks, anything else?"),
    max_consecutive_auto_reply: BIG,
  });
  const models = [];
  const queue = [];
  for (let i = 0; i < chats; i++) {
    const model = env.model(`assistant_${i}`, [text80(`Result ${i}.0 done;`), text80(`Result ${i}.1 done;`)]);
    const assistant = new ConversableAgent(`assistant_${i}`, {
      llm_config: model.llm_config,
      human_input_mode: "NEVER",
      max_consecutive_auto_reply: BIG,
    });
    model.register(assistant);
    models.push(model);
    const entry = { recipient: assistant, message: text80(`Task ${i}: do the next step.`), max_turns: 2, summary_method: "last_msg", silent: true };
    if (i === 0) entry.carryover = text80("Start from a clean slate.");
    queue.push(entry);
  }
  const { value: results, ms, cpu_ms } = await timed(env, () => user.initiate_chats(queue));
  const messages = results.reduce((sum, r) => sum + r.chat_history.length, 0);
  check("S5", "chats", results.length, chats);
  check("S5", "messages", messages, 4 * chats);
  check("S5", "model calls", calls(models), 2 * chats);
  consumed(models);
  check("S5", "last summary", results.at(-1).summary, text80(`Result ${chats - 1}.1 done;`));
  // Every earlier chat's summary reaches the last chat's first message (as in AG2, the
  // first chat's own carryover stays with the first chat).
  const first = String(results.at(-1).chat_history[0].content);
  check("S5", "carried-over summaries in the last chat", (first.match(/Result \d+\.1 done;/g) ?? []).length, chats - 1);
  check("S5", "carryover in the first chat", String(results[0].chat_history[0].content).includes(text80("Start from a clean slate.")), true);
  return { messages, llm_calls: calls(models), ms, cpu_ms };
}

export const SCENARIOS = { S1, S2, S3, S4, S5 };
