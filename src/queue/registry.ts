/**
 * Conversation definitions, registered by name in every worker (and, for
 * checks at `start`, in the client): a function that builds the agents of a
 * run, so no code travels through Redis, only the name and a JSON input.
 */
import { ValueError } from "../errors";
import type { ConversableAgent } from "../agentchat/agent/conversable-agent";
import type { SummaryMethod } from "../agentchat/agent/public-types";
import type { Message } from "../core/types";
import type { Cache } from "../cache/cache";
import { UnknownConversationError } from "./errors";

/** What a definition receives besides the run's input. */
export interface ConversationContext {
  /** The run being built. */
  runId: string;
  /** The fleet's shared model cache (`Cache.redis` on the queue's server) when the worker has `cache` set; else null. */
  cache: Cache | null;
  /** Whether the run continues from a saved state (after a worker died, or with a person's answer). */
  resumed: boolean;
}

/**
 * A two-agent chat as `sender.initiate_chat(recipient, { message, ... })`
 * would run it; the options are initiate_chat's.
 */
export interface ConversationSpec {
  sender: ConversableAgent;
  recipient: ConversableAgent;
  /** The first message (null/undefined: the sender asks a person, as in AG2). */
  message?: string | Message | null;
  max_turns?: number | null;
  summary_method?: SummaryMethod;
  summary_args?: Record<string, unknown> | null;
  silent?: boolean | null;
  /** A cache for the chat's model calls (usually `context.cache`). */
  cache?: Cache | null;
}

export type ConversationDefinition<I = unknown> = (input: I, context: ConversationContext) => ConversationSpec | Promise<ConversationSpec>;

const SPEC_KEYS = new Set(["sender", "recipient", "message", "max_turns", "summary_method", "summary_args", "silent", "cache"]);

/** Conversation definitions by name. */
export class ConversationRegistry {
  private readonly definitions = new Map<string, ConversationDefinition>();

  /** Registers `definition` under `name` (a name may be registered once). */
  register<I>(name: string, definition: ConversationDefinition<I>): this {
    if (typeof name !== "string" || name.length === 0) throw new ValueError("ConversationRegistry.register: the name must be a non-empty string.");
    if (typeof definition !== "function") {
      throw new ValueError(`ConversationRegistry.register('${name}'): the definition must be a function (input, context) => { sender, recipient, ... }.`);
    }
    if (this.definitions.has(name)) throw new ValueError(`ConversationRegistry.register: '${name}' is registered already; give each conversation its own name.`);
    this.definitions.set(name, definition as ConversationDefinition);
    return this;
  }

  has(name: string): boolean {
    return this.definitions.has(name);
  }

  /** Every registered name. */
  get names(): string[] {
    return [...this.definitions.keys()];
  }

  /** The definition of `name`, or UnknownConversationError naming the registered ones. */
  get(name: string): ConversationDefinition {
    const definition = this.definitions.get(name);
    if (!definition) {
      const known = this.names.map((n) => `'${n}'`).join(", ") || "none";
      throw new UnknownConversationError(
        `Unknown conversation '${name}': registered here are ${known}. Register it with registry.register('${name}', build) ` +
          "in the module every worker and client imports.",
      );
    }
    return definition;
  }
}

/** Checks what a definition returned. */
export function checkSpec(name: string, spec: unknown): ConversationSpec {
  const where = `Conversation '${name}'`;
  if (spec === null || typeof spec !== "object") throw new ValueError(`${where}: the definition must return { sender, recipient, message?, ... }, got ${String(spec)}.`);
  const s = spec as Record<string, unknown>;
  for (const key of Object.keys(s)) {
    if (!SPEC_KEYS.has(key)) throw new ValueError(`${where}: unknown key '${key}' in the returned chat; expected ${[...SPEC_KEYS].join(", ")}.`);
  }
  for (const key of ["sender", "recipient"]) {
    const agent = s[key] as { initiate_chat?: unknown; name?: unknown } | undefined;
    if (!agent || typeof agent.initiate_chat !== "function" || typeof agent.name !== "string") {
      throw new ValueError(`${where}: '${key}' must be a ConversableAgent (an agent the definition builds).`);
    }
  }
  if ((s.sender as { name: string }).name === (s.recipient as { name: string }).name) {
    throw new ValueError(`${where}: sender and recipient are both named '${(s.sender as { name: string }).name}'; saved conversations refer to agents by name.`);
  }
  if ((s.recipient as { groupchat?: unknown }).groupchat !== undefined) {
    throw new ValueError(`${where}: ag2ts/queue runs two-agent chats; a GroupChatManager recipient is not supported yet.`);
  }
  if (s.max_turns !== undefined && s.max_turns !== null && !(Number.isInteger(s.max_turns) && (s.max_turns as number) >= 0)) {
    throw new ValueError(`${where}: max_turns must be a non-negative integer or null.`);
  }
  return s as unknown as ConversationSpec;
}
