/**
 * IOConsole: the default IOStream, printing to stdout and reading stdin
 * (spec 60 §2.2). `node:readline` is loaded only when input is first needed,
 * so importing ag2ts never touches stdin.
 */
import { RuntimeError } from "../errors";
import { formatPrint, type IOStream } from "./base";

interface StdoutLike {
  write(text: string): unknown;
  isTTY?: boolean;
}

function processStdout(): StdoutLike | null {
  const proc = (globalThis as { process?: { stdout?: StdoutLike } }).process;
  return proc?.stdout && typeof proc.stdout.write === "function" ? proc.stdout : null;
}

function env(name: string): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env?.[name];
}

/** Reads lines from stdin one at a time, shared by every IOConsole. */
class StdinLines {
  private queue: string[] = [];
  private waiters: Array<(line: string | null) => void> = [];
  private ended = false;
  private started = false;

  async next(): Promise<string | null> {
    await this.start();
    const line = this.queue.shift();
    if (line !== undefined) return line;
    if (this.ended) return null;
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const proc = (globalThis as { process?: { stdin?: NodeJS.ReadableStream } }).process;
    if (!proc?.stdin) {
      this.ended = true;
      return;
    }
    const readline = await import("node:readline");
    const rl = readline.createInterface({ input: proc.stdin, terminal: false });
    rl.on("line", (line: string) => {
      const waiter = this.waiters.shift();
      if (waiter) waiter(line);
      else this.queue.push(line);
      if (this.waiters.length === 0) rl.pause();
    });
    rl.on("close", () => {
      this.ended = true;
      for (const waiter of this.waiters.splice(0)) waiter(null);
    });
    this.resume = () => rl.resume();
  }

  resume: () => void = () => {};
}

const stdinLines = new StdinLines();

interface RawTty {
  isTTY?: boolean;
  setRawMode?(raw: boolean): unknown;
}

/** stdin when it is a terminal whose echo can be switched off (raw mode), else null. */
function rawTtyStdin(): Required<RawTty> | null {
  const stdin = (globalThis as { process?: { stdin?: RawTty } }).process?.stdin;
  return stdin?.isTTY === true && typeof stdin.setRawMode === "function" ? (stdin as Required<RawTty>) : null;
}

/** Applies the backspaces typed in raw mode, where the terminal does no line editing. */
function applyBackspaces(line: string): string {
  const out: string[] = [];
  for (const ch of line) {
    if (ch === "\x7f" || ch === "\b") out.pop();
    else out.push(ch);
  }
  return out.join("");
}

export class IOConsole implements IOStream {
  get supports_color(): boolean {
    if (env("FORCE_COLOR")) return true;
    if (env("NO_COLOR") !== undefined) return false;
    return processStdout()?.isTTY === true;
  }

  print(...objects: unknown[]): void {
    const { text } = formatPrint(objects);
    const out = processStdout();
    if (out) out.write(text);
    // Without a process stdout (a browser-like runtime) the console is the only sink.
    else console.log(text.endsWith("\n") ? text.slice(0, -1) : text);
  }

  async input(prompt = "", options: { password?: boolean } = {}): Promise<string> {
    const shown = options.password && prompt === "" ? "Password: " : prompt;
    // No echo for a password on a terminal: raw mode turns the terminal's echo
    // off. It is set before the prompt appears, so nothing typed after it is echoed.
    const tty = options.password ? rawTtyStdin() : null;
    tty?.setRawMode(true);
    if (shown) this.print(shown, { end: "" });
    let line: string | null;
    try {
      stdinLines.resume();
      line = await stdinLines.next();
    } finally {
      if (tty) {
        tty.setRawMode(false);
        this.print("");
      }
    }
    if (tty && line !== null) line = applyBackspaces(line);
    if (line === null) {
      throw new RuntimeError(
        "No human input available: stdin has ended. In a notebook or a server, set an IOStream that " +
          "answers input (IOStream.set_global_default or IOStream.set_default), or use human_input_mode \"NEVER\".",
      );
    }
    return line;
  }
}
