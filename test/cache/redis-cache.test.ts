import { createClient } from "redis";
import { Cache, OpenAIWrapper, RedisCache } from "ag2ts";
import { chatCompletion, FakeServer } from "../oai/fake-servers";

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) {
  // The only allowed skip: no redis-server was started (.ci/setup.d/20-redis.sh sets REDIS_URL).
  console.warn("SKIPPED: RedisCache tests need REDIS_URL (a running redis-server); run them through .ci/run.");
}
const describeRedis = REDIS_URL ? describe : describe.skip;

describeRedis("RedisCache against a real redis-server", () => {
  const seed = `t${process.pid}${Date.now()}`;
  let raw: ReturnType<typeof createClient>;
  beforeAll(async () => {
    raw = createClient({ url: REDIS_URL });
    await raw.connect();
  });
  afterAll(async () => {
    for (const key of await raw.keys(`autogen:${seed}*`)) await raw.del(key);
    await raw.close();
  });

  test("stores JSON under autogen:<seed>:<key> and reads it back", async () => {
    const cache = new RedisCache(seed, REDIS_URL!);
    await cache.set("k1", { content: "hello", n: [1, 2] });
    expect(await raw.get(`autogen:${seed}:k1`)).toBe('{"content":"hello","n":[1,2]}');
    expect(await cache.get("k1")).toEqual({ content: "hello", n: [1, 2] });
    expect(await cache.get("nope", "dflt")).toBe("dflt");
    await raw.set(`autogen:${seed}:bad`, "not json");
    expect(await cache.get("bad", "dflt")).toBe("dflt");
    await cache.close();
  });

  test("Cache.redis with await using, and cached responses across wrappers", async () => {
    const server = await FakeServer.start(chatCompletion({ content: "from server" }));
    try {
      const config = { config_list: [{ model: "gpt-4o-mini", api_key: "k", base_url: server.url, max_retries: 0 }] };
      const messages = [{ role: "user" as const, content: "cache me" }];
      for (let i = 0; i < 2; i++) {
        await using cache = Cache.redis({ cache_seed: seed, redis_url: REDIS_URL });
        expect(cache.cache).toBeInstanceOf(RedisCache);
        const client = new OpenAIWrapper(config);
        const response = await client.create({ messages, cache });
        expect(client.extract_text_or_completion_object(response)).toEqual(["from server"]);
        if (i === 1) {
          expect(client.actual_usage_summary).toBeNull();
          expect(client.total_usage_summary?.total_cost).toBeCloseTo(response.cost ?? -1, 12);
        }
      }
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
