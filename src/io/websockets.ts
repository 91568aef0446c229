/**
 * IOWebsockets: an IOStream over one WebSocket connection (spec 60 §2.3,
 * AG2 io/websockets.py), and a server that gives every connection its own.
 *
 * - `print` sends the printed text (objects joined by `sep`, plus `end`) as
 *   one text frame, as AG2 0.2 does;
 * - `send(event)` sends an event object as one JSON text frame;
 * - `input(prompt)` sends the prompt (when not empty) and resolves with the
 *   next frame the client sends (binary frames decoded as UTF-8).
 *
 * `IOWebsockets.run_server({ on_connect })` runs `on_connect(iostream)` per
 * connection with the iostream as the default IOStream of everything it
 * runs (concurrent connections never see each other's output), and with
 * the connection's abort signal as the run's: a chat started there ends
 * with stop_reason "aborted" when the client goes away.
 *
 * Node only: the optional `ws` package is loaded when a server starts, so
 * importing ag2ts never loads it.
 */
import { AbortError, RuntimeError, ValueError } from "../errors";
import { is, validateOptions, type Check } from "../options";
import { log } from "../warnings";
import { abortErrorOf, withRunContext } from "../core/run-context";
import { formatPrint, IOStream, type Awaitable } from "./base";

/** The part of a WebSocket (the `ws` package's, server side) IOWebsockets uses. */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  terminate?(): void;
  on(event: string, listener: (...args: any[]) => void): unknown;
}

const OPEN = 1;
const CLOSED = 3;

/** Text of a received frame: a string, or bytes (a Buffer, an ArrayBuffer, or fragments). */
function frameText(data: unknown): string {
  if (typeof data === "string") return data;
  const decoder = new TextDecoder();
  if (Array.isArray(data)) return data.map((part) => decoder.decode(part as Uint8Array, { stream: true })).join("") + decoder.decode();
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return decoder.decode(data as ArrayBuffer);
  return String(data);
}

interface Waiter {
  resolve(text: string): void;
  reject(err: unknown): void;
}

export class IOWebsockets implements IOStream {
  /** The connection this stream reads and writes. */
  readonly websocket: WebSocketLike;
  /** Output is shown by a web page, not a terminal: no ANSI colours. */
  readonly supports_color = false;
  private readonly frames: string[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly controller = new AbortController();

  constructor(websocket: WebSocketLike) {
    if (websocket === null || typeof websocket !== "object" || typeof websocket.send !== "function" || typeof websocket.on !== "function") {
      throw new ValueError("IOWebsockets: websocket must be a WebSocket of the 'ws' package (an object with send() and on()).");
    }
    this.websocket = websocket;
    websocket.on("message", (data: unknown) => this.received(frameText(data)));
    websocket.on("close", (code: number) => this.ended(code));
    // A protocol error is followed by "close"; without a listener it would crash the process.
    websocket.on("error", () => {});
    if (websocket.readyState === CLOSED) this.ended(1006);
  }

  /**
   * Aborts when the connection closes (its reason a RuntimeError naming the
   * close code); chats started by `on_connect` run with it.
   */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether the connection has closed. */
  get closed(): boolean {
    return this.controller.signal.aborted;
  }

  /** Sends the printed text as one text frame (nothing once the connection is closed). */
  print(...objects: unknown[]): void {
    this.write(formatPrint(objects).text);
  }

  /** Sends an event (e.g. an AG2Event from `subscribe_events`) as one JSON text frame. */
  send(event: { type: string; [k: string]: unknown }): void {
    this.write(JSON.stringify(event));
  }

  /**
   * Sends `prompt` (when not empty), then resolves with the next frame the
   * client sends. Frames that arrived while nobody waited are answered
   * first, in order. Rejects with AbortError once the connection is closed.
   */
  input(prompt = "", _options: { password?: boolean } = {}): Promise<string> {
    if (prompt !== "") this.write(prompt);
    const queued = this.frames.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.closed) return Promise.reject(this.closedError());
    return new Promise<string>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private write(text: string): void {
    if (this.websocket.readyState === OPEN) this.websocket.send(text);
  }

  private received(text: string): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(text);
    else this.frames.push(text);
  }

  private ended(code: number): void {
    if (this.closed) return;
    // The signal first: a chat waiting for input sees an abort, not a failed input.
    this.controller.abort(new RuntimeError(`the websocket connection closed (code ${code})`, { code }));
    const err = this.closedError();
    for (const waiter of this.waiters.splice(0)) waiter.reject(err);
  }

  private closedError(): AbortError {
    return abortErrorOf(this.controller.signal);
  }

  /** Starts a WebSocket server; see `IOWebsocketsServerOptions`. With `body`, the server is closed once `body(url)` settles. */
  static run_server(options: IOWebsocketsServerOptions, body?: (url: string) => Awaitable<unknown>): Promise<IOWebsocketsServer> {
    return runServer(options, body);
  }

  /** AG2's name of `run_server` (there is no thread in JavaScript: the server runs on the event loop). */
  static run_server_in_thread(options: IOWebsocketsServerOptions, body?: (url: string) => Awaitable<unknown>): Promise<IOWebsocketsServer> {
    return runServer(options, body);
  }
}

export interface IOWebsocketsServerOptions {
  /** Runs once per connection, typically creating agents and starting a chat; the connection closes when it settles. */
  on_connect: (iostream: IOWebsockets) => Awaitable<unknown>;
  /** Interface to listen on (default "127.0.0.1"). */
  host?: string;
  /** Port to listen on (default 8765, AG2's); 0 picks a free one (read it from the handle). */
  port?: number;
  /** Called when `on_connect` throws or rejects (not for aborts); default: a logged warning. */
  on_error?: (error: unknown, iostream: IOWebsockets) => void;
}

/** A running IOWebsockets server. */
export interface IOWebsocketsServer {
  /** `ws://<host>:<port>`. */
  readonly url: string;
  /** The same as `url` (AG2 yields it as the uri). */
  readonly uri: string;
  readonly host: string;
  readonly port: number;
  /** Connections open now. */
  readonly connections: number;
  /**
   * Stops listening, closes every connection (their chats end as aborted)
   * and resolves once the port is free and every `on_connect` has settled.
   */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const SERVER_OPTIONS: Record<keyof IOWebsocketsServerOptions, Check> = {
  on_connect: is.function,
  host: is.string,
  port: (v) => (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535 ? null : "an integer from 0 to 65535"),
  on_error: is.function,
};

interface WsServer {
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
  address(): { port: number } | string | null;
  close(cb?: (err?: Error) => void): void;
}
type WsServerClass = new (options: { host: string; port: number }) => WsServer;

async function loadWs(): Promise<WsServerClass> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import("ws")) as unknown as Record<string, unknown>;
  } catch (cause) {
    throw new RuntimeError(
      'IOWebsockets.run_server needs the optional package "ws", which is not installed. Install it with: npm install ws',
      { cause },
    );
  }
  const fallback = mod.default as Record<string, unknown> | undefined;
  const Server = mod.WebSocketServer ?? fallback?.WebSocketServer ?? fallback?.Server;
  if (typeof Server !== "function") throw new RuntimeError('IOWebsockets.run_server: the installed "ws" package has no WebSocketServer (ws 8 or later is needed).');
  return Server as WsServerClass;
}

function listen(wss: WsServer, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      wss.off("listening", onListening);
      const message =
        err.code === "EADDRINUSE"
          ? `${host}:${port} is in use: choose another port (option 'port'; 0 picks a free one).`
          : `cannot listen on ${host}:${port}: ${err.message}`;
      reject(new RuntimeError(`IOWebsockets.run_server: ${message}`, { cause: err }));
    };
    const onListening = () => {
      wss.off("error", onError);
      resolve();
    };
    wss.on("error", onError);
    wss.on("listening", onListening);
  });
}

/** Closes one connection politely (code 1001), destroying it if the client does not answer within a second. */
function hangUp(socket: WebSocketLike): Promise<void> {
  if (socket.readyState === CLOSED) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => socket.terminate?.(), 1000);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve();
    });
    socket.close(1001, "server closing");
  });
}

async function runServer(options: IOWebsocketsServerOptions, body?: (url: string) => Awaitable<unknown>): Promise<IOWebsocketsServer> {
  if (options === null || typeof options !== "object") throw new ValueError("IOWebsockets.run_server: options must be an object with on_connect.");
  validateOptions("IOWebsockets.run_server", options, SERVER_OPTIONS);
  if (options.on_connect === undefined) {
    throw new ValueError("IOWebsockets.run_server: option 'on_connect' is required: a function (iostream) => ... run for each connection.", { option: "on_connect" });
  }
  if (body !== undefined && typeof body !== "function") throw new ValueError("IOWebsockets.run_server: body must be a function (url) => ...");
  const host = options.host ?? "127.0.0.1";
  const asked = options.port ?? 8765;
  const Server = await loadWs();
  const wss = new Server({ host, port: asked });
  await listen(wss, host, asked);

  const sockets = new Set<WebSocketLike>();
  const running = new Set<Promise<void>>();
  const report = options.on_error ?? ((err: unknown) => log("warning", `IOWebsockets: on_connect failed: ${err instanceof Error ? err.message : String(err)}`));
  wss.on("error", (err: Error) => log("warning", `IOWebsockets: server error: ${err.message}`));
  wss.on("connection", (socket: WebSocketLike) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    const io = new IOWebsockets(socket);
    const handled = IOStream.set_default(io, () => withRunContext({ signal: io.signal }, async () => {
      await options.on_connect(io);
    })).then(
      () => socket.close(1000),
      (err: unknown) => {
        if (!io.closed) {
          try {
            report(err, io);
          } catch (inner) {
            log("warning", `IOWebsockets: on_error failed: ${inner instanceof Error ? inner.message : String(inner)}`);
          }
        }
        socket.close(1011, "on_connect failed");
      },
    );
    running.add(handled);
    void handled.finally(() => running.delete(handled));
  });

  const address = wss.address();
  const port = typeof address === "object" && address !== null ? address.port : asked;
  const url = `ws://${host.includes(":") ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => wss.close(() => resolve()));
      await Promise.all([...sockets].map(hangUp));
      await stopped;
      while (running.size > 0) await Promise.all([...running]);
    })();
    return closing;
  };
  const handle: IOWebsocketsServer = {
    url,
    uri: url,
    host,
    port,
    get connections() {
      return sockets.size;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
  if (body !== undefined) {
    try {
      await body(url);
    } finally {
      await close();
    }
  }
  return handle;
}
