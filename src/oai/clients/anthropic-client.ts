/**
 * AnthropicClient: the ModelClient over `@anthropic-ai/sdk` (spec 40 §6).
 * The SDK is an optional peer dependency, imported on first use.
 */
import type Anthropic from "@anthropic-ai/sdk";
import type { Message } from "../../core/types";
import { ValueError } from "../../errors";
import { emit } from "../../io/events";
import { warn } from "../../warnings";
import { openaiMessageRetrieval, type ModelClient, type ModelClientResponse, type ModelUsage, usageFromResponse } from "../model-client";
import { tableCost } from "../pricing";
import {
  anthropic_response_to_oai,
  oai_messages_to_anthropic_messages,
  openai_tools_to_anthropic,
  type AnthropicBlock,
  type AnthropicResponseLike,
} from "./anthropic-messages";
import { commonSdkOptions, importOptional } from "./sdk-options";
import { anthropicStructured, toolAnswerAsText } from "./anthropic-structured";

/**
 * The part of an Anthropic SDK client used here. Structural, so the public
 * declarations do not require the optional `@anthropic-ai/sdk` package.
 */
export interface AnthropicLike {
  messages: { create(body: never, options?: { signal?: AbortSignal }): unknown };
}

type MessagesCreate = (body: Record<string, unknown>, options?: { signal?: AbortSignal }) => Promise<unknown>;

function env(name: string): string | undefined {
  const value = typeof process !== "undefined" ? process.env[name] : undefined;
  return value === "" ? undefined : value;
}

/** Checks a numeric parameter; out of range warns and uses the default (spec 40 §6.2). */
function ranged(params: Record<string, unknown>, key: string, fallback: number | undefined, min: number, max: number): number | undefined {
  const value = params[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || Number.isNaN(value) || value < min || value > max) {
    warn(`Anthropic parameter ${key}=${JSON.stringify(value)} is outside [${min}, ${max}]; using ${fallback ?? "the API default"}.`);
    return fallback;
  }
  return value;
}

/** OpenAI-style create params -> Anthropic Messages params (`response_format` in its Anthropic form, see anthropic-structured.ts). */
export function anthropicParams(params: Record<string, unknown>): Record<string, unknown> {
  if (typeof params.model !== "string" || params.model === "") {
    throw new ValueError("Please provide a `model` in the config_list to use the Anthropic API.");
  }
  const userTools = openai_tools_to_anthropic(params);
  const structured = anthropicStructured(params.response_format, params.model, userTools);
  const tools = (structured?.body.tools as AnthropicBlock[] | undefined) ?? userTools;
  const { system, messages } = oai_messages_to_anthropic_messages((params.messages as Message[]) ?? [], userTools !== undefined);
  const out: Record<string, unknown> = {
    model: params.model,
    messages,
    system,
    max_tokens: ranged(params, "max_tokens", 4096, 1, Number.MAX_SAFE_INTEGER),
    temperature: ranged(params, "temperature", 1, 0, 1),
    top_p: ranged(params, "top_p", undefined, 0, 1),
    top_k: params.top_k,
    stop_sequences: params.stop_sequences,
    stream: params.stream === true ? true : undefined,
    thinking: params.thinking,
    tool_choice: structured?.body.tool_choice ?? (params.tool_choice && typeof params.tool_choice === "object" ? params.tool_choice : undefined),
    metadata: params.metadata,
    tools,
    output_config: structured?.body.output_config,
  };
  for (const key of Object.keys(out)) if (out[key] === undefined || out[key] === null) delete out[key];
  return out;
}

export class AnthropicClient implements ModelClient {
  readonly _client: AnthropicLike;

  constructor(client: AnthropicLike) {
    this._client = client;
  }

  private messagesCreate(body: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<unknown> {
    const messages = this._client.messages as unknown as { create: MessagesCreate };
    return messages.create.call(this._client.messages, body, options);
  }

  async create(params: Record<string, unknown>): Promise<ModelClientResponse> {
    const { signal, ...rest } = params as Record<string, unknown> & { signal?: AbortSignal };
    const body = anthropicParams(rest);
    const model = body.model as string;
    const options = signal ? { signal } : undefined;
    let message: AnthropicResponseLike;
    if (body.stream === true) {
      const stream = (await this.messagesCreate(body, options)) as AsyncIterable<Anthropic.RawMessageStreamEvent>;
      message = await collectAnthropicStream(stream);
    } else {
      message = (await this.messagesCreate(body, options)) as AnthropicResponseLike;
    }
    let response = anthropic_response_to_oai(message, model);
    const forcedTool = body.tool_choice as { type?: string; name?: string } | undefined;
    if (rest.response_format && forcedTool?.type === "tool" && typeof forcedTool.name === "string") response = toolAnswerAsText(response, forcedTool.name);
    response.cost = this.cost(response);
    return response;
  }

  message_retrieval(response: ModelClientResponse): Array<string | Message | null> {
    return openaiMessageRetrieval(response);
  }

  cost(response: ModelClientResponse): number {
    const usage = response.usage ?? {};
    return tableCost("anthropic", response.model, usage.prompt_tokens ?? 0, usage.completion_tokens ?? 0);
  }

  static get_usage(response: ModelClientResponse): ModelUsage {
    return usageFromResponse(response);
  }

  get_usage(response: ModelClientResponse): ModelUsage {
    return AnthropicClient.get_usage(response);
  }
}

/** Accumulates an Anthropic event stream into a message; text deltas are shown as they come. */
export async function collectAnthropicStream(stream: AsyncIterable<Anthropic.RawMessageStreamEvent>): Promise<AnthropicResponseLike> {
  const message: AnthropicResponseLike = { content: [], usage: {} };
  const partialJson = new Map<number, string>();
  let printed = false;
  for await (const event of stream) {
    switch (event.type) {
      case "message_start":
        message.id = event.message.id;
        message.usage = { input_tokens: event.message.usage?.input_tokens ?? 0, output_tokens: event.message.usage?.output_tokens ?? 0 };
        break;
      case "content_block_start":
        message.content[event.index] = { ...(event.content_block as unknown as AnthropicBlock) };
        break;
      case "content_block_delta": {
        const block = message.content[event.index];
        const delta = event.delta as unknown as Record<string, string>;
        if (delta.type === "text_delta") {
          block.text = String(block.text ?? "") + delta.text;
          emit({ type: "stream_text", text: delta.text });
          printed = true;
        } else if (delta.type === "thinking_delta") {
          block.thinking = String(block.thinking ?? "") + delta.thinking;
        } else if (delta.type === "input_json_delta") {
          partialJson.set(event.index, (partialJson.get(event.index) ?? "") + delta.partial_json);
        }
        break;
      }
      case "content_block_stop": {
        const json = partialJson.get(event.index);
        if (json !== undefined) message.content[event.index].input = json === "" ? {} : JSON.parse(json);
        break;
      }
      case "message_delta":
        message.stop_reason = event.delta.stop_reason;
        message.usage = { ...message.usage, output_tokens: event.usage.output_tokens };
        break;
      default:
        break;
    }
  }
  if (printed) emit({ type: "stream_end" });
  message.content = message.content.filter(Boolean);
  return message;
}

/** Picks Anthropic, Bedrock or Vertex from the entry's credentials (spec 40 §6.1). */
export async function createAnthropicClient(config: Record<string, unknown>): Promise<AnthropicClient> {
  const apiKey = (config.api_key as string | undefined) ?? env("ANTHROPIC_API_KEY");
  if (apiKey) {
    const sdk = await importOptional<typeof import("@anthropic-ai/sdk")>("@anthropic-ai/sdk", 'api_type "anthropic"');
    return new AnthropicClient(new sdk.default({ ...commonSdkOptions(config), apiKey }));
  }
  const awsAccess = (config.aws_access_key as string | undefined) ?? env("AWS_ACCESS_KEY");
  const awsSecret = (config.aws_secret_key as string | undefined) ?? env("AWS_SECRET_KEY");
  const awsRegion = (config.aws_region as string | undefined) ?? env("AWS_REGION");
  if (awsAccess || awsSecret) {
    if (!awsAccess || !awsSecret || !awsRegion) {
      throw new ValueError("Anthropic on Bedrock needs aws_access_key, aws_secret_key and aws_region (or AWS_ACCESS_KEY, AWS_SECRET_KEY, AWS_REGION).");
    }
    const bedrock = await importOptional<{ AnthropicBedrock: new (o: Record<string, unknown>) => AnthropicLike }>(
      "@anthropic-ai/bedrock-sdk",
      "Anthropic on AWS Bedrock",
    );
    return new AnthropicClient(
      new bedrock.AnthropicBedrock({ awsAccessKey: awsAccess, awsSecretKey: awsSecret, awsSessionToken: config.aws_session_token, awsRegion }),
    );
  }
  const gcpProject = config.gcp_project_id as string | undefined;
  if (gcpProject) {
    const region = (config.gcp_region as string | undefined) ?? env("GCP_REGION");
    if (!region) throw new ValueError("Anthropic on Vertex AI needs gcp_region (or GCP_REGION) next to gcp_project_id.");
    const vertex = await importOptional<{ AnthropicVertex: new (o: Record<string, unknown>) => AnthropicLike }>(
      "@anthropic-ai/vertex-sdk",
      "Anthropic on Google Vertex AI",
    );
    return new AnthropicClient(new vertex.AnthropicVertex({ projectId: gcpProject, region, accessToken: config.gcp_auth_token }));
  }
  throw new ValueError(
    'An api_type "anthropic" entry needs credentials: api_key (or ANTHROPIC_API_KEY), or AWS keys ' +
      "(aws_access_key, aws_secret_key, aws_region) for Bedrock, or gcp_project_id and gcp_region for Vertex AI.",
  );
}
