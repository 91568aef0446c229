/**
 * Agent capabilities (AG2 autogen.agentchat.contrib.capabilities): message
 * transforms for long conversations.
 */
export { TransformMessages } from "./transform-messages";
export type { TransformMessagesOptions } from "./transform-messages";
export type { MessageTransform } from "./message-transform";
export { MessageHistoryLimiter } from "./message-history-limiter";
export type { MessageHistoryLimiterOptions } from "./message-history-limiter";
export { MessageTokenLimiter } from "./message-token-limiter";
export type { MessageTokenLimiterOptions } from "./message-token-limiter";
export { TextMessageCompressor } from "./text-message-compressor";
export type { TextMessageCompressorOptions, TextCompressor, CompressedText } from "./text-message-compressor";
export { TextMessageContentName } from "./text-message-content-name";
export type { TextMessageContentNameOptions } from "./text-message-content-name";
export * as transforms_util from "./transforms-util";
