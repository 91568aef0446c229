/**
 * execute_function (spec 40 §2.1): runs one function or tool call from a
 * model. Every failure becomes an `Error: ...` text the model can read.
 */
import type { ToolAgent } from "./tool-agent";
import { abortable, abortErrorOf, currentRunContext, currentSignal, within } from "../core/run-context";
import type { Awaitable } from "../io/base";
import { emit, eventsWanted } from "../io/events";
import { isThenable } from "../thenable";
import { validateToolArguments } from "./validation";

export interface FunctionResult {
  [key: string]: unknown;
  name: string;
  role: "function";
  content: string;
}

/** Python `json.dumps` of a tool result, without ASCII escaping. */
export function serialize_to_str(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "null";
  try {
    return JSON.stringify(value) ?? "null";
  } catch {
    return String(value);
  }
}

/** Removes newlines outside JSON strings and escapes raw newlines and tabs inside them. */
export function formatJsonStr(text: string): string {
  // Only newlines and tabs are ever changed: without them the text is its own answer.
  if (text.indexOf("\n") === -1 && text.indexOf("\t") === -1) return text;
  let out = "";
  let inside = false;
  let last = " ";
  for (const ch of text) {
    if (last !== "\\" && ch === '"') inside = !inside;
    last = ch;
    if (!inside && ch === "\n") continue;
    if (inside && ch === "\n") out += "\\n";
    else if (inside && ch === "\t") out += "\\t";
    else out += ch;
  }
  return out;
}

const asyncFunctions = new WeakSet<Function>();

/** Marks a wrapper as async so execution prints "ASYNC FUNCTION" for it. */
export function markAsync(fn: Function): void {
  asyncFunctions.add(fn);
}

const ASYNC_FUNCTION_PROTOTYPE = Object.getPrototypeOf(async () => {});

export function isAsyncFunction(fn: Function): boolean {
  const proto = Object.getPrototypeOf(fn);
  if (proto === ASYNC_FUNCTION_PROTOTYPE) return true;
  // A plain function needs no name lookup; one from another realm is known by its constructor's name.
  if (proto === Function.prototype) return asyncFunctions.has(fn);
  return asyncFunctions.has(fn) || fn.constructor?.name === "AsyncFunction";
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

export async function executeFunction(
  agent: ToolAgent,
  func_call: { name?: string; arguments?: string },
  options: { verbose?: boolean; call_id?: string | null } = {},
): Promise<[boolean, FunctionResult]> {
  return executeFunctionNow(agent, func_call, options);
}

/** One call being executed: what its events and result name. */
interface Execution {
  agent: ToolAgent;
  name: string;
  verbose: boolean;
  call_id: string | null;
  signal: AbortSignal | undefined;
}

function resultOf(run: Execution, content: string, ok: boolean): [boolean, FunctionResult] {
  return [ok, { name: run.name, role: "function", content }];
}

/** The result event of a call; verbose prints it like AG2 (errors found before the call included). */
function finished(run: Execution, args: unknown, content: string, ok: boolean): [boolean, FunctionResult] {
  // Printed only when verbose: otherwise built only for a listener (every tool call passes here).
  if (run.verbose || eventsWanted(false)) {
    emit({ type: "function_result", agent: run.agent.name, name: run.name, arguments: args, content, verbose: run.verbose, call_id: run.call_id });
  }
  return resultOf(run, content, ok);
}

/**
 * execute_function, synchronous while the argument check and the function
 * are (the tool-call and function-call replies use it when the agent's
 * execute_function is the built-in one).
 */
export function executeFunctionNow(
  agent: ToolAgent,
  func_call: { name?: string; arguments?: string },
  options: { verbose?: boolean; call_id?: string | null },
): Awaitable<[boolean, FunctionResult]> {
  const name = func_call.name ?? "";
  const func = agent._function_map[name];
  const run: Execution = { agent, name, verbose: options.verbose === true, call_id: options.call_id ?? null, signal: undefined };
  if (typeof func !== "function") {
    const content = `Error: Function ${name} not found.`;
    emit({ type: "function_result", agent: agent.name, name, arguments: null, content, verbose: false, call_id: run.call_id });
    return resultOf(run, content, false);
  }

  let args: unknown;
  try {
    args = JSON.parse(formatJsonStr(func_call.arguments ?? "{}"));
  } catch (err) {
    return finished(run, null, `Error: ${errorText(err)}\n The argument must be in JSON format.`, false);
  }
  if (args === null || typeof args !== "object" || Array.isArray(args)) {
    return finished(run, args, "Error: The arguments must be a JSON object.", false);
  }
  run.signal = currentSignal();
  const verdict = validateToolArguments(agent, name, args as Record<string, unknown>);
  if (isThenable(verdict)) {
    const context = currentRunContext();
    return verdict.then((invalid) => within(context, () => checkedCall(run, func, args, invalid)));
  }
  return checkedCall(run, func, args, verdict);
}

function checkedCall(run: Execution, func: Function, args: unknown, invalid: string | null): Awaitable<[boolean, FunctionResult]> {
  if (invalid !== null) return finished(run, args, `Error: ${invalid}`, false);
  emit({ type: "execute_function", agent: run.agent.name, name: run.name, is_async: isAsyncFunction(func), call_id: run.call_id });
  const signal = run.signal;
  let value: unknown;
  try {
    // The chat's signal reaches the tool as a second argument; an abort ends the wait at once.
    value = abortable(signal ? func(args, { signal }) : func(args), signal);
    if (!isThenable(value)) return finished(run, args, serialize_to_str(value), true);
  } catch (err) {
    return failedCall(run, args, err);
  }
  const context = currentRunContext();
  return Promise.resolve(value as PromiseLike<unknown>).then(
    (settled) => within(context, () => finished(run, args, serialize_to_str(settled), true)),
    (err: unknown) => within(context, () => failedCall(run, args, err)),
  );
}

function failedCall(run: Execution, args: unknown, err: unknown): [boolean, FunctionResult] {
  // An aborted chat stops here instead of showing the model an error.
  if (run.signal?.aborted) throw abortErrorOf(run.signal);
  return finished(run, args, `Error: ${errorText(err)}`, false);
}
