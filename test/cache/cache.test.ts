import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Cache, DiskCache, InMemoryCache, ValueError, get_key } from "ag2ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ag2ts-cache-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("Cache facade", () => {
  test("an unknown config key is rejected; the config is a copy with the seed as a string", () => {
    expect(() => new Cache({ cache_seed: 1, foo: 2 } as never)).toThrow(new ValueError("Invalid config key: foo"));
    const cache = new Cache({ cache_seed: 1, cache_path_root: dir });
    expect(cache.config).toEqual({ cache_seed: "1", cache_path_root: dir });
    expect(cache.cache).toBeInstanceOf(DiskCache);
    expect((cache.cache as DiskCache).path).toBe(`${dir}/1`);
    expect(() => Cache.cosmos_db()).toThrow("Cosmos DB cache is not supported by ag2ts");
  });

  test("Cache.disk writes under <root>/<seed>/ and a value can be read back after re-opening", async () => {
    {
      await using cache = Cache.disk({ cache_seed: 7, cache_path_root: dir });
      await cache.set("k", { answer: [1, 2] });
    }
    expect(readdirSync(join(dir, "7"))).toHaveLength(1);
    const reopened = Cache.disk({ cache_seed: 7, cache_path_root: dir });
    expect(await reopened.get("k")).toEqual({ answer: [1, 2] });
    expect(await reopened.get("missing", "dflt")).toBe("dflt");
    await reopened.close();
  });

  test("a corrupt entry reads as the default", async () => {
    const cache = new DiskCache(join(dir, "c"));
    await cache.set("k", 1);
    const [file] = readdirSync(join(dir, "c"));
    writeFileSync(join(dir, "c", file), "{not json");
    expect(await cache.get("k", "fallback")).toBe("fallback");
  });

  test("two processes writing to one directory lose nothing", async () => {
    const worker = resolve(__dirname, "disk-writer.cjs");
    const run = (who: string) =>
      new Promise<void>((done, fail) => {
        const child = spawn(process.execPath, [worker, join(dir, "shared"), who, "200"], { stdio: "inherit" });
        child.on("exit", (code) => (code === 0 ? done() : fail(new Error(`writer ${who} exited ${code}`))));
      });
    await Promise.all([run("a"), run("b")]);
    const cache = new DiskCache(join(dir, "shared"));
    for (const who of ["a", "b"]) for (let i = 0; i < 200; i++) expect(await cache.get(`${who}-${i}`)).toEqual({ who, i });
    expect(await cache.get("both")).not.toBeNull();
    expect(readdirSync(join(dir, "shared")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});

describe("InMemoryCache", () => {
  test("keys are prefixed by the seed; values are JSON clones; a stored null reads as the default", async () => {
    const seeded = new InMemoryCache({ seed: "s" });
    const value = { a: 1 };
    await seeded.set("k", value);
    value.a = 2;
    expect(seeded.keys()).toEqual(["s_k"]);
    expect(await seeded.get("k")).toEqual({ a: 1 });
    const plain = new InMemoryCache({ seed: "" });
    await plain.set("k", null);
    expect(plain.keys()).toEqual(["k"]);
    expect(await plain.get("k", "d")).toBe("d");
    expect(Cache.in_memory()).toBeInstanceOf(InMemoryCache);
  });
});

describe("cache key", () => {
  const params = { model: "gpt-4o", messages: [{ role: "user", content: "hi" }], temperature: 0 };
  test("ignores credentials and endpoint, sorts keys, changes with temperature or a message", () => {
    expect(get_key({ ...params, api_key: "a", base_url: "http://x", api_type: "azure", api_version: "v" })).toBe(get_key(params));
    expect(get_key({ temperature: 0, messages: [{ content: "hi", role: "user" }], model: "gpt-4o" })).toBe(get_key(params));
    expect(get_key(params)).toBe('{"messages":[{"content":"hi","role":"user"}],"model":"gpt-4o","temperature":0}');
    expect(get_key({ ...params, temperature: 1 })).not.toBe(get_key(params));
    expect(get_key({ ...params, messages: [{ role: "user", content: "ho" }] })).not.toBe(get_key(params));
  });
});
