/**
 * Creating a Python virtual environment for LocalCommandLineCodeExecutor
 * (spec 50 §4.5; AG2 `create_virtual_env`).
 */
import { RuntimeError } from "../errors";
import type { VirtualEnvContext } from "./local-commandline-code-executor";
import { runProcess } from "./process";
import { requirePython } from "./python";

export interface CreateVirtualEnvOptions {
  /** Install pip into the environment. Default true. */
  with_pip?: boolean;
  /** Also make the system site-packages visible. Default false. */
  system_site_packages?: boolean;
  /** Seconds. Default 300. */
  timeout?: number;
}

/** Runs `python -m venv <dir_path>` and returns the context for `virtual_env_context`. */
export async function create_virtual_env(dir_path: string, options: CreateVirtualEnvOptions = {}): Promise<VirtualEnvContext> {
  const path = await import("node:path");
  const env_dir = path.resolve(dir_path);
  const args = ["-m", "venv", env_dir];
  if (options.with_pip === false) args.push("--without-pip");
  if (options.system_site_packages) args.push("--system-site-packages");
  const r = await runProcess(requirePython(), args, { cwd: process.cwd(), timeout: options.timeout ?? 300 });
  if (r.timed_out || r.exit_code !== 0) {
    throw new RuntimeError(`Creating the virtual environment at ${env_dir} failed: ${r.timed_out ? "timed out" : r.stderr || r.stdout}`);
  }
  const win = process.platform === "win32";
  const bin_path = path.join(env_dir, win ? "Scripts" : "bin");
  return { env_dir, bin_path, env_exe: path.join(bin_path, win ? "python.exe" : "python") };
}
