import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** A fresh temp directory, removed by the returned cleanup. */
export function tempDir(prefix = "ag2ts-coding-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (up to `ms`) until `fn` is true. */
export async function waitFor(fn: () => boolean, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (fn()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return fn();
}

export const fence = (lang: string, code: string) => "```" + lang + "\n" + code + "\n```";
