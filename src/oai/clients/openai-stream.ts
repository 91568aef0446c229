/**
 * Assembles a streamed chat completion (spec 40 §5.7): content deltas are
 * shown as they arrive, tool/function-call deltas are joined by index, and
 * the result is an ordinary ChatCompletion.
 */
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { NotImplementedError } from "../../errors";
import { emit } from "../../io/events";
import { log } from "../../warnings";
import type { ModelClientResponse } from "../model-client";

interface ToolCallAcc {
  id?: string;
  type?: string;
  function: { name: string; arguments: string };
}

interface ChoiceAcc {
  content: string | null;
  tool_calls: ToolCallAcc[] | null;
  function_call: { name: string; arguments: string } | null;
  finish_reason: string | null;
}

function newChoice(): ChoiceAcc {
  return { content: null, tool_calls: null, function_call: null, finish_reason: null };
}

/**
 * Without usage from the server, the prompt is counted with the tokenizer, as
 * AG2 does: 0 with a warning for a model whose message overhead is unknown.
 * (The tokenizer module is loaded here, on the first stream that needs it.)
 */
async function countPromptTokens(messages: unknown, model: string): Promise<number> {
  const { count_token } = await import("../../tokens/count");
  const { load_token_encoding } = await import("../../tokens/encodings");
  const name = model.replace("gpt-35", "gpt-3.5"); // Azure's spelling
  try {
    await load_token_encoding(name);
    return count_token((messages ?? []) as Record<string, unknown>[], name);
  } catch (err) {
    if (!(err instanceof NotImplementedError)) throw err;
    log("warning", err.message);
    return 0;
  }
}

export async function collectOpenAIStream(
  stream: AsyncIterable<ChatCompletionChunk>,
  body: Record<string, unknown>,
): Promise<ModelClientResponse> {
  const choices: ChoiceAcc[] = [];
  let id = "";
  let model = String(body.model ?? "");
  let created = 0;
  let deltas = 0;
  let printed = false;
  let usage: ChatCompletionChunk["usage"] = null;
  for await (const chunk of stream) {
    id = chunk.id || id;
    model = chunk.model || model;
    created = chunk.created || created;
    if (chunk.usage) usage = chunk.usage;
    for (const part of chunk.choices ?? []) {
      const acc = (choices[part.index] ??= newChoice());
      const delta = part.delta ?? {};
      if (typeof delta.content === "string" && delta.content !== "") {
        acc.content = (acc.content ?? "") + delta.content;
        emit({ type: "stream_text", text: delta.content });
        printed = true;
        deltas += 1;
      }
      if (delta.function_call) {
        acc.function_call ??= { name: "", arguments: "" };
        acc.function_call.name += delta.function_call.name ?? "";
        acc.function_call.arguments += delta.function_call.arguments ?? "";
        deltas += 1;
      }
      for (const call of delta.tool_calls ?? []) {
        if (call.type !== undefined && call.type !== "function") {
          throw new NotImplementedError(`Tool call type "${call.type}" is not supported in a stream; only "function" is.`);
        }
        acc.tool_calls ??= [];
        const target = (acc.tool_calls[call.index] ??= { function: { name: "", arguments: "" } });
        if (call.id) target.id = call.id;
        if (call.type) target.type = call.type;
        target.function.name += call.function?.name ?? "";
        target.function.arguments += call.function?.arguments ?? "";
        deltas += 1;
      }
      if (part.finish_reason) acc.finish_reason = part.finish_reason;
    }
  }
  if (printed) emit({ type: "stream_end" });
  const prompt_tokens = usage ? usage.prompt_tokens : await countPromptTokens(body.messages, model);
  const completion_tokens = usage?.completion_tokens ?? deltas;
  return {
    id,
    object: "chat.completion",
    created,
    model,
    choices: choices.map((c, index) => ({
      index,
      finish_reason: c.finish_reason,
      logprobs: null,
      message: {
        role: "assistant",
        content: c.content,
        ...(c.function_call ? { function_call: c.function_call } : {}),
        ...(c.tool_calls ? { tool_calls: c.tool_calls.filter(Boolean) } : {}),
      },
    })),
    usage: { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens },
  };
}
