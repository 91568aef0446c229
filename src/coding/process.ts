/**
 * Running one command as a child process for the local executors: output
 * captured with a size limit, and on timeout or abort the whole process
 * tree is killed (the child leads its own process group) while the output
 * produced so far is kept.
 */

/** Default cap on captured bytes per stream (stdout and stderr each). */
export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;

export interface RunProcessOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** Seconds; the process tree is killed when it is exceeded. */
  timeout: number;
  signal?: AbortSignal | null;
  /** Written to the child's stdin, which is then closed. */
  input?: string;
  maxOutputBytes?: number;
}

export interface RunProcessResult {
  /** Exit code; null when killed by a signal. */
  exit_code: number | null;
  stdout: string;
  stderr: string;
  timed_out: boolean;
  aborted: boolean;
}

class CappedBuffer {
  private chunks: Buffer[] = [];
  private kept = 0;
  dropped = 0;
  constructor(private readonly limit: number) {}
  push(chunk: Buffer): void {
    const room = this.limit - this.kept;
    if (room <= 0) {
      this.dropped += chunk.length;
      return;
    }
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(part);
    this.kept += part.length;
    this.dropped += chunk.length - part.length;
  }
  text(): string {
    const body = Buffer.concat(this.chunks).toString("utf8");
    if (this.dropped === 0) return body;
    return `${body}\n[ag2ts: output truncated: the limit of ${this.limit} bytes was reached and ${this.dropped} more bytes were dropped]\n`;
  }
}

/** Sends `sig` to the process group led by `pid` (the whole tree), falling back to the process. */
export function killTree(pid: number | undefined, sig: NodeJS.Signals = "SIGKILL"): void {
  if (pid === undefined) return;
  if (process.platform === "win32") {
    // taskkill /T kills the tree on Windows.
    void import("node:child_process").then((cp) => {
      try {
        cp.spawn("taskkill", ["/pid", String(pid), "/T", "/F"], { stdio: "ignore", windowsHide: true });
      } catch {
        // already gone
      }
    });
    return;
  }
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

/** Runs `command args` and resolves when it exits (or was killed). Spawn errors reject. */
export async function runProcess(command: string, args: string[], options: RunProcessOptions): Promise<RunProcessResult> {
  const cp = await import("node:child_process");
  const limit = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const stdout = new CappedBuffer(limit);
  const stderr = new CappedBuffer(limit);
  return new Promise<RunProcessResult>((resolve, reject) => {
    let timedOut = false;
    let aborted = false;
    let settled = false;
    const child = cp.spawn(command, args, {
      cwd: options.cwd,
      env: (options.env ?? process.env) as NodeJS.ProcessEnv,
      detached: process.platform !== "win32",
      stdio: ["pipe", "pipe", "pipe"],
      windowsHide: true,
    });
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child.pid);
    }, Math.max(0, options.timeout * 1000));
    const onAbort = () => {
      aborted = true;
      killTree(child.pid);
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const cleanup = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    };
    child.stdout.on("data", (c: Buffer) => stdout.push(c));
    child.stderr.on("data", (c: Buffer) => stderr.push(c));
    child.stdin.on("error", () => undefined);
    child.on("error", (err) => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(err);
    });
    child.on("close", (code) => {
      if (settled) return;
      settled = true;
      cleanup();
      // Grandchildren may outlive a shell that exited normally but were
      // left running in the group only when killed; normal exits leave them be.
      if (timedOut || aborted) killTree(child.pid);
      resolve({ exit_code: code, stdout: stdout.text(), stderr: stderr.text(), timed_out: timedOut, aborted });
    });
    if (options.signal?.aborted) onAbort();
    child.stdin.end(options.input ?? "");
  });
}
