import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import Docker from "dockerode";
import { AbortError, CodeBlock, ConversableAgent, DockerCommandLineCodeExecutor, IOStream, RuntimeError, ValueError } from "ag2ts";
import { CapturingIOStream } from "ag2ts/testing";
import { fence, removeDir, tempDir } from "./helpers";
import { REPLIES, TASK, writeRunFixChat } from "./write-run-fix";

/** The engine the tests use: DOCKER_HOST (set by .ci/setup.d/30-docker.sh) or the default socket. */
function engineSocket(): string | null {
  const host = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
  if (!host.startsWith("unix://")) return host;
  const socket = host.slice("unix://".length);
  return fs.existsSync(socket) ? socket : null;
}

const md5 = (s: string) => crypto.createHash("md5").update(s).digest("hex");
const block = (language: string, code: string) => new CodeBlock({ language, code });

if (engineSocket() === null) {
  test("Docker tests need a Docker engine", () => {
    // Visible on purpose: these tests did not run.
    console.warn(`SKIPPED Docker tests: no Docker engine reachable (DOCKER_HOST=${process.env.DOCKER_HOST ?? "unset"}). Run .ci/setup.d/30-docker.sh.`);
    expect(engineSocket()).toBeNull();
  });
} else {
  const docker = new Docker();
  const createdImages: string[] = [];
  const saved = { AG2TS_IN_CONTAINER: process.env.AG2TS_IN_CONTAINER, DOCKER_HOST: process.env.DOCKER_HOST };

  afterAll(async () => {
    for (const image of createdImages) await docker.getImage(image).remove({ force: true }).catch(() => undefined);
    // No container may outlive the tests.
    expect(await docker.listContainers({ all: true })).toEqual([]);
  });

  describe("DockerCommandLineCodeExecutor (real engine)", () => {
    let dir: string;
    let executor: DockerCommandLineCodeExecutor | null = null;
    beforeEach(() => {
      dir = tempDir();
    });
    afterEach(async () => {
      await executor?.stop();
      executor = null;
      removeDir(dir);
    });

    it("runs python in python:3-slim with /workspace bound to work_dir, and stop() removes the container", async () => {
      executor = new DockerCommandLineCodeExecutor({ work_dir: dir, timeout: 20 });
      expect(executor.image).toBe("python:3-slim");
      expect(executor.container_name).toMatch(/^autogen-code-exec-[0-9a-f-]{36}$/);
      expect(executor.container_id).toBeNull(); // started lazily
      const code = "import os\nprint(os.getcwd())\nopen('/workspace/from_container.txt', 'w').write('hi')";
      const r = await executor.execute_code_blocks([block("python", code)]);
      expect(r).toMatchObject({ exit_code: 0, output: "/workspace\n", code_file: path.join(dir, `tmp_code_${md5(code)}.py`) });
      expect(fs.readFileSync(path.join(dir, "from_container.txt"), "utf8")).toBe("hi");
      const id = executor.container_id as string;
      expect((await docker.getContainer(id).inspect()).Name).toBe(`/${executor.container_name}`);

      const multi = await executor.execute_code_blocks([
        block("sh", "echo out; echo err >&2"),
        block("py", "import sys\nsys.exit('failed here')"),
        block("sh", "echo never"),
      ]);
      expect(multi.exit_code).toBe(1);
      // stdout and stderr of one exec arrive on separate pipes: their relative order is not guaranteed.
      expect(["out\nerr\nfailed here\n", "err\nout\nfailed here\n"]).toContain(multi.output);

      await executor.stop();
      await expect(docker.getContainer(id).inspect()).rejects.toMatchObject({ statusCode: 404 });
    });

    it("reports timeouts, unsupported languages, escaping file names and empty input", async () => {
      executor = new DockerCommandLineCodeExecutor({ work_dir: dir, timeout: 1 });
      const slow = await executor.execute_code_blocks([block("sh", "echo begun\nsleep 5")]);
      expect(slow).toMatchObject({ exit_code: 124, output: "begun\n\nTimeout" });
      expect(await executor.execute_code_blocks([block("cobol", "x")])).toMatchObject({ exit_code: 1, output: "Unsupported language cobol\n" });
      expect(await executor.execute_code_blocks([block("python", "# filename: ../x.py\nprint(1)")])).toMatchObject({
        exit_code: 1,
        output: "Filename is not in the workspace",
      });
      const saved = await executor.execute_code_blocks([block("javascript", "console.log(1)")]);
      expect(saved.output).toBe(`Code saved to ${path.join(dir, `tmp_code_${md5("console.log(1)")}.javascript`)}\n`);
      await expect(executor.execute_code_blocks([])).rejects.toThrow(new ValueError("No code blocks to execute."));
    });

    it("uses a local image without pulling, and pull errors propagate for a missing one", async () => {
      executor = new DockerCommandLineCodeExecutor({ work_dir: dir, image: "ag2ts-busybox:latest" });
      expect(await executor.execute_code_blocks([block("sh", "echo from busybox")])).toMatchObject({ exit_code: 0, output: "from busybox\n" });
      const missing = new DockerCommandLineCodeExecutor({ work_dir: dir, image: "ag2ts-no-such-image:none" });
      const io = new CapturingIOStream();
      await expect(IOStream.set_default(io, () => missing.execute_code_blocks([block("sh", "echo x")]))).rejects.toThrow();
      expect(io.output).toBe("Pulling image ag2ts-no-such-image:none\n");
      expect(missing.container_id).toBeNull();
    });

    // A killed process whose parent was the container's init shell stays a zombie (state Z) until reaped: it is gone.
    it("aborts a running block and keeps the container usable; restart() restarts it", async () => {
      executor = new DockerCommandLineCodeExecutor({ work_dir: dir, timeout: 60 });
      await executor.start();
      const controller = new AbortController();
      const run = executor.execute_code_blocks([block("sh", "sleep 50 &\necho $! > sleep.pid\nwait")], { signal: controller.signal });
      while (!fs.existsSync(path.join(dir, "sleep.pid")) || fs.readFileSync(path.join(dir, "sleep.pid"), "utf8") === "") await new Promise((r) => setTimeout(r, 25));
      controller.abort();
      await expect(run).rejects.toBeInstanceOf(AbortError);
      expect(await executor.execute_code_blocks([block("sh", 'state=$(sed -n "s/^State:\\s*\\(.\\).*/\\1/p" "/proc/$(cat sleep.pid)/status" 2>/dev/null)\nif [ -z "$state" ] || [ "$state" = Z ]; then echo gone; else echo "alive $state"; fi')])).toMatchObject({ output: "gone\n" });
      await executor.restart();
      expect(await executor.execute_code_blocks([block("sh", "echo after restart")])).toMatchObject({ exit_code: 0, output: "after restart\n" });
    });

    it("throws a clear error when Docker is unreachable", async () => {
      process.env.DOCKER_HOST = `unix://${path.join(dir, "nothing.sock")}`;
      try {
        const ex = new DockerCommandLineCodeExecutor({ work_dir: dir });
        await expect(ex.execute_code_blocks([block("sh", "echo x")])).rejects.toThrow(RuntimeError);
        await expect(ex.execute_code_blocks([block("sh", "echo x")])).rejects.toThrow(/^Docker is not reachable at unix:\/\//);
      } finally {
        process.env.DOCKER_HOST = saved.DOCKER_HOST;
      }
    });

    it("runs the write-run-fix chat in Docker", async () => {
      executor = new DockerCommandLineCodeExecutor({ work_dir: dir, timeout: 20 });
      const { result, model } = await writeRunFixChat({ executor });
      expect(result.chat_history.map((m) => [m.role, m.content])).toEqual([
        ["assistant", TASK],
        ["user", REPLIES[0]],
        ["assistant", "exitcode: 1 (execution failed)\nCode output: total is not defined yet\n"],
        ["user", REPLIES[1]],
        ["assistant", "exitcode: 0 (execution succeeded)\nCode output: 55\n"],
        ["user", REPLIES[2]],
      ]);
      model.assert_consumed();
    });
  });

  describe("container cleanup when the process ends", () => {
    const runChild = async (mode: "exit" | "wait-for-signal", dir: string) => {
      const { spawn } = await import("node:child_process");
      const child = spawn(process.execPath, [path.join(__dirname, "exit-cleanup-child.js"), dir, mode], { stdio: ["ignore", "pipe", "inherit"] });
      const id = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (c: Buffer) => {
          out += c.toString();
          if (out.includes("\n")) resolve(out.trim());
        });
        child.on("error", reject);
        child.on("exit", (code) => reject(new Error(`child exited (${code}) before printing an id: ${out}`)));
      });
      return { child, id };
    };
    const gone = async (id: string) => {
      for (let i = 0; i < 100; i++) {
        try {
          await docker.getContainer(id).inspect();
        } catch (err) {
          if ((err as { statusCode?: number }).statusCode === 404) return true;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      return false;
    };

    it("removes the container on process.exit() and on SIGTERM", async () => {
      const dir = tempDir();
      try {
        const exited = await runChild("exit", dir);
        expect(exited.id).toMatch(/^[0-9a-f]{64}$/);
        await new Promise((r) => exited.child.once("close", r));
        expect(await gone(exited.id)).toBe(true);

        const signalled = await runChild("wait-for-signal", dir);
        expect((await docker.getContainer(signalled.id).inspect()).State.Running).toBe(true);
        const closed = new Promise<NodeJS.Signals | null>((r) => signalled.child.once("close", (_code, sig) => r(sig)));
        signalled.child.kill("SIGTERM");
        expect(await closed).toBe("SIGTERM");
        expect(await gone(signalled.id)).toBe(true);
      } finally {
        removeDir(dir);
      }
    });
  });

  describe("legacy use_docker (real engine)", () => {
    let dir: string;
    beforeEach(() => {
      dir = tempDir();
      process.env.AG2TS_IN_CONTAINER = "0"; // run in Docker even if this machine is a container
    });
    afterEach(() => {
      if (saved.AG2TS_IN_CONTAINER === undefined) delete process.env.AG2TS_IN_CONTAINER;
      else process.env.AG2TS_IN_CONTAINER = saved.AG2TS_IN_CONTAINER;
      removeDir(dir);
    });

    it("runs each block in a new container and commits it as the next image", async () => {
      const agent = new ConversableAgent("proxy", { llm_config: false, code_execution_config: { use_docker: true, work_dir: dir, timeout: 20 } });
      const first = "with open('/state.txt', 'w') as f:\n    f.write('kept')\nprint('hello')";
      const io = new CapturingIOStream();
      const reply = await IOStream.set_default(io, () =>
        agent.generate_code_execution_reply({ messages: [{ role: "user", content: fence("python", first) }] }),
      );
      const tag = `tmp_code_${md5(first)}.py`;
      createdImages.push(`python:${tag}`);
      expect(reply).toEqual([true, "exitcode: 0 (execution succeeded)\nCode output: \nhello\n"]);
      expect(agent._code_execution_config).toMatchObject({ use_docker: `python:${tag}` });
      expect(fs.readdirSync(dir)).toEqual([]);

      const second = "print(open('/state.txt').read())\nimport sys\nsys.exit(3)";
      createdImages.push(`python:tmp_code_${md5(second)}.py`);
      const [, text] = await IOStream.set_default(io, () =>
        agent.generate_code_execution_reply({ messages: [{ role: "user", content: fence("python", second) }] }),
      );
      expect(text).toBe("exitcode: 3 (execution failed)\nCode output: \nkept\n");
    });

    it("times out, removing the container", async () => {
      const agent = new ConversableAgent("proxy", { llm_config: false, code_execution_config: { use_docker: "python:3-slim", work_dir: dir, timeout: 1 } });
      const io = new CapturingIOStream();
      const reply = await IOStream.set_default(io, () =>
        agent.generate_code_execution_reply({ messages: [{ role: "user", content: fence("sh", "sleep 20") }] }),
      );
      expect(reply).toEqual([true, "exitcode: 1 (execution failed)\nCode output: \nTimeout"]);
      expect(await docker.listContainers({ all: true })).toEqual([]);
    });
  });
}
