import typescript from "@rollup/plugin-typescript";
import dts from "rollup-plugin-dts";
import { readFileSync, rmSync } from "node:fs";

// A fresh dist/ every build: chunk names carry content hashes, so old chunks would pile up and be packed.
rmSync(new URL("./dist", import.meta.url), { recursive: true, force: true });

const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));
const deps = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})];
// typescript is loaded lazily by the ag2ts-schemas generator (it comes with typescript-json-schema).
deps.push("typescript");
const external = (id) => id.startsWith("node:") || deps.some((d) => id === d || id.startsWith(`${d}/`));

/** Inlines `import x from "./file.json"` (price tables) as an ES module. */
const json = () => ({
  name: "ag2ts-json",
  transform(code, id) {
    if (!id.endsWith(".json")) return null;
    return { code: `export default ${JSON.stringify(JSON.parse(code))};`, map: { mappings: "" } };
  },
});

/**
 * Gives the ES chunks their own URL where the source names the placeholder
 * `__ESM_URL_AG2__` (src/tokens/encodings.ts: a synchronous require for the
 * tokenizer in Node's ES module build). Same length, so source maps stay exact.
 */
const esmUrl = () => ({
  name: "ag2ts-esm-url",
  renderChunk(code, _chunk, options) {
    if (options.format !== "es" || !code.includes("__ESM_URL_AG2__")) return null;
    return { code: code.replaceAll("__ESM_URL_AG2__", "import.meta.url"), map: null };
  },
});

/** Entry points: the root and the subpaths of package.json "exports". */
const entries = {
  index: "src/index.ts",
  testing: "src/testing.ts",
  coding: "src/coding/index.ts",
  cache: "src/cache/index.ts",
  oai: "src/oai/index.ts",
  capabilities: "src/capabilities/index.ts",
  queue: "src/queue/index.ts",
};

export default [
  {
    input: entries,
    external,
    output: [
      { dir: "dist", format: "es", entryFileNames: "[name].mjs", chunkFileNames: "chunks/[name]-[hash].mjs", sourcemap: true },
      { dir: "dist", format: "cjs", entryFileNames: "[name].cjs", chunkFileNames: "chunks/[name]-[hash].cjs", sourcemap: true, exports: "named" },
    ],
    plugins: [json(), typescript({ tsconfig: "./tsconfig.json", declaration: false, outDir: "dist", sourceMap: true }), esmUrl()],
  },
  {
    // Types once for every entry; the same declarations are written for import (.d.ts) and require (.d.cts).
    input: entries,
    external,
    output: [
      { dir: "dist", format: "es", entryFileNames: "[name].d.ts", chunkFileNames: "chunks/[name]-[hash].d.ts" },
      { dir: "dist", format: "es", entryFileNames: "[name].d.cts", chunkFileNames: "chunks/[name]-[hash].d.cts" },
    ],
    plugins: [dts()],
  },
  // The ag2ts-schemas command (package.json "bin"): CommonJS with a shebang.
  {
    input: "src/tools/schema-cli-bin.ts",
    external,
    output: { file: "dist/schema-cli.cjs", format: "cjs", banner: "#!/usr/bin/env node", sourcemap: true },
    plugins: [json(), typescript({ tsconfig: "./tsconfig.json", declaration: false, outDir: "dist", sourceMap: true })],
  },
];
