/**
 * A quick "certainly valid" check for the JSON schemas tools usually have
 * (objects of typed properties, arrays, enums, bounds, as written by hand
 * or generated from TypeScript types), so that valid tool arguments, the
 * common case, are accepted without loading and compiling ajv (tens of
 * milliseconds, once per process: most of a short script's tool loop).
 *
 * The check is conservative: it answers true only where ajv (as
 * validation.ts configures it) surely accepts, and false whenever it is not
 * sure. A schema using anything outside the subset below gets no quick check
 * at all. Arguments it does not accept go to ajv, which gives the verdict
 * and the error text, so what the model is told never depends on this module.
 */
import type { JSONSchema } from "./metadata";

/** true: the arguments are valid for ajv too; false: ask ajv. */
export type QuickCheck = (data: unknown) => boolean;

/** Keywords that only annotate (ajv validates nothing with them). */
const ANNOTATIONS = new Set(["title", "description", "default", "examples", "$schema", "$comment", "deprecated", "readOnly", "writeOnly"]);
const TYPES = new Set(["object", "array", "string", "number", "integer", "boolean", "null"]);

const always: QuickCheck = () => true;
const never: QuickCheck = () => false;

function hasType(type: string, data: unknown): boolean {
  switch (type) {
    case "object":
      return typeof data === "object" && data !== null && !Array.isArray(data);
    case "array":
      return Array.isArray(data);
    case "string":
      return typeof data === "string";
    case "number":
      return typeof data === "number" && Number.isFinite(data);
    case "integer":
      return typeof data === "number" && Number.isInteger(data);
    case "boolean":
      return typeof data === "boolean";
    default:
      return data === null;
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isPrimitive = (value: unknown) => value === null || ["string", "number", "boolean"].includes(typeof value);
const isCount = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value >= 0;
/** A string whose length in code points is its length in UTF-16 units (ajv counts code points). */
const noSurrogates = (text: string) => !/[\uD800-\uDFFF]/.test(text);

/** The quick check of `schema`, or null when it uses anything outside the subset. */
export function quickCheckOf(schema: JSONSchema | boolean): QuickCheck | null {
  if (schema === true) return always;
  if (schema === false) return never;
  if (!isPlainObject(schema)) return null;
  const checks: QuickCheck[] = [];
  for (const [keyword, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    const check = keywordCheck(keyword, value, schema);
    if (check === null) return null;
    if (check !== always) checks.push(check);
  }
  if (checks.length === 0) return always;
  if (checks.length === 1) return checks[0];
  // Indexed loops here and below: the checks run on every tool call, often before the JIT optimizes them.
  return (data) => {
    for (let i = 0; i < checks.length; i++) if (!checks[i](data)) return false;
    return true;
  };
}

function keywordCheck(keyword: string, value: unknown, schema: Record<string, unknown>): QuickCheck | null {
  switch (keyword) {
    case "type": {
      const types = Array.isArray(value) ? value : [value];
      if (types.length === 0 || !types.every((t) => typeof t === "string" && TYPES.has(t))) return null;
      if (types.length === 1) {
        const type = types[0] as string;
        return (data) => hasType(type, data);
      }
      return (data) => types.some((t) => hasType(t as string, data));
    }
    case "properties": {
      if (!isPlainObject(value)) return null;
      const names: string[] = [];
      const subs: QuickCheck[] = [];
      for (const [name, sub] of Object.entries(value)) {
        const check = quickCheckOf(sub as JSONSchema | boolean);
        if (check === null) return null;
        if (check === always) continue;
        names.push(name);
        subs.push(check);
      }
      return (data) => {
        if (!isPlainObject(data)) return true;
        for (let i = 0; i < names.length; i++) {
          const name = names[i];
          if (Object.hasOwn(data, name)) {
            if (!subs[i](data[name])) return false;
          } else if (name in data) return false; // inherited (e.g. "toString"): ajv checks it as present
        }
        return true;
      };
    }
    case "required": {
      if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) return null;
      const names = value as string[];
      return (data) => {
        if (!isPlainObject(data)) return true;
        for (let i = 0; i < names.length; i++) if (!Object.hasOwn(data, names[i])) return false;
        return true;
      };
    }
    case "additionalProperties": {
      if (schema.patternProperties !== undefined) return null;
      const known = isPlainObject(schema.properties) ? new Set(Object.keys(schema.properties)) : new Set<string>();
      const check = quickCheckOf(value as JSONSchema | boolean);
      if (check === null) return null;
      if (check === always) return always;
      return (data) => {
        if (!isPlainObject(data)) return true;
        for (const name of Object.keys(data)) if (!known.has(name) && !check(data[name])) return false;
        return true;
      };
    }
    case "items": {
      if (Array.isArray(value)) return null; // the tuple form
      const check = quickCheckOf(value as JSONSchema | boolean);
      if (check === null) return null;
      if (check === always) return always;
      return (data) => !Array.isArray(data) || data.every(check);
    }
    case "enum": {
      if (!Array.isArray(value) || !value.every(isPrimitive)) return null;
      return (data) => value.includes(data);
    }
    case "const":
      if (!isPrimitive(value)) return null;
      return (data) => data === value;
    case "anyOf": {
      if (!Array.isArray(value) || value.length === 0) return null;
      const subs = value.map((sub) => quickCheckOf(sub as JSONSchema | boolean));
      if (subs.some((s) => s === null)) return null;
      return (data) => subs.some((check) => (check as QuickCheck)(data));
    }
    case "allOf": {
      if (!Array.isArray(value) || value.length === 0) return null;
      const subs = value.map((sub) => quickCheckOf(sub as JSONSchema | boolean));
      if (subs.some((s) => s === null)) return null;
      return (data) => subs.every((check) => (check as QuickCheck)(data));
    }
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum": {
      if (typeof value !== "number" || !Number.isFinite(value)) return null;
      const bound = value;
      const within =
        keyword === "minimum"
          ? (n: number) => n >= bound
          : keyword === "maximum"
            ? (n: number) => n <= bound
            : keyword === "exclusiveMinimum"
              ? (n: number) => n > bound
              : (n: number) => n < bound;
      return (data) => typeof data !== "number" || within(data);
    }
    case "minLength":
    case "maxLength": {
      if (!isCount(value)) return null;
      const n = value;
      const fits = keyword === "minLength" ? (s: string) => s.length >= n : (s: string) => s.length <= n;
      return (data) => typeof data !== "string" || (noSurrogates(data) && fits(data));
    }
    case "minItems":
    case "maxItems": {
      if (!isCount(value)) return null;
      const n = value;
      return keyword === "minItems" ? (data) => !Array.isArray(data) || data.length >= n : (data) => !Array.isArray(data) || data.length <= n;
    }
    default:
      return null;
  }
}
