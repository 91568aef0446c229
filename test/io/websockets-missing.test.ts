/**
 * IOWebsockets.run_server when the optional `ws` package is not installed:
 * a RuntimeError naming the package to install. `ws` is a devDependency
 * here, so its absence is made real in a child `node` process running the
 * built package (dist/), whose resolve hook (test/runtime/fixtures/missing-package-hooks.mjs)
 * resolves "ws" from a directory without node_modules.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const dist = resolve(__dirname, "../../dist");
const fixtures = join(__dirname, "fixtures");

test.each(["index.mjs", "index.cjs"])("dist/%s: run_server rejects with a RuntimeError that says to install ws", (entry) => {
  if (!existsSync(join(dist, entry))) throw new Error(`dist/${entry} is missing: these tests run the built package. Run \`npm run build\` first.`);
  const root = mkdtempSync(join(tmpdir(), "ag2ts-no-ws-"));
  try {
    const run = spawnSync(process.execPath, ["--import", join(__dirname, "../runtime/fixtures/missing-package-register.mjs"), join(fixtures, "ws-missing-probe.mjs"), join(dist, entry)], {
      cwd: root,
      env: { ...process.env, AG2TS_MISSING_PACKAGES: "ws", AG2TS_MISSING_ROOT: root },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(JSON.parse(run.stdout)).toEqual({
      ws: "ERR_MODULE_NOT_FOUND",
      error: ["RuntimeError", 'IOWebsockets.run_server needs the optional package "ws", which is not installed. Install it with: npm install ws', "ERR_MODULE_NOT_FOUND"],
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
