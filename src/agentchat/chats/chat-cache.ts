/**
 * The chat cache kept per run (spec 20 §2 steps 2 and 7, 30 §7.3).
 *
 * AG2 saves an agent's cache in one `previous_cache` slot per agent, so an
 * agent in two chats at once (concurrent `a_initiate_chats`, two
 * `initiate_chat` calls awaited together) gets the wrong cache back, and its
 * model calls use whichever chat installed a cache last. ag2ts gives every
 * chat its own slot per agent instead, carried in the run context
 * (run-context.ts), so:
 *
 * - code running inside a chat (its model calls, reply functions, hooks,
 *   summaries) sees that chat's cache for the agents taking part in it;
 * - anywhere else an agent's `client_cache` is the cache of the most
 *   recently started chat it takes part in that is still running;
 * - when every such chat has ended, in any order, `client_cache` is again
 *   what it was before the first began.
 *
 * Agents that are not ConversableAgents (a custom `Agent` with a plain
 * `client_cache` property) keep AG2's set-and-restore.
 */
import { currentRunContext, withRunContext, type CacheSlot } from "../../core/run-context";

export type { CacheSlot };

/** An agent's cache slots: its own (outside any chat), and those of the chats it takes part in that are running, in the order they started. */
interface AgentSlots {
  own: CacheSlot;
  running: CacheSlot[];
}

/**
 * Where an agent whose `client_cache` is an accessor over slots keeps them:
 * a symbol-keyed property set in its constructor (a WeakMap entry per agent
 * cost ~0.5 µs at each new agent's first chat, and collector work).
 */
const SLOTS = Symbol("ag2ts.cacheSlots");

type SlotHolder = { [SLOTS]?: AgentSlots };

/** Registers `agent` as keeping its cache in slots (its constructor calls this); returns its own slot. */
export function ownCacheSlot(agent: object): CacheSlot {
  const slots: AgentSlots = { own: { cache: null, previous: null }, running: [] };
  // Not enumerable: not shown when the agent is printed, not compared by deep-equality checks.
  Object.defineProperty(agent, SLOTS, { value: slots, configurable: true });
  return slots.own;
}

function slotsOf(agent: object): AgentSlots | undefined {
  return (agent as SlotHolder)[SLOTS];
}

/**
 * The slot `agent.client_cache` reads and writes now: that of the chat
 * running here (innermost) that the agent takes part in, else that of the
 * most recently started chat with it still running, else its own.
 */
export function cacheSlotOf(agent: object): CacheSlot {
  const slots = slotsOf(agent);
  if (slots === undefined) return ownCacheSlot(agent);
  const active = slots.running;
  // In no running chat, or in one (the usual cases), the answer needs no context lookup.
  if (active.length === 0) return slots.own;
  if (active.length === 1) return active[0];
  return currentRunContext().caches?.get(agent) ?? active[active.length - 1];
}

/** `previous_cache`: the cache the agent had before the chat whose slot is current started; null outside chats. */
export function previousCacheOf(agent: object): unknown {
  const slot = cacheSlotOf(agent);
  return slot === slotsOf(agent)?.own ? null : slot.previous;
}

type CacheHolder = { client_cache?: unknown };

/**
 * Runs `fn` as a chat in which each of `agents` uses `cache` (also when it
 * is null: a cache set earlier is suspended for the chat). Each agent gets
 * its earlier cache back when `fn` settles, whatever else ran meanwhile.
 */
export function withChatCache<T>(agents: readonly object[], cache: unknown, fn: () => Promise<T>): Promise<T> {
  return lendChatCache(agents, cache, (caches) => withRunContext({ caches }, fn));
}

/** A chat's cache slots, lent to its agents until `release()` (called once, when the chat has settled). */
export interface CacheLease {
  caches: ReadonlyMap<object, CacheSlot>;
  release(): void;
}

/**
 * Lends each of `agents` a slot holding `cache` for one chat; the caller
 * puts `caches` into the chat's run context and releases the lease when the
 * chat has settled (initiate_chat does both in its own scope: one context
 * and one async step per chat, not two).
 */
export function leaseChatCache(agents: readonly object[], cache: unknown): CacheLease {
  const outer = currentRunContext().caches;
  const caches = outer ? new Map(outer) : new Map<object, CacheSlot>();
  let restores: Array<() => void> | null = null;
  const added: object[] = [];
  for (let i = 0; i < agents.length; i++) {
    const agent = agents[i];
    if (agents.indexOf(agent) !== i) continue; // the same agent twice (a chat with itself)
    const holder = agent as CacheHolder;
    const slots = slotsOf(agent);
    if (slots === undefined) {
      const own = holder.client_cache;
      holder.client_cache = cache;
      (restores ??= []).push(() => (holder.client_cache = own));
      continue;
    }
    const slot: CacheSlot = { cache, previous: holder.client_cache ?? null };
    caches.set(agent, slot);
    added.push(agent);
    slots.running.push(slot);
  }
  const release = () => {
    for (let i = 0; i < added.length; i++) {
      const agent = added[i];
      const slot = caches.get(agent) as CacheSlot;
      const list = (slotsOf(agent) as AgentSlots).running;
      if (list[list.length - 1] === slot) list.pop();
      else list.splice(list.indexOf(slot), 1);
    }
    if (restores) for (let i = restores.length - 1; i >= 0; i--) restores[i]();
  };
  return { caches, release };
}

async function lendChatCache<T>(agents: readonly object[], cache: unknown, fn: (caches: ReadonlyMap<object, CacheSlot>) => Promise<T>): Promise<T> {
  const lease = leaseChatCache(agents, cache);
  try {
    return await fn(lease.caches);
  } finally {
    lease.release();
  }
}
