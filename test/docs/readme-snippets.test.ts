/**
 * Every TypeScript snippet in README.md compiles against src/ (the package
 * name "ag2ts" is mapped to src/index.ts, as in tsconfig.test.json):
 *  - each ```ts block is one module (top-level await allowed);
 *  - in a table preceded by a `<!-- ts-context: ... -->` comment, every
 *    right-hand cell made only of code spans is compiled too (one block scope
 *    per cell, `import` spans hoisted), after the context's declarations.
 * A `<!-- ts-context: ... -->` comment also supplies declarations to the
 * fenced block right after it (names a fragment uses without defining, such
 * as an `llm_config`). Inside a context, `ag2ts` is the package's namespace
 * (`declare const llm_config: ag2ts.LLMConfig;`).
 * A block whose first line is `// src/<name>.ts` is written as that file, so
 * a later block can import it; `./tool-schemas.json` is generated from those
 * files by the real generateToolSchemas, as the README tells users to do.
 * Snippets that need an API key are only type-checked, never run.
 */
import * as ts from "typescript";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { generateToolSchemas } from "ag2ts";

const root = resolve(__dirname, "../..");
const README = join(root, "README.md");

interface Source {
  file: string; // name inside the snippet folder
  text: string;
  /** README line (1-based) of each generated line (0-based index), or 0 for generated glue. */
  lines: number[];
}

const CONTEXT_RE = /^<!--\s*ts-context:([\s\S]*?)-->\s*$/;
const STATEMENT_RE = /^(const|let|var|await using|using|import|export|for|if|try|class|function|declare)\b/;

function extractSnippets(markdown: string): Source[] {
  const md = markdown.split("\n");
  const sources: Source[] = [];
  let context: { text: string; line: number } | null = null;
  let tableIndex = 0;
  const header = (ctx: { text: string; line: number } | null) => {
    const text = ['import type * as ag2ts from "ag2ts";'];
    const lines = [0];
    if (ctx) {
      ctx.text.split("\n").forEach((l, i) => {
        text.push(l);
        lines.push(ctx.line + i);
      });
    }
    return { text, lines };
  };

  for (let i = 0; i < md.length; i++) {
    const line = md[i];
    const trimmed = line.trim();
    const ctxStart = trimmed.startsWith("<!--") && /ts-context:/.test(trimmed);
    if (ctxStart) {
      let j = i;
      let raw = trimmed;
      while (!raw.includes("-->") && j + 1 < md.length) raw += "\n" + md[++j].trim();
      const m = CONTEXT_RE.exec(raw);
      if (!m) throw new Error(`README.md:${i + 1}: malformed ts-context comment`);
      context = { text: m[1].trim(), line: i + 1 };
      i = j;
      continue;
    }
    const fence = /^(\s*)```(ts|typescript)\s*$/.exec(line);
    if (fence) {
      const indent = fence[1].length;
      const body: string[] = [];
      const bodyLines: number[] = [];
      let j = i + 1;
      for (; j < md.length && !/^\s*```\s*$/.test(md[j]); j++) {
        body.push(md[j].slice(Math.min(indent, md[j].length - md[j].trimStart().length)));
        bodyLines.push(j + 1);
      }
      if (j >= md.length) throw new Error(`README.md:${i + 1}: unterminated code block`);
      const named = /^\/\/\s*src\/([\w-]+\.ts)\s*$/.exec(body[0] ?? "");
      const { text, lines } = header(context);
      sources.push({
        file: named ? named[1] : `snippet-${i + 1}.ts`,
        text: [...text, ...body, "export {};", ""].join("\n"),
        lines: [...lines, ...bodyLines, 0, 0],
      });
      context = null;
      i = j;
      continue;
    }
    if (trimmed.startsWith("|") && context) {
      // A table after a ts-context comment: compile the code-only right-hand cells.
      const { text, lines } = header(context);
      let row = 0;
      for (; i < md.length && md[i].trim().startsWith("|"); i++, row++) {
        if (row < 2) continue; // header and separator
        const cells = md[i].trim().replace(/^\||\|$/g, "").split("|");
        const right = cells[cells.length - 1];
        const spans = [...right.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
        const rest = right.replace(/`[^`]+`/g, "").replace(/<br>|\bor\b|[,;]/g, "").trim();
        if (spans.length === 0 || rest !== "") continue; // a prose cell
        // One block scope per cell, so the spans of a cell can share names
        // (`await using cache = ...` then `{ cache }`); imports go to the top.
        const imports = spans.filter((span) => span.startsWith("import "));
        const body = spans.filter((span) => !span.startsWith("import "));
        for (const span of imports) {
          text.splice(1, 0, `${span};`);
          lines.splice(1, 0, i + 1);
        }
        if (body.length > 0) {
          text.push(`{ ${body.map((span) => (STATEMENT_RE.test(span) ? `${span};` : `void (${span});`)).join(" ")} }`);
          lines.push(i + 1);
        }
      }
      i--;
      sources.push({ file: `table-${++tableIndex}.ts`, text: [...text, "export {};", ""].join("\n"), lines: [...lines, 0, 0] });
      context = null;
    }
  }
  return sources;
}

describe("README.md TypeScript snippets", () => {
  const markdown = readFileSync(README, "utf8");
  const sources = extractSnippets(markdown);
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "ag2ts-readme-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("the README has fenced snippets and checked porting tables", () => {
    expect(sources.filter((s) => s.file.startsWith("table-")).length).toBeGreaterThanOrEqual(2);
    expect(sources.filter((s) => !s.file.startsWith("table-")).length).toBeGreaterThanOrEqual(8);
  });

  test("every snippet type-checks against src/", async () => {
    for (const s of sources) writeFileSync(join(dir, s.file), s.text);
    if (sources.some((s) => s.text.includes("./tool-schemas.json"))) {
      const toolFiles = sources.filter((s) => /^\s*\*\s*@tool\b/m.test(s.text)).map((s) => join(dir, s.file));
      const schemas = await generateToolSchemas(toolFiles);
      writeFileSync(join(dir, "tool-schemas.json"), JSON.stringify(schemas, null, 2));
    }

    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ["lib.es2023.d.ts"],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      esModuleInterop: true,
      resolveJsonModule: true,
      isolatedModules: true,
      types: ["node"],
      typeRoots: [join(root, "node_modules/@types")],
      baseUrl: root,
      paths: { ag2ts: ["src/index.ts"], "ag2ts/*": ["src/*"] },
    };
    const files = sources.map((s) => join(dir, s.file));
    const program = ts.createProgram(files, options);
    const byFile = new Map(sources.map((s) => [join(dir, s.file), s]));
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => !d.file || byFile.has(d.file.fileName) || d.category === ts.DiagnosticCategory.Error)
      .map((d) => {
        const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
        if (!d.file || d.start === undefined) return `TS${d.code}: ${message}`;
        const { line } = d.file.getLineAndCharacterOfPosition(d.start);
        const source = byFile.get(d.file.fileName);
        const where = source ? `README.md:${source.lines[line] || "?"} (${source.file})` : d.file.fileName;
        return `${where}: TS${d.code}: ${message}`;
      });
    expect(problems).toEqual([]);
  }, 120_000);
});
