/**
 * A/B of two checkouts on a noisy machine, custom client: many fresh
 * processes per cell, the two builds interleaved, medians. Cold: one run per
 * process (µs/msg, peak RSS); hot: the median of 11 runs after 5 warm-ups per
 * process, then the median over the processes.
 *
 * usage: node bench/ab.mjs COLD_PROCESSES HOT_PROCESSES DIR_A DIR_B [S1,S2,...]
 *   each DIR a checkout with a built dist/ and this bench/ (node_modules may be a symlink)
 */
import { spawnSync } from "node:child_process";
import { median } from "./stats.mjs";

const [coldN = "41", hotN = "11", a, b, only = "S1,S2,S3,S4,S5"] = process.argv.slice(2);
if (!a || !b) throw new Error("usage: node bench/ab.mjs COLD_PROCESSES HOT_PROCESSES DIR_A DIR_B [S1,S2,...]");
function run(dir, scenario, warmups, runs) {
  const child = spawnSync(process.execPath, [`${dir}/bench/child.mjs`, scenario, "custom", "{}", String(warmups), String(runs)], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, AG2TS_BENCH_DIST: `${dir}/dist` },
  });
  if (child.status !== 0) throw new Error(`${dir} ${scenario} failed:\n${child.stdout}${child.stderr}`);
  return JSON.parse(child.stdout);
}
for (const scenario of only.split(",")) {
  const cells = new Map([a, b].map((dir) => [dir, { cold: [], hot: [], rss: [] }]));
  // Interleaved, alternating which build goes first, so that drift of the host hits both alike.
  for (let i = 0; i < Number(coldN); i++) {
    for (const dir of i % 2 ? [b, a] : [a, b]) {
      const r = run(dir, scenario, 0, 1);
      cells.get(dir).cold.push((r.ms[0] * 1000) / r.messages);
      cells.get(dir).rss.push(r.max_rss_kb / 1024);
    }
  }
  for (let i = 0; i < Number(hotN); i++) {
    for (const dir of i % 2 ? [b, a] : [a, b]) {
      const r = run(dir, scenario, 5, 11);
      cells.get(dir).hot.push((median(r.ms) * 1000) / r.messages);
    }
  }
  const show = (dir) => {
    const c = cells.get(dir);
    return `${dir}: cold ${median(c.cold).toFixed(1)} hot ${median(c.hot).toFixed(1)} cold RSS ${median(c.rss).toFixed(1)}`;
  };
  console.log(`${scenario}  ${show(a)}  |  ${show(b)}`);
}
