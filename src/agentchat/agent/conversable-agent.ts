/**
 * ConversableAgent: the facade that holds an agent's state and delegates
 * each concern to its own module (spec 10).
 */
import { ValueError } from "../../errors";
import { IOStream } from "../../io/base";
import { OpenAIWrapper } from "../../oai/client";
import type { LLMConfig } from "../../oai/config-keys";
import type { ModelClientClass } from "../../oai/model-client";
import { executeFunction, type FunctionResult } from "../../tools/execute";
import * as toolRegistration from "../../tools/registration";
import type { MappedFunction } from "../../tools/tool-agent";
import { Agent, LLMAgent, type GenerateReplyOptions, type SendOptions } from "../../core/agent";
import {
  agentArg,
  checkAgentOptions,
  resolveConstructorArgs,
  validateCodeExecutionConfig,
  validateLlmConfig,
  type CodeExecutionConfig,
  type ConversableAgentOptions,
} from "./agent-options";
import * as chat from "../chats/chat";
import { cacheSlotOf, ownCacheSlot, previousCacheOf } from "../chats/chat-cache";
import { initiateChatStream, type ChatRun } from "../chats/chat-run";
import type { ChatResult } from "../chats/chat-result";
import type { ChatQueueEntry, InitiateChatOptions, RegisterNestedChatsOptions, ReplyFuncEntry, ReplyFunction, NestedChatQueueEntry } from "./public-types";
import * as chatQueue from "../chats/chat-queue";
import * as codeExecution from "../replies/code-execution";
import * as counters from "./auto-reply-counters";
import { clearHistory, lastMessage } from "./history";
import { generateReply, markBuiltinMethods, receiveMessage, sendMessage } from "./messaging";
import { emptyHookLists, registerHook, type HookFunction, type HookLists } from "./hooks";
import { content_str } from "../../core/messages";
import * as nestedChats from "../chats/nested-chats";
import { ReplyChain, markSignalAware, type RegisterReplyOptions, type ReplyFunctionOf, type Trigger } from "./reply-chain";
import type { ChatAgent } from "./chat-agent";
import { check_termination_and_human_reply, isTerminateMessage } from "../replies/termination-and-human";
import { generate_function_call_reply } from "../replies/function-call";
import { generate_tool_calls_reply } from "../replies/tool-calls";
import { generate_oai_reply, normalizeName } from "../replies/oai-reply";
import { abortable, currentSignal } from "../../core/run-context";
import type { Awaitable, ContentPart, HumanInputMode, Message, ReplyValue } from "../../core/types";
import { logNewAgent } from "../../logging/agent-events";

export type { ConversableAgentOptions, CodeExecutionConfig };

/** Arguments of the instance forms of the built-in replies (`agent.generate_oai_reply({...})`). */
type DirectReplyOptions = { messages?: Message[] | null; sender?: Agent | null; config?: unknown };
// The built-in replies stop by themselves on abort (model calls, tools and
// human input listen to the chat's signal), so the chain waits for them.
for (const reply of [generate_oai_reply, generate_tool_calls_reply, generate_function_call_reply, check_termination_and_human_reply]) {
  markSignalAware(reply);
}

const NO_OPTIONS: Readonly<Record<string, never>> = Object.freeze({});

export class ConversableAgent extends LLMAgent implements ChatAgent {
  static DEFAULT_CONFIG = false as const;
  static MAX_CONSECUTIVE_AUTO_REPLY = 100;
  static DEFAULT_SUMMARY_PROMPT = "Summarize the key takeaways of the conversation. Do not begin with an introductory phrase.";
  static DEFAULT_SUMMARY_METHOD = "last_msg" as const;

  // Built-in reply functions; each `a_` name is the same function (spec 10 §7.3).
  static check_termination_and_human_reply: ReplyFunction = check_termination_and_human_reply;
  static a_check_termination_and_human_reply: ReplyFunction = check_termination_and_human_reply;
  static generate_function_call_reply: ReplyFunction = generate_function_call_reply;
  static a_generate_function_call_reply: ReplyFunction = generate_function_call_reply;
  static generate_tool_calls_reply: ReplyFunction = generate_tool_calls_reply;
  static a_generate_tool_calls_reply: ReplyFunction = generate_tool_calls_reply;
  static generate_oai_reply: ReplyFunction = generate_oai_reply;
  static a_generate_oai_reply: ReplyFunction = generate_oai_reply;
  static generate_code_execution_reply: ReplyFunction = codeExecution.generate_code_execution_reply;
  static _generate_code_execution_reply_using_executor: ReplyFunction =
    codeExecution._generate_code_execution_reply_using_executor;

  private readonly _name: string;
  private _description: string;
  _oai_system_message: Message[];
  _oai_messages: Map<Agent, Message[]>;
  _is_termination_msg: (message: Message) => Awaitable<boolean>;
  llm_config: LLMConfig | false;
  client: OpenAIWrapper | null;
  human_input_mode: HumanInputMode;
  silent: boolean | null;
  _max_consecutive_auto_reply: number;
  readonly _consecutive_auto_reply_counter = new Map<Agent | null, number>();
  readonly _max_consecutive_auto_reply_dict = new Map<Agent | null, number>();
  _human_input: string[] = [];
  _function_map: Record<string, MappedFunction>;
  _code_execution_config: CodeExecutionConfig | false;
  _default_auto_reply: string | Message;
  readonly reply_at_receive = new Map<Agent, boolean>();
  readonly hook_lists: HookLists;
  /** Results of the last initiate_chats (a list) or a_initiate_chats (keyed by chat id). */
  _finished_chats: ChatResult[] | Record<number, ChatResult> = [];
  /** The reply-function chain (internal; `_reply_func_list` is its public view). */
  readonly replyChain: ReplyChain<this> = new ReplyChain<this>();
  /** Set by the code-execution module when an executor is configured. */
  _code_executor: unknown = null;

  constructor(name: string, options?: ConversableAgentOptions);
  constructor(options: ConversableAgentOptions & { name: string });
  constructor(nameOrOptions: string | (ConversableAgentOptions & { name: string }), maybeOptions?: ConversableAgentOptions) {
    super();
    // client_cache lives in slots: this agent's own, and one per chat it takes part in (chat-cache.ts).
    ownCacheSlot(this);
    const options = resolveConstructorArgs(new.target.name, nameOrOptions, maybeOptions);
    checkAgentOptions(new.target.name, options);
    this._name = options.name;
    this._oai_messages = options.chat_messages ?? new Map();
    this._oai_system_message = [{ content: options.system_message ?? "You are a helpful AI assistant.", role: "system" }];
    this._description = options.description ?? (typeof this.system_message === "string" ? this.system_message : content_str(this.system_message));
    this._is_termination_msg = options.is_termination_msg ?? isTerminateMessage;
    this.llm_config = validateLlmConfig(options.llm_config, options.name);
    this.client = this.llm_config === false ? null : new OpenAIWrapper(this.llm_config);
    this._max_consecutive_auto_reply = options.max_consecutive_auto_reply ?? ConversableAgent.MAX_CONSECUTIVE_AUTO_REPLY;
    this.human_input_mode = options.human_input_mode ?? "TERMINATE";
    this.silent = options.silent ?? null;
    this._function_map = {};
    this.register_function(options.function_map ?? {});
    this._default_auto_reply = options.default_auto_reply ?? "";
    this._code_execution_config = validateCodeExecutionConfig(options.code_execution_config);

    this.register_reply([Agent, null], generate_oai_reply);
    if (this._code_execution_config !== false) {
      this.register_reply([Agent, null], markSignalAware(codeExecution.initCodeExecution(this, this._code_execution_config)));
    }
    this.register_reply([Agent, null], generate_tool_calls_reply);
    this.register_reply([Agent, null], generate_function_call_reply);
    this.register_reply([Agent, null], check_termination_and_human_reply);
    this.hook_lists = emptyHookLists();

    if (options.functions) for (const fn of [options.functions].flat()) toolRegistration.addFunction(this, fn as (args: never) => unknown);
    if (options.update_agent_state_before_reply) {
      for (const hook of [options.update_agent_state_before_reply].flat()) this.register_hook("update_agent_state", hook as HookFunction);
    }
    logNewAgent(this, options);
  }

  // ---- state ---------------------------------------------------------------

  get name(): string {
    return this._name;
  }

  /** The cache this agent's model calls use: inside a chat, that chat's; see chat-cache.ts for the rules. */
  get client_cache(): unknown {
    return cacheSlotOf(this).cache;
  }
  set client_cache(value: unknown) {
    cacheSlotOf(this).cache = value;
  }

  /** AG2's saved cache, read-only: `client_cache` when the chat shown now started; null outside chats (chat-cache.ts). */
  get previous_cache(): unknown {
    return previousCacheOf(this);
  }
  get description(): string {
    return this._description;
  }
  set description(value: string) {
    this._description = value;
  }
  get system_message(): string | ContentPart[] {
    return this._oai_system_message[0].content as string | ContentPart[];
  }
  update_system_message(system_message: string | ContentPart[]): void {
    this._oai_system_message[0].content = system_message;
  }
  get chat_messages(): Map<Agent, Message[]> {
    return this._oai_messages;
  }
  /** The conversation with `agent`, created empty when missing (AG2's defaultdict). */
  chat_messages_get(agent: Agent): Message[] {
    let list = this._oai_messages.get(agent);
    if (!list) this._oai_messages.set(agent, (list = []));
    return list;
  }
  chat_messages_for_summary(agent: Agent | { agent: Agent }): Message[] {
    return this._oai_messages.get(agentArg(agent, "agent") as Agent) ?? [];
  }
  get function_map(): Record<string, (args: unknown) => unknown> {
    return this._function_map;
  }
  get code_executor(): unknown {
    return this._code_executor;
  }
  get use_docker(): unknown {
    return this._code_execution_config === false ? null : (this._code_execution_config.use_docker ?? null);
  }
  get _reply_func_list(): ReplyFuncEntry[] {
    return this.replyChain.entries;
  }
  is_termination_msg(message: Message): Awaitable<boolean> {
    return this._is_termination_msg(message);
  }

  // ---- reply chain ---------------------------------------------------------

  /** `reply_func` receives this agent (typed as this agent's class). */
  register_reply(trigger: Trigger, reply_func: ReplyFunctionOf<this>, options: RegisterReplyOptions = {}): void {
    this.replyChain.register(trigger, reply_func, options);
  }
  replace_reply_func(old_reply_func: ReplyFunction, new_reply_func: ReplyFunction): void {
    this.replyChain.replace(old_reply_func, new_reply_func);
  }
  register_hook(hookable_method: string, hook: HookFunction): void {
    registerHook(this.hook_lists, hookable_method, hook);
  }

  // ---- messaging (spec 10 §6; see messaging.ts) -----------------------------

  send(message: Message | string, recipient: Agent, options?: SendOptions): Promise<void> {
    return sendMessage(this, message, recipient, options ?? NO_OPTIONS);
  }
  receive(message: Message | string, sender: Agent, options?: SendOptions): Promise<void> {
    return receiveMessage(this, message, sender, options ?? NO_OPTIONS);
  }
  generate_reply(options?: GenerateReplyOptions): Promise<ReplyValue> {
    return generateReply(this, this.replyChain, options ?? NO_OPTIONS);
  }

  // ---- human input and counters -----------------------------------------

  async get_human_input(prompt: string): Promise<string> {
    // An abort ends the wait for a person at once.
    const reply = await abortable(IOStream.get_default().input(prompt), currentSignal());
    this._human_input.push(reply);
    return reply;
  }
  async a_get_human_input(prompt: string): Promise<string> {
    return this.get_human_input(prompt);
  }
  update_max_consecutive_auto_reply(value: number, options: { sender?: Agent | null } | Agent = {}): void {
    counters.updateMaxConsecutiveAutoReply(this, value, agentArg(options, "sender"));
  }
  max_consecutive_auto_reply(options: { sender?: Agent | null } | Agent = {}): number {
    return counters.maxConsecutiveAutoReply(this, agentArg(options, "sender"));
  }
  reset_consecutive_auto_reply_counter(options: { sender?: Agent | null } | Agent = {}): void {
    counters.resetConsecutiveAutoReplyCounter(this, agentArg(options, "sender"));
  }
  stop_reply_at_receive(options: { sender?: Agent | null } | Agent = {}): void {
    counters.stopReplyAtReceive(this, agentArg(options, "sender"));
  }
  clear_history(options: { recipient?: Agent | null; nr_messages_to_preserve?: number | null } | Agent = {}): void {
    const recipient = agentArg(options, "recipient");
    const n = options instanceof Agent ? null : (options.nr_messages_to_preserve ?? null);
    clearHistory(this, recipient, n);
  }
  last_message(options: { agent?: Agent | null } | Agent = {}): Message | null {
    return lastMessage(this, agentArg(options, "agent"));
  }
  reset(): void {
    this.clear_history();
    this.reset_consecutive_auto_reply_counter();
    this.stop_reply_at_receive();
    this.client?.clear_usage_summary();
    this.replyChain.resetConfigs();
  }

  // ---- chats (spec 20) -----------------------------------------------------

  initiate_chat(recipient: ConversableAgent, options: InitiateChatOptions = {}): Promise<ChatResult> {
    return chat.initiateChat(this, recipient, options);
  }
  a_initiate_chat(recipient: ConversableAgent, options: InitiateChatOptions = {}): Promise<ChatResult> {
    return this.initiate_chat(recipient, options);
  }
  /**
   * initiate_chat started in the background (ag2ts): iterate the returned
   * run for the chat's events as they happen, await `run.result` for the
   * ChatResult, call `run.abort()` to stop it.
   */
  initiate_chat_stream(recipient: ConversableAgent, options: InitiateChatOptions = {}): ChatRun<ChatResult> {
    return initiateChatStream(this, recipient, options);
  }
  generate_init_message(message: string | Message | null, options: { carryover?: unknown; [k: string]: unknown } = {}) {
    return chat.generateInitMessage(this, message, options);
  }
  _prepare_chat(recipient: ConversableAgent, clear_history: boolean, prepare_recipient = true, reply_at_receive = true): void {
    chat.prepareChat(this, recipient, clear_history, prepare_recipient, reply_at_receive);
  }
  _summarize_chat(summary_method: InitiateChatOptions["summary_method"], summary_args: Record<string, unknown>, recipient: ConversableAgent, options: { cache?: unknown } = {}) {
    return chat.summarizeChat(this, summary_method, summary_args, recipient, options.cache ?? null);
  }
  initiate_chats(chat_queue: ChatQueueEntry[], options: chatQueue.ChatQueueOptions = {}): Promise<ChatResult[]> {
    return chatQueue.initiateChatsFrom(this, chat_queue, options);
  }
  a_initiate_chats(chat_queue: ChatQueueEntry[], options: chatQueue.ChatQueueOptions = {}): Promise<Record<number, ChatResult>> {
    return chatQueue.aInitiateChatsFrom(this, chat_queue, options);
  }
  get_chat_results(options: { chat_index: number }): ChatResult;
  get_chat_results(options?: { chat_index?: null }): ChatResult[] | Record<number, ChatResult>;
  get_chat_results(options?: { chat_index?: number | null }): ChatResult[] | Record<number, ChatResult> | ChatResult;
  get_chat_results(options: { chat_index?: number | null } = {}): ChatResult[] | Record<number, ChatResult> | ChatResult {
    return options.chat_index == null ? this._finished_chats : this._finished_chats[options.chat_index];
  }
  register_nested_chats(chat_queue: NestedChatQueueEntry[], trigger: Trigger, options: RegisterNestedChatsOptions = {}): void {
    nestedChats.registerNestedChats(this, chat_queue, trigger, options);
  }

  // ---- models and usage (spec 40) -----------------------------------------

  register_model_client(model_client_cls: ModelClientClass, options: Record<string, unknown> = {}): void {
    if (!this.client) throw new ValueError(`Agent '${this.name}' has no llm_config, so it has no model client to register.`);
    this.client.register_model_client(model_client_cls, options);
  }
  print_usage_summary(options: { mode?: "actual" | "total" | Array<"actual" | "total"> } = {}): void {
    const out = IOStream.get_default();
    if (!this.client) {
      out.print(`No cost incurred from agent '${this.name}'.`);
      return;
    }
    out.print(`Agent '${this.name}':`);
    this.client.print_usage_summary(options);
  }
  get_actual_usage() {
    return this.client ? this.client.actual_usage_summary : null;
  }
  get_total_usage() {
    return this.client ? this.client.total_usage_summary : null;
  }

  // ---- instance forms of the built-in replies -----------------------------

  private direct(fn: ReplyFunction, o: DirectReplyOptions): Promise<[boolean, ReplyValue]> {
    return Promise.resolve(fn(this, o.messages ?? null, o.sender ?? null, o.config ?? null));
  }
  generate_oai_reply(o: DirectReplyOptions = {}) { return this.direct(generate_oai_reply, o); }
  a_generate_oai_reply(o: DirectReplyOptions = {}) { return this.generate_oai_reply(o); }
  check_termination_and_human_reply(o: DirectReplyOptions = {}) { return this.direct(check_termination_and_human_reply, o); }
  a_check_termination_and_human_reply(o: DirectReplyOptions = {}) { return this.check_termination_and_human_reply(o); }
  generate_tool_calls_reply(o: DirectReplyOptions = {}) { return this.direct(generate_tool_calls_reply, o); }
  a_generate_tool_calls_reply(o: DirectReplyOptions = {}) { return this.generate_tool_calls_reply(o); }
  generate_function_call_reply(o: DirectReplyOptions = {}) { return this.direct(generate_function_call_reply, o); }
  a_generate_function_call_reply(o: DirectReplyOptions = {}) { return this.generate_function_call_reply(o); }
  generate_code_execution_reply(o: DirectReplyOptions = {}) { return this.direct(codeExecution.generate_code_execution_reply, o); }

  // ---- tools and functions (spec 40 §1-2) --------------------------------

  execute_function(func_call: { name?: string; arguments?: string }, options: { verbose?: boolean; call_id?: string | null } = {}): Promise<[boolean, FunctionResult]> {
    return executeFunction(this, func_call, options);
  }
  a_execute_function(func_call: { name?: string; arguments?: string }, options: { verbose?: boolean; call_id?: string | null } = {}): Promise<[boolean, FunctionResult]> {
    return this.execute_function(func_call, options);
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  register_function(function_map: Record<string, ((args: any) => unknown) | null>, options: { silent_override?: boolean } = {}): void {
    toolRegistration.registerFunctionMap(this, function_map, options);
  }
  can_execute_function(name: string | string[]): boolean {
    return [name].flat().every((n) => typeof this._function_map[n] === "function");
  }
  register_for_llm(options: toolRegistration.RegisterForLlmOptions = {}) {
    return toolRegistration.registerForLlm(this, options);
  }
  register_for_execution(options: toolRegistration.RegisterForExecutionOptions = {}) {
    return toolRegistration.registerForExecution(this, options);
  }
  update_tool_signature(tool_sig: string | Record<string, unknown>, is_remove: boolean, options: { silent_override?: boolean } = {}): void {
    toolRegistration.updateToolSignature(this, tool_sig, is_remove, options);
  }
  update_function_signature(func_sig: string | Record<string, unknown>, is_remove: boolean, options: { silent_override?: boolean } = {}): void {
    toolRegistration.updateFunctionSignature(this, func_sig, is_remove, options);
  }

  // ---- code execution (spec 50) -------------------------------------------

  run_code(code: string, options: Record<string, unknown> = {}) {
    return codeExecution.runCode(this, code, options);
  }
  execute_code_blocks(code_blocks: Array<[string, string]>) {
    return codeExecution.executeCodeBlocks(this, code_blocks);
  }

  // ---- name helpers (spec 10 §5.3) ----------------------------------------

  static _assert_valid_name(name: string): string {
    if (!/^[a-zA-Z0-9_-]+$/.test(name)) {
      throw new ValueError(`Invalid name: ${name}. Only letters, numbers, '_' and '-' are allowed.`);
    }
    if (name.length > 64) throw new ValueError(`Invalid name: ${name}. Name must be less than 64 characters.`);
    return name;
  }
  static _normalize_name(name: string): string {
    return normalizeName(name);
  }
}

const own = ConversableAgent.prototype;
markBuiltinMethods(own.send, own.receive, own.generate_reply, own.generate_init_message, own._summarize_chat, own.execute_function);
