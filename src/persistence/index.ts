// Public API of saved conversations (issue #10 part 4); re-exported from the package root.
export { save_conversation } from "./save";
export { load_conversation } from "./load";
export type { LoadedConversation } from "./load";
export type { ConversationTarget } from "./agents";
export { CONVERSATION_STATE_VERSION, SUPPORTED_CONVERSATION_STATE_VERSIONS } from "./state";
export type { ConversationState, AgentState, GroupChatState, ChatResultState, ConversationKind } from "./state";
