/**
 * Runs code blocks in one Docker container per executor (spec 50 §5; AG2
 * DockerCommandLineCodeExecutor). The container starts lazily on the first
 * execution (or `await executor.start()`), code files are written to
 * `work_dir` on the host, which is bound at `/workspace`, and each block is
 * one `exec` inside the container.
 */
import { currentSignal } from "../core/run-context";
import { AbortError, ValueError } from "../errors";
import { is, validateOptions } from "../options";
import { CommandLineCodeResult, type CodeBlock, type CodeExecutor, type ExecuteCodeBlocksOptions } from "./base";
import { trackContainer, untrackContainer } from "./docker-cleanup";
import { collectDemuxed, connectReachableDocker, ensureImage, type DockerClient, type DockerContainer } from "./docker-client";
import { MarkdownCodeExtractor } from "./markdown-code-extractor";
import { createWorkDirSync } from "./node-builtins";
import { fileNameFromFirstLine, md5Hex, resolveInWorkspace, silence_pip } from "./utils";
import { DEFAULT_EXECUTION_POLICY } from "./execution-policy";

export interface DockerCommandLineCodeExecutorOptions {
  /** Image to run; pulled only when missing locally. Default "python:3-slim". */
  image?: string;
  /** Default "autogen-code-exec-<uuid4>". */
  container_name?: string | null;
  /** Seconds per code block (enforced with `timeout` inside the container); at least 1. Default 60. */
  timeout?: number;
  /** Host directory for code files; created (with its parents) by the constructor. Default ".". */
  work_dir?: string;
  /** Host path bound at /workspace (Docker-in-Docker); default work_dir. */
  bind_dir?: string | null;
  /** Remove the container when it stops. Default true. */
  auto_remove?: boolean;
  /** Stop the container at process exit. Default true. */
  stop_container?: boolean;
  /** Per-language run (true) or save-only (false), merged over DEFAULT_EXECUTION_POLICY. */
  execution_policies?: Record<string, boolean> | null;
}

const OPTION_CHECKS = {
  image: is.string,
  container_name: is.nullable(is.string),
  timeout: is.number,
  work_dir: is.string,
  bind_dir: is.nullable(is.string),
  auto_remove: is.boolean,
  stop_container: is.boolean,
  execution_policies: is.nullable(is.object),
};

const LANGUAGE_ALIASES: Record<string, string> = { py: "python", js: "javascript" };

/** Program that runs a language inside the container. */
function containerCommand(lang: string): string {
  if (lang === "python") return "python";
  if (lang === "shell") return "sh";
  if (lang === "javascript") return "node";
  if (lang === "ps1" || lang === "powershell") return "pwsh";
  return lang;
}

/** Polls every 0.1 s, up to 60 s, for status "running"; else ValueError(message). */
async function waitUntilRunning(container: DockerContainer, message: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const info = await container.inspect().catch(() => null);
    if (info?.State.Status === "running") return;
    if (Date.now() > deadline || info === null) throw new ValueError(message);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const asyncDispose: symbol = (Symbol as unknown as { asyncDispose?: symbol }).asyncDispose ?? Symbol.for("Symbol.asyncDispose");

export class DockerCommandLineCodeExecutor implements CodeExecutor {
  static DEFAULT_EXECUTION_POLICY: Record<string, boolean> = { ...DEFAULT_EXECUTION_POLICY };

  readonly image: string;
  readonly container_name: string;
  readonly timeout: number;
  readonly work_dir: string;
  readonly bind_dir: string;
  readonly auto_remove: boolean;
  readonly stop_container: boolean;
  readonly execution_policies: Record<string, boolean>;
  readonly code_extractor = new MarkdownCodeExtractor();
  private docker: DockerClient | null = null;
  private container: DockerContainer | null = null;
  private starting: Promise<void> | null = null;

  constructor(options: DockerCommandLineCodeExecutorOptions = {}) {
    validateOptions("DockerCommandLineCodeExecutor", options, OPTION_CHECKS);
    const timeout = options.timeout ?? 60;
    if (timeout < 1) throw new ValueError("Timeout must be greater than or equal to 1.");
    this.image = options.image ?? "python:3-slim";
    this.container_name = options.container_name ?? `autogen-code-exec-${globalThis.crypto.randomUUID()}`;
    this.timeout = timeout;
    this.work_dir = options.work_dir ?? ".";
    this.bind_dir = options.bind_dir ?? this.work_dir;
    this.auto_remove = options.auto_remove ?? true;
    this.stop_container = options.stop_container ?? true;
    this.execution_policies = { ...DockerCommandLineCodeExecutor.DEFAULT_EXECUTION_POLICY, ...(options.execution_policies ?? {}) };
    // As AG2's __init__ (which also starts the container there; ag2ts starts it lazily).
    createWorkDirSync("DockerCommandLineCodeExecutor", this.work_dir);
  }

  /** The container's id once started, else null. */
  get container_id(): string | null {
    return this.container?.id ?? null;
  }

  /** Starts the container (idempotent); execute_code_blocks calls it. */
  start(): Promise<void> {
    this.starting ??= this.doStart().catch((err) => {
      this.starting = null;
      throw err;
    });
    return this.starting;
  }

  private async doStart(): Promise<void> {
    const path = await import("node:path");
    const fs = await import("node:fs");
    await fs.promises.mkdir(path.resolve(this.work_dir), { recursive: true });
    const docker = await connectReachableDocker();
    await ensureImage(docker, this.image);
    const container = await docker.createContainer({
      Image: this.image,
      name: this.container_name,
      Entrypoint: ["/bin/sh"],
      Tty: true,
      // Keeps the init shell blocked on an open stdin, also after a restart.
      OpenStdin: true,
      WorkingDir: "/workspace",
      HostConfig: { Binds: [`${path.resolve(this.bind_dir)}:/workspace:rw`], AutoRemove: this.auto_remove },
    });
    await container.start();
    await waitUntilRunning(container, "Container failed to start");
    this.docker = docker;
    this.container = container;
    if (this.stop_container) trackContainer(container.id, () => this.stop());
  }

  private async exec(cmd: string[], signal: AbortSignal | undefined): Promise<{ exit_code: number; output: string; aborted: boolean }> {
    const container = this.container as DockerContainer;
    const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, Tty: false, WorkingDir: "/workspace" });
    const stream = await exec.start({ hijack: true, stdin: false });
    let aborted = false;
    const killAll = () => {
      // Kill every process in the container except its init shell.
      void container.exec({ Cmd: ["sh", "-c", "kill -9 -1"], Tty: false }).then((k) => k.start({ hijack: true, stdin: false })).catch(() => undefined);
    };
    const onAbort = () => {
      aborted = true;
      killAll();
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    // Backstop in case `timeout` inside the image misbehaves.
    const guard = setTimeout(killAll, (this.timeout + 10) * 1000);
    try {
      if (signal?.aborted) onAbort();
      const { combined } = await collectDemuxed(this.docker as DockerClient, stream, false);
      const info = await exec.inspect();
      return { exit_code: info.ExitCode ?? 1, output: combined, aborted };
    } finally {
      clearTimeout(guard);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  async execute_code_blocks(code_blocks: CodeBlock[], options: ExecuteCodeBlocksOptions = {}): Promise<CommandLineCodeResult> {
    if (code_blocks.length === 0) throw new ValueError("No code blocks to execute.");
    const signal = options.signal ?? currentSignal();
    if (signal?.aborted) throw new AbortError("Code execution was aborted before it started.", { cause: signal.reason });
    await this.start();
    const path = await import("node:path");
    const fs = await import("node:fs");
    const workDir = path.resolve(this.work_dir);
    const outputs: string[] = [];
    let exit_code = 0;
    let code_file: string | null = null;
    for (const block of code_blocks) {
      const lower = block.language.toLowerCase();
      const lang = LANGUAGE_ALIASES[lower] ?? lower;
      if (!(lang in this.execution_policies)) {
        outputs.push(`Unsupported language ${lang}\n`);
        exit_code = 1;
        break;
      }
      const code = silence_pip(block.code, lang);
      const requested = fileNameFromFirstLine(code);
      let relative: string;
      if (requested !== null) {
        const resolved = await resolveInWorkspace(workDir, requested);
        if (resolved.kind === "outside") {
          outputs.push("Filename is not in the workspace");
          exit_code = 1;
          break;
        }
        relative = resolved.relative;
      } else {
        relative = `tmp_code_${await md5Hex(code)}.${lang === "python" ? "py" : lang}`;
      }
      const written = path.join(workDir, relative);
      await fs.promises.mkdir(path.dirname(written), { recursive: true });
      await fs.promises.writeFile(written, code, "utf8");
      code_file ??= written;
      if (!this.execution_policies[lang]) {
        outputs.push(`Code saved to ${written}\n`);
        continue;
      }
      const inContainer = relative.split(path.sep).join("/");
      const r = await this.exec(["timeout", String(this.timeout), containerCommand(lang), inContainer], signal);
      if (r.aborted) throw new AbortError("Code execution was aborted; its processes in the container were killed.", { cause: signal?.reason });
      outputs.push(r.output);
      exit_code = r.exit_code;
      if (exit_code === 124) outputs.push("\nTimeout");
      if (exit_code !== 0) break;
    }
    return new CommandLineCodeResult({ exit_code, output: outputs.join(""), code_file });
  }

  /** Restarts the container (starting it when needed). */
  async restart(): Promise<void> {
    if (!this.container) {
      await this.start();
      return;
    }
    await this.container.restart({ t: 0 });
    await waitUntilRunning(this.container, "Failed to restart container");
  }

  /** Stops the container (removed too with auto_remove); waits until it is gone. */
  async stop(): Promise<void> {
    const container = this.container;
    if (!container) return;
    this.container = null;
    this.starting = null;
    untrackContainer(container.id);
    await container.stop({ t: 0 }).catch(() => undefined);
    if (!this.auto_remove) return;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      try {
        await container.inspect();
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

// `await using executor = new DockerCommandLineCodeExecutor()` stops the container.
Object.defineProperty(DockerCommandLineCodeExecutor.prototype, asyncDispose, {
  value: function (this: DockerCommandLineCodeExecutor) {
    return this.stop();
  },
  writable: true,
  configurable: true,
});
