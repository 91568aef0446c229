/**
 * DiskCache (spec 60 §1.2): one JSON file per entry, named by the SHA-256 of
 * the key, written atomically (temporary file + rename), so several
 * processes can share a directory without losing entries. Plain files and
 * node:fs only: works under Node and Deno. The format is ag2ts's own (AG2's
 * Python `diskcache` SQLite files are not read).
 */
import type { AbstractCache } from "./abstract-cache";

type Fs = typeof import("node:fs/promises");

let counter = 0;

export class DiskCache implements AbstractCache {
  /** The cache directory (created on first use). */
  readonly path: string;
  private ready: Promise<{ fs: Fs; join: (...p: string[]) => string; hash: (s: string) => string }> | null = null;

  constructor(path: string) {
    this.path = String(path);
  }

  private open() {
    this.ready ??= (async () => {
      const fs = await import("node:fs/promises");
      const { join } = await import("node:path");
      const { createHash } = await import("node:crypto");
      await fs.mkdir(this.path, { recursive: true });
      return { fs, join, hash: (s: string) => createHash("sha256").update(s).digest("hex") };
    })();
    return this.ready;
  }

  private async fileOf(key: string): Promise<string> {
    const { join, hash } = await this.open();
    return join(this.path, `${hash(key)}.json`);
  }

  async get(key: string, default_: unknown = null): Promise<unknown> {
    const { fs } = await this.open();
    try {
      const entry = JSON.parse(await fs.readFile(await this.fileOf(key), "utf8")) as { key?: unknown; value?: unknown };
      return entry.key === key && entry.value !== undefined ? entry.value : default_;
    } catch {
      return default_;
    }
  }

  async set(key: string, value: unknown): Promise<void> {
    const { fs } = await this.open();
    const file = await this.fileOf(key);
    const pid = typeof process !== "undefined" ? process.pid : 0;
    const temp = `${file}.${pid}.${Date.now()}.${counter++}.tmp`;
    await fs.writeFile(temp, JSON.stringify({ key, value }), "utf8");
    await fs.rename(temp, file);
  }

  async close(): Promise<void> {}

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
