// Stands in for Node-only modules during `.ci/deno-smoke.mjs lazy` (see
// .ci/deno-lazy-imports.json): loading it means `import "ag2ts"` or a chat
// loaded a module it should only load when a Node-only feature is used.
throw new Error("ag2ts loaded a Node-only module eagerly (see .ci/deno-lazy-imports.json)");
