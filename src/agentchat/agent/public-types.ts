/**
 * The public names of the types that hold an agent's callables, for
 * ConversableAgent: the modules define them generic in the agent type (the
 * chat machinery sees agents as their ChatAgent shape), and a user's
 * callables receive ConversableAgents.
 */
import type { CarryoverConfigOf } from "../chats/nested-carryover";
import type { ChatQueueEntryOf } from "../chats/queue-entries";
import type { InitialMessageOf, InitiateChatOptionsOf, SummaryCallableOf, SummaryMethodOf } from "../chats/chat-result";
import type {
  NestedChatMessageFunctionOf,
  NestedChatQueueEntryOf,
  NestedChatsReplyFunctionOf,
  RegisterNestedChatsOptionsOf,
} from "../chats/nested-chats";
import type { ConversableAgent } from "./conversable-agent";
import type { ReplyFuncEntryOf, ReplyFunctionOf } from "./reply-chain";

export type ReplyFunction = ReplyFunctionOf<ConversableAgent>;
export type ReplyFuncEntry = ReplyFuncEntryOf<ConversableAgent>;
export type InitiateChatOptions = InitiateChatOptionsOf<ConversableAgent>;
export type InitialMessage = InitialMessageOf<ConversableAgent>;
export type SummaryMethod = SummaryMethodOf<ConversableAgent>;
export type SummaryCallable = SummaryCallableOf<ConversableAgent>;
export type ChatQueueEntry = ChatQueueEntryOf<ConversableAgent>;
export type NestedChatQueueEntry = NestedChatQueueEntryOf<ConversableAgent>;
export type NestedChatMessageFunction = NestedChatMessageFunctionOf<ConversableAgent>;
export type NestedChatsReplyFunction = NestedChatsReplyFunctionOf<ConversableAgent>;
export type RegisterNestedChatsOptions = RegisterNestedChatsOptionsOf<ConversableAgent>;
export type CarryoverConfig = CarryoverConfigOf<ConversableAgent>;
