// `ag2ts/oai` (jest and tsc path mapping; rollup builds src/oai/index.ts).
export * from "./oai/index";
