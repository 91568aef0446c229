/**
 * DockerCommandLineCodeExecutor creates its work_dir in the constructor, as
 * AG2's __init__ does. No Docker engine is needed: the container itself is
 * only started on the first execution (or start()).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DockerCommandLineCodeExecutor, ValueError } from "ag2ts";
import { removeDir, tempDir } from "./helpers";

describe("DockerCommandLineCodeExecutor work_dir", () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => removeDir(dir));

  it("is created, parents included, by the constructor, before any container exists", () => {
    const work_dir = path.join(dir, "x", "y", "work");
    const ex = new DockerCommandLineCodeExecutor({ work_dir });
    expect(ex.container_id).toBeNull();
    expect(ex.bind_dir).toBe(work_dir);
    expect(fs.statSync(work_dir).isDirectory()).toBe(true);
    expect(fs.readdirSync(work_dir)).toEqual([]);
  });

  it("rejected options create no work_dir", () => {
    const work_dir = path.join(dir, "never");
    expect(() => new DockerCommandLineCodeExecutor({ work_dir, timeout: 0 })).toThrow(new ValueError("Timeout must be greater than or equal to 1."));
    expect(fs.existsSync(work_dir)).toBe(false);
  });

  it("a work_dir under a regular file is a ValueError naming the directory and the cause", () => {
    const file = path.join(dir, "plain-file");
    fs.writeFileSync(file, "not a directory");
    const work_dir = path.join(file, "work");
    let error: unknown;
    try {
      new DockerCommandLineCodeExecutor({ work_dir });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValueError);
    expect((error as ValueError).message).toBe(
      `DockerCommandLineCodeExecutor could not create its work_dir '${work_dir}': ENOTDIR: not a directory, mkdir '${work_dir}'. ` +
        "Pass a work_dir that is a directory, or can be created as one, and that you can write to.",
    );
    expect((error as ValueError).cause).toMatchObject({ code: "ENOTDIR", path: work_dir });
  });
});
