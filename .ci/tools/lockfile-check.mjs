// Compares the committed package-lock.json (argv[2], copied before `npm install`)
// with the one `npm install` left behind (argv[3]) and names what differs, so a
// red CI run says which entries the committed lockfile lacks.
import { readFileSync } from "node:fs";

const [before, after] = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, "utf8")).packages ?? {});
const added = Object.keys(after).filter((k) => !(k in before));
const removed = Object.keys(before).filter((k) => !(k in after));
const changed = Object.keys(after).filter((k) => k in before && JSON.stringify(before[k]) !== JSON.stringify(after[k]));
if (added.length + removed.length + changed.length === 0) process.exit(0);

const list = (title, keys) => {
  if (keys.length === 0) return;
  console.error(`${title} (${keys.length}):`);
  for (const k of keys.slice(0, 40)) console.error(`  ${k || "(root)"}${after[k]?.optional ? " (optional)" : ""}`);
  if (keys.length > 40) console.error(`  ... and ${keys.length - 40} more`);
};
console.error("package-lock.json is not what `npm install` makes on this machine.");
list("entries npm install adds that the committed lockfile lacks", added);
list("entries the committed lockfile has that npm install drops", removed);
list("entries npm install rewrites", changed);
console.error("Fix: run `npm install` with npm 11 and Node 20, then commit package-lock.json.");
process.exit(1);
