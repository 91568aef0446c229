import * as fs from "node:fs";
import * as path from "node:path";
import {
  AssistantAgent,
  ConversableAgent,
  IOStream,
  LocalCommandLineCodeExecutor,
  RuntimeError,
  UserProxyAgent,
  ValueError,
  execute_code,
  type Message,
} from "ag2ts";
import { CapturingIOStream } from "ag2ts/testing";
import { alive, fence, removeDir, tempDir, waitFor } from "./helpers";

const user = (content: string): Message => ({ content, role: "user", name: "assistant" });
const assistantMsg = (content: string): Message => ({ content, role: "assistant", name: "proxy" });

async function captured<T>(fn: () => Promise<T>): Promise<{ value: T; output: string }> {
  const io = new CapturingIOStream();
  const value = await IOStream.set_default(io, fn);
  return { value, output: io.output };
}

describe("legacy code_execution_config", () => {
  let dir: string;
  let saved: Record<string, string | undefined>;
  beforeEach(() => {
    dir = tempDir();
    saved = { AUTOGEN_USE_DOCKER: process.env.AUTOGEN_USE_DOCKER, DOCKER_HOST: process.env.DOCKER_HOST, AG2TS_IN_CONTAINER: process.env.AG2TS_IN_CONTAINER };
  });
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    removeDir(dir);
  });
  const localAgent = (extra: Record<string, unknown> = {}) =>
    new ConversableAgent("proxy", { llm_config: false, code_execution_config: { use_docker: false, work_dir: dir, ...extra } });

  it("runs a python block and replies with AG2's text, deleting the temp file", async () => {
    const agent = localAgent();
    const { value, output } = await captured(() => agent.generate_code_execution_reply({ messages: [user(fence("python", "print('hi')"))] }));
    expect(value).toEqual([true, "exitcode: 0 (execution succeeded)\nCode output: \nhi\n"]);
    expect(output).toBe("\n>>>>>>>> EXECUTING CODE BLOCK 0 (inferred language is python)...\n");
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("returns stderr only, without the temp path, and stops at the failing block", async () => {
    const agent = localAgent();
    const text = fence("python", "print('before')\nraise ValueError('boom')") + "\n" + fence("sh", "echo never");
    const { value, output } = await captured(() => agent.generate_code_execution_reply({ messages: [user(text)] }));
    expect(value).toEqual([
      true,
      "exitcode: 1 (execution failed)\nCode output: \nTraceback (most recent call last):\n" +
        '  File "", line 2, in <module>\n    raise ValueError(\'boom\')\nValueError: boom\n',
    ]);
    expect(output).toBe("\n>>>>>>>> EXECUTING CODE BLOCK 0 (inferred language is python)...\n");
  });

  it("keeps a '# filename:' file, runs sh blocks, and refuses names outside work_dir", async () => {
    const agent = localAgent();
    const text = fence("python", "# filename: hello.py\nprint('named')") + "\n" + fence("sh", "echo from sh");
    const { value, output } = await captured(() => agent.generate_code_execution_reply({ messages: [user(text)] }));
    expect(value).toEqual([true, "exitcode: 0 (execution succeeded)\nCode output: \nnamed\n\nfrom sh\n"]);
    expect(output).toBe(
      "\n>>>>>>>> EXECUTING CODE BLOCK 0 (inferred language is python)...\n\n>>>>>>>> EXECUTING CODE BLOCK 1 (inferred language is sh)...\n",
    );
    expect(fs.readdirSync(dir)).toEqual(["hello.py"]);
    const escape = await captured(() =>
      agent.generate_code_execution_reply({ messages: [user(fence("python", "# filename: ../evil.py\nprint(1)"))] }),
    );
    expect(escape.value).toEqual([true, "exitcode: 1 (execution failed)\nCode output: \nFilename is not in the workspace"]);
    expect(fs.existsSync(path.join(dir, "..", "evil.py"))).toBe(false);
  });

  it("reports an unknown language", async () => {
    const agent = localAgent();
    const { value, output } = await captured(() => agent.generate_code_execution_reply({ messages: [user(fence("", "cd /tmp && ls"))] }));
    expect(value).toEqual([true, "exitcode: 1 (execution failed)\nCode output: \nunknown language unknown"]);
    expect(output).toBe("\n>>>>>>>> EXECUTING CODE BLOCK 0 (inferred language is unknown)...\n");
  });

  it("ends a timed-out block with 'Timeout' and kills its process", async () => {
    const agent = localAgent({ timeout: 1 });
    const pidFile = path.join(dir, "pid.txt");
    const code = `import os, time\nopen(${JSON.stringify(pidFile)}, "w").write(str(os.getpid()))\ntime.sleep(30)`;
    const { value } = await captured(() => agent.generate_code_execution_reply({ messages: [user(fence("python", code))] }));
    expect(value).toEqual([true, "exitcode: 1 (execution failed)\nCode output: \nTimeout"]);
    const pid = Number(fs.readFileSync(pidFile, "utf8"));
    expect(await waitFor(() => !alive(pid))).toBe(true);
  });

  it("with last_n_messages 'auto' scans only messages since the agent last spoke, newest first", async () => {
    const agent = localAgent();
    const messages = [
      user(fence("sh", "echo old")),
      assistantMsg("I ran it."),
      user(fence("sh", "echo first")),
      user(fence("sh", "echo newest")),
      user("no code here"),
    ];
    const { value } = await captured(() => agent.generate_code_execution_reply({ messages }));
    expect(value).toEqual([true, "exitcode: 0 (execution succeeded)\nCode output: \nnewest\n"]);
    const onlyOld = [user(fence("sh", "echo old")), assistantMsg("done")];
    expect((await captured(() => agent.generate_code_execution_reply({ messages: onlyOld }))).value).toEqual([false, null]);
    const two = localAgent({ last_n_messages: 3 });
    expect((await captured(() => two.generate_code_execution_reply({ messages: [...onlyOld, user("x")] }))).value).toEqual([
      true,
      "exitcode: 0 (execution succeeded)\nCode output: \nold\n",
    ]);
  });

  it("rejects a bad last_n_messages at reply time, not at construction", async () => {
    const agent = localAgent({ last_n_messages: -1 });
    await expect(agent.generate_code_execution_reply({ messages: [user(fence("sh", "echo x"))] })).rejects.toThrow(
      new ValueError("last_n_messages must be either a non-negative integer, or the string 'auto'."),
    );
  });

  it("resolves AUTOGEN_USE_DOCKER at construction", () => {
    process.env.AUTOGEN_USE_DOCKER = "maybe";
    expect(() => new ConversableAgent("a", { code_execution_config: {} })).toThrow(
      new ValueError('Invalid value for AUTOGEN_USE_DOCKER: maybe. Please set AUTOGEN_USE_DOCKER to "1/True/yes", "0/False/no", or "None".'),
    );
    process.env.AUTOGEN_USE_DOCKER = "No";
    expect(new ConversableAgent("a", { code_execution_config: {} })._code_execution_config).toEqual({ use_docker: false });
    process.env.AUTOGEN_USE_DOCKER = "none";
    expect(new ConversableAgent("a", { code_execution_config: {} })._code_execution_config).toEqual({ use_docker: null });
  });

  it("rejects unknown keys", () => {
    expect(() => new ConversableAgent("a", { code_execution_config: { use_docker: false, work_dri: "x" } })).toThrow(/Unknown key 'work_dri'/);
  });

  it("execute_code needs code or a filename", async () => {
    await expect(execute_code({ use_docker: false })).rejects.toThrow(new ValueError("Either code or filename must be provided."));
    expect(await execute_code({ code: "echo direct", lang: "sh", use_docker: false, work_dir: dir })).toEqual([0, "direct\n", null]);
  });
});

describe("UserProxyAgent and Docker (spec 10 §3)", () => {
  const keys = ["AUTOGEN_USE_DOCKER", "DOCKER_HOST", "AG2TS_IN_CONTAINER"];
  let saved: Record<string, string | undefined>;
  let dir: string;
  beforeEach(() => {
    saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
    dir = tempDir();
  });
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    removeDir(dir);
  });

  it("constructs without Docker and throws the Docker error at the first execution, never running code locally", async () => {
    delete process.env.AUTOGEN_USE_DOCKER;
    process.env.DOCKER_HOST = `unix://${path.join(dir, "no-such-docker.sock")}`;
    process.env.AG2TS_IN_CONTAINER = "0"; // this test machine may itself be a container
    const cwdExtensions = path.resolve("extensions");
    const existedBefore = fs.existsSync(cwdExtensions);
    const u = new UserProxyAgent("u");
    expect(u._code_execution_config).toEqual({ use_docker: true });
    u.human_input_mode = "NEVER";
    expect(u._reply_func_list.map((e) => e.reply_func)).toEqual([
      ConversableAgent.check_termination_and_human_reply,
      ConversableAgent.generate_function_call_reply,
      ConversableAgent.generate_tool_calls_reply,
      ConversableAgent.generate_code_execution_reply,
      ConversableAgent.generate_oai_reply,
    ]);
    const marker = path.join(dir, "ran.txt");
    const a = new ConversableAgent("a", { llm_config: false });
    const msg = user(fence("python", `open(${JSON.stringify(marker)}, "w").write("ran")`));
    const err = await u.generate_reply({ messages: [msg], sender: a }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    const text = (err as Error).message;
    expect(text).toContain("Docker is not running or not reachable");
    expect(text).toContain("- Start Docker");
    expect(text).toContain('- Set "use_docker": false in code_execution_config');
    expect(text).toContain('- Set the environment variable AUTOGEN_USE_DOCKER to "0/False/no"');
    expect(fs.existsSync(marker)).toBe(false);
    expect(fs.existsSync(cwdExtensions)).toBe(existedBefore);
  });

  it("runs the code locally with use_docker: false", async () => {
    const marker = path.join(dir, "ran.txt");
    const u = new UserProxyAgent("u", { human_input_mode: "NEVER", code_execution_config: { use_docker: false, work_dir: dir } });
    const a = new ConversableAgent("a", { llm_config: false });
    const msg = user(fence("python", `open(${JSON.stringify(marker)}, "w").write("ran")\nprint("done")`));
    const { value } = await captured(() => u.generate_reply({ messages: [msg], sender: a }));
    expect(value).toBe("exitcode: 0 (execution succeeded)\nCode output: \ndone\n");
    expect(fs.readFileSync(marker, "utf8")).toBe("ran");
  });
});

describe("executor path", () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => removeDir(dir));

  it("prints the batch line and replies without a leading newline", async () => {
    const agent = new ConversableAgent("proxy", {
      llm_config: false,
      code_execution_config: { executor: new LocalCommandLineCodeExecutor({ work_dir: dir }) },
    });
    expect(agent._reply_func_list[3].reply_func).toBe(ConversableAgent._generate_code_execution_reply_using_executor);
    const text = fence("python", "import sys\nprint('out')\nsys.stderr.write('err\\n')") + "\n" + fence("sh", "echo two");
    const { value, output } = await captured(() => agent.generate_reply({ messages: [user(text)], sender: new ConversableAgent("x", { llm_config: false }) }));
    expect(value).toBe("exitcode: 0 (execution succeeded)\nCode output: err\nout\ntwo\n");
    expect(output).toBe("\n>>>>>>>> USING AUTO REPLY...\n\n>>>>>>>> EXECUTING 2 CODE BLOCKS (inferred languages are [python, sh])...\n");
    const one = await captured(async () =>
      ConversableAgent._generate_code_execution_reply_using_executor(agent, [user(fence("sh", "exit 2"))], null, null),
    );
    expect(one.value).toEqual([true, "exitcode: 2 (execution failed)\nCode output: "]);
    expect(one.output).toBe("\n>>>>>>>> EXECUTING CODE BLOCK (inferred language is sh)...\n");
  });

  it("scans no messages with last_n_messages 0 and rejects a config argument", async () => {
    const agent = new ConversableAgent("proxy", {
      llm_config: false,
      code_execution_config: { executor: "commandline-local", "commandline-local": { work_dir: dir }, last_n_messages: 0 },
    });
    expect(agent._code_executor).toBeInstanceOf(LocalCommandLineCodeExecutor);
    expect(await ConversableAgent._generate_code_execution_reply_using_executor(agent, [user(fence("sh", "echo x"))], null, null)).toEqual([false, null]);
    await expect(
      Promise.resolve(ConversableAgent._generate_code_execution_reply_using_executor(agent, [user("x")], null, {})),
    ).rejects.toThrow(new ValueError("config is not supported for _generate_code_execution_reply_using_executor."));
  });

  it("validates executor configs at construction", () => {
    expect(() => new ConversableAgent("a", { code_execution_config: { executor: "nope" } })).toThrow(new ValueError("Unknown code executor nope"));
    expect(() => new ConversableAgent("a", { code_execution_config: { executor: "ipython-embedded" } })).toThrow(/not supported/);
    expect(() => new ConversableAgent("a", { code_execution_config: { executor: "commandline-local", work_dir: "x" } })).toThrow(
      /^'work_dir' in code_execution_config is not valid when 'executor' is set\./,
    );
    expect(() => new ConversableAgent("a", { code_execution_config: { executor: "commandline-local", docker: {} } })).toThrow(/Unknown key 'docker'/);
    expect(new AssistantAgent("b", { llm_config: false })._reply_func_list).toHaveLength(4);
  });
});
