/**
 * `response_format` on Anthropic: Claude 4.5 and later models get the
 * native structured output (`output_config.format`), older ones a tool the
 * model must call whose input is the answer (the reply's text is then that
 * input as JSON). The wrapper sends the OpenAI form; this turns it into
 * Anthropic's. `json_object` and `text` have no Anthropic form: the reply is
 * still checked as JSON by the wrapper.
 */
import type { ModelClientResponse } from "../model-client";
import type { AnthropicBlock } from "./anthropic-messages";

/** Models that accept `output_config.format` (structured outputs, GA). */
export function supportsNativeStructuredOutput(model: string): boolean {
  return /claude-(?:sonnet|opus|haiku)-4-(?:[5-9]|\d\d)|claude-opus-4-1|claude-(?:sonnet|opus|haiku)-(?:[5-9])(?:\D|$)/.test(model);
}

export interface AnthropicStructured {
  /** Request keys to add (`output_config`, or `tools` + `tool_choice`). */
  body: Record<string, unknown>;
  /** The forced tool's name, when the tool form is used. */
  tool: string | null;
}

/** The Anthropic form of an OpenAI `response_format`, or null when there is none to send. */
export function anthropicStructured(
  responseFormat: unknown,
  model: string,
  tools: AnthropicBlock[] | undefined,
): AnthropicStructured | null {
  if (!responseFormat || typeof responseFormat !== "object") return null;
  const format = responseFormat as { type?: unknown; json_schema?: { name?: string; schema?: unknown; description?: string } };
  if (format.type !== "json_schema" || !format.json_schema || typeof format.json_schema.schema !== "object") return null;
  const { name = "response_format", schema, description } = format.json_schema;
  if (supportsNativeStructuredOutput(model)) {
    return { body: { output_config: { format: { type: "json_schema", schema } } }, tool: null };
  }
  const tool = {
    name,
    description: description ?? `Give your final answer by calling ${name}; its input is the answer.`,
    input_schema: schema,
  } as unknown as AnthropicBlock;
  return { body: { tools: [...(tools ?? []), tool], tool_choice: { type: "tool", name } }, tool: name };
}

/** The forced tool's call becomes the reply's text (its arguments, JSON); other tool calls stay. */
export function toolAnswerAsText(response: ModelClientResponse, tool: string): ModelClientResponse {
  for (const choice of response.choices) {
    const message = choice.message as { content: string | null; tool_calls?: Array<{ function: { name: string; arguments: string } }> };
    const calls = message.tool_calls ?? [];
    const answer = calls.find((call) => call.function.name === tool);
    if (!answer) continue;
    const rest = calls.filter((call) => call !== answer);
    message.content = answer.function.arguments;
    if (rest.length > 0) message.tool_calls = rest;
    else {
      delete message.tool_calls;
      choice.finish_reason = "stop";
    }
  }
  return response;
}
