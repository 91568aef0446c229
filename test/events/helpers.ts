/** Shared helpers for the event tests (not a test file itself). */
import { ConversableAgent, IOStream, type AG2Event, type ConversableAgentOptions, type Message } from "ag2ts";
import { CapturingIOStream, ScriptedModelClient, type ScriptStep } from "ag2ts/testing";

/** A model-less agent in NEVER mode. */
export function plain(name: string, options: ConversableAgentOptions = {}): ConversableAgent {
  return new ConversableAgent(name, { llm_config: false, human_input_mode: "NEVER", ...options });
}

/** An agent answering from a script, with a price so usage has a cost. */
export function scripted(name: string, script: ScriptStep[], options: ConversableAgentOptions = {}) {
  const model = new ScriptedModelClient({ script, price: [1, 2] });
  const agent = new ConversableAgent(name, { llm_config: model.llm_config(), human_input_mode: "NEVER", ...options });
  return { agent, model };
}

/** Runs `fn` with a capturing IOStream; returns its result and what was printed. */
export async function captured<T>(fn: () => Promise<T>, inputs: string[] = []): Promise<{ result: T; io: CapturingIOStream }> {
  const io = new CapturingIOStream({ inputs });
  const result = await IOStream.set_default(io, fn);
  return { result, io };
}

export const samePath = (event: AG2Event, path: string[]) => JSON.stringify(event.path) === JSON.stringify(path);

/** `[name, content]` of messages. */
export const pairs = (messages: Message[]) => messages.map((m) => [m.name, m.content]);
