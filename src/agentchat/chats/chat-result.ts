/**
 * ChatResult and the options of initiate_chat (spec 20 §1, §5).
 */
import type { AbstractCacheLike } from "../../oai/cache-like";
import { mergeUsage, type UsageSummary } from "../../oai/usage";
import type { OpenAIWrapper } from "../../oai/client";
import type { AG2Event } from "../../io/events";
import type { Agent } from "../../core/agent";
import type { StopReason } from "../../core/run-context";
import type { Awaitable, Message } from "../../core/types";

/*
 * The types that hold callables are generic in the agent type `A`: the chat
 * runner calls them with the chat's own agents. The public names
 * (`InitiateChatOptions`, `SummaryMethod`, ...) are those of ConversableAgent
 * (agent/public-types.ts).
 */

export type SummaryCallableOf<A> = (sender: A, recipient: A, summary_args: Record<string, unknown>) => Awaitable<string>;

export type SummaryMethodOf<A> = "last_msg" | "reflection_with_llm" | SummaryCallableOf<A> | null;

export type InitialMessageOf<A> =
  | string
  | Message
  | null
  | ((sender: A, recipient: A, context: Record<string, unknown>) => Awaitable<string | Message>);

export interface InitiateChatOptionsOf<A> {
  /** The first message; null reads it from human input. */
  message?: InitialMessageOf<A>;
  /** Default true. */
  clear_history?: boolean;
  /** Default false. */
  silent?: boolean | null;
  /** Cache used by both agents during the chat. Default null. */
  cache?: AbstractCacheLike | null;
  /** Default null (no turn limit). */
  max_turns?: number | null;
  /** Default "last_msg". */
  summary_method?: SummaryMethodOf<A>;
  /** Default {}. */
  summary_args?: { summary_prompt?: string; summary_role?: string; cache?: AbstractCacheLike | null; [k: string]: unknown } | null;
  carryover?: string | unknown[];
  verbose?: boolean;
  /**
   * Aborts the chat (ag2ts): model calls, tools and executors get the signal;
   * the chat ends promptly and resolves with a partial ChatResult whose
   * stop_reason is "aborted".
   */
  signal?: AbortSignal;
  /** Receives every event of the chat, nested chats and group chats included (ag2ts). */
  on_event?: (event: AG2Event) => void;
  [extra: string]: unknown;
}

export interface ChatCost {
  usage_including_cached_inference: UsageSummary;
  usage_excluding_cached_inference: UsageSummary;
}

export class ChatResult {
  // Declared, not emitted as class fields: the constructor assigns each one (one result per chat;
  // V8 defines emitted fields one by one through an initializer before the constructor runs).
  declare chat_id: number | null;
  declare chat_history: Message[];
  declare summary: string;
  declare cost: ChatCost;
  declare human_input: string[];
  /** Why the chat ended (ag2ts); null for a result built by hand. */
  declare stop_reason: StopReason | null;
  /** Name of the agent whose decision ended the chat; null when no agent did (max_turns, abort). */
  declare stopped_by: string | null;

  constructor(init: Partial<ChatResult> = {}) {
    this.chat_id = init.chat_id ?? null;
    this.chat_history = init.chat_history ?? [];
    this.summary = init.summary ?? "";
    this.cost = init.cost ?? {
      usage_including_cached_inference: { total_cost: 0 },
      usage_excluding_cached_inference: { total_cost: 0 },
    };
    this.human_input = init.human_input ?? [];
    this.stop_reason = init.stop_reason ?? null;
    this.stopped_by = init.stopped_by ?? null;
  }
}

/** Sums the usage of the agents' clients (spec 20 §5). */
export function gather_usage_summary(agents: Agent[]): ChatCost {
  const including: UsageSummary = { total_cost: 0 };
  const excluding: UsageSummary = { total_cost: 0 };
  for (const agent of agents) {
    const client = (agent as { client?: Pick<OpenAIWrapper, "total_usage_summary" | "actual_usage_summary"> | null }).client;
    if (!client) continue;
    mergeUsage(including, client.total_usage_summary);
    mergeUsage(excluding, client.actual_usage_summary);
  }
  return { usage_including_cached_inference: including, usage_excluding_cached_inference: excluding };
}
