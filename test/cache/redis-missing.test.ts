/**
 * Cache with a redis_url when the optional `redis` package is not installed
 * (spec 60 §1.2, AG2 CacheFactory): one warning per process, then the disk
 * cache a config without redis_url would use.
 *
 * `redis` is a devDependency here, so its absence is made real in a child
 * `node` process that runs the built package (dist/): a module.register()
 * resolve hook (test/runtime/fixtures/missing-package-hooks.mjs) resolves "redis" as if it were
 * imported from a temp directory with no node_modules, so Node's own
 * resolver fails with ERR_MODULE_NOT_FOUND, for the ESM and the CommonJS
 * entry alike (both load redis with a dynamic import()).
 */
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Cache, RedisCache, set_logger } from "ag2ts";

const dist = resolve(__dirname, "../../dist");
const fixtures = join(__dirname, "fixtures");

const WARNING =
  'Warning: RedisCache is not available: the optional package "redis" is not installed (install it with: npm install redis). ' +
  "Falling back to the disk cache, as Cache.disk: <cache_path_root>/<cache_seed>, by default .cache/<cache_seed>.\n";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

describe.each(["index.mjs", "index.cjs"])("Cache with a redis_url, redis not installed (dist/%s in a child process)", (entry) => {
  let root: string;
  let run: { status: number | null; stdout: string; stderr: string };
  let out: Record<string, unknown>;

  beforeAll(() => {
    if (!existsSync(join(dist, entry))) {
      throw new Error(`dist/${entry} is missing: these tests run the built package. Run \`npm run build\` first.`);
    }
    root = mkdtempSync(join(tmpdir(), "ag2ts-no-redis-"));
    run = spawnSync(process.execPath, ["--import", join(__dirname, "../runtime/fixtures/missing-package-register.mjs"), join(fixtures, "redis-missing-probe.mjs"), join(dist, entry)], {
      cwd: root,
      env: { ...process.env, AG2TS_MISSING_PACKAGES: "redis", AG2TS_MISSING_ROOT: root },
      encoding: "utf8",
      timeout: 60_000,
    });
    out = run.status === 0 ? JSON.parse(run.stdout) : {};
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test("the probe ran, and redis really could not be found in it", () => {
    expect({ status: run.status, stderr: run.status === 0 ? "" : run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(out.redis).toBe("ERR_MODULE_NOT_FOUND");
  });

  test("the warning is printed once for three caches, naming the package to install and the disk fallback", () => {
    expect(run.stderr).toBe(WARNING);
  });

  test("Cache.redis stores and reads through a DiskCache at .cache/<seed>, the directory Cache.disk uses", () => {
    expect(out.first_before).toBe("RedisCache");
    expect(out.first).toEqual({ backend: "DiskCache", path: ".cache/7", got: { v: 1 }, missing: "dflt" });
    expect(out.disk).toEqual({ v: 1 });
    expect(readdirSync(join(root, ".cache", "7"))).toEqual([`${sha256("k")}.json`]);
    expect(JSON.parse(readFileSync(join(root, ".cache", "7", `${sha256("k")}.json`), "utf8"))).toEqual({ key: "k", value: { v: 1 } });
  });

  test("new Cache({redis_url, cache_path_root}) falls back to <cache_path_root>/<seed>", () => {
    expect(out.second).toEqual({ backend: "DiskCache", path: "custom/other", got: "x" });
    expect(readdirSync(join(root, "custom", "other"))).toEqual([`${sha256("k2")}.json`]);
    expect(out.third).toBe("DiskCache");
    // Closed without use: the fallback directory is only created when written.
    expect(readdirSync(join(root, ".cache")).sort()).toEqual(["7"]);
  });

  test("a RedisCache made directly still fails, naming the package", () => {
    expect(out.direct).toEqual(["ValueError", 'RedisCache needs the optional package "redis", which is not installed. Install it with: npm install redis']);
  });
});

describe("Cache with a redis_url, redis installed", () => {
  test("keeps its RedisCache and warns nothing (closing an unused one connects nowhere)", async () => {
    const seen: string[] = [];
    set_logger((_level, message) => seen.push(message));
    try {
      const cache = new Cache({ cache_seed: 3, redis_url: "redis://localhost:1/0" });
      await cache.close();
      expect(cache.cache).toBeInstanceOf(RedisCache);
      expect((cache.cache as RedisCache).redis_url).toBe("redis://localhost:1/0");
    } finally {
      set_logger(null);
    }
    expect(seen).toEqual([]);
  });
});
