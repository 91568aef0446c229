/**
 * Chat summaries (spec 20 §4).
 */
import { ValueError } from "../../errors";
import { warn } from "../../warnings";
import type { AbstractCacheLike } from "../../oai/cache-like";
import type { ChatAgent } from "../agent/chat-agent";
import type { SummaryMethodOf } from "./chat-result";
import { unrollToolResponses } from "../replies/oai-reply";
import { currentSignal } from "../../core/run-context";
import type { Awaitable, ContentPart, Message } from "../../core/types";

export const SUMMARY_METHOD_ERROR =
  "summary_method must be a string chosen from 'reflection_with_llm' or 'last_msg' or a callable, or None.";

/** Checks a summary method before a chat starts (spec 20 §2 step 1). */
export function validateSummaryMethod(method: unknown, sender: ChatAgent, recipient: ChatAgent): void {
  if (method === null || method === undefined || typeof method === "function") return;
  if (method !== "last_msg" && method !== "reflection_with_llm") throw new ValueError(SUMMARY_METHOD_ERROR);
  if (method === "reflection_with_llm" && !sender.client && !recipient.client) {
    throw new ValueError("llm client must be set in either the recipient or sender when summary_method is reflection_with_llm.");
  }
}

function stripTerminate(text: string): string {
  return text.includes("TERMINATE") ? text.replaceAll("TERMINATE", "") : text;
}

export function lastMessageSummary(sender: ChatAgent, recipient: ChatAgent): string {
  try {
    const message = recipient.last_message({ agent: sender });
    if (!message) throw new Error("the conversation is empty");
    const content = message.content;
    if (typeof content === "string") return stripTerminate(content);
    if (Array.isArray(content)) {
      return (content as ContentPart[])
        .filter((part) => part.type === "text")
        .map((part) => stripTerminate(String((part as { text: unknown }).text)))
        .join("\n");
    }
    return "";
  } catch (err) {
    warn(`Cannot extract summary using last_msg: ${err instanceof Error ? err.message : String(err)}. Using an empty str as summary.`);
    return "";
  }
}

function isBadRequest(err: unknown): boolean {
  return (err as { status?: unknown })?.status === 400;
}

export async function reflectionSummary(
  sender: ChatAgent,
  recipient: ChatAgent,
  summary_args: Record<string, unknown>,
): Promise<string> {
  const prompt = summary_args.summary_prompt ?? (sender.constructor as { DEFAULT_SUMMARY_PROMPT?: string }).DEFAULT_SUMMARY_PROMPT;
  if (typeof prompt !== "string") throw new ValueError("The summary_prompt must be a string.");
  const role = summary_args.summary_role ?? "system";
  if (typeof role !== "string") throw new ValueError("The summary_role in summary_arg must be a string.");
  const client = recipient.client ?? sender.client;
  if (!client) throw new ValueError("No OpenAIWrapper client is found.");
  const history = recipient.chat_messages_for_summary(sender);
  const messages = unrollToolResponses([...history, { role, content: prompt }]);
  try {
    const response = await client.create({
      messages,
      cache: (summary_args.cache as AbstractCacheLike | null | undefined) ?? null,
      agent: sender,
      signal: currentSignal(),
    });
    const extracted = client.extract_text_or_completion_object(response)[0];
    if (extracted === null || extracted === undefined) return "";
    if (typeof extracted === "string") return extracted;
    const content = (extracted as Message).content;
    return typeof content === "string" ? content : "";
  } catch (err) {
    if (isBadRequest(err)) {
      warn(`Cannot extract summary using reflection_with_llm: ${err instanceof Error ? err.message : String(err)}. Using an empty str as summary.`);
      return "";
    }
    throw err;
  }
}

/** The chat's summary; synchronous for "last_msg" and none (a chat summarises every time it ends). */
export function summarize<A extends ChatAgent>(
  method: SummaryMethodOf<A> | undefined,
  summary_args: Record<string, unknown>,
  sender: A,
  recipient: A,
  cache: AbstractCacheLike | null,
): Awaitable<string> {
  const args = { ...summary_args };
  if (args.cache === undefined) args.cache = cache;
  if (method === null || method === undefined) return "";
  if (method === "last_msg") return lastMessageSummary(sender, recipient);
  if (method === "reflection_with_llm") return reflectionSummary(sender, recipient, args);
  if (typeof method === "function") return method(sender, recipient, args);
  throw new ValueError("If not None, the summary_method must be a string from [`reflection_with_llm`, `last_msg`] or a callable.");
}
