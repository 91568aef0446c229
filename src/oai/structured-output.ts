/**
 * Structured outputs (AG2 0.14 `response_format`): the option is normalised
 * once into what OpenAI is sent (`{type: "json_schema", json_schema: {name,
 * schema, strict}}`), the reply is checked against the schema (ajv for a
 * JSON schema, the schema itself for zod) before it is booked or cached, and
 * the text an agent gets is `format(value)` when the schema object defines
 * one, else the JSON as the model wrote it.
 *
 * Accepted forms: a JSON schema object; a zod (v4) schema; `{ name?, schema,
 * strict?, description?, format? }` with either inside; OpenAI's own
 * `{type: "json_schema", json_schema: {...}}`, `{type: "json_object"}` and
 * `{type: "text"}`. zod is recognised by shape, never imported; ajv is loaded
 * on the first check that needs it.
 */
import type { Ajv, ValidateFunction } from "ajv";
import { StructuredOutputError, ValueError } from "../errors";
import type { Message } from "../core/types";
import type { ModelClientResponse } from "./model-client";

type JSONSchema = Record<string, unknown>;
type Formatter = (this: unknown, value: unknown) => unknown;
interface ZodLike {
  _zod: unknown;
  toJSONSchema?: (options?: Record<string, unknown>) => unknown;
  safeParse(value: unknown): { success: boolean; data?: unknown; error?: { issues?: Array<{ path?: PropertyKey[]; message?: string }> } };
}

export interface ResponseFormatSpec {
  kind: "json_schema" | "json_object" | "text";
  /** The schema's name as OpenAI is told it ("response_format" when none is given, as AG2). */
  name: string;
  /** The JSON schema sent (strict form), null for json_object / text. */
  schema: JSONSchema | null;
  /** The `response_format` request parameter, plain JSON. */
  wire: Record<string, unknown>;
  zod: ZodLike | null;
  /** The schema object's `format` method and the object it belongs to. */
  format: { fn: Formatter; self: unknown } | null;
}

const specs = new WeakMap<object, ResponseFormatSpec>();

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isZod(value: unknown): value is ZodLike {
  return isObject(value) && "_zod" in value && typeof value._zod === "object" && typeof value.safeParse === "function";
}

const SHAPE_HINT =
  'response_format must be a JSON schema object, a zod schema, { name, schema, strict?, format? }, or OpenAI\'s {type: "json_schema", json_schema: {...}} / {type: "json_object"}';

function zodJsonSchema(schema: ZodLike): JSONSchema {
  if (typeof schema.toJSONSchema !== "function") {
    throw new ValueError("The zod schema given as response_format has no toJSONSchema method (zod >= 4 is needed).");
  }
  const { $schema: _ignored, ...json } = schema.toJSONSchema({ target: "draft-7" }) as JSONSchema;
  return json;
}

/** OpenAI's name rule: letters, digits, `_` and `-`, at most 64. */
function schemaName(name: unknown): string {
  if (typeof name !== "string" || name === "") return "response_format";
  return name.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64);
}

/**
 * OpenAI's strict form: every object closed (`additionalProperties: false`)
 * and all its properties required, through properties, items, anyOf, allOf,
 * oneOf and definitions; `default: null` dropped. A new object.
 */
export function strictJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictJsonSchema);
  if (!isObject(schema)) return schema;
  const out: JSONSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (typeof value === "function") continue;
    if (key === "default" && value === null) continue;
    if ((key === "properties" || key === "$defs" || key === "definitions") && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strictJsonSchema(v)]));
    } else if (key === "items" || key === "anyOf" || key === "allOf" || key === "oneOf" || key === "additionalProperties") {
      out[key] = strictJsonSchema(value);
    } else out[key] = value;
  }
  if (out.type === "object" && !("additionalProperties" in out)) out.additionalProperties = false;
  if (isObject(out.properties)) out.required = Object.keys(out.properties);
  return out;
}

function formatterOf(holder: unknown): ResponseFormatSpec["format"] {
  const fn = isObject(holder) || typeof holder === "function" ? (holder as { format?: unknown }).format : undefined;
  return typeof fn === "function" ? { fn: fn as Formatter, self: holder } : null;
}

function fromSchema(schema: unknown, options: { name?: unknown; strict?: unknown; description?: unknown; holder: unknown }): ResponseFormatSpec {
  const zod = isZod(schema) ? schema : null;
  const raw = zod ? zodJsonSchema(zod) : schema;
  if (!isObject(raw)) throw new ValueError(`${SHAPE_HINT}; its schema is ${raw === null ? "null" : typeof raw}.`);
  const strict = options.strict !== false;
  // Strict: OpenAI's closed form; else the schema as given (methods such as format dropped).
  const sent = (strict ? strictJsonSchema(raw) : JSON.parse(JSON.stringify(raw))) as JSONSchema;
  const name = schemaName(options.name ?? raw.title);
  const json_schema: Record<string, unknown> = { name, schema: sent, strict };
  if (typeof options.description === "string") json_schema.description = options.description;
  return {
    kind: "json_schema",
    name,
    schema: sent,
    wire: { type: "json_schema", json_schema },
    zod,
    format: formatterOf(options.holder) ?? formatterOf(schema),
  };
}

function buildSpec(value: unknown): ResponseFormatSpec {
  if (isZod(value)) return fromSchema(value, { holder: value });
  if (!isObject(value)) throw new ValueError(`${SHAPE_HINT}; got ${value === null ? "null" : typeof value}.`);
  if (value.type === "json_object" || value.type === "text") {
    return { kind: value.type, name: value.type, schema: null, wire: { type: value.type }, zod: null, format: formatterOf(value) };
  }
  if (value.type === "json_schema") {
    const inner = value.json_schema;
    if (!isObject(inner) || inner.schema === undefined) {
      throw new ValueError('response_format {type: "json_schema"} needs json_schema: { name, schema, strict? }.');
    }
    const zod = isZod(inner.schema) ? inner.schema : null;
    const schema = zod ? zodJsonSchema(zod) : (inner.schema as JSONSchema);
    const name = schemaName(inner.name);
    const json_schema: Record<string, unknown> = { ...inner, name, schema };
    return { kind: "json_schema", name, schema, wire: { type: "json_schema", json_schema }, zod, format: formatterOf(value) ?? formatterOf(inner.schema) };
  }
  if ("schema" in value && !("type" in value) && !("properties" in value)) {
    return fromSchema(value.schema, { name: value.name, strict: value.strict, description: value.description, holder: value });
  }
  if (typeof value.type === "string" || "properties" in value || "anyOf" in value || "$ref" in value) {
    return fromSchema(value, { holder: value });
  }
  throw new ValueError(`${SHAPE_HINT}; got an object with keys ${JSON.stringify(Object.keys(value))}.`);
}

/** The normalised form of a `response_format` option (computed once per object); a bad shape is a ValueError. */
export function responseFormatSpec(value: unknown): ResponseFormatSpec {
  if (!isObject(value) && !isZod(value)) return buildSpec(value);
  let spec = specs.get(value as object);
  if (!spec) specs.set(value as object, (spec = buildSpec(value)));
  return spec;
}

let ajvClass: typeof Ajv | null = null;
let ajv: Ajv | null = null;
const validators = new WeakMap<JSONSchema, ValidateFunction>();

/** Loads ajv when a JSON schema will need it (null: nothing to wait for). */
export function structuredReady(spec: ResponseFormatSpec): Promise<void> | null {
  if (ajvClass || spec.kind !== "json_schema" || spec.zod) return null;
  return import("ajv").then((module) => {
    ajvClass = module.Ajv;
  });
}

function fail(spec: ResponseFormatSpec, text: string, problem: string, cause?: unknown): never {
  const shown = text.length > 300 ? `${text.slice(0, 300)}...` : text;
  const what = spec.kind === "json_schema" ? `the response_format schema "${spec.name}"` : "response_format json_object";
  throw new StructuredOutputError(`The model's reply does not match ${what}: ${problem}. The reply was: ${shown}`, {
    schema_name: spec.name,
    content: text,
    cause,
  });
}

/** The reply parsed and checked against the schema; a mismatch is a StructuredOutputError naming the schema. */
export function parseStructured(spec: ResponseFormatSpec, text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    fail(spec, text, `it is not valid JSON (${err instanceof Error ? err.message : String(err)})`, err);
  }
  if (spec.zod) {
    const result = spec.zod.safeParse(value);
    if (!result.success) {
      const issues = (result.error?.issues ?? []).map((i) => `${(i.path ?? []).map(String).join(".") || "(root)"}: ${i.message}`);
      fail(spec, text, issues.join("; ") || "zod rejected it", result.error);
    }
    return result.data;
  }
  if (spec.kind === "json_schema" && spec.schema) {
    if (!ajvClass) throw new Error("ag2ts internal error: structured output checked before structuredReady() resolved.");
    ajv ??= new ajvClass({ allErrors: true, strict: false, coerceTypes: false, useDefaults: false });
    let validate = validators.get(spec.schema);
    if (!validate) validators.set(spec.schema, (validate = ajv.compile(spec.schema)));
    if (!validate(value)) fail(spec, text, ajv.errorsText(validate.errors, { dataVar: "reply" }));
  }
  return value;
}

function textReplies(response: ModelClientResponse): Array<{ message: Record<string, unknown>; text: string | null }> {
  const out: Array<{ message: Record<string, unknown>; text: string | null }> = [];
  for (const choice of response.choices ?? []) {
    const message = choice.message as Record<string, unknown> | undefined;
    if (!message || message.tool_calls != null || message.function_call != null) continue;
    out.push({ message, text: typeof message.content === "string" ? message.content : null });
  }
  return out;
}

/** Checks every text reply of a fresh response (a refusal or an empty reply is an error too). */
export async function checkStructured(spec: ResponseFormatSpec, response: ModelClientResponse): Promise<void> {
  if (spec.kind === "text") return;
  const ready = structuredReady(spec);
  if (ready) await ready;
  for (const { message, text } of textReplies(response)) {
    if (typeof message.refusal === "string" && message.refusal !== "") fail(spec, message.refusal, "the model refused");
    if (text === null) fail(spec, "", "the reply has no content");
    parseStructured(spec, text);
  }
}

/** The text an agent gets for a reply: `format(value)` when the schema object has one, else the reply unchanged. */
export function formatStructured(spec: ResponseFormatSpec, reply: string | Message | null): string | Message | null {
  if (typeof reply !== "string" || !spec.format || spec.kind === "text") return reply;
  let value: unknown;
  try {
    value = JSON.parse(reply);
  } catch {
    value = parseStructured(spec, reply);
  }
  if (spec.zod) value = parseStructured(spec, reply);
  return String(spec.format.fn.call(spec.format.self, value));
}
