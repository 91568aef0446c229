import {
  Agent,
  AssistantAgent,
  ConversableAgent,
  LLMAgent,
  UserProxyAgent,
  ValueError,
  set_logger,
  type Message,
} from "ag2ts";
import { ScriptedModelClient } from "ag2ts/testing";
import { caught } from "./helpers";

const MODEL_REQUIRED =
  "Please either set llm_config to False, or specify a non-empty 'model' either in 'llm_config' or in each config of 'config_list'.";

describe("ConversableAgent construction", () => {
  it("has AG2's defaults", () => {
    const a = new ConversableAgent("a");
    expect(a.name).toBe("a");
    expect(a.llm_config).toBe(false);
    expect(a.client).toBeNull();
    expect(a.human_input_mode).toBe("TERMINATE");
    expect(a.max_consecutive_auto_reply()).toBe(100);
    expect(a.system_message).toBe("You are a helpful AI assistant.");
    expect(a.description).toBe("You are a helpful AI assistant.");
    expect(a._oai_system_message).toEqual([{ content: "You are a helpful AI assistant.", role: "system" }]);
    expect(a._default_auto_reply).toBe("");
    expect(a.silent).toBeNull();
    expect(a.chat_messages.size).toBe(0);
    expect(a.function_map).toEqual({});
    expect(a.code_executor).toBeNull();
    expect(a.use_docker).toBeNull();
    expect(a._human_input).toEqual([]);
    expect(ConversableAgent.DEFAULT_CONFIG).toBe(false);
    expect(ConversableAgent.MAX_CONSECUTIVE_AUTO_REPLY).toBe(100);
    expect(ConversableAgent.DEFAULT_SUMMARY_METHOD).toBe("last_msg");
  });

  it("accepts (name, options) and ({name, ...options}) alike", () => {
    const x = new ConversableAgent("x", { system_message: "sys", human_input_mode: "NEVER", max_consecutive_auto_reply: 3 });
    const y = new ConversableAgent({ name: "x", system_message: "sys", human_input_mode: "NEVER", max_consecutive_auto_reply: 3 });
    for (const agent of [x, y]) {
      expect(agent.name).toBe("x");
      expect(agent.system_message).toBe("sys");
      expect(agent.description).toBe("sys");
      expect(agent.human_input_mode).toBe("NEVER");
      expect(agent.max_consecutive_auto_reply()).toBe(3);
    }
  });

  it("keeps an explicit description, and the description is settable", () => {
    const a = new ConversableAgent("a", { system_message: "sys", description: "desc" });
    expect(a.description).toBe("desc");
    a.description = "other";
    expect(a.description).toBe("other");
  });

  it("update_system_message replaces the system message content", () => {
    const a = new ConversableAgent("a");
    a.update_system_message("new one");
    expect(a.system_message).toBe("new one");
    expect(a._oai_system_message).toEqual([{ content: "new one", role: "system" }]);
  });

  it("an unknown option fails naming the key", async () => {
    const err = await caught(() => new ConversableAgent({ name: "a", human_input_mod: "NEVER" } as never));
    expect(err).toBeInstanceOf(ValueError);
    expect(err.message).toBe("ConversableAgent: unknown option 'human_input_mod'. Did you mean 'human_input_mode'?");
  });

  it("a mistyped option fails naming the key", async () => {
    const err = await caught(() => new ConversableAgent("a", { max_consecutive_auto_reply: "3" } as never));
    expect(err).toBeInstanceOf(ValueError);
    expect(err.message).toBe("ConversableAgent: option 'max_consecutive_auto_reply' must be an integer or null, got string.");
  });

  it("an invalid human_input_mode fails naming the key", async () => {
    const err = await caught(() => new ConversableAgent("a", { human_input_mode: "SOMETIMES" } as never));
    expect(err).toBeInstanceOf(ValueError);
    expect(err.message).toBe(
      `ConversableAgent: option 'human_input_mode' must be one of "ALWAYS", "TERMINATE", "NEVER", got string.`,
    );
  });

  it("subclasses name themselves in option errors", async () => {
    const err = await caught(() => new AssistantAgent("a", { sytem_message: "x" } as never));
    expect(err).toBeInstanceOf(ValueError);
    expect(err.message).toBe("AssistantAgent: unknown option 'sytem_message'. Did you mean 'system_message'?");
  });

  it("swarm options are rejected", async () => {
    const err = await caught(() => new ConversableAgent("a", { handoffs: [] }));
    expect(err).toBeInstanceOf(ValueError);
    expect(err.message).toBe("ConversableAgent: 'context_variables' and 'handoffs' (swarm features) are not supported by ag2ts.");
  });

  it("function_map keys must be valid names", async () => {
    const err = await caught(() => new ConversableAgent("a", { function_map: { "bad name": () => 1 } }));
    expect(err).toBeInstanceOf(ValueError);
    expect(err.message).toBe("Invalid name: bad name. Only letters, numbers, '_' and '-' are allowed.");
    const ok = new ConversableAgent("b", { function_map: { good_name: () => 1 } });
    expect(Object.keys(ok.function_map)).toEqual(["good_name"]);
  });
});

describe("llm_config validation", () => {
  it.each([
    ["{}", {}],
    ["{config_list: []}", { config_list: [] }],
    ["{config_list: [{model: ''}]}", { config_list: [{ model: "" }] }],
  ])("%s throws a ValueError asking for a model", async (_label, config) => {
    const err = await caught(() => new ConversableAgent("a", { llm_config: config }));
    expect(err).toBeInstanceOf(ValueError);
    expect(err.message).toBe(MODEL_REQUIRED);
  });

  it("a non-object llm_config throws", async () => {
    const err = await caught(() => new ConversableAgent("a", { llm_config: "gpt-4" as never }));
    expect(err).toBeInstanceOf(ValueError);
    expect(err.message).toBe("llm_config must be an object or false, got string.");
  });

  it("a name with whitespace and an OpenAI config throws", async () => {
    const err = await caught(() => new ConversableAgent("my agent", { llm_config: { config_list: [{ model: "gpt-4" }] } }));
    expect(err).toBeInstanceOf(ValueError);
    expect(err.message).toBe("The name of the agent cannot contain any whitespace. The name provided is: 'my agent'");
    const explicit = await caught(
      () => new ConversableAgent("my agent", { llm_config: { config_list: [{ model: "gpt-4", api_type: "openai" }] } }),
    );
    expect(explicit.message).toBe("The name of the agent cannot contain any whitespace. The name provided is: 'my agent'");
  });

  it("a name with whitespace is fine without a model", () => {
    expect(new ConversableAgent("my agent").name).toBe("my agent");
  });

  it("llm_config null means false; a valid config builds a client", () => {
    expect(new ConversableAgent("a", { llm_config: null }).client).toBeNull();
    const model = new ScriptedModelClient(["x"]);
    const a = new ConversableAgent("a", { llm_config: model.llm_config() });
    expect(a.client).not.toBeNull();
  });

  it("the config is copied; class instances inside are kept by reference", () => {
    const model = new ScriptedModelClient([]);
    const config = { config_list: [{ model: "scripted", model_client: model }], temperature: 0 };
    const a = new ConversableAgent("a", { llm_config: config });
    config.temperature = 1;
    config.config_list.push({ model: "other", model_client: model });
    const stored = a.llm_config as { temperature: number; config_list: Array<{ model_client: unknown }> };
    expect(stored).not.toBe(config);
    expect(stored.temperature).toBe(0);
    expect(stored.config_list).toHaveLength(1);
    expect(stored.config_list[0].model_client).toBe(model);
  });
});

describe("code_execution_config", () => {
  it("a non-object value throws", async () => {
    const err = await caught(() => new ConversableAgent("a", { code_execution_config: 42 as never }));
    expect(err).toBeInstanceOf(ValueError);
    expect(err.message).toBe("code_execution_config must be a dict or False.");
  });

  it("null warns and is treated as {}", () => {
    const warnings: string[] = [];
    set_logger((_level, message) => warnings.push(message));
    try {
      const a = new ConversableAgent("a", { code_execution_config: null });
      expect(a._code_execution_config).toEqual({ use_docker: true }); // resolved at construction, as AG2
      expect(a._reply_func_list).toHaveLength(5);
    } finally {
      set_logger(null);
    }
    expect(warnings).toEqual([
      "Using None to signal a default code_execution_config is deprecated. Use {} to use default or False to disable code execution.",
    ]);
  });
});

describe("AssistantAgent", () => {
  it("defaults: NEVER mode, the default system message and the assistant description", () => {
    const a = new AssistantAgent("assistant");
    expect(a.human_input_mode).toBe("NEVER");
    expect(a.system_message).toBe(AssistantAgent.DEFAULT_SYSTEM_MESSAGE);
    expect(a.description).toBe(
      "A helpful, general-purpose AI assistant with strong language, Python and Linux command-line skills.",
    );
    expect(AssistantAgent.DEFAULT_DESCRIPTION).toBe(a.description);
    expect(a._code_execution_config).toBe(false);
    expect(a._reply_func_list).toHaveLength(4);
    expect(AssistantAgent.DEFAULT_SYSTEM_MESSAGE.endsWith('When everything is done, end your reply with "TERMINATE".')).toBe(true);
  });

  it("with a custom system message the description is that message", () => {
    const a = new AssistantAgent({ name: "a", system_message: "You add numbers." });
    expect(a.system_message).toBe("You add numbers.");
    expect(a.description).toBe("You add numbers.");
  });

  it("an explicit description wins; an explicit mode is kept", () => {
    const a = new AssistantAgent("a", { system_message: "You add numbers.", description: "Adder", human_input_mode: "ALWAYS" });
    expect(a.description).toBe("Adder");
    expect(a.human_input_mode).toBe("ALWAYS");
  });
});

describe("UserProxyAgent", () => {
  const D = UserProxyAgent.DEFAULT_USER_PROXY_AGENT_DESCRIPTIONS;

  it("has the three descriptions keyed by mode", () => {
    expect(Object.keys(D).sort()).toEqual(["ALWAYS", "NEVER", "TERMINATE"]);
    expect(D.ALWAYS).toBe(
      "An attentive HUMAN user who can answer questions about the task and can run Python code or enter Linux command-line commands and report the results.",
    );
    expect(D.TERMINATE).toBe("A user who can run Python code or enter Linux command-line commands and report the results.");
    expect(D.NEVER).toBe(
      "A computer terminal that does nothing but run Python scripts (given in python code blocks) or sh shell scripts (given in sh code blocks).",
    );
  });

  it("constructs without Docker, with AG2's defaults", () => {
    const u = new UserProxyAgent("u");
    expect(u.human_input_mode).toBe("ALWAYS");
    expect(u.llm_config).toBe(false);
    expect(u.client).toBeNull();
    expect(u.system_message).toBe("");
    expect(u._default_auto_reply).toBe("");
    expect(u.description).toBe(D.ALWAYS);
    expect(u._code_execution_config).toEqual({ use_docker: true }); // resolved at construction, as AG2
    // Code execution is on: the chain has its fifth entry.
    expect(u._reply_func_list).toHaveLength(5);
  });

  it.each(["ALWAYS", "TERMINATE", "NEVER"] as const)("description follows human_input_mode %s", (mode) => {
    expect(new UserProxyAgent("u", { human_input_mode: mode }).description).toBe(D[mode]);
  });

  it("an explicit description wins; code_execution_config false disables code execution", () => {
    const u = new UserProxyAgent({ name: "u", description: "me", code_execution_config: false });
    expect(u.description).toBe("me");
    expect(u._reply_func_list).toHaveLength(4);
  });
});

describe("Agent protocol", () => {
  const structural = {
    name: "plain",
    description: "",
    send: async () => undefined,
    receive: async () => undefined,
    generate_reply: async () => null,
  };

  it("ConversableAgent instances are Agents and LLMAgents", () => {
    const a = new ConversableAgent("a");
    expect(a instanceof Agent).toBe(true);
    expect(a instanceof LLMAgent).toBe(true);
    expect(new AssistantAgent("b") instanceof ConversableAgent).toBe(true);
  });

  it("an object with name, send, receive and generate_reply is structurally an Agent", () => {
    expect(structural instanceof Agent).toBe(true);
    expect(structural instanceof ConversableAgent).toBe(false);
    expect(structural instanceof AssistantAgent).toBe(false);
  });

  it("objects missing a member, and non-objects, are not Agents", () => {
    const { generate_reply: _g, ...noReply } = structural;
    expect(noReply instanceof Agent).toBe(false);
    expect({ ...structural, name: 3 } instanceof Agent).toBe(false);
    expect((null as unknown) instanceof Agent).toBe(false);
    expect(("agent" as unknown) instanceof Agent).toBe(false);
  });

  it("a partial subclass of Agent is nominally an Agent", () => {
    abstract class Partial extends Agent {
      get name() {
        return "partial";
      }
    }
    class Concrete extends Partial {
      get description() {
        return "";
      }
      async send() {}
      async receive() {}
      async generate_reply() {
        return null;
      }
    }
    const c = new Concrete();
    expect(c instanceof Agent).toBe(true);
    expect(c instanceof Partial).toBe(true);
    expect(structural instanceof Partial).toBe(false);
  });

  it("a structural agent can be a reply trigger and a message peer", async () => {
    const a = new ConversableAgent("a", { human_input_mode: "NEVER" });
    a.register_reply(structural as unknown as Agent, () => [true, "for plain"]);
    const messages: Message[] = [{ content: "hi", role: "user" }];
    expect(await a.generate_reply({ messages, sender: structural as unknown as Agent })).toBe("for plain");
    expect(await a.generate_reply({ messages, sender: new ConversableAgent("other") })).toBe("");
  });
});
