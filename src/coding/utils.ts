/**
 * Security and hygiene rules shared by the executors (spec 50 §6): file
 * name comments with workspace containment, dangerous shell commands,
 * quiet pip installs, and temp file names.
 */

const FILENAME_PATTERNS: RegExp[] = [
  /^<!--\s*(filename:)?\s*(.+?)\s*-->$/s,
  /^\/\*\s*(filename:)?\s*(.+?)\s*\*\/$/s,
  /^\/\/\s*(filename:)?\s*(.+?)$/s,
  /^#\s*(filename:)?\s*(.+?)$/s,
];

/** A name given without `filename:` must look like a path with an extension. */
const PLAIN_NAME = /^[\w./-]+\.\w+$/;

/** The file name a code block asks for in its first line (not yet checked), or null. */
export function fileNameFromFirstLine(code: string): string | null {
  const firstLine = code.split("\n")[0].trim();
  for (const pattern of FILENAME_PATTERNS) {
    const m = pattern.exec(firstLine);
    if (!m) continue;
    const name = m[2].trim();
    if (!name) return null;
    if (m[1] || PLAIN_NAME.test(name)) return name;
    return null;
  }
  return null;
}

export type WorkspaceFile =
  | { kind: "ok"; relative: string; absolute: string }
  | { kind: "outside"; requested: string };

/**
 * Resolves `name` against `workDir` and checks that the real path (symlinks
 * followed, for the part that exists) stays inside the real `workDir`.
 */
export async function resolveInWorkspace(workDir: string, name: string): Promise<WorkspaceFile> {
  const path = await import("node:path");
  const fs = await import("node:fs");
  const root = path.resolve(workDir);
  const absolute = path.resolve(root, name);
  const realRoot = await fs.promises.realpath(root).catch(() => root);
  // Follow symlinks of the deepest existing ancestor; the rest does not exist yet.
  let existing = absolute;
  const rest: string[] = [];
  for (;;) {
    try {
      existing = await fs.promises.realpath(existing);
      break;
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) break;
      rest.unshift(path.basename(existing));
      existing = parent;
    }
  }
  const real = path.join(existing, ...rest);
  const rel = path.relative(realRoot, real);
  if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) return { kind: "outside", requested: name };
  return { kind: "ok", relative: path.relative(root, absolute), absolute };
}

const DANGEROUS: Array<[RegExp, string]> = [
  [/\brm\s+-rf\b/, "Use of 'rm -rf' command is not allowed."],
  [/\bmv\b.*?\s+\/dev\/null/, "Moving files to /dev/null is not allowed."],
  [/\bdd\b/, "Use of 'dd' command is not allowed."],
  [/>\s*\/dev\/sd[a-z][1-9]?/, "Overwriting disk blocks directly is not allowed."],
  [/:\(\)\{\s*:\|:&\s*\};:/, "Fork bombs are not allowed."],
];

const SHELLS = new Set(["bash", "shell", "sh"]);

/**
 * The reason a shell block is refused, or null (AG2 `sanitize_command`).
 * A speed bump against obvious accidents, not a sandbox.
 */
export function dangerousCommandReason(lang: string, code: string): string | null {
  if (!SHELLS.has(lang)) return null;
  for (const [pattern, reason] of DANGEROUS) if (pattern.test(code)) return reason;
  return null;
}

const PIP_SHELLS = new Set(["bash", "shell", "sh", "pwsh", "powershell", "ps1"]);

/** Adds `-qqq` to pip install lines (AG2 `silence_pip`). */
export function silence_pip(code: string, lang: string): string {
  let prefix: RegExp;
  if (lang === "python") prefix = /^! ?pip install/;
  else if (PIP_SHELLS.has(lang)) prefix = /^pip install/;
  else return code;
  return code
    .split("\n")
    .map((line) => {
      const m = prefix.exec(line);
      if (!m || line.includes("-qqq")) return line;
      return m[0] + " -qqq" + line.slice(m[0].length);
    })
    .join("\n");
}

/** Hex MD5 of the code: the stem of auto-named code files. */
export async function md5Hex(code: string): Promise<string> {
  const crypto = await import("node:crypto");
  return crypto.createHash("md5").update(code, "utf8").digest("hex");
}
