/**
 * Code-execution replies (spec 50 §2-3, spec 10 §3 and §8.4): configuration
 * checks at construction, the legacy reply (`code_execution_config` without
 * `executor`) and the executor reply.
 *
 * Docker reachability is checked lazily, at the first execution: a missing
 * engine is a RuntimeError then, never a silent fallback to local execution.
 */
import { CodeExecutorFactory } from "../../coding/factory";
import type { CodeExecutor } from "../../coding/base";
import { execute_code, WORKING_DIR } from "../../coding/execute-code";
import { UNKNOWN, extract_code, infer_lang } from "../../coding/extraction";
import { check_can_use_docker_or_throw, decide_use_docker, type UseDocker } from "../../coding/use-docker";
import { resolveInWorkspace } from "../../coding/utils";
import { ValueError } from "../../errors";
import { emit } from "../../io/events";
import type { Agent } from "../../core/agent";
import type { CodeExecutionConfig } from "../agent/agent-options";
import type { ChatAgent } from "../agent/chat-agent";
import { content_str } from "../../core/messages";
import type { ReplyFunctionOf } from "../agent/reply-chain";
import { currentSignal } from "../../core/run-context";
import type { Message, ReplyValue } from "../../core/types";

const LEGACY_KEYS = new Set(["work_dir", "use_docker", "timeout", "last_n_messages"]);
const EXECUTOR_ONLY_FORBIDDEN = ["use_docker", "work_dir", "timeout"];

/** Validates the config at construction, sets up the executor, and returns the reply function to register. */
export function initCodeExecution(agent: ChatAgent, config: CodeExecutionConfig): ReplyFunctionOf<ChatAgent> {
  if (config.executor !== undefined) {
    for (const key of EXECUTOR_ONLY_FORBIDDEN) {
      if (config[key] !== undefined) {
        throw new ValueError(
          `'${key}' in code_execution_config is not valid when 'executor' is set. Configure it on the executor instead ` +
            `(e.g. new LocalCommandLineCodeExecutor({ ${key}: ... })).`,
        );
      }
    }
    const allowed = new Set(["executor", "last_n_messages"]);
    if (typeof config.executor === "string") allowed.add(config.executor);
    for (const key of Object.keys(config)) {
      if (!allowed.has(key) && config[key] !== undefined) {
        throw new ValueError(
          `Unknown key '${key}' in code_execution_config. With 'executor' set, the allowed keys are: ${[...allowed].join(", ")}.`,
        );
      }
    }
    agent._code_executor = CodeExecutorFactory.create(config);
    return _generate_code_execution_reply_using_executor;
  }
  for (const key of Object.keys(config)) {
    if (!LEGACY_KEYS.has(key) && config[key] !== undefined) {
      throw new ValueError(
        `Unknown key '${key}' in code_execution_config. The allowed keys are: work_dir, use_docker, timeout, last_n_messages, or executor (with its own settings).`,
      );
    }
  }
  const use_docker = decide_use_docker(config.use_docker as UseDocker | undefined);
  agent._code_execution_config = { ...config, use_docker };
  return generate_code_execution_reply;
}

const LAST_N_ERROR = "last_n_messages must be either a non-negative integer, or the string 'auto'.";

/** How many trailing messages to scan: a number, or "auto" = the trailing run of `role: "user"` messages. */
function messagesToScan(last_n_messages: unknown, messages: Message[]): number {
  const value = last_n_messages === undefined || last_n_messages === null ? "auto" : last_n_messages;
  if (value === "auto") {
    let n = 0;
    for (let i = messages.length - 1; i >= 0; i--) {
      if (messages[i].role !== "user") break;
      n++;
    }
    return n;
  }
  if (typeof value !== "number" || Number.isNaN(value) || value < 0) throw new ValueError(LAST_N_ERROR);
  return Math.floor(value);
}

function replyText(exit_code: number, output: string): string {
  return `exitcode: ${exit_code} (${exit_code === 0 ? "execution succeeded" : "execution failed"})\nCode output: ${output}`;
}

function conversation(recipient: ChatAgent, messages: Message[] | null | undefined, sender: Agent | null | undefined): Message[] {
  if (messages) return messages;
  return sender ? recipient.chat_messages_get(sender) : [];
}

/** Legacy reply: runs the code blocks of the newest message that has any (spec 50 §2.2). */
export async function generate_code_execution_reply(
  recipient: ChatAgent,
  messages?: Message[] | null,
  sender?: Agent | null,
  config?: unknown,
): Promise<[boolean, ReplyValue]> {
  const cfg = (config ?? recipient._code_execution_config) as CodeExecutionConfig | false;
  if (cfg === false) return [false, null];
  const history = conversation(recipient, messages, sender);
  const n = messagesToScan(cfg.last_n_messages, history);
  for (let i = 0; i < Math.min(history.length, n); i++) {
    const message = history[history.length - 1 - i];
    const content = content_str(message.content as Message["content"]);
    if (!content) continue;
    const blocks = extract_code(content);
    if (blocks.length === 1 && blocks[0][0] === UNKNOWN) continue;
    const [exit_code, logs] = await recipient.execute_code_blocks(blocks);
    return [true, replyText(exit_code, logs)];
  }
  return [false, null];
}

/** Executor reply: runs the blocks the executor's extractor finds in the newest message that has any (spec 50 §3.3). */
export async function _generate_code_execution_reply_using_executor(
  recipient: ChatAgent,
  messages?: Message[] | null,
  sender?: Agent | null,
  config?: unknown,
): Promise<[boolean, ReplyValue]> {
  if (config !== null && config !== undefined) {
    throw new ValueError("config is not supported for _generate_code_execution_reply_using_executor.");
  }
  const cfg = recipient._code_execution_config;
  if (cfg === false) return [false, null];
  const executor = recipient._code_executor as CodeExecutor | null;
  if (!executor) return [false, null];
  const history = conversation(recipient, messages, sender);
  const n = messagesToScan(cfg.last_n_messages, history);
  for (let i = 0; i < Math.min(history.length, n); i++) {
    const message = history[history.length - 1 - i];
    if (!content_str(message.content as Message["content"])) continue;
    const blocks = executor.code_extractor.extract_code_blocks(message.content as string);
    if (blocks.length === 0) continue;
    emit({ type: "execute_code_blocks", agent: recipient.name, languages: blocks.map((b) => b.language) });
    const signal = currentSignal();
    const result = await executor.execute_code_blocks(blocks, signal ? { signal } : undefined);
    return [true, replyText(result.exit_code, result.output)];
  }
  return [false, null];
}

/** `agent.run_code(code, options)`: the override point of legacy execution; runs `execute_code`. */
export async function runCode(_agent: ChatAgent, code: string, options: Record<string, unknown>): Promise<[number, string, string | null]> {
  return execute_code({ ...options, code });
}

const dockerChecked = new WeakSet<ChatAgent>();

const SHELL_LANGS = new Set(["bash", "shell", "sh"]);
const PYTHON_LANGS = new Set(["python", "Python", "py"]);
const FILENAME_PREFIX = "# filename: ";

/** Legacy `execute_code_blocks`: runs `[lang, code]` pairs in order, stopping at the first failure (spec 50 §2.3). */
export async function executeCodeBlocks(agent: ChatAgent, code_blocks: Array<[string, string]>): Promise<[number, string]> {
  const cfg = agent._code_execution_config === false ? {} : agent._code_execution_config;
  const { last_n_messages: _ignored, ...runOptions } = cfg;
  if (runOptions.use_docker === undefined) runOptions.use_docker = decide_use_docker(null);
  if (runOptions.use_docker && !dockerChecked.has(agent)) {
    await check_can_use_docker_or_throw(runOptions.use_docker as UseDocker);
    dockerChecked.add(agent);
  }
  let logs_all = "";
  let exit_code = 0;
  for (let i = 0; i < code_blocks.length; i++) {
    let [lang, code] = code_blocks[i];
    if (!lang) lang = infer_lang(code);
    emit({ type: "execute_code_block", agent: agent.name, code_block_index: i, language: lang });
    let logs: string;
    let image: string | null = null;
    if (SHELL_LANGS.has(lang)) {
      [exit_code, logs, image] = await agent.run_code(code, { ...runOptions, lang });
    } else if (PYTHON_LANGS.has(lang)) {
      const firstLine = code.split("\n")[0];
      const filename = firstLine.startsWith(FILENAME_PREFIX) ? firstLine.slice(FILENAME_PREFIX.length).trim() || null : null;
      const outside =
        filename !== null &&
        (await resolveInWorkspace((runOptions.work_dir as string | null | undefined) ?? WORKING_DIR, filename)).kind === "outside";
      if (outside) {
        exit_code = 1;
        logs = "Filename is not in the workspace";
      } else {
        [exit_code, logs, image] = await agent.run_code(code, { ...runOptions, lang: "python", filename });
      }
    } else {
      exit_code = 1;
      logs = `unknown language ${lang}`;
    }
    if (image !== null && image !== undefined) {
      runOptions.use_docker = image;
      if (agent._code_execution_config !== false) agent._code_execution_config.use_docker = image;
    }
    logs_all += "\n" + logs;
    if (exit_code !== 0) break;
  }
  return [exit_code, logs_all];
}
