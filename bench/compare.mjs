/**
 * Compares builds on a noisy machine: runs the custom-client bench
 * (`run.mjs --json --clients custom --no-scaling --cold-processes 3`) N
 * times in each checkout given, alternating between them, and prints the
 * median of each figure per scenario (bench/README.md, "median of three
 * interleaved runs").
 *
 * usage: node bench/compare.mjs N DIR [DIR ...]   (each DIR a checkout with node_modules and this bench/)
 */
import { execFileSync } from "node:child_process";
import { median } from "./stats.mjs";

const [n = "3", ...dirs] = process.argv.slice(2);
if (dirs.length === 0) throw new Error("usage: node bench/compare.mjs N DIR [DIR ...]");
const results = new Map(dirs.map((dir) => [dir, []]));
for (let i = 0; i < Number(n); i++) {
  for (const dir of dirs) {
    const out = execFileSync(process.execPath, ["bench/run.mjs", "--json", "--clients", "custom", "--no-scaling", "--cold-processes", "3"], {
      cwd: dir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    results.get(dir).push(JSON.parse(out.trim().split("\n").pop()));
  }
}
for (const [dir, runs] of results) {
  console.log(`${dir}: median of ${n} runs (µs/msg; MiB)`);
  console.log("scenario  hot  hot_min  cold  cold_rss  hot_rss  (each run's hot)");
  for (const s of ["S1", "S2", "S3", "S4", "S5"]) {
    const cells = runs.map((r) => r[s].custom);
    const m = (pick) => median(cells.map(pick)).toFixed(1);
    const each = cells.map((c) => c.hot.us_per_msg.toFixed(1)).join(" / ");
    console.log(`${s}  ${m((c) => c.hot.us_per_msg)}  ${m((c) => c.hot.min_us_per_msg)}  ${m((c) => c.cold.us_per_msg)}  ${m((c) => c.cold.peak_rss_mb)}  ${m((c) => c.hot.peak_rss_mb)}  (${each})`);
  }
  console.log(`import ms: ${median(runs.map((r) => r.import.import_ms))}`);
}
