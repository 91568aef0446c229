// `ag2ts/cache` (jest and tsc path mapping; rollup builds src/cache/index.ts).
export * from "./cache/index";
