/**
 * Python's `json.dumps(value)` text (separators ", " and ": ", non-ASCII
 * escaped), so that tool calls and other structured message fields count the
 * same tokens as in AG2, which counts their json.dumps form.
 */
function quote(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return quote(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
    return String(value);
  }
  if (Array.isArray(value)) return "[" + value.map(pythonJsonDumps).join(", ") + "]";
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return "{" + entries.map(([k, v]) => `${quote(k)}: ${pythonJsonDumps(v)}`).join(", ") + "}";
  }
  throw new TypeError(`Object of type ${typeof value} is not JSON serializable`);
}
