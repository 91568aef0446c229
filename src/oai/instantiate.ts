import { KeyError } from "../errors";

/**
 * Resolves a templated content (spec 40 §5.4): a function is called with the
 * context; a string is formatted like Python's `str.format` only when allowed.
 */
export function instantiate(
  template: unknown,
  context?: Record<string, unknown> | null,
  allow_format_str_template = false,
): unknown {
  if (!context || template === null || template === undefined) return template;
  if (typeof template === "function") return (template as (c: Record<string, unknown>) => unknown)(context);
  if (typeof template === "string" && allow_format_str_template) return formatString(template, context);
  return template;
}

/** `str.format(**context)` for `{key}` fields, with `{{` and `}}` escapes. */
export function formatString(template: string, context: Record<string, unknown>): string {
  return template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (match, key: string | undefined) => {
    if (match === "{{") return "{";
    if (match === "}}") return "}";
    const name = (key ?? "").trim();
    if (!(name in context)) throw new KeyError(`'${name}'`);
    const value = context[name];
    return typeof value === "string" ? value : JSON.stringify(value);
  });
}
