/**
 * Code-execution types (spec 50 §3.1): code blocks, results, and the
 * structural protocols of code extractors and executors.
 */
import type { Awaitable, ContentPart } from "../core/types";

/** A block of code and its language, as extracted from a message. */
export class CodeBlock {
  code: string;
  language: string;
  constructor(options: { code: string; language: string }) {
    this.code = options.code;
    this.language = options.language;
  }
}

/** The outcome of running code blocks. */
export class CodeResult {
  exit_code: number;
  output: string;
  constructor(options: { exit_code: number; output: string }) {
    this.exit_code = options.exit_code;
    this.output = options.output;
  }
}

/** A command-line execution result: also names the first code file written. */
export class CommandLineCodeResult extends CodeResult {
  code_file: string | null;
  constructor(options: { exit_code: number; output: string; code_file?: string | null }) {
    super(options);
    this.code_file = options.code_file ?? null;
  }
}

/** Extracts code blocks from a message's content. */
export interface CodeExtractor {
  extract_code_blocks(message: string | ContentPart[] | null | undefined): CodeBlock[];
}

export interface ExecuteCodeBlocksOptions {
  /** Cancels the run; defaults to the signal of the chat being run. */
  signal?: AbortSignal;
}

/** Runs code blocks (AG2 `CodeExecutor` protocol). */
export interface CodeExecutor {
  readonly code_extractor: CodeExtractor;
  execute_code_blocks(code_blocks: CodeBlock[], options?: ExecuteCodeBlocksOptions): Promise<CodeResult>;
  restart(): Awaitable<void>;
}

/** True when `value` structurally satisfies the CodeExecutor protocol. */
export function isCodeExecutor(value: unknown): value is CodeExecutor {
  if (value === null || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  return "code_extractor" in v && typeof v.execute_code_blocks === "function" && typeof v.restart === "function";
}
