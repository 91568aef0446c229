/**
 * Finding the Python interpreter ag2ts runs code with: `python`, else
 * `python3` on PATH (AG2 uses its own interpreter, spec 50 §4.4).
 */
import { loadBuiltinSync } from "./node-builtins";

type ChildProcessModule = typeof import("node:child_process");

let cached: string | null | undefined;

function runs(command: string, args: string[]): boolean {
  const cp = loadBuiltinSync<ChildProcessModule>("node:child_process");
  if (!cp) return false;
  try {
    const result = cp.spawnSync(command, args, { stdio: "ignore", timeout: 15000, windowsHide: true });
    return result.status === 0;
  } catch {
    return false;
  }
}

/** The Python command to run code with, or null when none is installed (or processes cannot be spawned). */
export function pythonCommand(): string | null {
  if (cached !== undefined) return cached;
  cached = null;
  for (const candidate of ["python", "python3"]) {
    if (runs(candidate, ["-c", "import sys"])) {
      cached = candidate;
      break;
    }
  }
  return cached;
}

/** Like `pythonCommand` but throws a clear error when Python is missing. */
export function requirePython(): string {
  const python = pythonCommand();
  if (python === null) {
    throw new Error("Python is not installed (neither `python` nor `python3` runs). Install Python 3 to execute Python code blocks, or use the Docker executor.");
  }
  return python;
}

const powershellCache = new Map<string, boolean>();

/** Whether `command` runs (memoised); used to pick powershell or pwsh. */
export function commandRuns(command: string, args: string[]): boolean {
  const key = `${command} ${args.join(" ")}`;
  let value = powershellCache.get(key);
  if (value === undefined) {
    value = runs(command, args);
    powershellCache.set(key, value);
  }
  return value;
}

/** Checks Python syntax with the interpreter; null when no interpreter can be run. */
export function pythonSyntaxOk(code: string): boolean | null {
  const python = pythonCommand();
  const cp = loadBuiltinSync<ChildProcessModule>("node:child_process");
  if (python === null || !cp) return null;
  try {
    const result = cp.spawnSync(python, ["-c", "import ast,sys; ast.parse(sys.stdin.read())"], {
      input: code,
      stdio: ["pipe", "ignore", "ignore"],
      timeout: 30000,
      windowsHide: true,
    });
    if (result.error || result.status === null) return null;
    return result.status === 0;
  } catch {
    return null;
  }
}
