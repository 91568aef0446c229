// Child process for the shared-directory test: writes N entries and one
// shared key through the real DiskCache (TypeScript source via ts-node).
process.env.TS_NODE_TRANSPILE_ONLY = "1";
process.env.TS_NODE_COMPILER_OPTIONS = JSON.stringify({ module: "commonjs", moduleResolution: "node" });
require("ts-node/register");
const { DiskCache } = require("../../src/cache/disk-cache.ts");

const [dir, who, count] = process.argv.slice(2);
(async () => {
  const cache = new DiskCache(dir);
  for (let i = 0; i < Number(count); i++) {
    await cache.set(`${who}-${i}`, { who, i });
    await cache.set("both", { who, i });
  }
  await cache.close();
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
