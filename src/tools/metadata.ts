/**
 * What ag2ts knows about a tool function (spec 40 §1.2): metadata kept per
 * function object (AG2's `func._name` / `func._description`, without
 * mutating user functions), the schema registry filled by
 * `register_tool_schemas`, and the conversion of a `parameters` option
 * (JSON Schema or zod v4 schema) into the JSON Schema sent to the model.
 */
import { ValueError } from "../errors";

/** A JSON Schema object (the `parameters` of a tool). */
export type JSONSchema = Record<string, unknown>;

/** The inner object of a tool: what `api_style: "function"` sends. */
export interface FunctionSchema {
  [key: string]: unknown;
  name: string;
  description: string;
  parameters: JSONSchema;
}

/** A tool as sent to the model in `llm_config.tools`. */
export interface ToolSchema {
  [key: string]: unknown;
  type: "function";
  function: FunctionSchema;
}

/** One entry of a generated schema file (`ag2ts-schemas` output). */
export interface ToolSchemaEntry {
  description?: string;
  parameters: JSONSchema;
}

export interface FunctionMetadata {
  name?: string;
  description?: string;
  parameters?: JSONSchema;
}

const metadata = new WeakMap<Function, FunctionMetadata>();
/** Execution wrappers point at the user function they wrap. */
const wrapped = new WeakMap<Function, Function>();
const registry = new Map<string, ToolSchemaEntry>();

/** The user function behind an execution wrapper (or the function itself). */
export function originalOf(fn: Function): Function {
  return wrapped.get(fn) ?? fn;
}

export function linkWrapper(wrapper: Function, original: Function): void {
  wrapped.set(wrapper, originalOf(original));
}

export function getMetadata(fn: Function): FunctionMetadata {
  return metadata.get(originalOf(fn)) ?? {};
}

export function setMetadata(fn: Function, update: FunctionMetadata): FunctionMetadata {
  const target = originalOf(fn);
  const next = { ...(metadata.get(target) ?? {}), ...update };
  metadata.set(target, next);
  return next;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Loads a schema file written by `ag2ts-schemas` (`{ [tool_name]: { description, parameters } }`).
 * Later registrations of the same name replace earlier ones. A JSON string is parsed.
 */
export function register_tool_schemas(schemas: Record<string, ToolSchemaEntry> | string): void {
  const parsed: unknown = typeof schemas === "string" ? JSON.parse(schemas) : schemas;
  if (!isPlainObject(parsed)) {
    throw new ValueError("register_tool_schemas expects an object { [tool_name]: { description, parameters } }, as written by ag2ts-schemas.");
  }
  for (const [name, entry] of Object.entries(parsed)) {
    if (!isPlainObject(entry) || !isPlainObject(entry.parameters)) {
      throw new ValueError(`register_tool_schemas: the entry '${name}' must be an object with a 'parameters' JSON Schema.`);
    }
    if (entry.description !== undefined && typeof entry.description !== "string") {
      throw new ValueError(`register_tool_schemas: the description of '${name}' must be a string.`);
    }
    registry.set(name, { description: entry.description as string | undefined, parameters: entry.parameters });
  }
}

/** The registered schema of a tool name, if any. */
export function registeredToolSchema(name: string): ToolSchemaEntry | undefined {
  return registry.get(name);
}

/** Forgets every schema loaded with `register_tool_schemas`. */
export function clear_tool_schemas(): void {
  registry.clear();
}

interface ZodLike {
  _zod: unknown;
  toJSONSchema?: (options?: Record<string, unknown>) => unknown;
}

/** A zod v4 schema, recognised by shape so zod is never imported here. */
export function isZodSchema(value: unknown): value is ZodLike {
  return isPlainObjectLike(value) && "_zod" in value && typeof (value as { _zod: unknown })._zod === "object";
}

function isPlainObjectLike(value: unknown): value is object {
  return value !== null && typeof value === "object";
}

/**
 * Normalises a `parameters` option: a zod schema is converted with zod's
 * own JSON Schema export (draft-07, `$schema` dropped); a JSON Schema is
 * used as given.
 */
export function toJsonSchema(parameters: unknown, toolName: string): JSONSchema {
  if (isZodSchema(parameters)) {
    if (typeof parameters.toJSONSchema !== "function") {
      throw new ValueError(
        `The zod schema of tool '${toolName}' has no toJSONSchema method (zod >= 4 is needed); pass z.toJSONSchema(schema) as parameters instead.`,
      );
    }
    const { $schema: _ignored, ...schema } = parameters.toJSONSchema({ target: "draft-7" }) as JSONSchema;
    return schema;
  }
  if (!isPlainObject(parameters)) {
    throw new ValueError(`The parameters of tool '${toolName}' must be a JSON Schema object (or a zod schema), got ${parameters === null ? "null" : typeof parameters}.`);
  }
  return parameters;
}

/**
 * The schema sent to the model: `schema` with `description: <property name>`
 * added to each top-level property that has none (AG2's default). The input
 * is not mutated.
 */
export function withPropertyDescriptions(schema: JSONSchema): JSONSchema {
  const properties = schema.properties;
  if (!isPlainObject(properties)) return schema;
  const out: Record<string, unknown> = {};
  let changed = false;
  for (const [key, prop] of Object.entries(properties)) {
    if (isPlainObject(prop) && prop.description === undefined) {
      out[key] = { ...prop, description: key };
      changed = true;
    } else out[key] = prop;
  }
  return changed ? { ...schema, properties: out } : schema;
}

/** The JSON Schema known for a function registered under `name` (metadata first, then the registry). */
export function knownSchema(fn: Function | null, name: string): JSONSchema | undefined {
  const meta = fn ? getMetadata(fn) : {};
  return meta.parameters ?? registry.get(name)?.parameters ?? (meta.name ? registry.get(meta.name)?.parameters : undefined);
}
