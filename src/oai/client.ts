/**
 * OpenAIWrapper: one llm_config, several endpoint configs tried in order,
 * usage tracked across them (spec 40 §5).
 */
import type { Message } from "../core/types";
import { AG2Error, RuntimeError, ValueError, throwIfAborted } from "../errors";
import { isThenable } from "../thenable";
import { deepCopy } from "../core/messages";
import { currentRunContext, within } from "../core/run-context";
import { warn } from "../warnings";
import { loadBuiltinClient } from "./client-factory";
import "./builtin-clients";
import { CLIENT_OPTION_KEYS, splitCreateConfig, type LLMConfig, type LLMConfigEntry } from "./config-keys";
import { instantiate } from "./instantiate";
import {
  openaiMessageRetrieval,
  usageOf,
  type ModelClient,
  type ModelClientClass,
  type ModelClientResponse,
} from "./model-client";
import { addUsage, printUsageSummary, type UsageMode, type UsageSummary } from "./usage";
import { createHooks, type CreateHooks } from "./create-hooks";
import { AllConfigsFailedError, errorCode, isApiError, isTimeoutError, timeoutError, type EntryFailure } from "./fallback";
import { costWithPrice, entryPrice } from "./pricing";
import { openCache } from "./response-cache";
import { buildSlot, placeholderNames, type Slot } from "./slots";
import { emitUsage, retrievalOf, withCost } from "./answer-records";
import { checkStructured, responseFormatSpec, type ResponseFormatSpec } from "./structured-output";
import { structuredRetrievalOf } from "./structured-retrieval";
import { log_new_client, log_new_wrapper, logging_enabled } from "../logging/runtime";

export interface CreateOptions {
  messages?: Message[];
  prompt?: string;
  context?: Record<string, unknown> | null;
  cache?: unknown;
  cache_seed?: number | string | null;
  agent?: unknown;
  filter_func?: ((args: { context: unknown; response: ModelClientResponse }) => boolean | Promise<boolean>) | null;
  allow_format_str_template?: boolean;
  signal?: AbortSignal;
  [key: string]: unknown;
}

export interface ChatCompletionResponse extends ModelClientResponse {
  config_id?: number;
  pass_filter?: boolean;
}

/** One entry's request: create params, wrapper extras, the normalised response_format. */
interface Request {
  params: Record<string, unknown>;
  extras: Record<string, unknown>;
  format: ResponseFormatSpec | null;
}

const SINGLE_ORDER: readonly number[] = Object.freeze([0]);

export class OpenAIWrapper {
  total_usage_summary: UsageSummary | null = null;
  actual_usage_summary: UsageSummary | null = null;
  private readonly slots: Slot[];
  private readonly routing_method: "fixed_order" | "round_robin";
  private roundRobinStart = 0;
  private readonly hooks: CreateHooks = createHooks;

  constructor(options: LLMConfig = {}) {
    const { config_list, routing_method, ...base } = options;
    if (routing_method !== undefined && routing_method !== "fixed_order" && routing_method !== "round_robin") {
      throw new ValueError(`routing_method must be "fixed_order" or "round_robin", got ${JSON.stringify(routing_method)}.`);
    }
    this.routing_method = routing_method ?? "fixed_order";
    const baseClientOptions: Record<string, unknown> = {};
    const baseRest: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(base)) (CLIENT_OPTION_KEYS.has(k) ? baseClientOptions : baseRest)[k] = v;
    if (Array.isArray(config_list) && config_list.length === 0) {
      throw new ValueError(
        "config_list is empty: give at least one entry such as { model: \"gpt-4o-mini\", api_key: ... }, " +
          "or leave config_list out and put model and api_key in llm_config itself.",
      );
    }
    if (config_list !== undefined && config_list !== null && !Array.isArray(config_list)) {
      throw new ValueError("config_list must be an array of config entries (objects).");
    }
    const entries: LLMConfigEntry[] = config_list ?? [{}];
    this.slots = entries.map((entry, i) => {
      if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
        throw new ValueError(`config_list[${i}] must be an object with at least "model", got ${entry === null ? "null" : Array.isArray(entry) ? "an array" : typeof entry}.`);
      }
      try {
        return buildSlot(baseClientOptions, baseRest, entry);
      } catch (err) {
        if (err instanceof AG2Error && config_list) {
          throw new (err.constructor as typeof ValueError)(`config_list[${i}]${entry.model ? ` (model ${entry.model})` : ""}: ${err.message}`, { cause: err.cause });
        }
        throw err;
      }
    });
    if (logging_enabled()) {
      log_new_wrapper(this, options as Record<string, unknown>);
      for (const slot of this.slots) if (slot.client) log_new_client(slot.client, this, slot.clientConfig);
    }
  }

  /** Activates the first placeholder entry for `model_client_cls` (spec 40 §5.9). */
  register_model_client(model_client_cls: ModelClientClass, options: Record<string, unknown> = {}): void {
    const name = model_client_cls.name;
    const slot = this.slots.find((s) => s.placeholder === name);
    if (slot) {
      slot.client = new model_client_cls(slot.clientConfig, options);
      slot.placeholder = null;
      if (logging_enabled()) log_new_client(slot.client, this, slot.clientConfig);
      return;
    }
    if (this.slots.some((s) => s.client instanceof model_client_cls)) {
      warn(`Model client ${name} is already registered. Add more entries in the config_list to use multiple model clients.`);
      return;
    }
    throw new ValueError(
      `Model client "${name}" is being registered but was not found in the config_list. ` +
        `Please make sure to include an entry in the config_list with "model_client_cls": "${name}"`,
    );
  }

  /** The config entries as the wrapper holds them (copies). */
  get config_list(): Record<string, unknown>[] {
    return this.slots.map((s) => ({ ...s.config }));
  }

  /** The provider clients built so far (null for those not built yet). */
  get _clients(): Array<ModelClient | null> {
    return this.slots.map((s) => s.client);
  }

  static instantiate = instantiate;

  private async clientOf(slot: Slot): Promise<ModelClient> {
    if (!slot.client) {
      slot.client = await loadBuiltinClient(slot.clientConfig);
      if (logging_enabled()) log_new_client(slot.client, this, slot.clientConfig);
    }
    return slot.client;
  }

  private attemptOrder(): readonly number[] {
    const n = this.slots.length;
    if (n === 1) return SINGLE_ORDER;
    const start = this.routing_method === "round_robin" ? this.roundRobinStart : 0;
    if (this.routing_method === "round_robin") this.roundRobinStart = (this.roundRobinStart + 1) % n;
    return Array.from({ length: n }, (_, i) => (start + i) % n);
  }

  /** Calls the model, trying each config entry in turn (spec 40 §5.2). */
  async create(config: CreateOptions): Promise<ChatCompletionResponse> {
    return this.createNow(config);
  }

  /**
   * `create`, answering without a promise when nothing in it waits: one
   * config entry whose client is built, no cache, no logger, no rate limit,
   * no filter, and a client whose `create` answers synchronously (as AG2's
   * custom clients do). The library's own callers use it; errors are thrown
   * as they would reject.
   */
  createNow(config: CreateOptions): ChatCompletionResponse | Promise<ChatCompletionResponse> {
    const pending = placeholderNames(this.slots);
    if (pending.length > 0) {
      throw new RuntimeError(
        `Model client(s) [${pending.map((n) => `'${n}'`).join(", ")}] are not activated. Please register the custom model clients using \`register_model_client\` or filter them out form the config list.`,
      );
    }
    const slot = this.slots[0];
    if (this.slots.length !== 1 || !slot.client || slot.limiter || logging_enabled()) return this.createInTurn(config);
    const request = this.requestOf(config, slot, 0);
    const { params, extras } = request;
    const cached = (extras.cache !== undefined && extras.cache !== null) || (extras.cache_seed !== undefined && extras.cache_seed !== null);
    if (cached || extras.filter_func || request.format) return this.createInTurn(config, request);
    const signal = (config.signal ?? extras.signal) as AbortSignal | undefined;
    throwIfAborted(signal);
    const client = slot.client;
    let answer: unknown;
    try {
      answer = client.create(signal ? Object.assign({}, params, { signal }) : params);
    } catch (err) {
      return this.failedOnly(err, params, signal);
    }
    if (isThenable(answer)) {
      return Promise.resolve(answer).then(
        (response) => this.delivered(client, this.booked(client, response as ChatCompletionResponse, slot, extras), slot, 0, true),
        (err: unknown) => this.failedOnly(err, params, signal),
      );
    }
    return this.delivered(client, this.booked(client, answer as ChatCompletionResponse, slot, extras), slot, 0, true);
  }

  /** The failure of the only entry's call: being the last entry, it always throws. */
  private failedOnly(err: unknown, params: Record<string, unknown>, signal: AbortSignal | undefined): never {
    this.failed(err, params, signal, 0, true, []);
    throw err;
  }

  /**
   * Records the failed call of entry `index` and throws what create rejects
   * with, unless the next entry may be tried (then it returns).
   */
  private failed(err: unknown, params: Record<string, unknown>, signal: AbortSignal | undefined, index: number, isLast: boolean, failures: EntryFailure[]): void {
    throwIfAborted(signal);
    const failure: EntryFailure = { config_id: index, model: (params.model as string) ?? null, error: err };
    if (isTimeoutError(err)) {
      failures.push(failure);
      if (isLast) throw timeoutError(failures, failure);
      return;
    }
    if (!isApiError(err)) throw err;
    failures.push(failure);
    this.hooks.onError(this, { params, index, error: err, code: errorCode(err) });
    if (errorCode(err) === "content_filter") throw err;
    if (isLast) throw failures.length > 1 ? new AllConfigsFailedError(failures, this.secrets()) : err;
  }

  /**
   * The request for one config entry: the create params and the wrapper's
   * extras, checked, with templates applied; a `response_format` is sent in
   * OpenAI's plain-JSON form (so it is also the cache key's) and its
   * normalised form is returned as `format`.
   */
  private requestOf(config: CreateOptions, slot: Slot, index: number): Request {
    const { params, extras } = splitCreateConfig(config, slot.config);
    const request: Request = { params, extras, format: null };
    if (params.response_format !== undefined && params.response_format !== null) {
      request.format = responseFormatSpec(params.response_format);
      params.response_format = request.format.wire;
    }
    if (("prompt" in params) === ("messages" in params)) {
      throw new ValueError("Either prompt or messages should be in create config but not both.");
    }
    if (!slot.custom && (typeof params.model !== "string" || params.model === "")) {
      throw new ValueError(`config_list[${index}] has no "model": add "model" (e.g. "gpt-4o-mini") to that entry or to llm_config.`);
    }
    const context = (extras.context as Record<string, unknown> | null | undefined) ?? null;
    this.applyTemplates(params, context, extras.allow_format_str_template === true);
    return request;
  }

  /** Books a fresh answer: its cost, the usage summaries, the usage event. */
  private booked(client: ModelClient, response: ChatCompletionResponse, slot: Slot, extras: Record<string, unknown>): ChatCompletionResponse {
    response.cost = this.costOf(client, response, slot.config);
    const usage = withCost(usageOf(client, response), response.cost);
    this.actual_usage_summary = addUsage(this.actual_usage_summary, usage);
    this.total_usage_summary = addUsage(this.total_usage_summary, usage);
    emitUsage(extras.agent, usage, response.cost ?? 0, false);
    return response;
  }

  /** Marks the response as the answer of entry `index`. */
  private delivered(client: ModelClient, response: ChatCompletionResponse, slot: Slot, index: number, pass: boolean, format: ResponseFormatSpec | null = null): ChatCompletionResponse {
    Object.defineProperty(response, "message_retrieval_function", format ? structuredRetrievalOf(client, format) : retrievalOf(slot, client));
    response.config_id = index;
    response.pass_filter = pass;
    return response;
  }

  /** The general path: every entry in turn, with caches, logging, rate limits and filters. */
  private async createInTurn(config: CreateOptions, first?: Request): Promise<ChatCompletionResponse> {
    const order = this.attemptOrder();
    const failures: EntryFailure[] = [];
    // The model client and the filter run in the caller's run context, also after this method's awaits.
    const runContext = currentRunContext();
    for (let position = 0; position < order.length; position++) {
      const index = order[position];
      const isLast = position === order.length - 1;
      const slot = this.slots[index];
      // The request for the first entry may have been built already (createNow).
      const { params, extras, format } = position === 0 && first ? first : this.requestOf(config, slot, index);
      const context = (extras.context as Record<string, unknown> | null | undefined) ?? null;
      const signal = (config.signal ?? extras.signal) as AbortSignal | undefined;
      throwIfAborted(signal);
      const client = slot.client ?? (await this.clientOf(slot));
      const { cache, owned } = openCache(extras);
      // The cache and logging hooks are awaited only when there is a cache or a logger.
      const hooked = cache !== null || logging_enabled();
      const attemptExtras = hooked ? Object.assign({}, extras, { cache }) : extras;
      let response: ChatCompletionResponse;
      try {
        const cached = hooked ? await this.hooks.lookup(this, { params, extras: attemptExtras, slot: slot.config, index }) : null;
        if (cached) {
          response = cached.response;
          if (response.cost === undefined || response.cost === null) {
            response.cost = this.costOf(client, response, slot.config);
            await this.hooks.store(this, { params, extras: attemptExtras, index, response });
          }
          const usage = usageOf(client, response);
          this.total_usage_summary = addUsage(this.total_usage_summary, usage);
          emitUsage(extras.agent, usage, response.cost ?? 0, true);
          if (format) await checkStructured(format, response);
        } else {
          try {
            if (slot.limiter) await slot.limiter.wait();
            const answer = within(runContext, () => client.create(signal ? Object.assign({}, params, { signal }) : params));
            response = (isThenable(answer) ? await answer : answer) as ChatCompletionResponse;
          } catch (err) {
            this.failed(err, params, signal, index, isLast, failures);
            continue;
          }
          this.booked(client, response, slot, extras);
          // A reply that does not match the schema is an error, and is not cached.
          if (format) await checkStructured(format, response);
          if (hooked) await this.hooks.store(this, { params, extras: attemptExtras, index, response });
        }
      } finally {
        if (owned && cache) await cache.close();
      }
      Object.defineProperty(response, "message_retrieval_function", format ? structuredRetrievalOf(client, format) : retrievalOf(slot, client));
      const filter = extras.filter_func as CreateOptions["filter_func"];
      const pass = !filter || (await within(runContext, () => filter({ context, response })));
      if (pass || isLast) return this.delivered(client, response, slot, index, pass, format);
    }
    throw new RuntimeError("No config entry could answer the request.");
  }

  private applyTemplates(params: Record<string, unknown>, context: Record<string, unknown> | null, allow: boolean): void {
    if (!context) return;
    if (params.prompt) params.prompt = instantiate(params.prompt, context, allow);
    if (Array.isArray(params.messages)) {
      // A new list with new objects where content is filled in: the messages given are the agent's history.
      params.messages = (params.messages as Message[]).map((m) =>
        m.content ? { ...m, content: instantiate(m.content, context, allow) as Message["content"] } : m,
      );
    }
  }

  /** API keys of every entry, kept out of error messages. */
  private secrets(): string[] {
    return this.slots.map((s) => s.clientConfig.api_key).filter((k): k is string => typeof k === "string");
  }

  private costOf(client: ModelClient, response: ModelClientResponse, config: Record<string, unknown>): number {
    const price = entryPrice(config.price);
    if (price !== null) {
      const usage = response.usage ?? {};
      return costWithPrice(price, usage.prompt_tokens ?? 0, usage.completion_tokens ?? 0);
    }
    return client.cost(response);
  }

  /** The replies of a response: text, or the message object for tool/function calls. */
  extract_text_or_completion_object(response: ModelClientResponse): Array<string | Message | null> {
    const retrieve = (response as { message_retrieval_function?: (r: ModelClientResponse) => Array<string | Message | null> })
      .message_retrieval_function;
    return retrieve ? retrieve(response) : openaiMessageRetrieval(response);
  }

  print_usage_summary(options: { mode?: UsageMode | UsageMode[] } = {}): void {
    printUsageSummary(this.actual_usage_summary, this.total_usage_summary, options.mode);
  }

  clear_usage_summary(): void {
    this.total_usage_summary = null;
    this.actual_usage_summary = null;
  }

  /** Keeps usage and custom clients across a rebuild (spec 40 §1.5). */
  _carryOverFrom(previous: OpenAIWrapper): void {
    this.total_usage_summary = deepCopy(previous.total_usage_summary);
    this.actual_usage_summary = deepCopy(previous.actual_usage_summary);
    for (const [i, slot] of this.slots.entries()) {
      const old = previous.slots[i];
      if (slot.placeholder !== null && old && old.placeholder === null && old.client) {
        slot.client = old.client;
        slot.placeholder = null;
      }
    }
  }
}
