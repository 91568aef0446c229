/** A `ws` client that records every frame it receives (helper of the IOWebsockets tests, not a test file). */
import WebSocket from "ws";

export class RecordingClient {
  readonly frames: string[] = [];
  readonly ws: WebSocket;
  /** Resolves with the close code and reason once the connection has closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly watchers: Array<() => void> = [];

  private constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on("message", (data, isBinary) => {
      this.frames.push(isBinary ? `<binary ${String(data)}>` : String(data));
      for (const watch of [...this.watchers]) watch();
    });
    this.closed = new Promise((resolve) => this.ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static async connect(url: string): Promise<RecordingClient> {
    const client = new RecordingClient(url);
    await new Promise<void>((resolve, reject) => {
      client.ws.once("open", () => resolve());
      client.ws.once("error", reject);
    });
    return client;
  }

  /** Resolves with the first frame (from the start) that matches; rejects if the connection closes first. */
  frame(match: string | ((frame: string) => boolean)): Promise<string> {
    const test = typeof match === "string" ? (f: string) => f === match : match;
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.frames.find(test);
        if (found === undefined) return false;
        this.watchers.splice(this.watchers.indexOf(watch), 1);
        resolve(found);
        return true;
      };
      const watch = () => void check();
      this.watchers.push(watch);
      if (check()) return;
      void this.closed.then(() => {
        if (this.watchers.includes(watch)) {
          this.watchers.splice(this.watchers.indexOf(watch), 1);
          reject(new Error(`connection closed before a matching frame; frames: ${JSON.stringify(this.frames)}`));
        }
      });
    });
  }

  send(text: string | Buffer): void {
    this.ws.send(text);
  }
}

/** Resolves/rejects from outside: a result an on_connect handler hands to the test. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (err: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
