/**
 * What the library's chat machinery (messaging, the built-in replies, the
 * chat runners, nested chats) uses of an agent. ConversableAgent implements
 * it; those modules import this shape rather than the class, which imports
 * them, so the facade and the modules it delegates to are not tied in a
 * circle (ARCHITECTURE.md).
 *
 * Members that take or hold another agent or a user's callable use `this`:
 * the chat runners are generic in the agent type, so a ConversableAgent's
 * callables receive ConversableAgents.
 */
import type { Agent } from "../../core/agent";
import type { Awaitable, HumanInputMode, Message } from "../../core/types";
import type { FunctionResult } from "../../tools/execute";
import type { ToolAgent } from "../../tools/tool-agent";
import type { ChatResult, InitiateChatOptionsOf, SummaryMethodOf } from "../chats/chat-result";
import type { CodeExecutionConfig } from "./agent-options";
import type { HookLists } from "./hooks";
import type { RegisterReplyOptions, ReplyChain, ReplyFunctionOf, Trigger } from "./reply-chain";

type SenderOption = { sender?: Agent | null } | Agent;

export interface ChatAgent extends ToolAgent {
  // ---- state the machinery reads and updates --------------------------------
  _oai_system_message: Message[];
  /** The form a message is stored in, when the agent has its own (MultimodalConversableAgent). */
  _message_to_dict?(message: Message | string): Message | string;
  _is_termination_msg: (message: Message) => Awaitable<boolean>;
  human_input_mode: HumanInputMode;
  _max_consecutive_auto_reply: number;
  readonly _consecutive_auto_reply_counter: Map<Agent | null, number>;
  readonly _max_consecutive_auto_reply_dict: Map<Agent | null, number>;
  _human_input: string[];
  _code_execution_config: CodeExecutionConfig | false;
  _code_executor: unknown;
  _default_auto_reply: string | Message;
  readonly reply_at_receive: Map<Agent, boolean>;
  readonly hook_lists: HookLists;
  readonly replyChain: ReplyChain<this>;
  _finished_chats: ChatResult[] | Record<number, ChatResult>;
  client_cache: unknown;

  // ---- history ----------------------------------------------------------------
  readonly chat_messages: Map<Agent, Message[]>;
  chat_messages_get(agent: Agent): Message[];
  chat_messages_for_summary(agent: Agent | { agent: Agent }): Message[];
  last_message(options?: { agent?: Agent | null } | Agent): Message | null;
  clear_history(options?: { recipient?: Agent | null; nr_messages_to_preserve?: number | null } | Agent): void;

  // ---- replies, human input, counters -------------------------------------
  register_reply(trigger: Trigger, reply_func: ReplyFunctionOf<this>, options?: RegisterReplyOptions): void;
  a_get_human_input(prompt: string): Promise<string>;
  max_consecutive_auto_reply(options?: SenderOption): number;
  reset_consecutive_auto_reply_counter(options?: SenderOption): void;
  execute_function(func_call: { name?: string; arguments?: string }, options?: { verbose?: boolean; call_id?: string | null }): Promise<[boolean, FunctionResult]>;
  run_code(code: string, options?: Record<string, unknown>): Promise<[number, string, string | null]>;
  execute_code_blocks(code_blocks: Array<[string, string]>): Promise<[number, string]>;

  // ---- chats ------------------------------------------------------------------
  initiate_chat(recipient: this, options?: InitiateChatOptionsOf<this>): Promise<ChatResult>;
  generate_init_message(message: string | Message | null, options?: { carryover?: unknown; [k: string]: unknown }): Promise<string | Message>;
  _prepare_chat(recipient: this, clear_history: boolean, prepare_recipient?: boolean, reply_at_receive?: boolean): void;
  _summarize_chat(summary_method: SummaryMethodOf<this> | undefined, summary_args: Record<string, unknown>, recipient: this, options?: { cache?: unknown }): Promise<string>;
}
