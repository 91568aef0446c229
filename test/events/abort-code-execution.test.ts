import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AssistantAgent, IOStream, LocalCommandLineCodeExecutor, UserProxyAgent } from "ag2ts";
import { CapturingIOStream, ScriptedModelClient } from "ag2ts/testing";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

describe("aborting a chat during code execution", () => {
  it("kills the running block's process tree and resolves with stop_reason 'aborted' and the messages so far", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ag2ts-abort-"));
    const pidFile = path.join(dir, "child.pid");
    const model = new ScriptedModelClient(["```sh\nsleep 60 &\necho $! > child.pid\nwait\n```"]);
    const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config() });
    const user = new UserProxyAgent("user", {
      human_input_mode: "NEVER",
      code_execution_config: { executor: new LocalCommandLineCodeExecutor({ work_dir: dir, timeout: 120 }) },
    });
    const controller = new AbortController();
    const io = new CapturingIOStream();
    const running = IOStream.set_default(io, () =>
      user.initiate_chat(assistant, { message: "Run a long job.", signal: controller.signal }),
    );
    expect(await waitFor(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, "utf8").trim() !== "")).toBe(true);
    const pid = Number(fs.readFileSync(pidFile, "utf8"));
    expect(alive(pid)).toBe(true);
    controller.abort();
    const result = await running;

    expect(result.stop_reason).toBe("aborted");
    expect(result.chat_history.map((m) => [m.name, m.content])).toEqual([
      ["user", "Run a long job."],
      ["assistant", "```sh\nsleep 60 &\necho $! > child.pid\nwait\n```"],
    ]);
    expect(await waitFor(() => !alive(pid))).toBe(true);
    expect(io.output).toContain(">>>>>>>> EXECUTING CODE BLOCK (inferred language is sh)...");
    model.assert_consumed();
  });
});
