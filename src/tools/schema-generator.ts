/**
 * Tool schemas from TypeScript types (spec 40 §1.2 item 3): finds functions
 * tagged `@tool` in their JSDoc and turns the type of their first parameter
 * into a JSON Schema with typescript-json-schema. The JSDoc summary becomes
 * the tool description, property comments the property descriptions.
 *
 * typescript and typescript-json-schema are loaded only when this runs, so
 * the library itself does not depend on them.
 */
import { ValueError } from "../errors";
import { withPropertyDescriptions, type JSONSchema, type ToolSchemaEntry } from "./metadata";

export interface GenerateToolSchemasOptions {
  /** A tsconfig.json whose compilerOptions are used (its `types` are replaced by `types` below). */
  tsconfig?: string | null;
  /** Compiler options (tsconfig JSON form) merged over the defaults and the tsconfig. */
  compilerOptions?: Record<string, unknown>;
  /** Ambient type packages to load (compilerOptions.types). Default `[]`: fast, no @types scan. */
  types?: string[];
}

type TS = typeof import("typescript");
type TJS = typeof import("typescript-json-schema");

interface FoundTool {
  file: string;
  functionName: string;
  toolName: string;
  description: string;
  hasParameter: boolean;
  alias: string;
}

async function loadDependencies(): Promise<{ ts: TS; tjs: TJS }> {
  try {
    const tsModule = (await import("typescript")) as TS & { default?: TS };
    const tjsModule = (await import("typescript-json-schema")) as TJS & { default?: TJS };
    const ts = tsModule.default ?? tsModule;
    const tjs = typeof tjsModule.buildGenerator === "function" ? tjsModule : (tjsModule.default as TJS);
    return { ts, tjs };
  } catch (err) {
    throw new ValueError(
      "Generating tool schemas needs the packages typescript and typescript-json-schema: npm install --save-dev typescript typescript-json-schema",
      { cause: err },
    );
  }
}

function compilerOptionsFor(ts: TS, path: typeof import("node:path"), options: GenerateToolSchemasOptions): import("typescript").CompilerOptions {
  let json: Record<string, unknown> = {
    target: "ES2022",
    lib: ["ES2023"],
    module: "ESNext",
    moduleResolution: "Bundler",
    strict: true,
    skipLibCheck: true,
  };
  if (options.tsconfig) {
    const read = ts.readConfigFile(options.tsconfig, ts.sys.readFile);
    if (read.error) throw new ValueError(`Cannot read ${options.tsconfig}: ${ts.flattenDiagnosticMessageText(read.error.messageText, "\n")}`);
    json = { ...json, ...((read.config as { compilerOptions?: Record<string, unknown> }).compilerOptions ?? {}) };
  }
  json = { ...json, ...(options.compilerOptions ?? {}), types: options.types ?? [], noEmit: true };
  const converted = ts.convertCompilerOptionsFromJson(json, options.tsconfig ? path.dirname(options.tsconfig) : process.cwd());
  if (converted.errors.length > 0) {
    throw new ValueError(`Invalid compiler options: ${converted.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("; ")}`);
  }
  return converted.options;
}

function findTools(ts: TS, file: string, text: string, counter: { n: number }): FoundTool[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: FoundTool[] = [];
  const consider = (node: import("typescript").Node, functionName: string, fn: import("typescript").SignatureDeclaration): void => {
    const tag = ts.getJSDocTags(node).find((t) => t.tagName.text === "tool");
    if (!tag) return;
    const override = (ts.getTextOfJSDocComment(tag.comment) ?? "").trim().split(/\s+/)[0];
    const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
    const description = docs
      .map((d) => (ts.getTextOfJSDocComment(d.comment) ?? "").trim())
      .filter((s) => s !== "")
      .join("\n");
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    if (!description) {
      throw new ValueError(`${file}:${line + 1}: the @tool function '${functionName}' has no JSDoc summary; write one, it becomes the tool description.`);
    }
    found.push({
      file,
      functionName,
      toolName: override || functionName,
      description,
      hasParameter: fn.parameters.length > 0,
      alias: `__ag2ts_tool_parameters_${counter.n++}`,
    });
  };
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name) {
      consider(statement, statement.name.text, statement);
    } else if (ts.isVariableStatement(statement)) {
      for (const decl of statement.declarationList.declarations) {
        const init = decl.initializer;
        if (ts.isIdentifier(decl.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) {
          consider(decl, decl.name.text, init);
        }
      }
    }
  }
  return found;
}

/**
 * Reads `files`, finds the functions tagged `@tool` and returns
 * `{ [tool_name]: { description, parameters } }` (the format
 * `register_tool_schemas` loads). The tool name is the function name, or
 * the word after `@tool`.
 */
export async function generateToolSchemas(files: string[], options: GenerateToolSchemasOptions = {}): Promise<Record<string, ToolSchemaEntry>> {
  const { ts, tjs } = await loadDependencies();
  const path = await import("node:path");
  const fs = await import("node:fs");
  const compilerOptions = compilerOptionsFor(ts, path, options);

  const counter = { n: 0 };
  const extraText = new Map<string, string>();
  const tools: FoundTool[] = [];
  for (const given of files) {
    const file = path.resolve(given);
    if (!fs.existsSync(file)) throw new ValueError(`ag2ts-schemas: the file '${given}' does not exist.`);
    const found = findTools(ts, file, fs.readFileSync(file, "utf8"), counter);
    tools.push(...found);
    extraText.set(
      file,
      found
        .filter((t) => t.hasParameter)
        .map((t) => `\ntype ${t.alias} = NonNullable<Parameters<typeof ${t.functionName}>[0]>;`)
        .join(""),
    );
  }

  const result: Record<string, ToolSchemaEntry> = {};
  for (const tool of tools) {
    if (tool.toolName in result) throw new ValueError(`ag2ts-schemas: two @tool functions are named '${tool.toolName}'; rename one or give a name after @tool.`);
    result[tool.toolName] = { description: tool.description, parameters: { type: "object", properties: {} } };
  }
  if (!tools.some((t) => t.hasParameter)) return result;

  // The parameter types are read through aliases appended in memory to each file.
  const host = ts.createCompilerHost(compilerOptions);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const extra = extraText.get(path.resolve(fileName));
    if (extra === undefined) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    return ts.createSourceFile(fileName, fs.readFileSync(fileName, "utf8") + extra, languageVersion, true);
  };
  const program = ts.createProgram([...extraText.keys()], compilerOptions, host);
  const generator = tjs.buildGenerator(program, { required: true, ref: false, ignoreErrors: true, strictNullChecks: true });
  if (!generator) throw new ValueError("ag2ts-schemas: typescript-json-schema could not read the program.");
  for (const tool of tools) {
    if (!tool.hasParameter) continue;
    const { $schema: _drop, ...schema } = generator.getSchemaForSymbol(tool.alias) as JSONSchema;
    if (schema.type !== "object") {
      throw new ValueError(`${tool.file}: the first parameter of the @tool function '${tool.functionName}' must be an object type (its fields are the tool's parameters).`);
    }
    result[tool.toolName].parameters = withPropertyDescriptions(schema);
  }
  return result;
}
