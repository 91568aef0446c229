import { LocalCommandLineCodeExecutor } from "ag2ts";
import { REPLIES, TASK, writeRunFixChat } from "./write-run-fix";
import { removeDir, tempDir } from "./helpers";

describe("write-run-fix chat", () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => removeDir(dir));

  it("runs with the local executor until the code works", async () => {
    const { model, result, output } = await writeRunFixChat({ executor: new LocalCommandLineCodeExecutor({ work_dir: dir }) });
    expect(result.chat_history.map((m) => [m.role, m.name, m.content])).toEqual([
      ["assistant", "user_proxy", TASK],
      ["user", "assistant", REPLIES[0]],
      ["assistant", "user_proxy", "exitcode: 1 (execution failed)\nCode output: total is not defined yet\n"],
      ["user", "assistant", REPLIES[1]],
      ["assistant", "user_proxy", "exitcode: 0 (execution succeeded)\nCode output: 55\n"],
      ["user", "assistant", REPLIES[2]],
    ]);
    expect(output.split("\n>>>>>>>> EXECUTING CODE BLOCK (inferred language is python)...\n")).toHaveLength(3);
    expect(model.requests).toHaveLength(3);
    expect(model.requests[1].messages.at(-1)).toMatchObject({
      role: "user",
      content: "exitcode: 1 (execution failed)\nCode output: total is not defined yet\n",
    });
    model.assert_consumed();
  });

  it("runs with the legacy local path (leading newline in the output, as AG2)", async () => {
    const { result, output } = await writeRunFixChat({ use_docker: false, work_dir: dir });
    expect(result.chat_history.map((m) => m.content)).toEqual([
      TASK,
      REPLIES[0],
      "exitcode: 1 (execution failed)\nCode output: \ntotal is not defined yet\n",
      REPLIES[1],
      "exitcode: 0 (execution succeeded)\nCode output: \n55\n",
      REPLIES[2],
    ]);
    expect(output.split("\n>>>>>>>> EXECUTING CODE BLOCK 0 (inferred language is python)...\n")).toHaveLength(3);
  });
});
