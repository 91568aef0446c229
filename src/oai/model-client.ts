/**
 * The ModelClient protocol (spec 40 §5.9): what OpenAIWrapper needs from a
 * provider client. The OpenAI and Anthropic clients and user clients all
 * implement it.
 */
import type { Awaitable, Message } from "../core/types";

export interface ModelUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cost: number;
  model: string;
}

export interface ModelClientResponse {
  model: string;
  choices: Array<{ message: { content: string | null; [k: string]: unknown }; finish_reason?: string | null; [k: string]: unknown }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number; [k: string]: unknown };
  cost?: number;
  [k: string]: unknown;
}

export interface ModelClient {
  /**
   * Answers one request. `params.messages` is the list the agent sends as it
   * is now (system messages, then the history). The list is lent for the
   * call: it is reused by later calls, so copy it to keep it (a change made
   * to it is undone on the next call). The messages in it are the agent's
   * stored messages themselves, shared, not copied: a client must not mutate
   * them (nor anything inside them). Build new objects for what you change
   * (for example `messages.map((m) => ({ ...m, content: redact(m.content) }))`).
   */
  create(params: Record<string, unknown>): Awaitable<ModelClientResponse>;
  message_retrieval(response: ModelClientResponse): Array<string | Message | null>;
  cost(response: ModelClientResponse): number;
  get_usage?(response: ModelClientResponse): ModelUsage;
}

export type ModelClientClass = (new (config: Record<string, unknown>, options?: Record<string, unknown>) => ModelClient) & {
  get_usage?(response: ModelClientResponse): ModelUsage;
};

/** Usage as an OpenAI-shaped response reports it (`usage` and `cost`). */
export function usageFromResponse(response: ModelClientResponse): ModelUsage {
  const u = response.usage ?? {};
  return {
    prompt_tokens: u.prompt_tokens ?? 0,
    completion_tokens: u.completion_tokens ?? 0,
    total_tokens: u.total_tokens ?? (u.prompt_tokens ?? 0) + (u.completion_tokens ?? 0),
    cost: response.cost ?? 0,
    model: response.model,
  };
}

/** Usage of a response, from the instance method or the static one (AG2 style). */
export function usageOf(client: ModelClient, response: ModelClientResponse): ModelUsage {
  if (typeof client.get_usage === "function") return client.get_usage(response);
  const ctor = client.constructor as ModelClientClass;
  if (typeof ctor.get_usage === "function") return ctor.get_usage(response);
  return usageFromResponse(response);
}

/** The OpenAI chat-completion rule for extracting replies (spec 40 §5.5). */
export function openaiMessageRetrieval(response: ModelClientResponse): Array<string | Message | null> {
  return response.choices.map((choice) => {
    if (typeof (choice as { text?: unknown }).text === "string") return (choice as unknown as { text: string }).text;
    const message = choice.message as Message;
    if (message.function_call != null || message.tool_calls != null) return message;
    return (message.content as string | null) ?? null;
  });
}
