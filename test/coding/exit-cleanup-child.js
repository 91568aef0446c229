// Child process for docker.test.ts: loads the TypeScript sources through a
// transpile-on-require hook, starts a Docker executor, prints its container
// id, then exits the way argv[3] says ("exit" or "wait-for-signal").
const fs = require("node:fs");
const ts = require("typescript");
require.extensions[".ts"] = (module, filename) => {
  const out = ts.transpileModule(fs.readFileSync(filename, "utf8"), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: filename,
  });
  module._compile(out.outputText, filename);
};
const { DockerCommandLineCodeExecutor } = require("../../src/coding/index.ts");

(async () => {
  const executor = new DockerCommandLineCodeExecutor({ work_dir: process.argv[2] });
  await executor.start();
  process.stdout.write(executor.container_id + "\n");
  if (process.argv[3] === "exit") process.exit(0);
  setInterval(() => undefined, 1000);
})();
