/**
 * Talking to a Docker engine through dockerode, loaded lazily (an optional
 * peer dependency): connection, reachability, images, and exec output.
 */
import { RuntimeError } from "../errors";
import { emit } from "../io/events";

// Minimal structural types of the dockerode API used here.
export interface DockerExec {
  start(options: { hijack: boolean; stdin: boolean; Tty?: boolean }): Promise<NodeJS.ReadableStream>;
  inspect(): Promise<{ ExitCode: number | null; Running: boolean }>;
}
export interface DockerContainer {
  id: string;
  start(): Promise<unknown>;
  stop(options?: { t?: number }): Promise<unknown>;
  restart(options?: { t?: number }): Promise<unknown>;
  remove(options?: { force?: boolean; v?: boolean }): Promise<unknown>;
  inspect(): Promise<{ State: { Status: string; Running: boolean } }>;
  exec(options: Record<string, unknown>): Promise<DockerExec>;
  wait(): Promise<{ StatusCode: number }>;
  logs(options: Record<string, unknown>): Promise<Buffer | NodeJS.ReadableStream>;
  commit(options: Record<string, unknown>): Promise<unknown>;
}
export interface DockerClient {
  ping(): Promise<unknown>;
  getImage(name: string): { inspect(): Promise<unknown> };
  pull(name: string): Promise<NodeJS.ReadableStream>;
  createContainer(options: Record<string, unknown>): Promise<DockerContainer>;
  getContainer(id: string): DockerContainer;
  modem: {
    demuxStream(stream: NodeJS.ReadableStream, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): void;
    followProgress(stream: NodeJS.ReadableStream, onFinished: (err: Error | null, output: unknown[]) => void): void;
  };
}

/** Where the engine is expected, for error messages. */
export function dockerEndpoint(): string {
  return process.env.DOCKER_HOST || "unix:///var/run/docker.sock";
}

/** A new client for the engine named by DOCKER_HOST (or the default socket). */
export async function connectDocker(): Promise<DockerClient> {
  let mod: unknown;
  try {
    mod = await import("dockerode");
  } catch (cause) {
    throw new RuntimeError(
      "Docker code execution needs the 'dockerode' package: install it (npm install dockerode), " +
        'or run code locally (code_execution_config {use_docker: false} or executor "commandline-local").',
      { cause },
    );
  }
  const Ctor = ((mod as { default?: unknown }).default ?? mod) as new () => DockerClient;
  return new Ctor();
}

/** True when a Docker engine answers a ping (AG2 `is_docker_running`). */
export async function is_docker_running(): Promise<boolean> {
  try {
    const docker = await connectDocker();
    await docker.ping();
    return true;
  } catch {
    return false;
  }
}

/**
 * True inside a container (AG2 `in_docker_container`: `/.dockerenv` exists);
 * the legacy path then runs code locally, the container being the sandbox.
 * ag2ts: env AG2TS_IN_CONTAINER=0/false/no (or 1/true/yes) overrides the
 * detection, e.g. in a CI container that has its own Docker engine.
 */
export async function in_docker_container(): Promise<boolean> {
  const override = (process.env.AG2TS_IN_CONTAINER ?? "").toLowerCase();
  if (["0", "false", "no", "f"].includes(override)) return false;
  if (["1", "true", "yes", "t"].includes(override)) return true;
  const fs = await import("node:fs");
  return fs.existsSync("/.dockerenv");
}

/** A client whose engine answered a ping, or a RuntimeError saying how to fix it. */
export async function connectReachableDocker(): Promise<DockerClient> {
  const docker = await connectDocker();
  try {
    await docker.ping();
  } catch (cause) {
    throw new RuntimeError(
      `Docker is not reachable at ${dockerEndpoint()} (${(cause as Error)?.message ?? cause}). ` +
        "Start Docker (or set DOCKER_HOST to a running engine), or use LocalCommandLineCodeExecutor to run code locally.",
      { cause },
    );
  }
  return docker;
}

export async function imageExists(docker: DockerClient, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch {
    return false;
  }
}

/** Pulls `image` (errors propagate); prints AG2's "Pulling image" line. */
export async function pullImage(docker: DockerClient, image: string): Promise<void> {
  emit({ type: "note", text: `Pulling image ${image}` });
  const stream = await docker.pull(image);
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err) => (err ? reject(err) : resolve()));
  });
}

/** Makes sure `image` is present, pulling it only when it is missing locally. */
export async function ensureImage(docker: DockerClient, image: string): Promise<void> {
  if (await imageExists(docker, image)) return;
  await pullImage(docker, image);
}

/**
 * Reads an exec/attach stream to its end. Without a TTY the stream is
 * multiplexed: frames are demultiplexed (dockerode `demuxStream`) into
 * stdout and stderr, and `combined` keeps both in arrival order.
 */
export async function collectDemuxed(
  docker: DockerClient,
  stream: NodeJS.ReadableStream,
  tty: boolean,
): Promise<{ stdout: string; stderr: string; combined: string }> {
  const { Writable } = await import("node:stream");
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const all: Buffer[] = [];
  const sink = (target: Buffer[]) =>
    new Writable({
      write(chunk: Buffer, _enc, callback) {
        const copy = Buffer.from(chunk);
        target.push(copy);
        all.push(copy);
        callback();
      },
    });
  await new Promise<void>((resolve, reject) => {
    if (tty) stream.pipe(sink(out));
    else docker.modem.demuxStream(stream, sink(out), sink(err));
    stream.on("end", () => resolve());
    stream.on("close", () => resolve());
    stream.on("error", reject);
  });
  const text = (parts: Buffer[]) => Buffer.concat(parts).toString("utf8");
  return { stdout: text(out), stderr: text(err), combined: text(all) };
}
