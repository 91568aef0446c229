/**
 * Writes a job's events (and the state saved with a message) to Redis in
 * order, batching whatever piled up during the previous write into one
 * script call.
 */
import type { AG2Event } from "../io/events";
import type { ChatPosition } from "./continue-chat";
import type { RunStore } from "./store";

interface Item {
  event: string;
  state?: string;
  messages?: number;
  position?: string;
}

export class Recorder {
  private readonly items: Item[] = [];
  private running: Promise<void> | null = null;
  private failure: unknown = null;
  private stopped = false;

  /** `onStop(null)`: the job lost its run to another worker; `onStop(err)`: Redis failed. */
  constructor(
    private readonly store: RunStore,
    private readonly runId: string,
    private readonly owner: string,
    private readonly onStop: (err: unknown) => void,
  ) {}

  push(event: AG2Event, state?: string, position?: ChatPosition): void {
    if (this.stopped) return;
    const item: Item = { event: JSON.stringify(event) };
    if (state !== undefined && position) {
      item.state = state;
      item.messages = position.messages;
      item.position = JSON.stringify(position);
    }
    this.items.push(item);
    this.running ??= this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.items.length > 0 && !this.stopped) {
        const batch = this.items.splice(0);
        const ok = await this.store.record(this.runId, this.owner, batch);
        if (!ok) {
          this.stopped = true;
          this.onStop(null);
        }
      }
    } catch (err) {
      this.stopped = true;
      this.failure = err;
      this.onStop(err);
    } finally {
      this.running = null;
    }
  }

  /** Waits until everything pushed is written; rejects when a write failed. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    if (this.failure) throw this.failure;
  }
}
