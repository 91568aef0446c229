import { ConversableAgent, type ConversableAgentOptions } from "./conversable-agent";
import { resolveConstructorArgs } from "./agent-options";

/** An agent that stands for the human: asks for input, runs code (spec 10 §11.2). */
export class UserProxyAgent extends ConversableAgent {
  static DEFAULT_USER_PROXY_AGENT_DESCRIPTIONS = {
    ALWAYS:
      "An attentive HUMAN user who can answer questions about the task and can run Python code or enter Linux command-line commands and report the results.",
    TERMINATE: "A user who can run Python code or enter Linux command-line commands and report the results.",
    NEVER:
      "A computer terminal that does nothing but run Python scripts (given in python code blocks) or sh shell scripts (given in sh code blocks).",
  };

  constructor(name: string, options?: ConversableAgentOptions);
  constructor(options: ConversableAgentOptions & { name: string });
  constructor(nameOrOptions: string | (ConversableAgentOptions & { name: string }), maybeOptions?: ConversableAgentOptions) {
    const options = resolveConstructorArgs(new.target.name, nameOrOptions, maybeOptions);
    const human_input_mode = options.human_input_mode ?? "ALWAYS";
    const descriptions = UserProxyAgent.DEFAULT_USER_PROXY_AGENT_DESCRIPTIONS;
    super({
      ...options,
      human_input_mode,
      code_execution_config: options.code_execution_config === undefined ? {} : options.code_execution_config,
      llm_config: options.llm_config ?? false,
      system_message: options.system_message ?? "",
      default_auto_reply: options.default_auto_reply ?? "",
      description: options.description ?? descriptions[human_input_mode] ?? null,
    });
  }
}
