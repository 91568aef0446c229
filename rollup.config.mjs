import typescript from "@rollup/plugin-typescript";
import dts from "rollup-plugin-dts";
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));
const deps = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})];
// typescript is loaded lazily by the ag2ts-schemas generator (it comes with typescript-json-schema).
deps.push("typescript");
const external = (id) => id.startsWith("node:") || deps.some((d) => id === d || id.startsWith(`${d}/`));

/** Entry points: the root and the subpaths of package.json "exports". */
const entries = {
  index: "src/index.ts",
  testing: "src/testing.ts",
  coding: "src/coding/index.ts",
  cache: "src/cache/index.ts",
  oai: "src/oai/index.ts",
};

export default [
  {
    input: entries,
    external,
    output: [
      { dir: "dist", format: "es", entryFileNames: "[name].mjs", chunkFileNames: "chunks/[name]-[hash].mjs", sourcemap: true },
      { dir: "dist", format: "cjs", entryFileNames: "[name].cjs", chunkFileNames: "chunks/[name]-[hash].cjs", sourcemap: true, exports: "named" },
    ],
    plugins: [typescript({ tsconfig: "./tsconfig.json", declaration: false, outDir: "dist", sourceMap: true })],
  },
  // The ag2ts-schemas command (package.json "bin"): CommonJS with a shebang.
  {
    input: "src/tools/schema-cli-bin.ts",
    external,
    output: { file: "dist/schema-cli.cjs", format: "cjs", banner: "#!/usr/bin/env node", sourcemap: true },
    plugins: [typescript({ tsconfig: "./tsconfig.json", declaration: false, outDir: "dist", sourceMap: true })],
  },
  ...Object.entries(entries).flatMap(([name, input]) => [
    { input, external, output: { file: `dist/${name}.d.ts`, format: "es" }, plugins: [dts()] },
    { input, external, output: { file: `dist/${name}.d.cts`, format: "es" }, plugins: [dts()] },
  ]),
];
