/** Shared helpers for the agentchat tests. */
import { IOStream } from "ag2ts";
import { CapturingIOStream } from "ag2ts/testing";

export const RULE = "-".repeat(80);

/** The console block AG2 prints for a received text message. */
export function block(from: string, to: string, text: string): string {
  return `${from} (to ${to}):\n\n${text}\n\n${RULE}\n`;
}

/** Runs `fn` with a CapturingIOStream as the default stream; returns the stream and the result. */
export async function capture<T>(
  fn: () => T | Promise<T>,
  inputs: Array<string | ((prompt: string) => string)> = [],
  supports_color = false,
): Promise<{ io: CapturingIOStream; result: T }> {
  const io = new CapturingIOStream({ inputs, supports_color });
  const result = await IOStream.set_default(io, fn);
  return { io, result };
}

/** Catches a thrown (or rejected) error so its class and message can be asserted. */
export async function caught(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected an error, none was thrown");
}
