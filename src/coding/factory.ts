/**
 * Builds the executor named in `code_execution_config.executor` (spec 50
 * §3.2; AG2 coding/factory.py).
 */
import { ValueError } from "../errors";
import { isCodeExecutor, type CodeExecutor } from "./base";
import { DockerCommandLineCodeExecutor, type DockerCommandLineCodeExecutorOptions } from "./docker-commandline-code-executor";
import { LocalCommandLineCodeExecutor, type LocalCommandLineCodeExecutorOptions } from "./local-commandline-code-executor";

const UNSUPPORTED = new Set(["ipython-embedded", "jupyter-local", "yepcode", "daytona", "remyx"]);

export const CodeExecutorFactory = {
  create(code_execution_config: Record<string, unknown>): CodeExecutor {
    const executor = code_execution_config.executor;
    if (isCodeExecutor(executor)) return executor;
    if (executor === "commandline-local") {
      return new LocalCommandLineCodeExecutor((code_execution_config["commandline-local"] ?? {}) as LocalCommandLineCodeExecutorOptions);
    }
    if (executor === "docker") {
      return new DockerCommandLineCodeExecutor((code_execution_config["docker"] ?? {}) as DockerCommandLineCodeExecutorOptions);
    }
    if (typeof executor === "string" && UNSUPPORTED.has(executor)) {
      throw new ValueError(
        `Code executor '${executor}' is not supported by ag2ts. Use "commandline-local", "docker", or pass an executor instance (an object with code_extractor, execute_code_blocks and restart).`,
      );
    }
    throw new ValueError(`Unknown code executor ${typeof executor === "string" ? executor : String(executor)}`);
  },
};
