/**
 * execute_function (spec 40 §2.1): runs one function or tool call from a
 * model. Every failure becomes an `Error: ...` text the model can read.
 */
import type { ConversableAgent } from "../agentchat/conversable-agent";
import { abortable, abortErrorOf, currentSignal } from "../agentchat/run-context";
import { emit } from "../io/events";
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
  agent: ConversableAgent,
  func_call: { name?: string; arguments?: string },
  options: { verbose?: boolean; call_id?: string | null } = {},
): Promise<[boolean, FunctionResult]> {
  const name = func_call.name ?? "";
  const func = agent._function_map[name];
  const call_id = options.call_id ?? null;
  const verbose = options.verbose === true;
  const result = (content: string, ok: boolean): [boolean, FunctionResult] => [ok, { name, role: "function", content }];
  // Errors found before the call are events too; verbose prints them like AG2.
  const rejected = (args: unknown, content: string): [boolean, FunctionResult] => {
    emit({ type: "function_result", agent: agent.name, name, arguments: args, content, verbose, call_id });
    return result(content, false);
  };
  if (typeof func !== "function") {
    const content = `Error: Function ${name} not found.`;
    emit({ type: "function_result", agent: agent.name, name, arguments: null, content, verbose: false, call_id });
    return result(content, false);
  }

  let args: unknown;
  try {
    args = JSON.parse(formatJsonStr(func_call.arguments ?? "{}"));
  } catch (err) {
    return rejected(null, `Error: ${errorText(err)}\n The argument must be in JSON format.`);
  }
  if (args === null || typeof args !== "object" || Array.isArray(args)) {
    return rejected(args, "Error: The arguments must be a JSON object.");
  }
  const signal = currentSignal();
  const verdict = validateToolArguments(agent, name, args as Record<string, unknown>);
  const invalid = isThenable(verdict) ? await verdict : verdict;
  if (invalid !== null) return rejected(args, `Error: ${invalid}`);

  emit({ type: "execute_function", agent: agent.name, name, is_async: isAsyncFunction(func), call_id });
  let content: string;
  let ok = true;
  try {
    // The chat's signal reaches the tool as a second argument; an abort ends the wait at once.
    const value = abortable(signal ? func(args, { signal }) : func(args), signal);
    content = serialize_to_str(isThenable(value) ? await value : value);
  } catch (err) {
    // An aborted chat stops here instead of showing the model an error.
    if (signal?.aborted) throw abortErrorOf(signal);
    content = `Error: ${errorText(err)}`;
    ok = false;
  }
  emit({ type: "function_result", agent: agent.name, name, arguments: args, content, verbose, call_id });
  return result(content, ok);
}
