export { ScriptedModelClient, ScriptError } from "./scripted-model-client";
export type {
  ScriptStep,
  ScriptedReply,
  ScriptedRequest,
  ScriptedToolCall,
  ScriptedModelClientOptions,
} from "./scripted-model-client";
export { CapturingIOStream } from "./capturing-iostream";
