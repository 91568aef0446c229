/**
 * Carryover: text from earlier chats added to a chat's first message (spec 20 §3).
 */
import { InvalidCarryOverTypeError } from "../../errors";
import type { ContentPart, Message } from "../../core/types";

const SEPARATOR = "\nContext: \n";

/** One carryover item as text. */
export function carryoverItemText(item: unknown): string {
  if (typeof item === "string") return item;
  if (item !== null && typeof item === "object" && "content" in item) {
    const content = (item as { content: unknown }).content;
    return typeof content === "string" ? content : JSON.stringify(content);
  }
  return JSON.stringify(item);
}

/** The whole carryover as text, or null when there is none. */
export function carryoverText(carryover: unknown): string | null {
  if (carryover === undefined || carryover === null || carryover === "") return null;
  if (Array.isArray(carryover)) {
    if (carryover.length === 0) return null;
    // Summaries are strings: a list of strings is joined as it is, without a mapped copy.
    for (let i = 0; i < carryover.length; i++) if (typeof carryover[i] !== "string") return carryover.map(carryoverItemText).join("\n");
    return carryover.join("\n");
  }
  if (typeof carryover === "string") return carryover;
  throw new InvalidCarryOverTypeError("Carryover should be a string or a list of strings. Not adding carryover to the message.");
}

/** Adds carryover to a first message without changing the caller's object. */
export function withCarryover(message: string | Message, carryover: unknown): string | Message {
  const text = carryoverText(carryover);
  if (text === null) return message;
  if (typeof message === "string") return message + SEPARATOR + text;
  if (message !== null && typeof message === "object") {
    const content = message.content;
    if (typeof content === "string") return { ...message, content: content + SEPARATOR + text };
    if (Array.isArray(content)) {
      return { ...message, content: [{ type: "text", text: SEPARATOR + text } as ContentPart, ...content] };
    }
    return message;
  }
  throw new InvalidCarryOverTypeError("Carryover should be a string or a list of strings.");
}
