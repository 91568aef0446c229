/**
 * OpenAIClient: the ModelClient over the `openai` SDK (spec 40 §5). Used for
 * OpenAI, Azure OpenAI and every OpenAI-compatible server (`base_url`).
 */
import type OpenAI from "openai";
import type { Message } from "../../core/types";
import { openaiMessageRetrieval, type ModelClient, type ModelClientResponse, type ModelUsage, usageFromResponse } from "../model-client";
import { tableCost } from "../pricing";
import { commonSdkOptions } from "./sdk-options";
import { collectOpenAIStream } from "./openai-stream";

/** Builds the SDK client of a plain OpenAI (or OpenAI-compatible) entry. */
export async function createOpenAISdk(config: Record<string, unknown>): Promise<OpenAI> {
  const { default: OpenAISdk } = await import("openai");
  const options: ConstructorParameters<typeof OpenAISdk>[0] = { ...commonSdkOptions(config) };
  if (typeof config.organization === "string") options.organization = config.organization;
  if (typeof config.project === "string") options.project = config.project;
  return new OpenAISdk(options);
}

/**
 * The SDK's answer as plain data: it is already the parsed JSON body (the
 * SDK adds only a non-enumerable `_request_id`), so it is returned as it is
 * (a JSON round trip per response cost ~9 µs); a value that is not a plain
 * object (an SDK class) is turned into JSON data.
 */
function plain<T>(value: T): T {
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) return value;
  return JSON.parse(JSON.stringify(value)) as T;
}

export class OpenAIClient implements ModelClient {
  /** The SDK client (`OpenAI` or `AzureOpenAI`). */
  readonly _oai_client: OpenAI;

  constructor(sdk: OpenAI) {
    this._oai_client = sdk;
  }

  /** Sends create params to the chat completions API (or completions, for `prompt`). */
  async create(params: Record<string, unknown>): Promise<ModelClientResponse> {
    const { signal, ...body } = params as Record<string, unknown> & { signal?: AbortSignal };
    const requestOptions = signal ? { signal } : undefined;
    if ("prompt" in body) {
      const response = await this._oai_client.completions.create(
        body as unknown as OpenAI.CompletionCreateParamsNonStreaming,
        requestOptions,
      );
      return plain(response) as unknown as ModelClientResponse;
    }
    if (body.stream === true) {
      const stream = await this._oai_client.chat.completions.create(
        body as unknown as OpenAI.ChatCompletionCreateParamsStreaming,
        requestOptions,
      );
      return collectOpenAIStream(stream, body);
    }
    const response = await this._oai_client.chat.completions.create(
      body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming,
      requestOptions,
    );
    return plain(response) as unknown as ModelClientResponse;
  }

  message_retrieval(response: ModelClientResponse): Array<string | Message | null> {
    return openaiMessageRetrieval(response);
  }

  cost(response: ModelClientResponse): number {
    const usage = response.usage ?? {};
    return tableCost("openai", response.model, usage.prompt_tokens ?? 0, usage.completion_tokens ?? 0);
  }

  static get_usage(response: ModelClientResponse): ModelUsage {
    return usageFromResponse(response);
  }

  get_usage(response: ModelClientResponse): ModelUsage {
    return OpenAIClient.get_usage(response);
  }
}
