// One worker process: node examples/queue/worker.mjs [name]   (REDIS_URL, default redis://127.0.0.1:6379)
import { ConversationWorker } from "../../dist/queue.mjs";
import { conversations } from "./conversations.mjs";

const worker = new ConversationWorker({
  connection: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  conversations,
  name: process.argv[2],
  concurrency: Number(process.env.CONCURRENCY ?? 4),
  lockDuration: 5000,
  stalledInterval: 2000,
  cache: { cache_seed: "examples-queue" },
});
await worker.start();
console.log(`worker ${worker.name} ready`);
const stop = () => worker.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
