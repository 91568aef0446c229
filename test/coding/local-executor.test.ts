import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { AbortError, CodeBlock, CommandLineCodeResult, LocalCommandLineCodeExecutor, ValueError, set_logger } from "ag2ts";
import { silence_pip } from "ag2ts/coding";
import { alive, removeDir, tempDir, waitFor } from "./helpers";

const md5 = (s: string) => crypto.createHash("md5").update(s).digest("hex");
const block = (language: string, code: string) => new CodeBlock({ language, code });

describe("LocalCommandLineCodeExecutor", () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => removeDir(dir));

  it("runs python and reports stdout, the code file, and exit 0", async () => {
    const ex = new LocalCommandLineCodeExecutor({ work_dir: dir });
    const code = "print('hello')";
    const r = await ex.execute_code_blocks([block("python", code)]);
    expect(r).toBeInstanceOf(CommandLineCodeResult);
    expect(r.exit_code).toBe(0);
    expect(r.output).toBe("hello\n");
    expect(r.code_file).toBe(path.join(dir, `tmp_code_${md5(code)}.py`));
    expect(fs.readFileSync(r.code_file as string, "utf8")).toBe(code);
  });

  it("puts stderr before stdout and stops at the first failing block", async () => {
    const ex = new LocalCommandLineCodeExecutor({ work_dir: dir });
    const r = await ex.execute_code_blocks([
      block("py", "import sys\nprint('out')\nprint('err', file=sys.stderr)"),
      block("sh", "echo second; exit 3"),
      block("sh", "echo never"),
    ]);
    expect(r.exit_code).toBe(3);
    expect(r.output).toBe("err\nout\nsecond\n");
  });

  it("saves javascript by default and runs it with node when the policy allows", async () => {
    const code = "console.log('hi from node')";
    const saved = await new LocalCommandLineCodeExecutor({ work_dir: dir }).execute_code_blocks([block("javascript", code)]);
    const file = path.join(dir, `tmp_code_${md5(code)}.js`);
    expect(saved.exit_code).toBe(0);
    expect(saved.output).toBe(`Code saved to ${file}\n`);
    expect(fs.existsSync(file)).toBe(true);
    const run = await new LocalCommandLineCodeExecutor({ work_dir: dir, execution_policies: { javascript: true } }).execute_code_blocks([
      block("javascript", code),
    ]);
    expect(run).toMatchObject({ exit_code: 0, output: "hi from node\n" });
  });

  it("runs typescript with node when the policy allows (type annotations erased)", async () => {
    const ex = new LocalCommandLineCodeExecutor({ work_dir: dir, execution_policies: { typescript: true } });
    const r = await ex.execute_code_blocks([block("ts", "const n: number = 21;\nconsole.log(`twice: ${n * 2}`);")]);
    expect(r).toMatchObject({ exit_code: 0, output: "twice: 42\n" });
  });

  it("refuses a dangerous shell command and runs nothing", async () => {
    const ex = new LocalCommandLineCodeExecutor({ work_dir: dir });
    const r = await ex.execute_code_blocks([block("sh", "touch ran.txt\nrm -rf /")]);
    expect(r).toMatchObject({ exit_code: 1, output: "Potentially dangerous command detected: Use of 'rm -rf' command is not allowed.", code_file: null });
    expect(fs.existsSync(path.join(dir, "ran.txt"))).toBe(false);
    expect(() => LocalCommandLineCodeExecutor.sanitize_command("bash", "dd if=/dev/zero of=x")).toThrow(
      new ValueError("Potentially dangerous command detected: Use of 'dd' command is not allowed."),
    );
  });

  it("writes named files inside work_dir and refuses names that escape it", async () => {
    const ex = new LocalCommandLineCodeExecutor({ work_dir: dir });
    const ok = await ex.execute_code_blocks([block("python", "# filename: sub/hello.py\nprint('named')")]);
    expect(ok).toMatchObject({ exit_code: 0, output: "named\n", code_file: path.join(dir, "sub", "hello.py") });

    const escape = await ex.execute_code_blocks([block("python", "# filename: ../x.py\nprint(1)")]);
    expect(escape).toMatchObject({ exit_code: 1, output: "Filename is not in the workspace", code_file: null });
    expect(fs.existsSync(path.join(dir, "..", "x.py"))).toBe(false);

    const outside = tempDir("ag2ts-outside-");
    try {
      fs.symlinkSync(outside, path.join(dir, "link"));
      const viaLink = await ex.execute_code_blocks([block("python", "# filename: link/evil.py\nprint(1)")]);
      expect(viaLink).toMatchObject({ exit_code: 1, output: "Filename is not in the workspace" });
      expect(fs.readdirSync(outside)).toEqual([]);
      const absolute = await ex.execute_code_blocks([block("python", `# filename: ${path.join(outside, "a.py")}\nprint(1)`)]);
      expect(absolute.output).toBe("Filename is not in the workspace");
    } finally {
      removeDir(outside);
    }
  });

  it("kills the whole process tree at the timeout and keeps the output so far", async () => {
    const ex = new LocalCommandLineCodeExecutor({ work_dir: dir, timeout: 1 });
    const r = await ex.execute_code_blocks([block("sh", "sleep 30 &\necho $! > grandchild.pid\necho started\nwait")]);
    expect(r.exit_code).toBe(124);
    expect(r.output).toBe("started\n\nTimeout");
    const pid = Number(fs.readFileSync(path.join(dir, "grandchild.pid"), "utf8"));
    expect(await waitFor(() => !alive(pid))).toBe(true);

    const sleepy = await ex.execute_code_blocks([block("sh", "sleep 5")]);
    expect(sleepy.exit_code).toBe(124);
    expect(sleepy.output.endsWith("Timeout")).toBe(true);
  });

  it("aborts through an AbortSignal, killing the process tree", async () => {
    const ex = new LocalCommandLineCodeExecutor({ work_dir: dir, timeout: 60 });
    const controller = new AbortController();
    const pidFile = path.join(dir, "child.pid");
    const run = ex.execute_code_blocks([block("bash", "sleep 40 &\necho $! > child.pid\nwait")], { signal: controller.signal });
    expect(await waitFor(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, "utf8").trim() !== "")).toBe(true);
    controller.abort();
    await expect(run).rejects.toBeInstanceOf(AbortError);
    const pid = Number(fs.readFileSync(pidFile, "utf8"));
    expect(await waitFor(() => !alive(pid))).toBe(true);
    await expect(ex.execute_code_blocks([block("sh", "echo x")], { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
  });

  it("truncates huge output with a clear marker", async () => {
    const ex = new LocalCommandLineCodeExecutor({ work_dir: dir, max_output_bytes: 1000 });
    const r = await ex.execute_code_blocks([block("python", "print('x' * 5000)")]);
    expect(r.exit_code).toBe(0);
    expect(r.output).toBe(
      "x".repeat(1000) + "\n[ag2ts: output truncated: the limit of 1000 bytes was reached and 4001 more bytes were dropped]\n",
    );
  });

  it("adds -qqq to pip install lines", async () => {
    expect(silence_pip("!pip install numpy\nprint(1)", "python")).toBe("!pip install -qqq numpy\nprint(1)");
    expect(silence_pip("! pip install a -qqq", "python")).toBe("! pip install a -qqq");
    expect(silence_pip("pip install x", "sh")).toBe("pip install -qqq x");
    expect(silence_pip("pip install x", "javascript")).toBe("pip install x");
    const ex = new LocalCommandLineCodeExecutor({ work_dir: dir });
    const r = await ex.execute_code_blocks([block("python", "# filename: p.py\n!pip install numpy")]);
    expect(r.exit_code).toBe(1);
    expect(fs.readFileSync(path.join(dir, "p.py"), "utf8")).toBe("# filename: p.py\n!pip install -qqq numpy");
  });

  it("reports unknown languages and handles an empty list", async () => {
    const ex = new LocalCommandLineCodeExecutor({ work_dir: dir });
    expect(await ex.execute_code_blocks([block("cobol", "DISPLAY 'X'.")])).toMatchObject({ exit_code: 1, output: "\nunknown language cobol" });
    expect(await ex.execute_code_blocks([])).toMatchObject({ exit_code: 0, output: "", code_file: null });
  });

  it("exposes Python functions through the functions module", async () => {
    const func = 'def add(a: int, b: int) -> int:\n    """Add two numbers."""\n    return a + b\n';
    const ex = new LocalCommandLineCodeExecutor({
      work_dir: dir,
      functions: [{ func, global_imports: ["math", { module: "os", imports: ["path"] }] }],
    });
    expect(ex.format_functions_for_prompt()).toBe(
      "The following user-defined functions are available to you; import them by name from the module `functions`.\n\n" +
        "For instance, a function called `foo` is imported with `from functions import foo`\n\n" +
        'def add(a: int, b: int) -> int:\n    """Add two numbers."""\n    ...',
    );
    const r = await ex.execute_code_blocks([block("python", "from functions import add\nprint(add(2, 3))")]);
    expect(r).toMatchObject({ exit_code: 0, output: "5\n" });
    expect(fs.readFileSync(path.join(dir, "functions.py"), "utf8")).toBe(
      "from os import path\nimport math\n\n" + func.trim() + "\n\n",
    );
    const broken = new LocalCommandLineCodeExecutor({ work_dir: dir, functions_module: "broken", functions: [{ func: "def f():\n    return undefined_name\nf()" }] });
    await expect(broken.execute_code_blocks([block("python", "print(1)")])).rejects.toThrow(/^Functions failed to load: Traceback/);
  });

  it("validates its options", () => {
    expect(() => new LocalCommandLineCodeExecutor({ timeout: 0 })).toThrow(new ValueError("Timeout must be greater than or equal to 1."));
    expect(() => new LocalCommandLineCodeExecutor({ functions_module: "not-valid" })).toThrow(ValueError);
    expect(() => new LocalCommandLineCodeExecutor({ work_dri: "x" } as never)).toThrow(/unknown option 'work_dri'. Did you mean 'work_dir'\?/);
    const ex = new LocalCommandLineCodeExecutor({ work_dir: dir });
    expect(ex.timeout).toBe(60);
    expect(ex.execution_policies.javascript).toBe(false);
    expect(ex.execution_policies.python).toBe(true);
  });

  it("warns that restart is not supported", () => {
    const seen: string[] = [];
    set_logger((_level, message) => seen.push(message));
    try {
      new LocalCommandLineCodeExecutor({ work_dir: dir }).restart();
    } finally {
      set_logger(null);
    }
    expect(seen).toEqual(["Restarting local command line code executor is not supported. No action is taken."]);
  });

  it("creates work_dir, parents included, when it is constructed (as AG2's __init__), before any execution", () => {
    const work_dir = path.join(dir, "a", "b", "work");
    expect(fs.existsSync(path.join(dir, "a"))).toBe(false);
    const ex = new LocalCommandLineCodeExecutor({ work_dir });
    expect(ex.work_dir).toBe(work_dir);
    expect(fs.statSync(work_dir).isDirectory()).toBe(true);
    expect(fs.readdirSync(work_dir)).toEqual([]);
    // An existing work_dir is kept as it is.
    fs.writeFileSync(path.join(work_dir, "keep.txt"), "kept");
    new LocalCommandLineCodeExecutor({ work_dir });
    expect(fs.readdirSync(work_dir)).toEqual(["keep.txt"]);
  });

  it("rejected options create no work_dir", () => {
    const work_dir = path.join(dir, "never");
    expect(() => new LocalCommandLineCodeExecutor({ work_dir, timeout: 0 })).toThrow(new ValueError("Timeout must be greater than or equal to 1."));
    expect(() => new LocalCommandLineCodeExecutor({ work_dir, functions_module: "not-valid" })).toThrow(ValueError);
    expect(fs.existsSync(work_dir)).toBe(false);
  });

  it("a work_dir that cannot be created is a ValueError naming the directory and the cause", () => {
    const file = path.join(dir, "plain-file");
    fs.writeFileSync(file, "not a directory");
    const work_dir = path.join(file, "work");
    let error: unknown;
    try {
      new LocalCommandLineCodeExecutor({ work_dir });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValueError);
    expect((error as ValueError).message).toBe(
      `LocalCommandLineCodeExecutor could not create its work_dir '${work_dir}': ENOTDIR: not a directory, mkdir '${work_dir}'. ` +
        "Pass a work_dir that is a directory, or can be created as one, and that you can write to.",
    );
    expect((error as ValueError).cause).toMatchObject({ code: "ENOTDIR" });
    expect((error as ValueError).context).toEqual({ work_dir });
  });

  it("a relative work_dir is created under the current directory and named absolutely in the error", () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      new LocalCommandLineCodeExecutor({ work_dir: "rel/work" });
      expect(fs.statSync(path.join(dir, "rel", "work")).isDirectory()).toBe(true);
      fs.writeFileSync(path.join(dir, "f"), "");
      expect(() => new LocalCommandLineCodeExecutor({ work_dir: "f/work" })).toThrow(
        `LocalCommandLineCodeExecutor could not create its work_dir '${path.join(fs.realpathSync(dir), "f", "work")}'`,
      );
    } finally {
      process.chdir(cwd);
    }
  });
});

describe("create_virtual_env", () => {
  it("creates a venv whose python the executor then uses", async () => {
    const { create_virtual_env } = await import("ag2ts/coding");
    const dir = tempDir();
    try {
      const venv = await create_virtual_env(path.join(dir, "venv"), { with_pip: false });
      expect(venv).toEqual({ env_dir: path.join(dir, "venv"), bin_path: path.join(dir, "venv", "bin"), env_exe: path.join(dir, "venv", "bin", "python") });
      const ex = new LocalCommandLineCodeExecutor({ work_dir: path.join(dir, "work"), virtual_env_context: venv });
      const r = await ex.execute_code_blocks([block("python", "import sys\nprint(sys.prefix)"), block("sh", "command -v python")]);
      expect(r).toMatchObject({ exit_code: 0, output: `${venv.env_dir}\n${venv.env_exe}\n` });
    } finally {
      removeDir(dir);
    }
  });
});
