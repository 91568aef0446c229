/** `ag2ts/testing`: tools to drive agents in tests without a real model. */
export * from "./testing/index";
