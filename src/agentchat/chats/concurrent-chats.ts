/**
 * Concurrent chats with prerequisites: `a_initiate_chats` (spec 20 §7).
 * The dependency graph is checked completely before any chat starts.
 */
import { ValueError } from "../../errors";
import type { ChatResult } from "./chat-result";
import type { ChatAgent } from "../agent/chat-agent";
import { ownCarryover, startQueuedChat, type ReadyEntry } from "./queue-entries";
import { currentRunContext, within } from "../../core/run-context";

type Node<A> = { entry: ReadyEntry<A>; id: number; index: number; prerequisites: number[] };

function buildNodes<A extends ChatAgent>(entries: ReadyEntry<A>[]): Map<number, Node<A>> {
  const nodes = new Map<number, Node<A>>();
  entries.forEach((entry, index) => {
    const id = entry.chat_id;
    if (id === undefined || id === null) {
      throw new ValueError(
        `Each chat must have a unique id for async multi-chat execution. The entry at index ${index} has no chat_id.`,
      );
    }
    if (nodes.has(id)) {
      throw new ValueError(`Each chat must have a unique id for async multi-chat execution. chat_id ${id} is used more than once.`);
    }
    const given = entry.prerequisites ?? [];
    if (!Array.isArray(given)) throw new ValueError(`prerequisites of chat ${id} must be an array of chat ids.`);
    for (const pre of given) {
      if (!Number.isInteger(pre)) {
        throw new ValueError(`Prerequisite chat id is not int. Chat ${id} lists ${JSON.stringify(pre)}.`);
      }
    }
    nodes.set(id, { entry, id, index, prerequisites: [...new Set(given)] });
  });
  for (const node of nodes.values()) {
    const unknown = node.prerequisites.filter((pre) => !nodes.has(pre));
    if (unknown.length > 0) {
      throw new ValueError(
        `Chat ${node.id} has prerequisites that match no chat_id in the queue: ${unknown.join(", ")}. ` +
          `Known chat ids: ${[...nodes.keys()].join(", ")}.`,
      );
    }
  }
  return nodes;
}

/** A cycle among `pending` nodes, as ids, e.g. [1, 2, 1]. */
function findCycle<A extends ChatAgent>(pending: Set<number>, nodes: Map<number, Node<A>>): number[] {
  const path: number[] = [];
  const onPath = new Set<number>();
  const done = new Set<number>();
  const visit = (id: number): number[] | null => {
    if (onPath.has(id)) return [...path.slice(path.indexOf(id)), id];
    if (done.has(id)) return null;
    path.push(id);
    onPath.add(id);
    for (const pre of (nodes.get(id) as Node<A>).prerequisites) {
      if (!pending.has(pre)) continue;
      const cycle = visit(pre);
      if (cycle) return cycle;
    }
    path.pop();
    onPath.delete(id);
    done.add(id);
    return null;
  };
  for (const id of pending) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return [...pending];
}

/** Kahn's algorithm; among ready chats, queue order. Throws on a cycle. */
function startOrder<A extends ChatAgent>(nodes: Map<number, Node<A>>): Node<A>[] {
  const waiting = new Map<number, number>();
  const dependents = new Map<number, number[]>();
  for (const node of nodes.values()) {
    waiting.set(node.id, node.prerequisites.length);
    for (const pre of node.prerequisites) dependents.set(pre, [...(dependents.get(pre) ?? []), node.id]);
  }
  const ready = [...nodes.values()].filter((node) => node.prerequisites.length === 0);
  const order: Node<A>[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => a.index - b.index);
    const node = ready.shift() as Node<A>;
    order.push(node);
    for (const dependent of dependents.get(node.id) ?? []) {
      const left = (waiting.get(dependent) as number) - 1;
      waiting.set(dependent, left);
      if (left === 0) ready.push(nodes.get(dependent) as Node<A>);
    }
  }
  if (order.length < nodes.size) {
    const pending = new Set([...nodes.keys()].filter((id) => !order.some((node) => node.id === id)));
    const cycle = findCycle(pending, nodes);
    throw new ValueError(
      `The chat prerequisites form a cycle: ${cycle.join(" -> ")}. Chats ${[...pending].join(", ")} could never start; ` +
        "remove one of the prerequisites in the cycle.",
    );
  }
  return order;
}

/**
 * Starts every chat as soon as its prerequisites have finished. A chat's
 * carryover is its own carryover plus its prerequisites' summaries (in
 * prerequisite order, minus the excluded chat ids). When a chat fails, its
 * dependents fail with it; the other chats run to the end and then the first
 * failure is thrown.
 */
export async function runConcurrentChats<A extends ChatAgent>(entries: ReadyEntry<A>[]): Promise<Record<number, ChatResult>> {
  const nodes = buildNodes(entries);
  const order = startOrder(nodes);
  const running = new Map<number, Promise<ChatResult>>();
  let failure: { error: unknown } | null = null;
  // Each chat starts in the queue's context once its prerequisites are done (run-context.ts).
  const context = currentRunContext();
  for (const node of order) {
    const prerequisites = node.prerequisites.map((pre) => running.get(pre) as Promise<ChatResult>);
    const chat = Promise.all(prerequisites).then((finished) => {
      const excluded = node.entry.finished_chat_indexes_to_exclude_from_carryover ?? [];
      const summaries = finished.filter((_, i) => !excluded.includes(node.prerequisites[i])).map((result) => result.summary);
      return within(context, () => startQueuedChat(node.entry, [...ownCarryover(node.entry), ...summaries]));
    });
    chat.catch((error: unknown) => {
      failure ??= { error };
    });
    running.set(node.id, chat);
  }
  await Promise.allSettled(running.values());
  if (failure) throw (failure as { error: unknown }).error;
  const results: Record<number, ChatResult> = {};
  for (const node of nodes.values()) {
    const result = await (running.get(node.id) as Promise<ChatResult>);
    result.chat_id = node.id;
    results[node.id] = result;
  }
  return results;
}
