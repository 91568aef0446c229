/**
 * Instructions per message of two checkouts (custom client), counted by
 * valgrind (cachegrind, no cache simulation): a figure that does not move
 * with the host's speed, which on this VM drifts by up to 50% within
 * minutes. Each cell runs `child.mjs <scenario> custom {} W R` under
 * valgrind twice, with R = SHORT and R = LONG timed runs after W warm-ups;
 * the difference divided by (LONG - SHORT) runs and the messages of a run is
 * what one hot run costs per message, agent construction of that run
 * included (the timings leave it out). Process start, import and warm-up
 * cancel out. The builds are interleaved, REPEAT times; medians.
 *
 * Node runs with `--single-threaded --predictable-gc-schedule`: the JIT
 * and the collector work on the main thread and are counted, and the
 * collections come at the same points in every run, so one build counts
 * within ~0.5% from run to run (without the flags, ±15%). It counts work,
 * not time: cache misses and stalls do not show. Valgrind runs node ~40x slower, so
 * a cell takes 10-30 s.
 *
 * usage: node bench/instructions.mjs DIR_A DIR_B [S1,S2,...] [REPEAT=3] [W=5] [SHORT=5] [LONG=25]
 *   each DIR a checkout with a built dist/ and this bench/; needs valgrind (apt install valgrind)
 */
import { spawnSync } from "node:child_process";
import { median } from "./stats.mjs";

const [a, b, only = "S1,S2,S3,S4,S5", repeat = "3", warmups = "5", short = "5", long = "25"] = process.argv.slice(2);
if (!a || !b) throw new Error("usage: node bench/instructions.mjs DIR_A DIR_B [S1,S2,...] [REPEAT] [W] [SHORT] [LONG]");
if (spawnSync("valgrind", ["--version"]).status !== 0) throw new Error("bench/instructions.mjs needs valgrind on the PATH (apt install valgrind).");

// One thread (the JIT and the collector run on the main thread, counted there) and V8's
// predictable collection schedule: the same build then counts within ~0.5% run to run.
const NODE_FLAGS = ["--single-threaded", "--predictable-gc-schedule"];

/** Instructions of one whole child process, and the messages of one of its runs. */
function count(dir, scenario, runs) {
  const child = spawnSync(
    "valgrind",
    ["--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", process.execPath, ...NODE_FLAGS, `${dir}/bench/child.mjs`, scenario, "custom", "{}", warmups, String(runs)],
    { cwd: dir, encoding: "utf8", env: { ...process.env, AG2TS_BENCH_DIST: `${dir}/dist` }, maxBuffer: 64 * 1024 * 1024 },
  );
  const refs = /I\s+refs:\s+([\d,]+)/.exec(child.stderr);
  if (child.status !== 0 || !refs) throw new Error(`${dir} ${scenario} failed under valgrind:\n${child.stdout}${child.stderr.slice(-2000)}`);
  return { instructions: Number(refs[1].replaceAll(",", "")), messages: JSON.parse(child.stdout).messages };
}

for (const scenario of only.split(",")) {
  const perMessage = new Map([a, b].map((dir) => [dir, []]));
  for (let i = 0; i < Number(repeat); i++) {
    for (const dir of i % 2 ? [b, a] : [a, b]) {
      const low = count(dir, scenario, Number(short));
      const high = count(dir, scenario, Number(long));
      perMessage.get(dir).push((high.instructions - low.instructions) / ((Number(long) - Number(short)) * high.messages));
    }
  }
  const show = (dir) => {
    const xs = perMessage.get(dir);
    return `${dir}: ${Math.round(median(xs))} instructions/msg (${xs.map((x) => Math.round(x)).join(", ")})`;
  };
  const change = (median(perMessage.get(b)) / median(perMessage.get(a)) - 1) * 100;
  console.log(`${scenario}  ${show(a)}  |  ${show(b)}  |  ${change >= 0 ? "+" : ""}${change.toFixed(1)}%`);
}
