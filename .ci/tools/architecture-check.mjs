#!/usr/bin/env node
/**
 * The layering rules of ARCHITECTURE.md, checked over src/'s imports (type
 * imports included: a type import ties files together for a reader too).
 *
 *   1. src/core imports nothing of ours but itself, errors.ts and options.ts.
 *   2. Nothing below agentchat (src/core, src/io, src/logging, src/cache,
 *      src/tokens, src/oai, src/coding, src/tools) imports src/agentchat.
 *   3. No import circle of more than two files.
 *   4. No source file over 400 lines.
 *   5. src/queue (ag2ts/queue, Node only) is on top: nothing outside it imports it.
 *
 * usage: node .ci/tools/architecture-check.mjs [src-dir]   (exit 1 on a violation)
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const src = resolve(process.argv[2] ?? join(here, "../../src"));
const MAX_LINES = 400;
const BELOW_AGENTCHAT = ["io", "oai", "coding", "cache", "core", "logging", "tools", "tokens"];
const CORE_MAY_IMPORT = new Set(["errors.ts", "options.ts"]);

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith(".ts") && !path.endsWith(".d.ts")) files.push(path);
  }
};
walk(src);

const rel = (path) => relative(src, path);
const room = (path) => rel(path).split("/")[0];

/** The files of ours a file imports: `import ... from`, `export ... from`, `import("...")`. */
function importsOf(file) {
  const text = readFileSync(file, "utf8");
  const found = new Set();
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/gm)) {
    const base = resolve(dirname(file), m[1]);
    const target = [`${base}.ts`, join(base, "index.ts"), base].find((c) => existsSync(c) && statSync(c).isFile());
    if (target) found.add(target);
  }
  return found;
}

const edges = new Map(files.map((f) => [f, importsOf(f)]));
const problems = [];

for (const [file, targets] of edges) {
  for (const target of targets) {
    if (room(file) === "core" && room(target) !== "core" && !CORE_MAY_IMPORT.has(rel(target))) {
      problems.push(`${rel(file)} imports ${rel(target)}: src/core may import only src/core, errors.ts and options.ts.`);
    }
    if (room(target) === "queue" && room(file) !== "queue") {
      problems.push(`${rel(file)} imports ${rel(target)}: src/queue is the Node-only ag2ts/queue entry on top of everything; nothing else may import it.`);
    }
    if (BELOW_AGENTCHAT.includes(room(file)) && room(target) === "agentchat") {
      problems.push(`${rel(file)} imports ${rel(target)}: src/${room(file)} is below agentchat and must not import it (move what both need to src/core).`);
    }
  }
}

// Import circles: strongly connected components (Tarjan).
let counter = 0;
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const circles = [];
const visit = (v) => {
  index.set(v, counter);
  low.set(v, counter);
  counter += 1;
  stack.push(v);
  onStack.add(v);
  for (const w of edges.get(v) ?? []) {
    if (!index.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
  }
  if (low.get(v) === index.get(v)) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(rel(w));
    } while (w !== v);
    if (component.length > 2) circles.push(component.sort());
  }
};
for (const f of files) if (!index.has(f)) visit(f);

for (const circle of circles) {
  problems.push(`import circle of ${circle.length} files (at most 2 allowed): ${circle.join(", ")}`);
}

for (const file of files) {
  const lines = readFileSync(file, "utf8").split("\n").length;
  if (lines > MAX_LINES) problems.push(`${rel(file)} has ${lines} lines (at most ${MAX_LINES}): split it by concern.`);
}

if (problems.length > 0) {
  for (const p of problems) console.error(`architecture: ${p}`);
  process.exit(1);
}
console.log(`architecture: ${files.length} files; layering, circles and file sizes as ARCHITECTURE.md says.`);
