/**
 * Tool and function registration (spec 40 §1): register_for_llm,
 * register_for_execution, the module-level register_function, signature
 * updates of `llm_config` and the function map.
 */
import { RuntimeError, ValueError } from "../errors";
import { OpenAIWrapper } from "../oai/client";
import { is, validateOptions } from "../options";
import { warn } from "../warnings";
import { logFunctionUse } from "../logging/agent-events";
import { isAsyncFunction, markAsync, serialize_to_str } from "./execute";
import {
  getMetadata,
  knownSchema,
  linkWrapper,
  registeredToolSchema,
  setMetadata,
  toJsonSchema,
  withPropertyDescriptions,
  type FunctionSchema,
  type JSONSchema,
  type ToolSchema,
} from "./metadata";
import { setToolValidator, validateAgainstSchema } from "./validation";
import type { RegisterForExecutionOptions, RegisterForLlmOptions, ToolAgent, ToolCallContext } from "./tool-agent";

export type { RegisterForExecutionOptions, RegisterForLlmOptions, ToolCallContext } from "./tool-agent";



export interface RegisterFunctionOptions {
  /** The agent that may suggest the tool (its llm_config gets the schema). */
  caller: ToolAgent;
  /** The agent that runs the tool (its function map gets it). */
  executor: ToolAgent;
  /** Tool name; default `f.name`. */
  name?: string | null;
  /** What the tool does, shown to the model. */
  description: string;
  /** JSON Schema or zod schema of the argument; default: metadata or a loaded schema file. */
  parameters?: JSONSchema | object;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunction = (...args: any[]) => any;

const LLM_OPTIONS = {
  name: is.nullable(is.string),
  description: is.nullable(is.string),
  api_style: is.any,
  silent_override: is.boolean,
  parameters: is.any,
};
const EXECUTION_OPTIONS = { name: is.nullable(is.string), silent_override: is.boolean };

function assertValidName(agent: ToolAgent, name: string): void {
  (agent.constructor as unknown as { _assert_valid_name(name: string): void })._assert_valid_name(name);
}

/** `register_function(function_map)`: merges functions by name; null removes. */
export function registerFunctionMap(
  agent: ToolAgent,
  function_map: Record<string, AnyFunction | null>,
  options: { silent_override?: boolean } = {},
): void {
  for (const [name, fn] of Object.entries(function_map)) {
    assertValidName(agent, name);
    if (fn === null && !(name in agent._function_map)) warn(`The function ${name} to remove doesn't exist`);
    else if (fn !== null && name in agent._function_map && !options.silent_override) warn(`Function '${name}' is being overridden.`);
  }
  for (const [name, fn] of Object.entries(function_map)) {
    if (fn === null) {
      delete agent._function_map[name];
      setToolValidator(agent, name, null);
      continue;
    }
    agent._function_map[name] = fn;
    // The schema is looked up at call time, so registering for execution
    // before register_for_llm still validates.
    setToolValidator(agent, name, (args) => {
      const schema = knownSchema(fn, name);
      return schema ? validateAgainstSchema(schema, args) : null;
    });
  }
}

function resolveSchema(func: Function, name: string, parameters: unknown): JSONSchema {
  if (parameters !== undefined && parameters !== null) return toJsonSchema(parameters, name);
  const known = knownSchema(func, name);
  if (known) return known;
  throw new TypeError(`Cannot determine the JSON schema of tool '${name}': pass \`parameters\` or generate schemas`);
}

/** `agent.register_for_llm(options)(func)` (spec 40 §1.3). */
export function registerForLlm(agent: ToolAgent, options: RegisterForLlmOptions = {}): <F extends Function>(func: F) => F {
  validateOptions("register_for_llm", options, LLM_OPTIONS);
  const api_style = options.api_style ?? "tool";
  return <F extends Function>(func: F): F => {
    const meta = getMetadata(func);
    const name = options.name || meta.name || func.name;
    const description = options.description || meta.description || registeredToolSchema(name)?.description;
    setMetadata(func, { name });
    if (!description) throw new ValueError("Function description is required, none found.");
    setMetadata(func, { description });
    const parameters = resolveSchema(func, name, options.parameters);
    setMetadata(func, { parameters });
    if (agent.llm_config === false) throw new RuntimeError("LLM config must be setup before registering a function for LLM.");
    const fn: FunctionSchema = { name, description, parameters: withPropertyDescriptions(parameters) };
    const silent = { silent_override: options.silent_override === true };
    if (api_style === "function") updateFunctionSignature(agent, fn, false, silent);
    else if (api_style === "tool") updateToolSignature(agent, { type: "function", function: fn }, false, silent);
    else throw new ValueError(`Unsupported API style: ${String(api_style)}`);
    return func;
  };
}

/**
 * The `functions` constructor option (current AG2 `_add_single_function`):
 * offers `func` to the agent's model and lets the agent run it. The
 * description may be empty; the schema comes from metadata or a loaded
 * schema file.
 */
export function addFunction(agent: ToolAgent, func: AnyFunction): void {
  const meta = getMetadata(func);
  const name = meta.name || func.name;
  const description = meta.description || registeredToolSchema(name)?.description || "";
  setMetadata(func, { name });
  const parameters = resolveSchema(func, name, undefined);
  updateToolSignature(agent, { type: "function", function: { name, description, parameters: withPropertyDescriptions(parameters) } }, false);
  registerFunctionMap(agent, { [name]: wrapForExecution(agent, func) });
}


/** The function stored in the function map: calls `func` and serialises its result. */
function wrapForExecution(agent: ToolAgent, func: AnyFunction): AnyFunction {
  const done = (args: unknown, result: unknown): string => {
    logFunctionUse(agent, func, args, result);
    return serialize_to_str(result);
  };
  const wrapper = (args: unknown, context?: ToolCallContext): unknown => {
    const result = context === undefined ? func(args) : func(args, context);
    if (result !== null && typeof result === "object" && typeof (result as Promise<unknown>).then === "function") {
      return (result as Promise<unknown>).then((value) => done(args, value));
    }
    return done(args, result);
  };
  if (isAsyncFunction(func)) markAsync(wrapper);
  linkWrapper(wrapper, func);
  return wrapper;
}

/** `agent.register_for_execution(options)(func)` (spec 40 §1.4). */
export function registerForExecution(agent: ToolAgent, options: RegisterForExecutionOptions = {}): <F extends Function>(func: F) => F {
  validateOptions("register_for_execution", options, EXECUTION_OPTIONS);
  return <F extends Function>(func: F): F => {
    const name = options.name || getMetadata(func).name || func.name;
    setMetadata(func, { name });
    registerFunctionMap(agent, { [name]: wrapForExecution(agent, func as unknown as AnyFunction) }, { silent_override: options.silent_override });
    return func;
  };
}

/**
 * Module-level `register_function(f, {caller, executor, name, description, parameters})`:
 * the caller may suggest the tool, the executor runs it.
 */
export function register_function(f: AnyFunction, options: RegisterFunctionOptions): void {
  validateOptions("register_function", options, {
    caller: is.object,
    executor: is.object,
    name: is.nullable(is.string),
    description: is.string,
    parameters: is.any,
  });
  for (const key of ["caller", "executor", "description"] as const) {
    if (options[key] === undefined || options[key] === null) throw new ValueError(`register_function: option '${key}' is required.`);
  }
  const { caller, executor, name = null, description, parameters } = options;
  caller.register_for_llm({ name, description, parameters })(f);
  executor.register_for_execution({ name })(f);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function typeName(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}

/** Rebuilds the agent's client from llm_config, keeping usage and custom clients (spec 40 §9). */
function rebuildClient(agent: ToolAgent): void {
  if (agent.llm_config === false) return;
  const previous = agent.client;
  const next = new OpenAIWrapper(agent.llm_config);
  if (previous) next._carryOverFrom(previous);
  agent.client = next;
}

type SignatureList = "tools" | "functions";

function updateSignature(
  agent: ToolAgent,
  key: SignatureList,
  sig: string | Record<string, unknown>,
  is_remove: boolean,
  silent_override: boolean,
): void {
  const kind = key === "tools" ? "tool" : "function";
  const config = agent.llm_config;
  if (config === false || config === null || typeof config !== "object") {
    throw new ValueError(`To update a ${kind} signature, agent must have an llm_config`);
  }
  const nameOf = (entry: unknown): unknown =>
    key === "tools" ? (entry as { function?: { name?: unknown } })?.function?.name : (entry as { name?: unknown })?.name;
  const current = config[key] as unknown[] | undefined;
  if (is_remove) {
    if (current === undefined) throw new ValueError(`The agent config doesn't have ${kind} ${typeof sig === "string" ? sig : JSON.stringify(sig)}.`);
    config[key] = current.filter((entry) => (typeof sig === "string" ? nameOf(entry) !== sig : !deepEqual(entry, sig)));
  } else {
    if (sig === null || typeof sig !== "object" || Array.isArray(sig)) {
      throw new ValueError(`The ${kind} signature must be of the type dict. Received ${kind} signature type ${typeName(sig)}`);
    }
    const name = nameOf(sig);
    if (typeof name !== "string") {
      throw new ValueError(
        key === "tools"
          ? `The tool signature must have a 'function' object with a 'name'. Received: ${JSON.stringify(sig)}`
          : `The function signature must have a 'name' key. Received: ${JSON.stringify(sig)}`,
      );
    }
    assertValidName(agent, name);
    const list = current ?? [];
    if (!silent_override && list.some((entry) => nameOf(entry) === name)) warn(`Function '${name}' is being overridden.`);
    config[key] = [...list.filter((entry) => nameOf(entry) !== name), sig];
  }
  if ((config[key] as unknown[]).length === 0) delete config[key];
  rebuildClient(agent);
}

/** `agent.update_tool_signature(tool_sig, is_remove, {silent_override})` (spec 40 §1.5). */
export function updateToolSignature(
  agent: ToolAgent,
  sig: string | ToolSchema | Record<string, unknown>,
  is_remove: boolean,
  options: { silent_override?: boolean } = {},
): void {
  updateSignature(agent, "tools", sig, is_remove, options.silent_override === true);
}

/** `agent.update_function_signature(func_sig, is_remove, {silent_override})` (spec 40 §1.5). */
export function updateFunctionSignature(
  agent: ToolAgent,
  sig: string | FunctionSchema | Record<string, unknown>,
  is_remove: boolean,
  options: { silent_override?: boolean } = {},
): void {
  updateSignature(agent, "functions", sig, is_remove, options.silent_override === true);
}
