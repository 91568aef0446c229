/**
 * The reply-function chain (spec 10 §7): registration, trigger matching and
 * the runner used by `generate_reply`.
 */
import { isThenable } from "../../thenable";
import { SenderRequiredError, ValueError, throwIfAborted } from "../../errors";
import { Agent } from "../../core/agent";
import { abortable, currentRunContext, within, type RunContext } from "../../core/run-context";
import type { Awaitable, Message, ReplyValue } from "../../core/types";

/**
 * A reply function of an agent of type `A` (the public `ReplyFunction` is
 * that of ConversableAgent). The chain calls it with the agent it belongs to.
 */
export type ReplyFunctionOf<A> = (
  recipient: A,
  messages?: Message[] | null,
  sender?: Agent | null,
  config?: unknown,
) => Awaitable<[boolean, ReplyValue]>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AgentClass = abstract new (...args: any[]) => Agent;

export type Trigger = AgentClass | string | Agent | ((sender: Agent | null) => boolean) | null | Trigger[];

export interface ReplyFuncEntryOf<A> {
  trigger: Trigger;
  // Method syntax: an entry of a ConversableAgent's chain is also one of an agent seen as its ChatAgent shape.
  reply_func(recipient: A, messages?: Message[] | null, sender?: Agent | null, config?: unknown): Awaitable<[boolean, ReplyValue]>;
  config: unknown;
  init_config: unknown;
  reset_config: ((config: unknown) => void) | null;
  ignore_async_in_sync_chat: boolean;
}

export interface RegisterReplyOptions {
  position?: number;
  config?: unknown;
  reset_config?: ((config: unknown) => void) | null;
  ignore_async_in_sync_chat?: boolean;
  remove_other_reply_funcs?: boolean;
}

/** Copies plain objects and arrays one level; class instances stay by reference. */
export function shallowCopy<T>(value: T): T {
  if (Array.isArray(value)) return [...value] as T;
  if (value !== null && typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) return { ...(value as object) } as T;
  }
  return value;
}

const signalAware = new WeakSet<Function>();


/**
 * Marks a reply function as one that stops by itself when the chat's signal
 * aborts (the built-in replies, nested chats, the group chat loop). Other
 * reply functions are abandoned at once on abort, so user code that ignores
 * the signal cannot keep an aborted chat waiting.
 */
export function markSignalAware<F extends Function>(fn: F): F {
  signalAware.add(fn);
  return fn;
}

/** Python `list.insert` index semantics. */
export function insertIndex(position: number, length: number): number {
  const index = position < 0 ? length + position : position;
  return Math.min(Math.max(index, 0), length);
}

const classTriggers = new WeakMap<Function, boolean>();

/** Whether a function trigger is a class (matched with instanceof) rather than a predicate; remembered per function. */
function isClassTrigger(fn: Function): boolean {
  if (fn === Agent) return true;
  let known = classTriggers.get(fn);
  if (known === undefined) {
    known =
      (fn.prototype instanceof Object && Object.prototype.isPrototypeOf.call(Agent.prototype, fn.prototype)) ||
      /^class[\s{]/.test(Function.prototype.toString.call(fn));
    classTriggers.set(fn, known);
  }
  return known;
}

function isValidTrigger(trigger: unknown): boolean {
  return (
    trigger === null ||
    typeof trigger === "string" ||
    typeof trigger === "function" ||
    Array.isArray(trigger) ||
    trigger instanceof Agent
  );
}

/** `who instanceof Agent`: an Agent subclass's instance by its prototype chain (one builtin call), else Agent's structural check. */
function isAgent(who: Agent | null): boolean {
  return who !== null && (Object.prototype.isPrototypeOf.call(Agent.prototype, who) || who instanceof Agent);
}

/** Whether `trigger` selects `sender` (spec 10 §7.2). */
export function matchTrigger(trigger: Trigger, sender: Agent | null | undefined): boolean {
  const who = sender ?? null;
  if (trigger === null) return who === null;
  if (typeof trigger === "string") {
    if (who === null) throw new SenderRequiredError();
    return trigger === who.name;
  }
  if (Array.isArray(trigger)) {
    // The default trigger [Agent, null] of every built-in reply is matched without a call per item.
    for (let i = 0; i < trigger.length; i++) {
      const item = trigger[i];
      if (item === null ? who === null : item === Agent ? isAgent(who) : matchTrigger(item, who)) return true;
    }
    return false;
  }
  if (typeof trigger === "function") {
    if (trigger === Agent) return isAgent(who);
    if (isClassTrigger(trigger)) return who !== null && who instanceof (trigger as AgentClass);
    const result = (trigger as (s: Agent | null) => unknown)(who);
    if (typeof result !== "boolean") {
      throw new ValueError(`trigger ${trigger.name || String(trigger)} must return a boolean value.`);
    }
    return result;
  }
  if (trigger instanceof Agent) return trigger === who;
  throw new ValueError(`Unsupported trigger type: ${typeof trigger}`);
}

/** The list of reply functions of one agent. */
export class ReplyChain<A> {
  readonly entries: ReplyFuncEntryOf<A>[] = [];

  register(trigger: Trigger, reply_func: ReplyFunctionOf<A>, options: RegisterReplyOptions = {}): void {
    if (!isValidTrigger(trigger)) {
      throw new ValueError("trigger must be a class, a string, an agent, a callable or a list.");
    }
    if (typeof reply_func !== "function") {
      throw new ValueError(`reply_func must be a function, got ${typeof reply_func}.`);
    }
    if (options.remove_other_reply_funcs) this.entries.length = 0;
    const config = options.config ?? null;
    const entry: ReplyFuncEntryOf<A> = {
      trigger,
      reply_func,
      config: shallowCopy(config),
      init_config: config,
      reset_config: options.reset_config ?? null,
      ignore_async_in_sync_chat: options.ignore_async_in_sync_chat ?? false,
    };
    this.entries.splice(insertIndex(options.position ?? 0, this.entries.length), 0, entry);
  }

  replace(oldFunc: ReplyFunctionOf<A>, newFunc: ReplyFunctionOf<A>): void {
    for (const entry of this.entries) if (entry.reply_func === oldFunc) entry.reply_func = newFunc;
  }

  /** Restores each entry's config (spec 10 §7.5). */
  resetConfigs(): void {
    for (const entry of this.entries) {
      if (entry.reset_config) entry.reset_config(entry.config);
      else entry.config = shallowCopy(entry.init_config);
    }
  }

  /**
   * Runs the matching entries in order; the first final answer wins.
   * Returns undefined when no entry is final.
   */
  run(
    agent: A,
    messages: Message[] | null,
    sender: Agent | null,
    exclude: ReadonlyArray<unknown>,
    onExecuted?: OnExecuted<A>,
  ): Awaitable<ChainResult> {
    // Snapshot: a reply function may register others while the chain runs.
    return runEntries({ entries: [...this.entries], agent, messages, sender, exclude, onExecuted, context: currentRunContext() }, 0);
  }
}

type OnExecuted<A> = (entry: ReplyFuncEntryOf<A>, final: boolean, reply: ReplyValue) => void;
type ChainResult = { reply: ReplyValue } | undefined;

interface ChainRun<A> {
  entries: ReplyFuncEntryOf<A>[];
  agent: A;
  messages: Message[] | null;
  sender: Agent | null;
  exclude: ReadonlyArray<unknown>;
  onExecuted?: OnExecuted<A>;
  /** The run context the chain started in (its continuations after an await re-enter it). */
  context: RunContext;
}

/**
 * Runs the entries from `start` on. Synchronous while the reply functions
 * answer synchronously (the built-in ones do when they do not apply); the
 * first promise moves the rest of the run into `finishEntry`.
 */
function runEntries<A>(run: ChainRun<A>, start: number): Awaitable<ChainResult> {
  const { entries, agent, messages, sender, exclude } = run;
  for (let i = start; i < entries.length; i++) {
    const entry = entries[i];
    if (exclude.length > 0 && exclude.includes(entry.reply_func)) continue;
    if (!matchTrigger(entry.trigger, sender)) continue;
    const signal = run.context.signal;
    const pending = entry.reply_func(agent, messages, sender, entry.config);
    if (isThenable(pending)) return finishEntry(run, i, pending as PromiseLike<[boolean, ReplyValue]>, signal);
    // Indexed, not destructured: array destructuring runs the iterator protocol until the JIT optimizes it.
    const final = pending[0];
    const reply = pending[1];
    if (signal !== undefined) throwIfAborted(signal);
    if (run.onExecuted !== undefined) run.onExecuted(entry, final, reply);
    if (final) return { reply };
  }
  return undefined;
}

async function finishEntry<A>(run: ChainRun<A>, i: number, pending: PromiseLike<[boolean, ReplyValue]>, signal: AbortSignal | undefined): Promise<ChainResult> {
  const entry = run.entries[i];
  const answer = await (signalAware.has(entry.reply_func) ? pending : abortable(Promise.resolve(pending), signal));
  const final = answer[0];
  const reply = answer[1];
  throwIfAborted(signal);
  run.onExecuted?.(entry, final, reply);
  if (final) return { reply };
  return within(run.context, () => runEntries(run, i + 1));
}
