/**
 * One agent in chats that overlap, each chat with its own cache (spec 20 §2
 * steps 2 and 7, spec 60 §1.4, spec 30 §7.3). The chat cache is kept per
 * run, not in one `previous_cache` slot per agent: each chat's model calls
 * are served from and stored into its own cache; while chats overlap the
 * agent's `client_cache` (seen from outside them) is that of the most
 * recently started one still running; after all have ended, in any order,
 * it is what it was before.
 *
 * The model answers each request only when the test releases it, so the
 * interleaving is fixed: which request is waiting, which chat ends first.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AssistantAgent, Cache, GroupChat, GroupChatManager, IOStream, InMemoryCache, UserProxyAgent, type Message } from "ag2ts";
import { CapturingIOStream, ScriptedModelClient, type ScriptedRequest } from "ag2ts/testing";

function quietly<T>(fn: () => Promise<T>): Promise<T> {
  return IOStream.set_default(new CapturingIOStream(), fn);
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const lastContent = (messages: Message[]) => messages.at(-1)?.content as string;

/**
 * A model whose answer to a request (known by its last message) waits for
 * `release(lastMessage)`. `arrived(lastMessage)` settles when the request
 * has reached the model. Each request records which cache the asking agent
 * had inside the call, by name.
 */
function gatedModel(answers: Record<string, string>, cacheName: () => string) {
  const gates = new Map(Object.keys(answers).map((k) => [k, deferred()]));
  const arrivals = new Map(Object.keys(answers).map((k) => [k, deferred()]));
  const seen: Array<[string, string]> = [];
  const step = async (request: ScriptedRequest) => {
    const last = lastContent(request.messages);
    seen.push([last, cacheName()]);
    arrivals.get(last)!.resolve();
    await gates.get(last)!.promise;
    return answers[last];
  };
  const model = new ScriptedModelClient(Object.keys(answers).map(() => step));
  return {
    model,
    seen,
    release: (last: string) => gates.get(last)!.resolve(),
    arrived: (last: string) => arrivals.get(last)!.promise,
  };
}

/** The last message of every request stored in an InMemoryCache (its keys are the canonical create params). */
const storedIn = (cache: InMemoryCache) => cache.keys().map((key) => lastContent(JSON.parse(key).messages)).sort();

/** The same for a disk cache directory (one `{key, value}` file per entry). */
const storedOnDisk = (dir: string) =>
  fs
    .readdirSync(dir)
    .map((file) => lastContent(JSON.parse(JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")).key).messages))
    .sort();

const user = (name: string, reply: string) =>
  new UserProxyAgent(name, { human_input_mode: "NEVER", code_execution_config: false, default_auto_reply: reply });

describe("one agent in two chats at once, each with its own cache", () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ag2ts-chat-cache-"));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("chat B starts after chat A and ends first: A keeps its cache, and the earlier cache comes back at the end", async () => {
    const earlier = new InMemoryCache();
    const cacheA = new InMemoryCache();
    const cacheB = new InMemoryCache();
    const names = new Map<unknown, string>([[earlier, "earlier"], [cacheA, "A"], [cacheB, "B"], [null, "none"]]);
    const gate = gatedModel({ "task A": "answer A1", "more A": "answer A2", "task B": "answer B" }, () => names.get(assistant.client_cache)!);
    const assistant = new AssistantAgent("assistant", { llm_config: gate.model.llm_config() });
    assistant.client_cache = earlier;
    const userA = user("user_a", "more A");
    const userB = user("user_b", "more B");

    await quietly(async () => {
      const chatA = userA.initiate_chat(assistant, { message: "task A", cache: cacheA, max_turns: 2 });
      await gate.arrived("task A");
      expect(assistant.client_cache).toBe(cacheA);
      const chatB = userB.initiate_chat(assistant, { message: "task B", cache: cacheB, max_turns: 1 });
      await gate.arrived("task B");
      // Seen from outside both chats: the most recently started one.
      expect([assistant.client_cache, assistant.previous_cache]).toEqual([cacheB, cacheA]);
      gate.release("task A");
      // Chat A's second model call is made while chat B runs.
      await gate.arrived("more A");
      expect(assistant.client_cache).toBe(cacheB);
      gate.release("task B");
      const resultB = await chatB;
      expect(resultB.chat_history.map((m) => m.content)).toEqual(["task B", "answer B"]);
      expect([assistant.client_cache, assistant.previous_cache]).toEqual([cacheA, earlier]);
      expect(userB.client_cache).toBeNull();
      gate.release("more A");
      const resultA = await chatA;
      expect(resultA.chat_history.map((m) => m.content)).toEqual(["task A", "answer A1", "more A", "answer A2"]);
    });

    expect([assistant.client_cache, assistant.previous_cache]).toEqual([earlier, null]);
    expect([userA.client_cache, userB.client_cache]).toEqual([null, null]);
    // Each call used its own chat's cache, inside the call and in what was stored.
    expect(gate.seen).toEqual([
      ["task A", "A"],
      ["task B", "B"],
      ["more A", "A"],
    ]);
    expect(storedIn(cacheA)).toEqual(["more A", "task A"]);
    expect(storedIn(cacheB)).toEqual(["task B"]);
    expect(storedIn(earlier)).toEqual([]);
    gate.model.assert_consumed();

    // The same two chats again, at the same time: every answer is served from
    // its own chat's cache (a lookup in the other cache would miss and reach
    // the model, whose script is used up).
    const [againA, againB] = await quietly(() =>
      Promise.all([
        userA.initiate_chat(assistant, { message: "task A", cache: cacheA, max_turns: 2 }),
        userB.initiate_chat(assistant, { message: "task B", cache: cacheB, max_turns: 1 }),
      ]),
    );
    expect(againA.chat_history.map((m) => m.content)).toEqual(["task A", "answer A1", "more A", "answer A2"]);
    expect(againB.chat_history.map((m) => m.content)).toEqual(["task B", "answer B"]);
    expect(gate.model.request_count).toBe(3);
    expect([storedIn(cacheA), storedIn(cacheB)]).toEqual([["more A", "task A"], ["task B"]]);
    expect(assistant.client_cache).toBe(earlier);
  });

  it("chat A ends before chat B: B's later calls still use B's cache (a disk cache), and the earlier cache comes back", async () => {
    const earlier = new InMemoryCache();
    const cacheA = new InMemoryCache();
    const cacheB = Cache.disk({ cache_seed: "b", cache_path_root: tmp });
    const names = new Map<unknown, string>([[earlier, "earlier"], [cacheA, "A"], [cacheB, "B"], [null, "none"]]);
    const gate = gatedModel({ "task A": "answer A", "task B": "answer B1", "more B": "answer B2" }, () => names.get(assistant.client_cache)!);
    const assistant = new AssistantAgent("assistant", { llm_config: gate.model.llm_config() });
    assistant.client_cache = earlier;
    const userA = user("user_a", "more A");
    const userB = user("user_b", "more B");

    await quietly(async () => {
      const chatA = userA.initiate_chat(assistant, { message: "task A", cache: cacheA, max_turns: 1 });
      await gate.arrived("task A");
      const chatB = userB.initiate_chat(assistant, { message: "task B", cache: cacheB, max_turns: 2 });
      await gate.arrived("task B");
      expect(assistant.client_cache).toBe(cacheB);
      gate.release("task A");
      await chatA;
      // previous_cache is what client_cache was when chat B started (chat A's
      // cache); it is informational: chat B restores per run, not from it.
      expect([assistant.client_cache, assistant.previous_cache]).toEqual([cacheB, cacheA]);
      expect(userA.client_cache).toBeNull();
      gate.release("task B");
      await gate.arrived("more B");
      gate.release("more B");
      const resultB = await chatB;
      expect(resultB.chat_history.map((m) => m.content)).toEqual(["task B", "answer B1", "more B", "answer B2"]);
    });

    expect([assistant.client_cache, assistant.previous_cache]).toEqual([earlier, null]);
    expect(gate.seen).toEqual([
      ["task A", "A"],
      ["task B", "B"],
      ["more B", "B"],
    ]);
    expect(storedIn(cacheA)).toEqual(["task A"]);
    expect(storedOnDisk(path.join(tmp, "b"))).toEqual(["more B", "task B"]);
    expect(storedIn(earlier)).toEqual([]);
    gate.model.assert_consumed();
  });

  it("a member of a group chat that is in another chat meanwhile uses each chat's cache, and gets its own back", async () => {
    const earlier = new InMemoryCache();
    const groupCache = new InMemoryCache();
    const soloCache = new InMemoryCache();
    const names = new Map<unknown, string>([[earlier, "earlier"], [groupCache, "group"], [soloCache, "solo"], [null, "none"]]);
    const gate = gatedModel({ "go group": "writer in the group", solo: "writer alone", "more solo": "writer alone again" }, () =>
      names.get(writer.client_cache)!,
    );
    const writer = new AssistantAgent("writer", { llm_config: gate.model.llm_config() });
    writer.client_cache = earlier;
    const me = user("me", "");
    const other = user("other", "more solo");
    const manager = new GroupChatManager({
      groupchat: new GroupChat({ agents: [me, writer], messages: [], speaker_selection_method: "round_robin", max_round: 2 }),
    });

    await quietly(async () => {
      const group = me.initiate_chat(manager, { message: "go group", cache: groupCache, max_turns: 1 });
      await gate.arrived("go group");
      const solo = other.initiate_chat(writer, { message: "solo", cache: soloCache, max_turns: 2 });
      await gate.arrived("solo");
      expect(writer.client_cache).toBe(soloCache);
      gate.release("solo");
      await gate.arrived("more solo");
      gate.release("go group");
      await group;
      expect([writer.client_cache, me.client_cache, manager.client_cache]).toEqual([soloCache, null, null]);
      gate.release("more solo");
      await solo;
    });

    expect([writer.client_cache, writer.previous_cache]).toEqual([earlier, null]);
    expect(gate.seen).toEqual([
      ["go group", "group"],
      ["solo", "solo"],
      ["more solo", "solo"],
    ]);
    expect(storedIn(groupCache)).toEqual(["go group"]);
    expect(storedIn(soloCache)).toEqual(["more solo", "solo"]);
    expect(storedIn(earlier)).toEqual([]);
    gate.model.assert_consumed();
  });
});
