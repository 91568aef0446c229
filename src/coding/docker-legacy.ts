/**
 * The Docker half of the legacy `execute_code` (spec 50 §2.4): one new
 * container per call, committed afterwards so later blocks build on the
 * previous state (AG2 behaviour).
 */
import { AbortError, RuntimeError } from "../errors";
import { emit } from "../io/events";
import { collectDemuxed, connectReachableDocker, imageExists, pullImage, type DockerClient } from "./docker-client";

export const DEFAULT_DOCKER_IMAGES = ["python:3-slim", "python:3", "python:3-windowsservercore"];

/** A file name turned into a valid Docker tag (AG2 `_sanitize_filename_for_docker_tag`). */
export function sanitizeFilenameForDockerTag(filename: string): string {
  let tag = filename.replace(/[^A-Za-z0-9_.-]/g, "_");
  if (/^[.-]/.test(tag)) tag = "_" + tag.slice(1);
  return tag.slice(0, 128);
}

/** The command inside the image for a language (AG2 `_cmd` as seen by the container). */
function imageCommand(lang: string): string {
  if (lang === "python" || lang === "Python" || lang === "py") return "python";
  if (lang === "shell") return "sh";
  if (lang === "javascript") return "node";
  if (lang === "ps1" || lang === "pwsh" || lang === "powershell") return "pwsh";
  return lang;
}

async function pickImage(docker: DockerClient, use_docker: true | string | string[]): Promise<string> {
  const candidates = use_docker === true ? DEFAULT_DOCKER_IMAGES : typeof use_docker === "string" ? [use_docker] : use_docker;
  for (const image of candidates) {
    if (await imageExists(docker, image)) return image;
    try {
      await pullImage(docker, image);
      return image;
    } catch {
      emit({ type: "note", text: `Failed to pull image ${image}` });
    }
  }
  throw new RuntimeError(`No Docker image is available to run code: tried ${candidates.join(", ")}. Build or pull one of them, or set use_docker to an image you have.`);
}

export interface DockerRunOptions {
  filename: string;
  autoNamed: boolean;
  lang: string;
  workDir: string;
  timeout: number;
  use_docker: true | string | string[];
  signal?: AbortSignal;
}

/** Runs `filename` (relative to workDir) in a fresh container. Returns `[exit_code, logs, image]`. */
export async function runInDocker(options: DockerRunOptions): Promise<[number, string, string | null]> {
  const docker = await connectReachableDocker();
  const image = await pickImage(docker, options.use_docker);
  const marker = `exitcode${Math.floor(Date.now() / 1000)}`;
  const script = `${imageCommand(options.lang)} "${options.filename}"; exit_code=$?; echo -n ${marker}; echo -n $exit_code; echo ${marker}`;
  const container = await docker.createContainer({
    Image: image,
    Cmd: ["sh", "-c", script],
    WorkingDir: "/workspace",
    Tty: false,
    HostConfig: { Binds: [`${options.workDir}:/workspace:rw`] },
  });
  const removeContainer = async () => {
    await container.stop({ t: 0 }).catch(() => undefined);
    await container.remove({ force: true }).catch(() => undefined);
  };
  let outcome: "done" | "timeout" | "aborted";
  try {
    await container.start();
    outcome = await new Promise<"done" | "timeout" | "aborted">((resolve, reject) => {
      const timer = setTimeout(() => resolve("timeout"), options.timeout * 1000);
      const onAbort = () => resolve("aborted");
      options.signal?.addEventListener("abort", onAbort, { once: true });
      if (options.signal?.aborted) onAbort();
      container.wait().then(
        () => resolve("done"),
        (err) => reject(err),
      ).finally(() => {
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
      });
    });
  } catch (err) {
    await removeContainer();
    throw err;
  }
  if (outcome === "aborted") {
    await removeContainer();
    throw new AbortError("Code execution was aborted; its container was removed.", { cause: options.signal?.reason });
  }
  if (outcome === "timeout") {
    await removeContainer();
    return [1, "Timeout", image];
  }
  const raw = await container.logs({ stdout: true, stderr: true, follow: false });
  let logs: string;
  if (Buffer.isBuffer(raw)) {
    const { Readable } = await import("node:stream");
    logs = (await collectDemuxed(docker, Readable.from([raw]), false)).combined;
  } else {
    logs = (await collectDemuxed(docker, raw, false)).combined;
  }
  logs = logs.trimEnd();
  const tag = sanitizeFilenameForDockerTag(options.filename);
  await container.commit({ repo: "python", tag });
  await container.remove({ force: true }).catch(() => undefined);
  const pattern = new RegExp(`${marker}(\\d+)${marker}`);
  const m = pattern.exec(logs);
  const exit_code = m ? Number(m[1]) : 1;
  if (m) logs = logs.replace(new RegExp(`${marker}(\\d+)${marker}`, "g"), "");
  if (exit_code !== 0) logs = logs.split(`/workspace/${options.autoNamed ? options.filename : ""}`).join("");
  return [exit_code, logs, `python:${tag}`];
}
