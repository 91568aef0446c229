import { ConversableAgent, IOStream, set_logger, type Message } from "ag2ts";
import { CapturingIOStream } from "ag2ts/testing";

/** A member that always answers `reply` (no model, never asks a human). */
export function member(name: string, reply: string | Message = `${name} speaks`, description = `${name} does ${name}'s job`): ConversableAgent {
  return new ConversableAgent(name, { llm_config: false, human_input_mode: "NEVER", default_auto_reply: reply, description });
}

/** Runs `fn` with a capturing IOStream (and scripted inputs). */
export async function capture<T>(fn: () => Promise<T>, inputs: string[] = []): Promise<{ io: CapturingIOStream; result: T }> {
  const io = new CapturingIOStream({ inputs });
  const result = await IOStream.set_default(io, fn);
  return { io, result };
}

/** Collects warnings and log messages while a test runs. */
export function collectLogs(): string[] {
  const logs: string[] = [];
  set_logger((_level, message) => logs.push(message));
  return logs;
}

/** Role, name and content of each message. */
export const rnc = (messages: Message[]) => messages.map((m) => [m.role, m.name, m.content]);
