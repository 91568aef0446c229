/**
 * Finding code in message text (spec 50 §1): AG2's `CODE_BLOCK_PATTERN`,
 * `extract_code` and `infer_lang`.
 */
import { content_str } from "../core/messages";
import type { ContentPart } from "../core/types";
import { pythonSyntaxOk } from "./python";

/** Language reported when no code block is found or the language cannot be inferred. */
export const UNKNOWN = "unknown";

/**
 * A fenced code block: the fence, an optional language, a newline, the code,
 * a newline and the closing fence on its own line. Group 1 is the language,
 * group 2 the code.
 */
export const CODE_BLOCK_PATTERN = /```[ \t]*([\p{L}\p{N}_]+)?[ \t]*\r?\n([\s\S]*?)\r?\n[ \t]*```/gu;

const INLINE_CODE = "`([^`]+)`";

function globalRegExp(pattern: RegExp | string): RegExp {
  if (typeof pattern === "string") return new RegExp(pattern, "gsu");
  return pattern.flags.includes("g") ? new RegExp(pattern.source, pattern.flags) : new RegExp(pattern.source, pattern.flags + "g");
}

export interface ExtractCodeOptions {
  /** Default `CODE_BLOCK_PATTERN`; group 1 = language, group 2 = code. */
  pattern?: RegExp | string;
  /** Also extract inline `code` spans (then no match gives `[]`). Default false. */
  detect_single_line_code?: boolean;
}

/**
 * Extracts `[language, code]` pairs. Without a match, returns
 * `[[UNKNOWN, text]]` (or `[]` with `detect_single_line_code`).
 */
export function extract_code(text: string | ContentPart[] | null | undefined, options: ExtractCodeOptions = {}): Array<[string, string]> {
  const flat = content_str(text);
  const pattern = options.pattern ?? CODE_BLOCK_PATTERN;
  if (!options.detect_single_line_code) {
    const found: Array<[string, string]> = [];
    for (const m of flat.matchAll(globalRegExp(pattern))) found.push([m[1] ?? "", m[2] ?? ""]);
    return found.length > 0 ? found : [[UNKNOWN, flat]];
  }
  const source = typeof pattern === "string" ? pattern : pattern.source;
  const combined = new RegExp(`${source}|${INLINE_CODE}`, "gu");
  const found: Array<[string, string]> = [];
  for (const m of flat.matchAll(combined)) {
    if (m[2]) found.push([(m[1] ?? "").trim(), m[2].trim()]);
    else if (m[3]) found.push(["", m[3].trim()]);
  }
  return found;
}

const inferred = new Map<string, string>();
const MEMO_LIMIT = 1000;

/**
 * Guesses the language of code without a fence language: `sh` for
 * `python ...`/`pip ...`/`python3 ...` commands, `python` when the code
 * parses as Python (checked with the Python interpreter), else `unknown`.
 * Without an interpreter, `python`.
 */
export function infer_lang(code: string): string {
  if (code.startsWith("python ") || code.startsWith("pip") || code.startsWith("python3 ")) return "sh";
  const memo = inferred.get(code);
  if (memo !== undefined) return memo;
  const ok = pythonSyntaxOk(code);
  const lang = ok === false ? UNKNOWN : "python";
  if (inferred.size >= MEMO_LIMIT) inferred.delete(inferred.keys().next().value as string);
  inferred.set(code, lang);
  return lang;
}
