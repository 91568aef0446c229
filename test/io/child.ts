/**
 * Runs small scripts in a real child `node` process against the built package
 * (dist/), so IOConsole is exercised on a real stdout/stdin.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

export const DIST = resolve(__dirname, "../../dist");

/** The path of a built entry point; fails with a clear message when the package was not built. */
export function distEntry(name: "index" | "testing"): string {
  const file = join(DIST, `${name}.cjs`);
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: run \`npm run build\` before these tests (CI builds before running jest).`);
  }
  return file;
}

export interface ChildResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** The environment of the child: ours without colour variables, plus `env`. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env };
  delete out.NO_COLOR;
  delete out.FORCE_COLOR;
  delete out.NODE_OPTIONS;
  return { ...out, ...env };
}

/** Runs `node -e <code>` with `input` written to stdin (then closed). */
export function runNode(code: string, options: { input?: string; env?: Record<string, string> } = {}): Promise<ChildResult> {
  return runCommand(process.execPath, ["-e", code], options);
}

/**
 * Runs `node -e <code>` on a pseudo-terminal (util-linux `script`), so its
 * stdout is a TTY. The terminal turns "\n" into "\r\n"; that is undone here.
 */
export async function runNodeOnTty(code: string, options: { env?: Record<string, string> } = {}): Promise<ChildResult> {
  const quoted = `'${process.execPath}' -e '${code.replace(/'/g, `'\\''`)}'`;
  const result = await runCommand("script", ["-qec", quoted, "/dev/null"], { ...options, input: "" });
  return { ...result, stdout: result.stdout.replace(/\r\n/g, "\n") };
}

function runCommand(command: string, args: string[], options: { input?: string; env?: Record<string, string> }): Promise<ChildResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env: childEnv(options.env ?? {}), stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ stdout, stderr, code }));
    child.stdin.end(options.input ?? "");
  });
}

/**
 * Like `runNodeOnTty`, but types each answer only after its prompt has
 * appeared on the terminal, as a person would.
 */
export function runNodeOnTtyTyping(code: string, answers: Array<{ after: string; type: string }>, options: { env?: Record<string, string> } = {}): Promise<ChildResult> {
  const quoted = `'${process.execPath}' -e '${code.replace(/'/g, `'\\''`)}'`;
  return new Promise((resolvePromise, reject) => {
    const child = spawn("script", ["-qec", quoted, "/dev/null"], { env: childEnv(options.env ?? {}), stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let next = 0;
    let seen = 0;
    const typeWhenPrompted = () => {
      while (next < answers.length) {
        const at = stdout.indexOf(answers[next].after, seen);
        if (at < 0) return;
        seen = at + answers[next].after.length;
        child.stdin.write(answers[next].type);
        next += 1;
      }
    };
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      typeWhenPrompted();
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ stdout: stdout.replace(/\r\n/g, "\n"), stderr, code }));
  });
}
