/**
 * The legacy `execute_code` (spec 50 §2.4; AG2 code_utils.py): runs one
 * piece of code locally or in a new Docker container and returns
 * `[exit_code, logs, docker_image | null]`.
 */
import { currentSignal } from "../core/run-context";
import { AbortError, ValueError } from "../errors";
import { _cmd } from "./commands";
import { in_docker_container } from "./docker-client";
import { runInDocker } from "./docker-legacy";
import { runProcess } from "./process";
import { requirePython } from "./python";
import { check_can_use_docker_or_throw, decide_use_docker, type UseDocker } from "./use-docker";
import { md5Hex } from "./utils";

/** Seconds a legacy code block may run. */
export const DEFAULT_TIMEOUT = 600;
/** ag2ts: the legacy default work_dir, relative to the current directory. */
export const WORKING_DIR = "extensions";
export const TIMEOUT_MSG = "Timeout";

export interface ExecuteCodeOptions {
  code?: string | null;
  /** Seconds; default 600. */
  timeout?: number | null;
  /** File to write the code to (relative to work_dir) or to run; default `tmp_code_<md5>.<ext>` (deleted afterwards). */
  filename?: string | null;
  /** Default "extensions" under the current directory. */
  work_dir?: string | null;
  /** Not given: from AUTOGEN_USE_DOCKER, and checked. */
  use_docker?: UseDocker;
  /** Default "python". */
  lang?: string | null;
  /** ag2ts: cancels the run (default: the chat's signal). */
  signal?: AbortSignal;
}

export async function execute_code(options: ExecuteCodeOptions = {}): Promise<[number, string, string | null]> {
  const code = options.code ?? null;
  if (code === null && !options.filename) throw new ValueError("Either code or filename must be provided.");
  let use_docker: UseDocker;
  if (options.use_docker === undefined) {
    use_docker = decide_use_docker(null);
    await check_can_use_docker_or_throw(use_docker);
  } else {
    use_docker = options.use_docker;
  }
  const signal = options.signal ?? currentSignal();
  if (signal?.aborted) throw new AbortError("Code execution was aborted before it started.", { cause: signal.reason });
  const timeout = options.timeout || DEFAULT_TIMEOUT;
  let lang = options.lang ?? "python";
  const wantsDocker = Boolean(use_docker) && !(Array.isArray(use_docker) && use_docker.length === 0);
  if (process.platform === "win32" && (lang === "sh" || lang === "shell") && !wantsDocker) lang = "ps1";

  const path = await import("node:path");
  const fs = await import("node:fs");
  const autoNamed = !options.filename;
  const filename = options.filename || `tmp_code_${await md5Hex(code as string)}.${lang.startsWith("python") ? "py" : lang}`;
  const workDir = path.resolve(options.work_dir ?? WORKING_DIR);
  const filepath = path.join(workDir, filename);
  await fs.promises.mkdir(path.dirname(filepath), { recursive: true });
  if (code !== null) await fs.promises.writeFile(filepath, code, "utf8");
  const removeAutoNamed = async () => {
    if (autoNamed) await fs.promises.rm(filepath, { force: true });
  };

  if (!wantsDocker || (await in_docker_container())) {
    const command = lang.startsWith("python") || lang === "py" || lang === "Python" ? requirePython() : _cmd(lang);
    let result;
    try {
      result = await runProcess(command, [filename], { cwd: workDir, timeout, signal });
    } finally {
      await removeAutoNamed();
    }
    if (result.aborted) throw new AbortError("Code execution was aborted; its process tree was killed.", { cause: signal?.reason });
    if (result.timed_out) return [1, TIMEOUT_MSG, null];
    const exit = result.exit_code ?? 1;
    if (exit === 0) return [0, result.stdout, null];
    let logs = result.stderr;
    if (autoNamed) logs = logs.split(filepath).join("").split(filename).join("");
    else logs = logs.split(workDir + path.sep).join("");
    return [exit, logs, null];
  }

  try {
    return await runInDocker({
      filename: filename.split(path.sep).join("/"),
      autoNamed,
      lang,
      workDir,
      timeout,
      use_docker: use_docker as true | string | string[],
      signal,
    });
  } finally {
    await removeAutoNamed();
  }
}
