/**
 * TransformMessages (AG2 contrib/capabilities/transform_messages.py, spec 60
 * §6.1): an agent capability that runs message transforms on what the agent's
 * reply functions (and so the model) see, through the
 * `process_all_messages_before_reply` hook. The agent's stored history is
 * never changed: the hook works on a deep copy.
 */
import type { ConversableAgent } from "../agentchat/agent/conversable-agent";
import { deepCopy } from "../core/messages";
import type { Message } from "../core/types";
import { ValueError } from "../errors";
import { IOStream } from "../io/base";
import { colored } from "../io/colored";
import { is, validateOptions } from "../options";
import type { MessageTransform } from "./message-transform";

export interface TransformMessagesOptions {
  /** The transforms, applied in order (order matters). Default []. */
  transforms?: MessageTransform[];
  /** Print each transform's log (in yellow) when it changed something. Default true. */
  verbose?: boolean;
}

export class TransformMessages {
  private readonly _transforms: MessageTransform[];
  private readonly _verbose: boolean;
  private readonly hook = (messages: Message[]) => this._transform_messages(messages);

  constructor(options: TransformMessagesOptions = {}) {
    validateOptions("TransformMessages", options, { transforms: is.array, verbose: is.boolean });
    const transforms = options.transforms ?? [];
    transforms.forEach((t, i) => {
      if (t === null || typeof t !== "object" || typeof t.apply_transform !== "function" || typeof t.get_logs !== "function") {
        throw new ValueError(
          `TransformMessages: transforms[${i}] must be a message transform with apply_transform(messages) and get_logs(pre, post) ` +
            "(e.g. new MessageHistoryLimiter({ max_messages: 10 })).",
          { option: "transforms" },
        );
      }
    });
    this._transforms = [...transforms];
    this._verbose = options.verbose ?? true;
  }

  /** Registers the transforms on `agent` as a `process_all_messages_before_reply` hook. */
  add_to_agent(agent: ConversableAgent): void {
    agent.register_hook("process_all_messages_before_reply", this.hook);
  }

  /** The hook: the transformed copy of `messages` (a leading system message is kept out of the transforms and put back first). */
  async _transform_messages(messages: Message[]): Promise<Message[]> {
    // AG2 reads messages[0] unguarded and fails on an empty list.
    if (messages.length === 0) return messages;
    let post = deepCopy(messages);
    let system: Message | null = null;
    if (messages[0].role === "system") {
      system = deepCopy(messages[0]);
      post.shift();
    }
    for (const transform of this._transforms) {
      // With verbose, the transform gets a copy, so that one changing its input cannot change what
      // its log compares against (AG2 copies too, but hands the transform the copy it then logs).
      const pre = post;
      post = await transform.apply_transform(this._verbose ? deepCopy(pre) : pre);
      if (this._verbose) {
        const [logs, had_effect] = transform.get_logs(pre, post);
        if (had_effect) IOStream.get_default().print(colored(logs, "yellow"));
      }
    }
    if (system) post.unshift(system);
    return post;
  }
}
