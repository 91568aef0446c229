// Public API of tools and function calling; re-exported from the package root.
export { serialize_to_str } from "./execute";
export type { FunctionResult } from "./execute";
export { register_function } from "./registration";
export type { RegisterForLlmOptions, RegisterForExecutionOptions, RegisterFunctionOptions } from "./registration";
export type { ToolAgent } from "./tool-agent";
export { register_tool_schemas, clear_tool_schemas } from "./metadata";
export type { JSONSchema, ToolSchema, FunctionSchema, ToolSchemaEntry } from "./metadata";
export { generateToolSchemas } from "./schema-generator";
export type { GenerateToolSchemasOptions } from "./schema-generator";
