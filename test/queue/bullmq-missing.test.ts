/**
 * ag2ts/queue without the optional bullmq package: importing it works, and
 * the first worker or queue that connects says what to install. bullmq is a
 * devDependency here, so its absence is made real in a child process that
 * runs the built entry (dist/queue.mjs) with a resolve hook hiding it.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

const entry = resolve(__dirname, "../../dist/queue.mjs");

test("a worker and a queue without bullmq reject with the install command", () => {
  if (!existsSync(entry)) throw new Error("dist/queue.mjs is missing: this test runs the built package. Run `npm run build` first.");
  const run = spawnSync(process.execPath, [join(__dirname, "fixtures/no-bullmq-probe.mjs"), entry], { encoding: "utf8", timeout: 60_000 });
  expect(run.stderr).toBe("");
  const message = 'ValueError: ag2ts/queue needs the optional package "bullmq" (5.x), which is not installed. Install it with: npm install bullmq@5';
  expect(JSON.parse(run.stdout)).toEqual({ worker: message, queue: message });
});
