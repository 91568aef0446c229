/**
 * The `ag2ts-schemas` command: `ag2ts-schemas [-o tool-schemas.json] [-p tsconfig.json] <files...>`
 * writes the JSON schemas of the `@tool` functions in `files` (see
 * schema-generator.ts) to a file or to stdout.
 */
import { generateToolSchemas, type GenerateToolSchemasOptions } from "./schema-generator";

const USAGE = `Usage: ag2ts-schemas [options] <files...>

Writes { [tool_name]: { description, parameters } } for every function tagged
@tool in the given TypeScript files; load it with register_tool_schemas(json).

Options:
  -o, --out <file>        write the JSON to <file> (default: stdout)
  -p, --project <file>    take compiler options from this tsconfig.json
      --types <a,b>       ambient type packages to load (default: none)
  -h, --help              show this help
`;

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Runs the command with `argv` (without node and script); resolves with the exit code. */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const files: string[] = [];
  const options: GenerateToolSchemasOptions = {};
  let out: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    try {
      if (arg === "-h" || arg === "--help") {
        io.stdout(USAGE);
        return 0;
      } else if (arg === "-o" || arg === "--out") out = value();
      else if (arg === "-p" || arg === "--project") options.tsconfig = value();
      else if (arg === "--types") options.types = value().split(",").filter((s) => s !== "");
      else if (arg.startsWith("-")) throw new Error(`unknown option ${arg}`);
      else files.push(arg);
    } catch (err) {
      io.stderr(`ag2ts-schemas: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
  }
  if (files.length === 0) {
    io.stderr(`ag2ts-schemas: no input files\n\n${USAGE}`);
    return 2;
  }
  try {
    const schemas = await generateToolSchemas(files, options);
    const text = `${JSON.stringify(schemas, null, 2)}\n`;
    if (out === null) io.stdout(text);
    else {
      const fs = await import("node:fs");
      fs.writeFileSync(out, text);
      io.stderr(`ag2ts-schemas: wrote ${Object.keys(schemas).length} tool schema(s) to ${out}\n`);
    }
    return 0;
  } catch (err) {
    io.stderr(`ag2ts-schemas: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
