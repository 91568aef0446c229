/**
 * Which program runs a language (AG2 `_cmd`, spec 50 §4.4), plus ag2ts's
 * TypeScript support.
 */
import { commandRuns, requirePython } from "./python";

/** The interpreter command for `lang`; throws when the language has none. */
export function _cmd(lang: string): string {
  if (lang === "python" || lang === "Python" || lang === "py") return requirePython();
  if (lang.startsWith("python") || lang === "bash" || lang === "sh") return lang;
  if (lang === "shell") return "sh";
  if (lang === "javascript" || lang === "js") return "node";
  if (lang === "ps1" || lang === "pwsh" || lang === "powershell") {
    if (commandRuns("powershell", ["-NoProfile", "-Command", "exit 0"])) return "powershell";
    if (commandRuns("pwsh", ["-NoProfile", "-Command", "exit 0"])) return "pwsh";
    throw new Error("PowerShell is not installed: install PowerShell (`pwsh`) to run powershell/pwsh/ps1 code blocks.");
  }
  throw new Error(`${lang} not recognized in code execution`);
}

/** Node's major version of the running process (0 when not Node). */
function nodeMajor(): number {
  const v = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node;
  return v ? Number(v.split(".")[0]) : 0;
}

/**
 * How a TypeScript file is run with Node:
 * - Node >= 22 runs it directly with `--experimental-strip-types` (type
 *   annotations are erased; no type checking; enums/namespaces unsupported).
 * - Older Node: the file is transpiled with the `typescript` package (if it
 *   can be loaded) and the JavaScript is fed to `node` on stdin, with the
 *   working directory unchanged. No type checking either.
 * - Otherwise a clear error says what to install.
 */
export async function typescriptInvocation(
  absoluteFile: string,
  source: string,
): Promise<{ command: string; args: string[]; input?: string }> {
  if (nodeMajor() >= 22) {
    return { command: process.execPath, args: ["--experimental-strip-types", "--no-warnings", absoluteFile] };
  }
  let ts: typeof import("typescript");
  try {
    ts = await import("typescript");
  } catch {
    throw new Error(
      `Running TypeScript code blocks needs Node 22 or newer (node --experimental-strip-types) or the 'typescript' package; ` +
        `this is Node ${process.versions.node} and 'typescript' could not be loaded. Install typescript or use a javascript block.`,
    );
  }
  const api = (ts as unknown as { default?: typeof import("typescript") }).default ?? ts;
  const out = api.transpileModule(source, {
    compilerOptions: { module: api.ModuleKind.CommonJS, target: api.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: absoluteFile,
  });
  return { command: process.execPath, args: ["-"], input: out.outputText };
}
