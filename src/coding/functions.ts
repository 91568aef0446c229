/**
 * User-defined Python functions offered to generated code through a module
 * in the executor's work_dir (spec 50 §4.2-4.3; AG2 func_with_reqs.py).
 * Functions are Python source strings with exactly one `def`: TypeScript
 * functions cannot be exported to Python.
 */
import { ValueError } from "../errors";

/** `"mod"` → `import mod`; `{name, alias}` → `import name as alias`; `{module, imports}` → `from module import a, b as c`. */
export type PythonImport =
  | string
  | { name: string; alias?: string | null }
  | { module: string; imports: Array<string | { name: string; alias?: string | null }> };

export interface PythonFunction {
  /** Python source containing exactly one top-level `def`. */
  func: string;
  /** pip packages installed into the environment before the module loads. */
  python_packages?: string[];
  /** Imports placed at the top of the functions module. */
  global_imports?: PythonImport[];
}

/** Default prompt: `$module_name` and `$functions` are substituted. */
export const FUNCTION_PROMPT_TEMPLATE = `The following user-defined functions are available to you; import them by name from the module \`$module_name\`.

For instance, a function called \`foo\` is imported with \`from $module_name import foo\`

$functions`;

function aliasPart(item: string | { name: string; alias?: string | null }): string {
  if (typeof item === "string") return item;
  return item.alias ? `${item.name} as ${item.alias}` : item.name;
}

export function importToString(imp: PythonImport): string {
  if (typeof imp === "string") return `import ${imp}`;
  if ("module" in imp) return `from ${imp.module} import ${imp.imports.map(aliasPart).join(", ")}`;
  return `import ${aliasPart(imp)}`;
}

function dedent(text: string): string {
  const lines = text.split("\n");
  const indents = lines.filter((l) => l.trim() !== "").map((l) => /^[ \t]*/.exec(l)![0].length);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => (l.trim() === "" ? "" : l.slice(common))).join("\n");
}

/** Validates a function source and returns its name. */
export function pythonFunctionName(source: string): string {
  const defs = [...dedent(source).matchAll(/^(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)/gm)];
  if (defs.length !== 1) {
    throw new ValueError(`A Python function string must contain exactly one top-level 'def'; found ${defs.length} in:\n${source}`);
  }
  return defs[0][1];
}

/** The `def ...:` header (as written, possibly over several lines) and the rest of the source. */
function splitHeader(source: string): { header: string; body: string } {
  const text = dedent(source);
  const start = /^(?:async[ \t]+)?def[ \t]/m.exec(text);
  if (!start) throw new ValueError(`No 'def' found in Python function string:\n${source}`);
  let depth = 0;
  for (let i = start.index; i < text.length; i++) {
    const ch = text[i];
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
    else if (ch === ":" && depth === 0) return { header: text.slice(start.index, i + 1), body: text.slice(i + 1) };
  }
  throw new ValueError(`Unterminated 'def' header in Python function string:\n${source}`);
}

/** The function's stub for prompts: its header, its docstring, then `...`. */
export function toStub(source: string): string {
  const { header, body } = splitHeader(source);
  let stub = header + "\n";
  const doc = /^\s*(?:[rRuU])?("""|''')([\s\S]*?)\1/.exec(body);
  if (doc) {
    const quoted = `"""${dedent(doc[2])}"""`;
    stub += quoted.split("\n").map((l) => (l === "" ? l : `    ${l}`)).join("\n") + "\n";
  }
  return stub + "    ...";
}

/** The functions module: sorted unique imports, a blank line, then each function. */
export function buildFunctionsFile(functions: PythonFunction[]): string {
  const imports = new Set<string>();
  for (const f of functions) for (const imp of f.global_imports ?? []) imports.add(importToString(imp));
  let content = [...imports].sort().join("\n") + "\n\n";
  for (const f of functions) content += dedent(f.func).trim() + "\n\n";
  return content;
}

export function isPythonIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}
