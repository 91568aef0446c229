/**
 * Argument validation of tool calls against their JSON schema (spec 40 §2.2).
 * Validators are recorded per agent and tool name by the registration
 * module; execute_function asks for a verdict before calling the tool.
 * ajv is loaded on the first validation that needs it, not at import (it is
 * most of the library's import time): arguments that quick-schema.ts
 * accepts need no ajv; `validationReady()` loads it.
 */
import type { Ajv, ValidateFunction } from "ajv";
import type { ToolAgent } from "./tool-agent";
import type { JSONSchema } from "./metadata";
import { quickCheckOf, type QuickCheck } from "./quick-schema";

/** Returns a readable error, or null when the arguments are valid. */
export type Validator = (args: Record<string, unknown>) => string | null | Promise<string | null>;

const validators = new WeakMap<ToolAgent, Map<string, Validator>>();

let ajvClass: typeof Ajv | null = null;
let loading: Promise<void> | null = null;
let ajv: Ajv | null = null;
const compiled = new WeakMap<JSONSchema, ValidateFunction | string>();

/** Null once ajv is loaded, else a promise that loads it. */
export function validationReady(): Promise<void> | null {
  if (ajvClass) return null;
  loading ??= import("ajv").then((module) => {
    ajvClass = module.Ajv;
  });
  return loading;
}

function getAjv(): Ajv {
  if (!ajvClass) throw new Error("ag2ts internal error: ajv used before validationReady() resolved.");
  // No coercion, no default filling: the tool receives the model's arguments as sent.
  ajv ??= new ajvClass({ allErrors: true, strict: false, coerceTypes: false, useDefaults: false });
  return ajv;
}

function compile(schema: JSONSchema): ValidateFunction | string {
  let result = compiled.get(schema);
  if (result === undefined) {
    try {
      result = getAjv().compile(schema);
    } catch (err) {
      result = `the JSON schema of this tool is invalid (${err instanceof Error ? err.message : String(err)})`;
    }
    compiled.set(schema, result);
  }
  return result;
}

const quickChecks = new WeakMap<JSONSchema, QuickCheck | null>();

/**
 * Checks `args` against `schema`. Returns null when valid, else ajv's
 * `errorsText` with `arguments` as the data name, e.g.
 * `arguments must have required property 'city'`. Arguments that the quick
 * check (quick-schema.ts) accepts are valid without ajv; every other verdict
 * is ajv's, given once ajv is loaded.
 */
export function validateAgainstSchema(schema: JSONSchema, args: Record<string, unknown>): string | null | Promise<string | null> {
  let quick = quickChecks.get(schema);
  if (quick === undefined) quickChecks.set(schema, (quick = quickCheckOf(schema)));
  if (quick !== null && quick(args)) return null;
  const ready = validationReady();
  return ready ? ready.then(() => ajvVerdict(schema, args)) : ajvVerdict(schema, args);
}

function ajvVerdict(schema: JSONSchema, args: Record<string, unknown>): string | null {
  const validate = compile(schema);
  if (typeof validate === "string") return validate;
  if (validate(args)) return null;
  return getAjv().errorsText(validate.errors, { dataVar: "arguments" });
}

/** Records the validator of `name` on `agent` (null removes it). */
export function setToolValidator(agent: ToolAgent, name: string, validator: Validator | null): void {
  let map = validators.get(agent);
  if (!map) validators.set(agent, (map = new Map()));
  if (validator) map.set(name, validator);
  else map.delete(name);
}

/** A readable validation error, or null when the arguments are valid or no schema is known. */
export function validateToolArguments(agent: ToolAgent, name: string, args: Record<string, unknown>): string | null | Promise<string | null> {
  const validator = validators.get(agent)?.get(name);
  return validator ? validator(args) : null;
}
