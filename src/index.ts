/**
 * ag2ts: AG2 / pyautogen 0.2-style multi-agent conversations for TypeScript.
 * Everything public is exported here, grouped by concept.
 */
import { IOStream } from "./io/base";
import { IOConsole } from "./io/console";

// Agents
export { Agent, LLMAgent } from "./core/agent";
export type { SendOptions, GenerateReplyOptions } from "./core/agent";
export { ConversableAgent } from "./agentchat/agent/conversable-agent";
export type { ConversableAgentOptions, CodeExecutionConfig } from "./agentchat/agent/conversable-agent";
export { AssistantAgent } from "./agentchat/agent/assistant-agent";
export { MultimodalConversableAgent, DEFAULT_LMM_SYS_MSG } from "./agentchat/contrib/multimodal-conversable-agent";
export { gpt4v_formatter, get_image_data, convert_base64_to_data_uri, image_file_to_data_uri } from "./agentchat/contrib/img-utils";
export { UserProxyAgent } from "./agentchat/agent/user-proxy-agent";
export type { Trigger, RegisterReplyOptions } from "./agentchat/agent/reply-chain";
export type { ReplyFunction, ReplyFuncEntry } from "./agentchat/agent/public-types";
export type { HookName, HookFunction } from "./agentchat/agent/hooks";

// Messages
export { content_str } from "./core/messages";
export type {
  Message,
  Role,
  Content,
  ContentPart,
  FunctionCall,
  ToolCall,
  ToolResponse,
  ReplyValue,
  HumanInputMode,
  Awaitable,
} from "./core/types";

// Chats
export * from "./agentchat/chats/index";
export { ChatResult, gather_usage_summary } from "./agentchat/chats/chat-result";
export type { ChatCost } from "./agentchat/chats/chat-result";
export type { InitiateChatOptions, SummaryMethod, SummaryCallable, InitialMessage } from "./agentchat/agent/public-types";

// Group chats
export * from "./agentchat/groupchat/index";

// Models, caches, tools, code execution: each area has its own barrel.
export * from "./oai/index";
export * from "./cache/index";
export * from "./tools/index";
export * from "./coding/index";

// Token counting and message transforms for long conversations
// (AG2 token_count_utils and contrib.capabilities; also at ag2ts/capabilities)
export * from "./tokens/index";
export * from "./capabilities/index";

// Saved conversations and runtime logging
export * from "./persistence/index";
export * from "./logging/index";

// IO and events
export { IOStream } from "./io/base";
export type { OutputStream, InputStream, PrintOptions } from "./io/base";
export { IOConsole } from "./io/console";
export { IOInputProvider } from "./io/input-provider";
export type { InputProvider } from "./io/input-provider";
export { IOWebsockets } from "./io/websockets";
export type { IOWebsocketsServer, IOWebsocketsServerOptions, WebSocketLike } from "./io/websockets";
export { colored } from "./io/colored";
export { subscribe_events } from "./io/events";
export type { AG2Event, AG2EventPayload, EventListener } from "./io/events";

// Errors and warnings
export {
  AG2Error,
  ValueError,
  KeyError,
  RuntimeError,
  NotImplementedError,
  TimeoutError,
  SystemError,
  StructuredOutputError,
  SenderRequiredError,
  InvalidCarryOverTypeError,
  AbortError,
  FileNotFoundError,
} from "./errors";
export type { ErrorContext } from "./errors";
export { set_logger, set_log_level } from "./warnings";
export type { LogLevel, LogSink } from "./warnings";

IOStream.set_global_default(new IOConsole());
