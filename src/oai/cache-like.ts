/** What a cache must offer to be used by OpenAIWrapper and chats (spec 60 §1.1). */
export interface AbstractCacheLike {
  get(key: string, default_?: unknown): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  close(): Promise<void>;
}
