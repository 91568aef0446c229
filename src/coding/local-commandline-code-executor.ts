/**
 * Runs code blocks as local processes in a work_dir (spec 50 §4; AG2
 * LocalCommandLineCodeExecutor).
 *
 * Security: generated code runs with your full environment (API keys
 * included) and your user's permissions. The dangerous-command check is a
 * speed bump, not a sandbox. Prefer DockerCommandLineCodeExecutor.
 *
 * Languages: python/py, bash, sh, shell, pwsh/powershell/ps1 (when
 * installed), and beyond AG2 javascript/js and typescript/ts, run with the
 * current `node` once their execution policy is true (default: saved only).
 * TypeScript runs with `node --experimental-strip-types` on Node >= 22; on
 * older Node it is transpiled with the `typescript` package and piped to
 * `node -` (no type checking either way); without both, a clear error.
 * Timeouts and aborts kill the whole process tree (the child leads its own
 * process group); output past `max_output_bytes` is dropped with a marker.
 */
import { currentSignal } from "../core/run-context";
import { AbortError, ValueError } from "../errors";
import { is, validateOptions } from "../options";
import { warn } from "../warnings";
import { CommandLineCodeResult, type CodeBlock, type CodeExecutor, type ExecuteCodeBlocksOptions } from "./base";
import { _cmd, typescriptInvocation } from "./commands";
import {
  FUNCTION_PROMPT_TEMPLATE,
  buildFunctionsFile,
  isPythonIdentifier,
  pythonFunctionName,
  toStub,
  type PythonFunction,
} from "./functions";
import { MarkdownCodeExtractor } from "./markdown-code-extractor";
import { createWorkDirSync } from "./node-builtins";
import { DEFAULT_MAX_OUTPUT_BYTES, runProcess, type RunProcessResult } from "./process";
import { requirePython } from "./python";
import { dangerousCommandReason, fileNameFromFirstLine, md5Hex, resolveInWorkspace, silence_pip } from "./utils";
import { DEFAULT_EXECUTION_POLICY } from "./execution-policy";

export interface VirtualEnvContext {
  /** Directory with the environment's executables (prepended to PATH). */
  bin_path: string;
  env_exe?: string;
  env_dir?: string;
}

export interface LocalCommandLineCodeExecutorOptions {
  /** Seconds per code block; at least 1. Default 60. */
  timeout?: number;
  /** A Python virtual environment to run in (see `create_virtual_env`). Default null. */
  virtual_env_context?: VirtualEnvContext | null;
  /** Where code files are written and run; created (with its parents) by the constructor. Default ".". */
  work_dir?: string;
  /** Python functions made importable from `functions_module`. Default []. */
  functions?: PythonFunction[];
  /** Module name of those functions; a Python identifier. Default "functions". */
  functions_module?: string;
  /** Per-language run (true) or save-only (false), merged over DEFAULT_EXECUTION_POLICY. */
  execution_policies?: Record<string, boolean> | null;
  /** ag2ts: cap on captured bytes per stream and block; the rest is dropped with a marker. Default 1 MiB. */
  max_output_bytes?: number;
}

const OPTION_CHECKS = {
  timeout: is.number,
  virtual_env_context: is.nullable(is.object),
  work_dir: is.string,
  functions: is.array,
  functions_module: is.string,
  execution_policies: is.nullable(is.object),
  max_output_bytes: is.integer,
};

const TIMEOUT_MSG = "Timeout";

export class LocalCommandLineCodeExecutor implements CodeExecutor {
  static SUPPORTED_LANGUAGES = ["bash", "shell", "sh", "pwsh", "powershell", "ps1", "python", "javascript", "typescript", "html", "css"];
  /** Everything runs except javascript, typescript, html and css, which are saved only. */
  static DEFAULT_EXECUTION_POLICY: Record<string, boolean> = { ...DEFAULT_EXECUTION_POLICY, typescript: false };
  static FUNCTION_PROMPT_TEMPLATE = FUNCTION_PROMPT_TEMPLATE;

  readonly timeout: number;
  readonly work_dir: string;
  readonly functions: PythonFunction[];
  readonly functions_module: string;
  readonly virtual_env_context: VirtualEnvContext | null;
  readonly execution_policies: Record<string, boolean>;
  readonly max_output_bytes: number;
  readonly code_extractor = new MarkdownCodeExtractor();
  private _setup_functions_complete: boolean;

  constructor(options: LocalCommandLineCodeExecutorOptions = {}) {
    validateOptions("LocalCommandLineCodeExecutor", options, OPTION_CHECKS);
    const timeout = options.timeout ?? 60;
    if (timeout < 1) throw new ValueError("Timeout must be greater than or equal to 1.");
    const functions_module = options.functions_module ?? "functions";
    if (!isPythonIdentifier(functions_module)) {
      throw new ValueError(`Module name must be a valid Python identifier, got '${functions_module}'.`);
    }
    this.timeout = timeout;
    this.work_dir = options.work_dir ?? ".";
    this.functions = options.functions ?? [];
    for (const f of this.functions) pythonFunctionName(f.func);
    this.functions_module = functions_module;
    this.virtual_env_context = options.virtual_env_context ?? null;
    this.execution_policies = { ...LocalCommandLineCodeExecutor.DEFAULT_EXECUTION_POLICY, ...(options.execution_policies ?? {}) };
    this.max_output_bytes = options.max_output_bytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    this._setup_functions_complete = this.functions.length === 0;
    // After every check, so that rejected options leave nothing behind.
    createWorkDirSync("LocalCommandLineCodeExecutor", this.work_dir);
  }

  /** The functions' stubs in a prompt for the model. */
  format_functions_for_prompt(prompt_template: string = FUNCTION_PROMPT_TEMPLATE): string {
    const stubs = this.functions.map((f) => toStub(f.func)).join("\n\n");
    return prompt_template.split("$module_name").join(this.functions_module).split("$functions").join(stubs);
  }

  /** The AG2 `sanitize_command` check; throws ValueError for a dangerous shell command. */
  static sanitize_command(lang: string, code: string): void {
    const reason = dangerousCommandReason(lang, code);
    if (reason) throw new ValueError(`Potentially dangerous command detected: ${reason}`);
  }

  private async absWorkDir(): Promise<string> {
    const path = await import("node:path");
    const fs = await import("node:fs");
    const abs = path.resolve(this.work_dir);
    await fs.promises.mkdir(abs, { recursive: true });
    return abs;
  }

  private env(): Record<string, string | undefined> {
    const env: Record<string, string | undefined> = { ...process.env };
    if (this.virtual_env_context) {
      const sep = process.platform === "win32" ? ";" : ":";
      env.PATH = this.virtual_env_context.bin_path + (env.PATH ? sep + env.PATH : "");
    }
    return env;
  }

  private python(): string {
    return this.virtual_env_context?.env_exe ?? requirePython();
  }

  private async setupFunctions(workDir: string, signal: AbortSignal | undefined): Promise<void> {
    const fs = await import("node:fs");
    const path = await import("node:path");
    const file = path.join(workDir, `${this.functions_module}.py`);
    await fs.promises.writeFile(file, buildFunctionsFile(this.functions), "utf8");
    const packages = [...new Set(this.functions.flatMap((f) => f.python_packages ?? []))];
    if (packages.length > 0) {
      const r = await runProcess(this.python(), ["-m", "pip", "install", ...packages], {
        cwd: workDir, env: this.env(), timeout: this.timeout, signal,
      });
      if (r.aborted) throw new AbortError("Code execution was aborted while installing packages.");
      if (r.timed_out) throw new ValueError("Pip install timed out");
      if (r.exit_code !== 0) throw new ValueError(`Pip install failed. ${r.stdout}, ${r.stderr}`);
    }
    const r = await runProcess(this.python(), [file], { cwd: workDir, env: this.env(), timeout: this.timeout, signal });
    if (r.aborted) throw new AbortError("Code execution was aborted while loading functions.");
    if (r.timed_out || r.exit_code !== 0) {
      throw new ValueError(`Functions failed to load: ${r.stderr}${r.stdout}${r.timed_out ? `\n${TIMEOUT_MSG}` : ""}`);
    }
    this._setup_functions_complete = true;
  }

  private async run(lang: string, file: string, code: string, workDir: string, signal: AbortSignal | undefined): Promise<RunProcessResult> {
    const common = { cwd: workDir, env: this.env(), timeout: this.timeout, signal, maxOutputBytes: this.max_output_bytes };
    if (lang === "typescript") {
      const inv = await typescriptInvocation(file, code);
      return runProcess(inv.command, inv.args, { ...common, input: inv.input });
    }
    const command = lang === "python" ? this.python() : _cmd(lang);
    return runProcess(command, [file], common);
  }

  async execute_code_blocks(code_blocks: CodeBlock[], options: ExecuteCodeBlocksOptions = {}): Promise<CommandLineCodeResult> {
    const signal = options.signal ?? currentSignal();
    if (signal?.aborted) throw new AbortError("Code execution was aborted before it started.", { cause: signal.reason });
    if (code_blocks.length === 0) return new CommandLineCodeResult({ exit_code: 0, output: "", code_file: null });
    const path = await import("node:path");
    const fs = await import("node:fs");
    const workDir = await this.absWorkDir();
    if (!this._setup_functions_complete) await this.setupFunctions(workDir, signal);

    let output = "";
    let exit_code = 0;
    let code_file: string | null = null;
    for (const block of code_blocks) {
      let lang = block.language.toLowerCase();
      const reason = dangerousCommandReason(lang, block.code);
      if (reason) {
        return new CommandLineCodeResult({ exit_code: 1, output: `Potentially dangerous command detected: ${reason}`, code_file: null });
      }
      const code = silence_pip(block.code, lang);
      if (lang === "py") lang = "python";
      else if (lang === "js") lang = "javascript";
      else if (lang === "ts") lang = "typescript";
      if (process.platform === "win32" && (lang === "sh" || lang === "shell")) lang = "ps1";
      if (!LocalCommandLineCodeExecutor.SUPPORTED_LANGUAGES.includes(lang)) {
        output += `\nunknown language ${lang}`;
        exit_code = 1;
        break;
      }
      const requested = fileNameFromFirstLine(code);
      let relative: string;
      if (requested !== null) {
        const resolved = await resolveInWorkspace(workDir, requested);
        if (resolved.kind === "outside") {
          return new CommandLineCodeResult({ exit_code: 1, output: "Filename is not in the workspace", code_file: null });
        }
        relative = resolved.relative;
      } else {
        const ext = lang === "python" ? "py" : lang === "typescript" ? "ts" : lang === "javascript" ? "js" : lang;
        relative = `tmp_code_${await md5Hex(code)}.${ext}`;
      }
      const written = path.join(workDir, relative);
      await fs.promises.mkdir(path.dirname(written), { recursive: true });
      await fs.promises.writeFile(written, code, "utf8");
      code_file ??= written;

      if (!this.execution_policies[lang]) {
        output += `Code saved to ${written}\n`;
        continue;
      }
      const result = await this.run(lang, written, code, workDir, signal);
      if (result.aborted) throw new AbortError("Code execution was aborted; its process tree was killed.", { cause: signal?.reason });
      output += result.stderr + result.stdout;
      if (result.timed_out) {
        output += `\n${TIMEOUT_MSG}`;
        exit_code = 124;
        break;
      }
      exit_code = result.exit_code ?? 1;
      if (exit_code !== 0) break;
    }
    return new CommandLineCodeResult({ exit_code, output, code_file });
  }

  /** Restarting is not supported by the local executor. */
  restart(): void {
    warn("Restarting local command line code executor is not supported. No action is taken.");
  }
}
