/**
 * Whether the legacy code path uses Docker (spec 50 §2.1; AG2
 * `decide_use_docker`, `check_can_use_docker_or_throw`).
 */
import { RuntimeError, ValueError } from "../errors";
import { in_docker_container, is_docker_running } from "./docker-client";

export type UseDocker = boolean | string | string[] | null;

const TRUTHY = new Set(["1", "true", "yes", "t"]);
const FALSY = new Set(["0", "false", "no", "f"]);

/**
 * `use_docker` as given, or (when null/undefined) from env AUTOGEN_USE_DOCKER
 * (default "True"): 1/true/yes/t → true, 0/false/no/f → false, none → null.
 */
export function decide_use_docker(use_docker: UseDocker | undefined): UseDocker {
  if (use_docker !== null && use_docker !== undefined) return use_docker;
  const raw = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.AUTOGEN_USE_DOCKER ?? "True";
  const value = raw.toLowerCase();
  if (TRUTHY.has(value)) return true;
  if (FALSY.has(value)) return false;
  if (value === "none") return null;
  throw new ValueError(
    `Invalid value for AUTOGEN_USE_DOCKER: ${raw}. Please set AUTOGEN_USE_DOCKER to "1/True/yes", "0/False/no", or "None".`,
  );
}

/** The error thrown when Docker is wanted but unreachable: it lists the three fixes. */
export function dockerNotRunningError(): RuntimeError {
  const host = process.env.DOCKER_HOST ? ` (DOCKER_HOST=${process.env.DOCKER_HOST})` : "";
  return new RuntimeError(
    `Code execution is configured to run in Docker (the default), but Docker is not running or not reachable${host}.\n` +
      "Fix it in one of these ways:\n" +
      "- Start Docker (recommended: generated code then runs isolated from your machine)\n" +
      '- Set "use_docker": false in code_execution_config to run code locally\n' +
      '- Set the environment variable AUTOGEN_USE_DOCKER to "0/False/no" to run code locally',
  );
}

/** Throws `dockerNotRunningError` when Docker is wanted, we are not in a container, and no engine answers. */
export async function check_can_use_docker_or_throw(use_docker: UseDocker): Promise<void> {
  if (use_docker === null || use_docker === false) return;
  if (Array.isArray(use_docker) && use_docker.length === 0) return;
  if (use_docker === "") return;
  if (await in_docker_container()) return;
  if (!(await is_docker_running())) throw dockerNotRunningError();
}
