/**
 * The three model clients the scenarios run with (see README "Clients").
 * A scenario asks its environment for one simulated model per agent,
 * `env.model(name, steps)`, and for the "auto" speaker selector,
 * `env.selector(name, steps)`; a step is a text reply (string) or
 * `{ tool_calls: [{ name, arguments }] }`. Each model is a handle:
 *
 *   llm_config          what the agent is constructed with
 *   register(agent)     what the user does after constructing the agent (AG2's register_model_client)
 *   request_count       model calls answered (valid after `await env.done()`)
 *   with_tools          calls whose request carried `tools` (null when not observed)
 *   assert_consumed()   throws when scripted steps were left over
 *
 * `await env.ready()` before the timed chat, `await env.done()` after it:
 * for the openai client these post the scripts to, and read the counts from,
 * the fake server; for the others they do nothing.
 */
import { control } from "./server-control.mjs";

export const CLIENTS = ["custom", "openai", "scripted"];

/** What every simulated model reports, as the custom client does. */
const USAGE = { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 };
/** The model name the openai entries use (in the price table, so no "model not found" warning). */
export const OPENAI_MODEL = "gpt-4o-mini";

class ScriptLeft extends Error {}

function consumedCheck(what, next, total) {
  if (next !== total) throw new ScriptLeft(`${what}: ${total - next} scripted step(s) were never requested (after ${next} request(s)).`);
}

let responseCounter = 0;

/**
 * (a) An AG2-style custom model client, shaped as AG2's README example
 * ("custom model client": constructor(config, **kwargs), create(params),
 * message_retrieval, cost, static get_usage). It answers from a fixed
 * script (a counter in the `tape` it is given through register_model_client's
 * options) and reads no more of the request than that example does: it
 * refuses streaming, looks at `n` and hands `params.messages` on (the example
 * gives them to its tokenizer; here only their presence is checked).
 */
export class BenchModelClient {
  constructor(config, options = {}) {
    this.model = config.model;
    this.tape = options.tape;
    if (!this.tape) throw new Error("BenchModelClient: register it with { tape }");
  }

  create(params) {
    if (params.stream) throw new Error("BenchModelClient does not stream.");
    const messages = params.messages;
    if (!Array.isArray(messages) || messages.length === 0) throw new Error("BenchModelClient: no messages.");
    const n = params.n ?? 1;
    const tape = this.tape;
    if (tape.next >= tape.steps.length) throw new Error(`BenchModelClient: no scripted step left (request #${tape.next + 1}).`);
    if (Array.isArray(params.tools) && params.tools.length > 0) tape.with_tools += 1;
    const step = tape.steps[tape.next++];
    const choices = [];
    for (let i = 0; i < n; i++) {
      const message = { role: "assistant", content: null };
      let finish_reason = "stop";
      if (typeof step === "string") message.content = step;
      else {
        message.tool_calls = step.tool_calls.map((call, j) => ({
          id: `call_custom_${++responseCounter}_${j}`,
          type: "function",
          function: { name: call.name, arguments: JSON.stringify(call.arguments ?? {}) },
        }));
        finish_reason = "tool_calls";
      }
      choices.push({ index: i, message, finish_reason });
    }
    return { id: `custom-${++responseCounter}`, model: this.model, choices, usage: { ...USAGE } };
  }

  message_retrieval(response) {
    return response.choices.map((choice) => (choice.message.tool_calls ? choice.message : choice.message.content));
  }

  cost(_response) {
    return 0;
  }

  static get_usage(response) {
    const u = response.usage;
    return {
      prompt_tokens: u.prompt_tokens,
      completion_tokens: u.completion_tokens,
      total_tokens: u.total_tokens,
      cost: response.cost ?? 0,
      model: response.model,
    };
  }
}

function customEnv() {
  const newTape = (steps) => ({ steps, next: 0, with_tools: 0 });
  const handleOf = (name, tape) => ({
    get request_count() {
      return tape.next;
    },
    get with_tools() {
      return tape.with_tools;
    },
    assert_consumed: () => consumedCheck(name, tape.next, tape.steps.length),
  });
  return {
    model(name, steps) {
      const tape = newTape(steps);
      return Object.assign(handleOf(name, tape), {
        llm_config: { config_list: [{ model: "bench-model", model_client_cls: "BenchModelClient" }] },
        register: (agent) => agent.register_model_client(BenchModelClient, { tape }),
      });
    },
    selector(name, steps) {
      const tape = newTape(steps);
      // GroupChat registers this class (select_speaker_auto_model_client_cls) on its
      // selection agent, a new one per round in AG2: the tape is shared by the class.
      class BenchSelectorClient extends BenchModelClient {
        constructor(config, options = {}) {
          super(config, { ...options, tape });
        }
      }
      return {
        groupchat: {
          select_speaker_auto_llm_config: { config_list: [{ model: "bench-model", model_client_cls: "BenchSelectorClient" }] },
          select_speaker_auto_model_client_cls: BenchSelectorClient,
        },
        handle: handleOf(name, tape),
      };
    },
    ready: async () => {},
    done: async () => {},
  };
}

/** (c) ScriptedModelClient from ag2ts/testing, used the way its docs show (`llm_config()`). */
function scriptedEnv(testing) {
  const { ScriptedModelClient } = testing;
  // The same usage as the other clients report.
  const step = (s) => (typeof s === "string" ? { content: s, usage: USAGE } : { ...s, usage: USAGE });
  return {
    model(name, steps) {
      const model = new ScriptedModelClient(steps.map(step));
      return {
        llm_config: model.llm_config(),
        register: () => {},
        get request_count() {
          return model.request_count;
        },
        with_tools: null,
        assert_consumed: () => model.assert_consumed(),
      };
    },
    selector(name, steps) {
      const instances = [];
      let next = 0;
      // GroupChat registers the class on its selection agent (a new one per round in
      // AG2; ag2ts may keep one per group chat): every instance takes its steps from
      // the one shared script, one per request, so an extra call fails either way.
      class ScriptedSelectorClient extends ScriptedModelClient {
        constructor(config, options = {}) {
          super(config, { ...options, script: [] });
          instances.push(this);
        }
        create(params) {
          if (next < steps.length) this.add(step(steps[next++]));
          return super.create(params);
        }
      }
      return {
        groupchat: {
          select_speaker_auto_llm_config: { config_list: [{ model: "scripted", model_client_cls: "ScriptedSelectorClient" }] },
          select_speaker_auto_model_client_cls: ScriptedSelectorClient,
        },
        handle: {
          get request_count() {
            return instances.reduce((sum, m) => sum + m.request_count, 0);
          },
          with_tools: null,
          assert_consumed: () => {
            consumedCheck(name, next, steps.length);
            for (const m of instances) m.assert_consumed();
          },
        },
      };
    },
    ready: async () => {},
    done: async () => {},
  };
}

let runCounter = 0;

/**
 * (b) The real OpenAI client: ag2ts's ordinary config entry (model, base_url,
 * api_key) against the fake server, so each model call goes through the
 * `openai` SDK, fetch and a loopback HTTP request. Each simulated model is a
 * queue on the server, reached through its own base_url.
 */
function openaiEnv(serverUrl, record) {
  if (!serverUrl) throw new Error("the openai client needs the fake server (AG2TS_BENCH_OPENAI_URL)");
  const runId = `${process.pid}-${++runCounter}`;
  const queues = {};
  const counts = {};
  const entry = (name) => ({ model: OPENAI_MODEL, base_url: `${serverUrl}/r/${runId}/${name}/v1`, api_key: "sk-bench-fake-key" });
  const handleOf = (name) => ({
    get request_count() {
      return counts[name]?.requests ?? 0;
    },
    get with_tools() {
      return counts[name]?.with_tools ?? 0;
    },
    assert_consumed: () => {
      const c = counts[name];
      if (!c) throw new Error(`${name}: no state from the fake server`);
      if (c.remaining !== 0) throw new ScriptLeft(`${name}: ${c.remaining} scripted step(s) were never requested (after ${c.requests} request(s)).`);
    },
  });
  const add = (name, steps) => {
    if (name in queues) throw new Error(`duplicate queue ${name}`);
    queues[name] = steps;
  };
  return {
    model(name, steps) {
      add(name, steps);
      return Object.assign(handleOf(name), { llm_config: { config_list: [entry(name)] }, register: () => {} });
    },
    selector(name, steps) {
      add(name, steps);
      return { groupchat: { select_speaker_auto_llm_config: { config_list: [entry(name)] } }, handle: handleOf(name) };
    },
    ready: () => control(serverUrl, "POST", `/r/${runId}/__script`, { queues, record }),
    done: async () => {
      const state = await control(serverUrl, "GET", `/r/${runId}/__state`);
      Object.assign(counts, state.queues);
    },
  };
}

/** A fresh environment for one run. `record`: file the server writes the run's requests to (openai only). */
export function makeEnv(kind, { testing, serverUrl, record = null } = {}) {
  switch (kind) {
    case "custom":
      return customEnv();
    case "openai":
      return openaiEnv(serverUrl, record);
    case "scripted":
      return scriptedEnv(testing);
    default:
      throw new Error(`unknown client ${kind}; known: ${CLIENTS.join(", ")}`);
  }
}

/**
 * The bench's silence: a null IOStream that counts what the library tried
 * to print, and a logger that counts warnings and log lines (they would go
 * to stderr). The caller installs `stream` (globally or scoped).
 */
export function silence(lib) {
  const counts = { printed: 0, logged: 0 };
  const stream = {
    print() {
      counts.printed += 1;
    },
    input() {
      throw new Error("the bench gives no human input");
    },
  };
  lib.set_logger(() => {
    counts.logged += 1;
  });
  return { stream, counts };
}
