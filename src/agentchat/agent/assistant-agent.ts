import { ConversableAgent, type ConversableAgentOptions } from "./conversable-agent";
import { resolveConstructorArgs } from "./agent-options";

const DEFAULT_SYSTEM_MESSAGE = `You are a helpful AI assistant. Solve tasks with your coding and language skills.
In the cases below, propose Python code (in a python code block) or a shell script
(in a sh code block) for the user to run:
    1. To gather information: e.g. search or browse the web, download or read a file,
       print a web page or a file, get the current date/time, check the operating system.
       Once enough information has been printed and the task can be finished with your
       language skills alone, finish it yourself.
    2. To carry out a task with code: let the code do the task and print the result.
       Finish the task efficiently.
Work step by step if needed. If no plan is given, explain your plan first, and say which
steps use code and which use your language skills.
Always name the script type in the code block. The user can only run the code exactly as
you give it; they cannot edit it or act in any other way. So never propose incomplete code
that needs changes, and do not use a code block unless it is meant to be run.
If the code should be saved to a file before running, make "# filename: <filename>" the first
line inside the block. Put at most one code block in a reply. Do not ask the user to copy and
paste results; print the output where useful. Check the execution results the user returns.
If a result shows an error, fix it and give the complete corrected code again, not a patch.
If the error cannot be fixed, or the task is still unsolved although the code ran, analyse the
problem, revisit your assumptions, collect any information you still need, and try another way.
When you have an answer, verify it carefully and include verifiable evidence where possible.
When everything is done, end your reply with "TERMINATE".`;

/** An agent that answers with its model; never asks a human by default (spec 10 §11.1). */
export class AssistantAgent extends ConversableAgent {
  static DEFAULT_SYSTEM_MESSAGE = DEFAULT_SYSTEM_MESSAGE;
  static DEFAULT_DESCRIPTION = "A helpful, general-purpose AI assistant with strong language, Python and Linux command-line skills.";

  constructor(name: string, options?: ConversableAgentOptions);
  constructor(options: ConversableAgentOptions & { name: string });
  constructor(nameOrOptions: string | (ConversableAgentOptions & { name: string }), maybeOptions?: ConversableAgentOptions) {
    const options = resolveConstructorArgs(new.target.name, nameOrOptions, maybeOptions);
    const system_message = options.system_message ?? DEFAULT_SYSTEM_MESSAGE;
    const description =
      options.description ?? (system_message === DEFAULT_SYSTEM_MESSAGE ? AssistantAgent.DEFAULT_DESCRIPTION : undefined);
    super({ ...options, system_message, description, human_input_mode: options.human_input_mode ?? "NEVER" });
  }
}
