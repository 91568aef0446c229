/**
 * The run API (issue #10): a chat started in the background whose events
 * can be read as they happen (`for await (const event of run)`) and whose
 * final result is a promise (`await run.result`). Events stay in the run
 * until it is dropped, so every iterator sees the whole run from its start.
 */
import { subscribe_events, type AG2Event } from "../../io/events";
import type { ChatResult, InitiateChatOptionsOf } from "./chat-result";
import type { ChatAgent } from "../agent/chat-agent";
import { withRunContext } from "../../core/run-context";

export interface ChatRunOptions {
  /** Aborts the run, like `run.abort()`. */
  signal?: AbortSignal;
}

export class ChatRun<T = ChatResult> implements AsyncIterable<AG2Event> {
  /**
   * The final value: for a chat, its ChatResult (an aborted chat resolves
   * with stop_reason "aborted"; a failed chat rejects with the error).
   */
  readonly result: Promise<T>;
  /** Every event so far, in order. */
  readonly events: AG2Event[] = [];
  private readonly controller = new AbortController();
  private settled: { ok: true } | { ok: false; error: unknown } | null = null;
  private wake: Array<() => void> = [];

  /** Starts `fn` at once; see `stream_events`. */
  constructor(fn: (signal: AbortSignal) => Promise<T>, options: ChatRunOptions = {}) {
    const outer = options.signal;
    if (outer) {
      if (outer.aborted) this.controller.abort(outer.reason);
      else outer.addEventListener("abort", () => this.controller.abort(outer.reason), { once: true });
    }
    const signal = this.controller.signal;
    const listener = (event: AG2Event) => {
      this.events.push(event);
      this.notify();
    };
    this.result = subscribe_events(listener, () => withRunContext({ signal, counter: { next: 1 } }, () => fn(signal)));
    this.result.then(
      () => this.finish({ ok: true }),
      (error: unknown) => this.finish({ ok: false, error }),
    );
  }

  /** The signal that `abort()` aborts. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Stops the run: it ends promptly, a chat with stop_reason "aborted". */
  abort(reason?: unknown): void {
    this.controller.abort(reason);
  }

  /** Whether the run has finished (its last event has been recorded). */
  get done(): boolean {
    return this.settled !== null;
  }

  /**
   * Yields every event of the run from its start, waiting for new ones
   * until the run ends; then ends, or throws the run's error.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<AG2Event> {
    let next = 0;
    for (;;) {
      if (next < this.events.length) {
        yield this.events[next++];
        continue;
      }
      const settled = this.settled;
      if (settled !== null) {
        if (!settled.ok) throw settled.error;
        return;
      }
      await new Promise<void>((resolve) => this.wake.push(resolve));
    }
  }

  private finish(settled: { ok: true } | { ok: false; error: unknown }): void {
    this.settled = settled;
    this.notify();
  }

  private notify(): void {
    for (const resolve of this.wake.splice(0)) resolve();
  }
}

/**
 * Runs `fn` as a ChatRun: every event emitted inside it (chats, group
 * chats, nested chats, tools, model usage) reaches the run's iterator.
 * `fn` gets the run's signal; chats started inside use it by default.
 *
 *   const run = stream_events(() => me.initiate_chats(queue));
 *   for await (const event of run) ...;
 *   const results = await run.result;
 */
export function stream_events<T>(fn: (signal: AbortSignal) => Promise<T>, options: ChatRunOptions = {}): ChatRun<T> {
  return new ChatRun(fn, options);
}

/** `sender.initiate_chat_stream(recipient, options)`: initiate_chat as a ChatRun. */
export function initiateChatStream<A extends ChatAgent>(sender: A, recipient: A, options: InitiateChatOptionsOf<A> = {}): ChatRun<ChatResult> {
  return new ChatRun(() => sender.initiate_chat(recipient, options));
}
