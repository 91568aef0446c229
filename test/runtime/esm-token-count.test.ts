/**
 * count_token is synchronous in Node's ES module build too (as in AG2 and
 * in the CommonJS build): the first count loads its encoding through a
 * require made for the built module's own URL, without load_token_encoding.
 */
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const entry = pathToFileURL(join(resolve(__dirname, "../.."), "dist/index.mjs")).href;

function runModule(source: string): string {
  return execFileSync(process.execPath, ["--input-type=module", "-e", source], { encoding: "utf8" });
}

test("a first count in an ES module script needs no load_token_encoding", () => {
  const out = runModule(`
    import { count_token } from ${JSON.stringify(entry)};
    console.log(count_token("hello world", "gpt-4o"));
    console.log(count_token("hello world", { model: "gpt-4" }));
    console.log(count_token([{ role: "user", content: "hi" }], "gpt-4"));
  `);
  expect(out).toBe("2\n2\n8\n");
});
