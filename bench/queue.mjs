// Chats per second of ag2ts/queue with 1, 2 and 4 worker processes on a
// private redis-server (bench/README.md, "ag2ts/queue").
//
//   node bench/queue.mjs [--chats 200] [--workers 1,2,4] [--concurrency 1,8] [--latency 0,100]
//
// Each cell: fresh worker processes (warmed up by a few chats, not timed),
// then N 6-message chats enqueued at once; the figure is N divided by the
// time from the first start() to the last run completed.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { ConversationQueue } from "../dist/queue.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? dflt : process.argv[i + 1];
};
const chats = Number(arg("chats", 200));
const workerCounts = arg("workers", "1,2,4").split(",").map(Number);
const concurrencies = arg("concurrency", "1,8").split(",").map(Number);
const latencies = arg("latency", "0,100").split(",").map(Number);

const port = await new Promise((resolve) => { const s = createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); }); });
const redis = spawn("redis-server", ["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no"], { stdio: "ignore" });
const url = `redis://127.0.0.1:${port}`;
await new Promise((r) => setTimeout(r, 300));
const script = fileURLToPath(new URL("./queue-worker.mjs", import.meta.url));

async function cell(workers, concurrency, latency, n) {
  const queueName = `bench-${workers}-${concurrency}-${latency}`;
  const children = await Promise.all(
    Array.from({ length: workers }, () => new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [script, url, queueName, String(concurrency)], { stdio: ["ignore", "pipe", "inherit"] });
      child.stdout.on("data", (d) => String(d).includes("ready") && resolve(child));
      child.on("exit", (code) => reject(new Error(`worker exited with ${code}`)));
    })),
  );
  const queue = new ConversationQueue({ connection: url, queueName });
  const runAll = async (count, offset) => {
    const ids = await Promise.all(Array.from({ length: count }, (_, i) => queue.start("bench", { id: offset + i, latency })));
    const infos = await Promise.all(ids.map((id) => queue.wait(id, { timeout: 600_000 })));
    if (infos.some((i) => i.status !== "completed" || i.messages !== 6)) throw new Error("a bench chat did not complete with 6 messages");
  };
  await runAll(workers * concurrency * 2, 0); // warm-up
  const t0 = performance.now();
  await runAll(n, 1_000_000);
  const seconds = (performance.now() - t0) / 1000;
  await queue.close();
  for (const c of children) c.kill("SIGTERM");
  await Promise.all(children.map((c) => new Promise((r) => c.on("exit", r))));
  return n / seconds;
}

const rows = [];
try {
  for (const latency of latencies) {
    for (const concurrency of concurrencies) {
      const row = { latency, concurrency };
      for (const w of workerCounts) row[w] = await cell(w, concurrency, latency, chats);
      rows.push(row);
      console.error(`latency ${latency} ms, concurrency ${concurrency}: ${workerCounts.map((w) => `${w}w ${row[w].toFixed(1)}`).join(", ")}`);
    }
  }
} finally {
  redis.kill("SIGKILL");
}
console.log(`| model latency | concurrency per worker | ${workerCounts.map((w) => `${w} worker${w > 1 ? "s" : ""}`).join(" | ")} |`);
console.log(`|---|---|${workerCounts.map(() => "---").join("|")}|`);
for (const r of rows) console.log(`| ${r.latency} ms | ${r.concurrency} | ${workerCounts.map((w) => `${r[w].toFixed(1)}`).join(" | ")} |`);
console.log(`\n(chats per second; ${chats} chats of 6 messages per cell; ${process.version}, ${(await import("node:os")).cpus().length} cores)`);
