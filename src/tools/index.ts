// Public API of tools and function calling; re-exported from the package root.
export { serialize_to_str } from "./execute";
export type { FunctionResult } from "./execute";
export type { RegisterForLlmOptions, RegisterForExecutionOptions } from "./registration";
