/**
 * Importing the built root entry must not load Node-only modules
 * (child_process, fs-based caches, readline, dockerode, redis, ...) until a
 * feature that needs them is used, so `import "ag2ts"` works in Deno and in
 * notebooks. Each test runs the built package (dist/) in a child `node`
 * process and watches what it loads:
 *  - ESM: a module.register() resolve hook logs every specifier that code
 *    under dist/ resolves, step by step (fixtures/import-probe.mjs);
 *  - CommonJS: Node's own list of loaded built-ins, process.moduleLoadList
 *    (fixtures/require-probe.cjs).
 * The steps that use a feature are the positive control: they must load the
 * module, which proves the probe sees it.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(__dirname, "../..");
const dist = join(root, "dist");
const fixtures = join(__dirname, "fixtures");

// Node-only modules, with and without the node: prefix, and the optional
// packages that need them.
const NODE_ONLY = [
  "child_process",
  "fs",
  "fs/promises",
  "readline",
  "readline/promises",
  "net",
  "http",
  "https",
  "worker_threads",
];
// The tokenizer and its rank files (1-2 MB each) load on the first token count.
const TIKTOKEN = [
  "js-tiktoken",
  "js-tiktoken/lite",
  "js-tiktoken/ranks/cl100k_base",
  "js-tiktoken/ranks/o200k_base",
  "js-tiktoken/ranks/p50k_base",
  "js-tiktoken/ranks/r50k_base",
];
const FORBIDDEN_AT_IMPORT = new Set([
  ...NODE_ONLY,
  ...NODE_ONLY.map((m) => `node:${m}`),
  "dockerode",
  "redis",
  "ws",
  // ag2ts/queue's optional peer and its Redis client: only the ag2ts/queue entry loads them, on first connect.
  "bullmq",
  "ioredis",
  "tmp",
  "typescript",
  "typescript-json-schema",
  "@anthropic-ai/sdk",
  ...TIKTOKEN,
]);

function requireDist(): void {
  for (const f of ["index.mjs", "index.cjs", "testing.mjs", "testing.cjs"]) {
    if (!existsSync(join(dist, f))) {
      throw new Error(`dist/${f} is missing: these tests run the built package. Run \`npm run build\` first.`);
    }
  }
}

const isExternal = (specifier: string) => !specifier.startsWith(".") && !specifier.startsWith("file:");

describe("ESM entry (dist/index.mjs) loads Node-only modules lazily", () => {
  let steps: Map<string, string[]>;

  beforeAll(() => {
    requireDist();
    const dir = mkdtempSync(join(tmpdir(), "ag2ts-lazy-"));
    const log = join(dir, "imports.log");
    try {
      execFileSync(process.execPath, [join(fixtures, "import-probe.mjs"), dist, log], {
        input: "typed\n",
        encoding: "utf8",
        timeout: 60_000,
      });
      steps = new Map();
      let current = "";
      for (const line of readFileSync(log, "utf8").trim().split("\n")) {
        const entry = JSON.parse(line) as { step?: string; specifier?: string };
        if (entry.step !== undefined) {
          current = entry.step;
          steps.set(current, []);
        } else if (entry.specifier !== undefined && isExternal(entry.specifier)) {
          steps.get(current)!.push(entry.specifier);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const forbidden = (step: string) => [...new Set(steps.get(step))].filter((s) => FORBIDDEN_AT_IMPORT.has(s));

  test("the probe ran every step", () => {
    expect([...steps.keys()]).toEqual(["import", "chat", "valid-tool", "invalid-tool", "code", "disk-cache", "token-count", "websocket-server", "console-input", "end"]);
  });

  test("a tool call with arguments that fit its schema loads no ajv; the first that does not loads it", () => {
    expect(steps.get("valid-tool")).not.toContain("ajv");
    expect(steps.get("invalid-tool")).toContain("ajv");
  });

  test("importing the root entry and ag2ts/testing resolves no Node-only module", () => {
    // The hook does see the entry's static imports.
    expect(steps.get("import")).toContain("node:async_hooks");
    // ajv (most of the import time) is loaded on the first tool-argument validation, not at import.
    expect(steps.get("import")).not.toContain("ajv");
    expect(forbidden("import")).toEqual([]);
  });

  test("a chat on a model client loads nothing Node-only", () => {
    expect(forbidden("chat")).toEqual([]);
  });

  test("code execution loads node:child_process when it runs", () => {
    expect(steps.get("code")).toContain("node:child_process");
  });

  test("a disk cache loads node:fs/promises when it is used", () => {
    expect(steps.get("disk-cache")).toContain("node:fs/promises");
  });

  test("no step before the first token count loads js-tiktoken; that step loads the one encoding it needs", () => {
    for (const step of ["import", "chat", "valid-tool", "invalid-tool", "code", "disk-cache"]) {
      expect(steps.get(step)!.filter((s) => s.startsWith("js-tiktoken"))).toEqual([]);
    }
    expect([...new Set(steps.get("token-count"))]).toEqual(["js-tiktoken/lite", "js-tiktoken/ranks/o200k_base"]);
  });

  test("no step before the IOWebsockets server loads ws; starting the server does", () => {
    for (const step of ["import", "chat", "valid-tool", "invalid-tool", "code", "disk-cache", "token-count"]) {
      expect(steps.get(step)).not.toContain("ws");
    }
    expect(steps.get("websocket-server")).toContain("ws");
  });

  test("console input loads node:readline when it reads", () => {
    expect(steps.get("console-input")).toEqual(["node:readline"]);
  });
});

describe("CommonJS entry (dist/index.cjs) loads Node-only built-ins lazily", () => {
  let steps: Map<string, { required: string[]; builtins: string[] }>;

  beforeAll(() => {
    requireDist();
    const out = execFileSync(process.execPath, [join(fixtures, "require-probe.cjs"), dist], {
      encoding: "utf8",
      timeout: 60_000,
    });
    steps = new Map(
      out
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { step: string; required: string[]; builtins: string[] })
        .map((s) => [s.step, s]),
    );
  });

  test("require() of the root entry loads neither child_process nor readline, and requires no Node-only module", () => {
    const { required, builtins } = steps.get("import")!;
    expect(required).not.toContain("ajv");
    expect(required.filter((s) => FORBIDDEN_AT_IMPORT.has(s))).toEqual([]);
    expect(builtins).toContain("async_hooks");
    expect(builtins.filter((b) => ["child_process", "readline"].includes(b))).toEqual([]);
  });

  test("a chat on a model client still loads neither", () => {
    const { builtins } = steps.get("chat")!;
    expect(builtins.filter((b) => ["child_process", "readline"].includes(b))).toEqual([]);
  });

  test("code execution loads child_process", () => {
    expect(steps.get("code")!.builtins).toContain("child_process");
  });

  test("js-tiktoken is required on the first token count, with only the encoding it needs", () => {
    for (const step of ["import", "chat", "code"]) expect(steps.get(step)!.required.filter((s) => s.startsWith("js-tiktoken"))).toEqual([]);
    expect(steps.get("token-count")!.required).toEqual(["js-tiktoken/lite", "js-tiktoken/ranks/cl100k_base"]);
  });
});
