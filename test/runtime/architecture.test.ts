/**
 * The layering check CI runs (.ci/tools/architecture-check.mjs, rules in
 * ARCHITECTURE.md): the repository passes it, and each rule fails a tree
 * that breaks it, with a message that names the files.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const script = join(__dirname, "../../.ci/tools/architecture-check.mjs");

function check(args: string[]): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync(process.execPath, [script, ...args], { encoding: "utf8", stdio: "pipe" }) };
  } catch (err) {
    const e = err as { status: number; stderr: string };
    return { code: e.status, out: e.stderr };
  }
}

function tree(files: Record<string, string>): { src: string; root: string } {
  const root = mkdtempSync(join(tmpdir(), "ag2ts-arch-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, "src", path)), { recursive: true });
    writeFileSync(join(root, "src", path), text);
  }
  return { src: join(root, "src"), root };
}

const made: string[] = [];
afterAll(() => {
  for (const root of made) rmSync(root, { recursive: true, force: true });
});
function run(files: Record<string, string>) {
  const t = tree(files);
  made.push(t.root);
  return check([t.src]);
}

test("the repository's src/ keeps the layering, has no circle of more than two files, and no file over 400 lines", () => {
  const { code, out } = check([]);
  expect(out).toMatch(/^architecture: \d+ files; layering, circles and file sizes as ARCHITECTURE.md says.\n$/);
  expect(code).toBe(0);
});

test("a layer below agentchat that imports agentchat fails, naming both files", () => {
  const { code, out } = run({ "io/events.ts": 'import type { X } from "../agentchat/agent/x";\n', "agentchat/agent/x.ts": "export type X = 1;\n" });
  expect(code).toBe(1);
  expect(out).toBe(
    "architecture: io/events.ts imports agentchat/agent/x.ts: src/io is below agentchat and must not import it (move what both need to src/core).\n",
  );
});

test("core importing anything of ours but core, errors and options fails", () => {
  const { code, out } = run({
    "core/types.ts": 'import { ValueError } from "../errors";\nimport { emit } from "../io/events";\n',
    "errors.ts": "export class ValueError extends Error {}\n",
    "io/events.ts": "export function emit() {}\n",
  });
  expect(code).toBe(1);
  expect(out).toBe("architecture: core/types.ts imports io/events.ts: src/core may import only src/core, errors.ts and options.ts.\n");
});

test("a circle of three files fails, naming them; two files may import each other", () => {
  const three = {
    "a.ts": 'import type { B } from "./b";\nexport type A = 1;\n',
    "b.ts": 'import type { C } from "./c";\nexport type B = 1;\n',
    "c.ts": 'import type { A } from "./a";\nexport type C = 1;\n',
  };
  expect(run(three)).toEqual({ code: 1, out: "architecture: import circle of 3 files (at most 2 allowed): a.ts, b.ts, c.ts\n" });
  const two = {
    "d.ts": 'import type { E } from "./e";\nexport type D = 1;\n',
    "e.ts": 'import { type D } from "./d";\nexport type E = 1;\n',
  };
  expect(run(two)).toEqual({ code: 0, out: "architecture: 2 files; layering, circles and file sizes as ARCHITECTURE.md says.\n" });
});

test("a source file over 400 lines fails, with its length", () => {
  const { code, out } = run({ "big.ts": "export const x = 1;\n".repeat(400) });
  expect(code).toBe(1);
  expect(out).toBe("architecture: big.ts has 401 lines (at most 400): split it by concern.\n");
});
