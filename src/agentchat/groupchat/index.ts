// Public API of the group chat area; re-exported from the package root.
export { GroupChat } from "./groupchat";
export { validateMethodName } from "./selection-methods";
export type { SpeakerSelectionMethodName } from "./selection-methods";
export type { GroupChatOptions, SelectionFn } from "./groupchat";
export type { TransformMessagesLike } from "./auto-selection";
export { GroupChatManager } from "./manager";
export type { GroupChatManagerOptions, RunChatOptions } from "./manager";
export type { ResumeOptions } from "./resume";
export { NoEligibleSpeakerError, UndefinedNextAgentError, AgentNameConflictError } from "./errors";
export type { TransitionsMap, SpeakerTransitionsType } from "./transitions";
