// Entry point of the `ag2ts-schemas` bin (built to dist/schema-cli.cjs).
import { main } from "./schema-cli";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`ag2ts-schemas: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
