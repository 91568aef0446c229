/**
 * The Agent protocol (spec 10 §2). `Agent` is a runtime value so it can be a
 * reply trigger; `x instanceof Agent` also accepts structural agents, as
 * Python's runtime-checkable Protocol does.
 */
import type { ContentPart, Message, ReplyValue } from "./types";

export interface SendOptions {
  request_reply?: boolean | null;
  silent?: boolean | null;
}

export interface GenerateReplyOptions {
  messages?: Message[] | null;
  sender?: Agent | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  exclude?: Array<(...args: any[]) => unknown>;
  signal?: AbortSignal;
}

function isStructuralAgent(x: unknown): boolean {
  if (x === null || (typeof x !== "object" && typeof x !== "function")) return false;
  const o = x as Record<string, unknown>;
  return (
    typeof o.name === "string" &&
    typeof o.send === "function" &&
    typeof o.receive === "function" &&
    typeof o.generate_reply === "function"
  );
}

export abstract class Agent {
  abstract get name(): string;
  abstract get description(): string;
  abstract send(message: Message | string, recipient: Agent, options?: SendOptions): Promise<void>;
  abstract receive(message: Message | string, sender: Agent, options?: SendOptions): Promise<void>;
  abstract generate_reply(options?: GenerateReplyOptions): Promise<ReplyValue>;

  a_send(message: Message | string, recipient: Agent, options?: SendOptions): Promise<void> {
    return this.send(message, recipient, options);
  }
  a_receive(message: Message | string, sender: Agent, options?: SendOptions): Promise<void> {
    return this.receive(message, sender, options);
  }
  a_generate_reply(options?: GenerateReplyOptions): Promise<ReplyValue> {
    return this.generate_reply(options);
  }

  static [Symbol.hasInstance](x: unknown): boolean {
    // `this` is the class on the right of `instanceof`. Only Agent itself is structural.
    if (Function.prototype[Symbol.hasInstance].call(this, x)) return true;
    return (this === Agent || this === LLMAgent) && isStructuralAgent(x) &&
      (this === Agent || (typeof (x as Record<string, unknown>).update_system_message === "function"));
  }
}

export abstract class LLMAgent extends Agent {
  abstract get system_message(): string | ContentPart[];
  abstract update_system_message(system_message: string | ContentPart[]): void;
}
