/**
 * ScriptedModelClient: a model client that replays a script (STYLE.md habit 1).
 * It answers each request with the next step — a text reply, tool calls, a
 * function call or an error — records every request, and fails loudly on a
 * request past the end of the script or on steps left unconsumed.
 */
import type { Message, ToolCall } from "../core/types";
import { deepCopy } from "../core/messages";
import type { LLMConfig } from "../oai/config-keys";
import type { ModelClient, ModelClientResponse, ModelUsage } from "../oai/model-client";
import { AG2Error } from "../errors";

/** A tool call in a script: `arguments` may be an object (JSON-encoded for you). */
export interface ScriptedToolCall {
  id?: string;
  name: string;
  arguments?: string | Record<string, unknown>;
}

export interface ScriptedReply {
  content?: string | null;
  tool_calls?: ScriptedToolCall[];
  function_call?: { name: string; arguments?: string | Record<string, unknown> };
  /** Token usage reported for this reply (default: zeros). */
  usage?: { prompt_tokens?: number; completion_tokens?: number };
  /** Model name reported in the response (default: the client's model). */
  model?: string;
  /** Checks the request; throw (or return false) to fail the step. */
  expect?: (request: ScriptedRequest) => boolean | void;
}

export type ScriptStep =
  | string
  | ScriptedReply
  | { error: unknown }
  | ((request: ScriptedRequest) => ScriptStep | Promise<ScriptStep>);

/** What the client received: the create params (a deep copy). */
export interface ScriptedRequest {
  messages: Message[];
  model?: string;
  tools?: unknown[];
  [key: string]: unknown;
}

export interface ScriptedModelClientOptions {
  /** The replies, in order. */
  script?: ScriptStep[];
  /** Model name reported in responses (default "scripted"). */
  model?: string;
  /** Price per 1K tokens `[prompt, completion]` used by `cost` (default free). */
  price?: [number, number];
}

/** A request the script did not expect. */
export class ScriptError extends AG2Error {}

let callCounter = 0;

function encodeArguments(args: string | Record<string, unknown> | undefined): string {
  if (args === undefined) return "{}";
  return typeof args === "string" ? args : JSON.stringify(args);
}

/** Whether two values of plain data are equal, key by key (key order aside). */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  let n = 0;
  for (const k in a as Record<string, unknown>) {
    if (!sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
    n += 1;
  }
  for (const _ in b as Record<string, unknown>) n -= 1;
  return n === 0;
}

/** A recorded copy of a message, with its number of keys. */
interface RecordedCopy {
  copy: Message;
  keys: number;
}

/** Whether `message` still equals its recorded copy (primitives compared directly, objects deeply). */
function stillEqual(message: Message, recorded: RecordedCopy): boolean {
  const copy = recorded.copy;
  let n = 0;
  for (const k in message) {
    const value = message[k];
    if (value !== copy[k] && (value === null || typeof value !== "object" || !sameData(value, copy[k]))) return false;
    n += 1;
  }
  return n === recorded.keys;
}

export class ScriptedModelClient implements ModelClient {
  private readonly recorded: ScriptedRequest[] = [];
  /** The copy recorded for a message object last time, reused while the message still equals it. */
  private readonly copies = new WeakMap<Message, RecordedCopy>();
  /** The previous request's messages and their copies, slot by slot: most slots match and need no map lookup. */
  private lastSources: Message[] = [];
  private lastRecorded: RecordedCopy[] = [];
  private readonly steps: ScriptStep[];
  /** Index of the next step (a cursor: shifting a long script would cost O(length) per call). */
  private nextStep = 0;
  private readonly model: string;
  private readonly price: [number, number] | null;

  /**
   * `new ScriptedModelClient(["hi", ...])`, `new ScriptedModelClient({script, model})`, or
   * through `register_model_client(ScriptedModelClient, {script})` with a config entry
   * `{model_client_cls: "ScriptedModelClient"}`.
   */
  constructor(
    scriptOrConfig: ScriptStep[] | ScriptedModelClientOptions | Record<string, unknown> = {},
    options: ScriptedModelClientOptions = {},
  ) {
    const given: ScriptedModelClientOptions = Array.isArray(scriptOrConfig)
      ? { script: scriptOrConfig }
      : { ...(scriptOrConfig as ScriptedModelClientOptions), ...options };
    const fromConfig = !Array.isArray(scriptOrConfig) ? (scriptOrConfig as Record<string, unknown>) : {};
    this.steps = [...(options.script ?? given.script ?? [])];
    this.model = options.model ?? given.model ?? (typeof fromConfig.model === "string" ? fromConfig.model : "scripted");
    this.price = options.price ?? given.price ?? null;
  }

  /**
   * Every request received, in order: deep copies of the create params as
   * they were at the time of the call (a message edited since is recorded
   * anew; an unchanged one shares its copy with earlier requests).
   */
  get requests(): ScriptedRequest[] {
    return this.recorded;
  }

  /** How many requests were received (the length of `requests`, without copying anything). */
  get request_count(): number {
    return this.recorded.length;
  }

  /** Appends steps to the script. */
  add(...steps: ScriptStep[]): this {
    this.steps.push(...steps);
    return this;
  }

  /** Steps not consumed yet. */
  get remaining(): number {
    return this.steps.length - this.nextStep;
  }

  /** Throws when steps are left: the test expected more model calls than happened. */
  assert_consumed(): void {
    if (this.remaining > 0) {
      throw new ScriptError(
        `${this.remaining} scripted step(s) were never requested (after ${this.recorded.length} request(s)); ` +
          `the agents made fewer model calls than the script expects.`,
      );
    }
  }

  /** An llm_config whose only entry is this client: `new AssistantAgent("a", {llm_config: client.llm_config()})`. */
  llm_config(extra: Record<string, unknown> = {}): LLMConfig {
    return { config_list: [{ model: this.model, model_client: this }], ...extra };
  }

  async create(params: Record<string, unknown>): Promise<ModelClientResponse> {
    const { signal: _signal, ...rest } = params;
    const request = this.record(rest);
    let step: ScriptStep | undefined;
    if (this.nextStep < this.steps.length) {
      step = this.steps[this.nextStep];
      this.steps[this.nextStep++] = undefined as unknown as ScriptStep; // consumed: let it be collected
    }
    if (step === undefined) {
      const messages = rest.messages as Message[] | undefined;
      const last = Array.isArray(messages) ? messages.at(-1) : undefined;
      throw new ScriptError(
        `The script has no step left for request #${this.recorded.length} ` +
          `(last message: ${JSON.stringify(last?.content ?? null)}). Add a step or expect fewer model calls.`,
      );
    }
    while (typeof step === "function") step = await step(request);
    if (typeof step === "object" && step !== null && "error" in step) throw (step as { error: unknown }).error;
    const reply: ScriptedReply = typeof step === "string" ? { content: step } : (step as ScriptedReply);
    if (reply.expect) {
      if (reply.expect(request) === false) {
        throw new ScriptError(`Request #${this.recorded.length} did not meet the step's expectation.`);
      }
    }
    return this.responseFor(reply);
  }

  /** Records a deep copy of `params`. */
  private record(params: Record<string, unknown>): ScriptedRequest {
    const request = {} as ScriptedRequest;
    for (const key of Object.keys(params)) {
      const value = params[key];
      (request as Record<string, unknown>)[key] = key === "messages" && Array.isArray(value) ? this.copyMessages(value as Message[]) : deepCopy(value);
    }
    this.recorded.push(request);
    return request;
  }

  private copyMessages(messages: Message[]): Message[] {
    const out = new Array<Message>(messages.length);
    const sources = new Array<Message>(messages.length);
    const records = new Array<RecordedCopy>(messages.length);
    const { lastSources, lastRecorded } = this;
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i];
      sources[i] = message;
      if (message === null || typeof message !== "object") {
        out[i] = message;
        continue;
      }
      let recorded = lastSources[i] === message ? lastRecorded[i] : this.copies.get(message);
      if (recorded === undefined || !stillEqual(message, recorded)) {
        const copy = deepCopy(message);
        recorded = { copy, keys: Object.keys(copy).length };
        this.copies.set(message, recorded);
      }
      records[i] = recorded;
      out[i] = recorded.copy;
    }
    this.lastSources = sources;
    this.lastRecorded = records;
    return out;
  }

  private responseFor(reply: ScriptedReply): ModelClientResponse {
    const message: Record<string, unknown> = { role: "assistant", content: reply.content ?? null };
    let finish = "stop";
    if (reply.tool_calls) {
      message.tool_calls = reply.tool_calls.map(
        (call): ToolCall => ({
          id: call.id ?? `call_${++callCounter}`,
          type: "function",
          function: { name: call.name, arguments: encodeArguments(call.arguments) },
        }),
      );
      finish = "tool_calls";
    }
    if (reply.function_call) {
      message.function_call = { name: reply.function_call.name, arguments: encodeArguments(reply.function_call.arguments) };
      finish = "function_call";
    }
    const prompt_tokens = reply.usage?.prompt_tokens ?? 0;
    const completion_tokens = reply.usage?.completion_tokens ?? 0;
    return {
      id: `scripted-${this.recorded.length}`,
      object: "chat.completion",
      model: reply.model ?? this.model,
      choices: [{ index: 0, message: message as ModelClientResponse["choices"][0]["message"], finish_reason: finish }],
      usage: { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens },
    };
  }

  message_retrieval(response: ModelClientResponse): Array<string | Message | null> {
    return response.choices.map((choice) => {
      const message = choice.message as Message;
      if (message.tool_calls || message.function_call) return message;
      return (message.content as string | null) ?? null;
    });
  }

  cost(response: ModelClientResponse): number {
    if (!this.price) return 0;
    const usage = response.usage ?? {};
    return ((usage.prompt_tokens ?? 0) * this.price[0] + (usage.completion_tokens ?? 0) * this.price[1]) / 1000;
  }

  get_usage(response: ModelClientResponse): ModelUsage {
    const usage = response.usage ?? {};
    return {
      prompt_tokens: usage.prompt_tokens ?? 0,
      completion_tokens: usage.completion_tokens ?? 0,
      total_tokens: usage.total_tokens ?? 0,
      cost: response.cost ?? this.cost(response),
      model: response.model,
    };
  }
}
