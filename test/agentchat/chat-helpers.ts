/** Shared helpers for the chat tests (not a test file itself). */
import { ConversableAgent, IOStream, set_logger, type ConversableAgentOptions, type LogLevel } from "ag2ts";
import { CapturingIOStream } from "ag2ts/testing";

/** An agent without a model that answers with `default_auto_reply` in NEVER mode. */
export function scriptedAgent(name: string, options: ConversableAgentOptions = {}): ConversableAgent {
  return new ConversableAgent(name, { llm_config: false, human_input_mode: "NEVER", ...options });
}

/** Runs `fn` with a capturing IOStream as the default; returns its result and the stream. */
export async function captured<T>(
  fn: () => Promise<T>,
  options: ConstructorParameters<typeof CapturingIOStream>[0] = {},
): Promise<{ result: T; io: CapturingIOStream }> {
  const io = new CapturingIOStream(options);
  const result = await IOStream.set_default(io, fn);
  return { result, io };
}

/** Collects warnings while `fn` runs. */
export async function collectWarnings<T>(fn: () => Promise<T>): Promise<{ result: T; warnings: string[] }> {
  const warnings: string[] = [];
  set_logger((level: LogLevel, message: string) => {
    if (level === "warning") warnings.push(message);
  });
  try {
    const result = await fn();
    return { result, warnings };
  } finally {
    set_logger(null);
  }
}

/** `[role, name, content]` of each message, for compact exact comparisons. */
export function triples(messages: Array<{ role?: unknown; name?: unknown; content?: unknown }>): unknown[][] {
  return messages.map((m) => [m.role, m.name, m.content]);
}

export const RULE = "-".repeat(80);
/** AG2's printed block for a received text message. */
export const block = (from: string, to: string, text: string): string => `${from} (to ${to}):\n\n${text}\n\n${RULE}\n`;
