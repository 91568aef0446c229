/** ag2ts/queue misconfiguration: clear errors at construction, naming the problem and the fix. */
import { ValueError } from "../../src/index";
import { ConversationQueue, ConversationRegistry, ConversationWorker, UnknownConversationError } from "../../src/queue/index";
import { checkSpec } from "../../src/queue/registry";
import { conversations } from "./fixtures/conversations";
import { AssistantAgent } from "../../src/index";

const connection = "redis://127.0.0.1:1";

describe("ConversationWorker options", () => {
  test("a typo names the option it resembles", () => {
    expect(() => new ConversationWorker({ connection, conversations, concurency: 2 } as never)).toThrow(
      new ValueError("ConversationWorker: unknown option 'concurency'. Did you mean 'concurrency'?"),
    );
  });
  test("conversations are required, and must not be empty", () => {
    expect(() => new ConversationWorker({ connection } as never)).toThrow(
      "ConversationWorker: 'conversations' is required: a ConversationRegistry with every conversation this fleet runs.",
    );
    expect(() => new ConversationWorker({ connection, conversations: new ConversationRegistry() })).toThrow(
      "ConversationWorker: the ConversationRegistry is empty; register conversations (registry.register(name, build)) before starting a worker.",
    );
  });
  test("BullMQ's numbers are checked", () => {
    expect(() => new ConversationWorker({ connection, conversations, concurrency: 0 })).toThrow(
      "ConversationWorker: option 'concurrency' must be a positive integer, got number.",
    );
    expect(() => new ConversationWorker({ connection, conversations, limiter: { max: 5 } as never })).toThrow(
      "ConversationWorker: option 'limiter' must be { max, duration } with positive integers, got an object.",
    );
  });
  test("the connection must be a redis:// URL or options", () => {
    expect(() => new ConversationWorker({ conversations } as never)).toThrow(
      'ConversationWorker: \'connection\' is required: the Redis server, e.g. { connection: "redis://127.0.0.1:6379" }.',
    );
    expect(() => new ConversationWorker({ connection: "http://127.0.0.1:6379", conversations })).toThrow(
      'ConversationWorker: connection must be a redis:// URL, got "http://127.0.0.1:6379".',
    );
    expect(() => new ConversationQueue({ connection: "not a url" })).toThrow(
      'ConversationQueue: connection "not a url" is not a URL; give "redis://host:port/db" or { host, port }.',
    );
    expect(() => new ConversationQueue({ connection, queueName: "a:b" })).toThrow("ConversationQueue: queueName must be non-empty and without ':' (got \"a:b\").");
  });
  test("a connection object with a misspelt key, or a URL whose database is not a number, fails at construction", () => {
    expect(() => new ConversationWorker({ connection: { hots: "127.0.0.1", port: 6379 } as never, conversations })).toThrow(
      new ValueError("ConversationWorker connection: unknown option 'hots'. Did you mean 'host'?"),
    );
    expect(() => new ConversationQueue({ connection: { host: "127.0.0.1", port: "6379" as never } })).toThrow(
      "ConversationQueue connection: option 'port' must be an integer, got string.",
    );
    expect(() => new ConversationQueue({ connection: "redis://127.0.0.1:6379/zero" })).toThrow(
      'ConversationQueue: the database in connection "redis://127.0.0.1:6379/zero" must be a number, as in "redis://host:6379/0".',
    );
  });
});

describe("ConversationRegistry and the client's checks", () => {
  test("an unknown name at start, with the client's registry, is an error before anything is queued", async () => {
    const queue = new ConversationQueue({ connection, conversations });
    await expect(queue.start("chta", {})).rejects.toThrow(
      new UnknownConversationError(
        "Unknown conversation 'chta': registered here are 'chat', 'ask', 'slow', 'cached'. Register it with registry.register('chta', build) in the module every worker and client imports.",
      ),
    );
    await expect(queue.start("chat", {}, { runId: "has space" })).rejects.toThrow(
      "ConversationQueue.start: runId \"has space\" must be 1-128 letters, digits, '_', '-' or '.'.",
    );
    await expect(queue.wait("some-run", { until: ["done" as never] })).rejects.toThrow(
      new ValueError(
        'ConversationQueue.wait: unknown status "done" in \'until\'; the statuses are queued, running, waiting_for_input, completed, failed, cancelled.',
      ),
    );
    await queue.close();
  });
  test("a name is registered once, with a function", () => {
    const registry = new ConversationRegistry().register("a", () => ({}) as never);
    expect(() => registry.register("a", () => ({}) as never)).toThrow("ConversationRegistry.register: 'a' is registered already; give each conversation its own name.");
    expect(() => registry.register("b", "nope" as never)).toThrow(
      "ConversationRegistry.register('b'): the definition must be a function (input, context) => { sender, recipient, ... }.",
    );
  });
  test("what a definition returns is checked", () => {
    const a = new AssistantAgent("a", { llm_config: false });
    const b = new AssistantAgent("b", { llm_config: false });
    expect(() => checkSpec("x", { sender: a, recipient: b, max_turn: 2 })).toThrow(
      "Conversation 'x': unknown key 'max_turn' in the returned chat; expected sender, recipient, message, max_turns, summary_method, summary_args, silent, cache.",
    );
    expect(() => checkSpec("x", { sender: a })).toThrow("Conversation 'x': 'recipient' must be a ConversableAgent (an agent the definition builds).");
    expect(() => checkSpec("x", { sender: a, recipient: new AssistantAgent("a", { llm_config: false }) })).toThrow(
      "Conversation 'x': sender and recipient are both named 'a'; saved conversations refer to agents by name.",
    );
  });
});
