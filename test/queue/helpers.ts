/**
 * The queue tests' fleet: a private redis-server on a free 127.0.0.1 port
 * and worker processes (real child processes running fixtures/worker-process.cjs),
 * all stopped by the tests' afterAll.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, connect } from "node:net";
import * as path from "node:path";
import { IOStream, save_conversation, type ChatResult, type ConversationState } from "../../src/index";
import { CapturingIOStream } from "../../src/testing/index";
import { checkSpec } from "../../src/queue/registry";
import { conversations } from "./fixtures/conversations";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.setTimeout(500);
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG"));
    });
    socket.on("error", () => resolve(false));
    socket.on("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts `redis-server --bind 127.0.0.1 --port P --save '' --appendonly no` (shared/TOOLING.md). */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const child = spawn("redis-server", ["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const failed = new Promise<never>((_, reject) =>
    child.on("error", (err) =>
      reject(new Error(`Cannot start redis-server (${err.message}): install it (apt-get install redis-server); CI's .ci/setup.d/20-redis.sh does.`)),
    ),
  );
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  for (let i = 0; i < 100; i++) {
    if (await Promise.race([ping(port), failed])) {
      return {
        url: `redis://127.0.0.1:${port}`,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
          await exited;
        },
      };
    }
    await sleep(50);
  }
  child.kill("SIGKILL");
  throw new Error(`redis-server did not answer on 127.0.0.1:${port}`);
}

export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  exited: Promise<void>;
}

const WORKER = path.join(__dirname, "fixtures/worker-process.cjs");

/** Starts worker processes and waits until each prints "ready". */
export async function startWorkers(url: string, queueName: string, names: string[], env: Record<string, string> = {}): Promise<WorkerProcess[]> {
  return Promise.all(
    names.map(
      (name) =>
        new Promise<WorkerProcess>((resolve, reject) => {
          const child = spawn(process.execPath, [WORKER], {
            env: { ...process.env, QUEUE_REDIS_URL: url, QUEUE_NAME: queueName, WORKER_NAME: name, ...env },
            stdio: ["ignore", "pipe", "pipe"],
          });
          const exited = new Promise<void>((done) => child.on("exit", () => done()));
          let err = "";
          child.stderr!.on("data", (d) => (err += d));
          child.stdout!.on("data", (d) => {
            if (String(d).includes("ready")) resolve({ name, child, exited });
          });
          child.on("exit", (code) => reject(new Error(`worker ${name} exited (${code}) before it was ready: ${err}`)));
        }),
    ),
  );
}

/** Stops workers: SIGTERM (graceful close) or SIGKILL, and waits for them to exit. */
export async function stopWorkers(workers: WorkerProcess[], signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill(signal);
  await Promise.all(workers.map((w) => w.exited));
}

/** The same conversation in this process, with a plain initiate_chat (answers for a person from `inputs`), as JSON. */
export async function runLocally(
  name: string,
  input: unknown,
  inputs: string[] = [],
): Promise<{ result: Record<string, unknown> & Pick<ChatResult, "chat_history" | "summary" | "stop_reason" | "stopped_by" | "human_input">; agents: ConversationState["agents"] }> {
  const spec = checkSpec(name, await conversations.get(name)(input, { runId: "local", cache: null, resumed: false }));
  const { sender, recipient, ...options } = spec;
  const result = await IOStream.set_default(new CapturingIOStream({ inputs }), () => sender.initiate_chat(recipient, options));
  return { result: JSON.parse(JSON.stringify(result)), agents: save_conversation([sender, recipient]).agents };
}
