/**
 * Which agents a saved conversation covers: the agents given, or a
 * GroupChatManager with all members of its group.
 */
import { ValueError } from "../errors";
import { Agent } from "../core/agent";
import { ConversableAgent } from "../agentchat/agent/conversable-agent";
import { GroupChatManager } from "../agentchat/groupchat/manager";

export type ConversationTarget = GroupChatManager | Agent[];

export interface ResolvedTarget {
  /** The agents by name (members and manager of every group given). */
  byName: Map<string, ConversableAgent>;
  /** The group chat manager, when one was given. */
  manager: GroupChatManager | null;
}

export function resolveTarget(target: ConversationTarget, where: string): ResolvedTarget {
  const given: unknown[] = target instanceof GroupChatManager ? [target] : Array.isArray(target) ? target : [target];
  const all: ConversableAgent[] = [];
  let manager: GroupChatManager | null = null;
  const add = (agent: unknown) => {
    if (!(agent instanceof ConversableAgent)) {
      const name = agent instanceof Agent ? agent.name : String(agent);
      throw new ValueError(`${where}: ${name} is not a ConversableAgent; only ConversableAgent state can be saved and restored.`);
    }
    if (!all.includes(agent)) all.push(agent);
  };
  for (const agent of given) {
    add(agent);
    if (agent instanceof GroupChatManager) {
      if (manager && manager !== agent) {
        throw new ValueError(`${where}: give one GroupChatManager per saved conversation, got ${manager.name} and ${agent.name}.`);
      }
      manager = agent;
      for (const member of agent.groupchat.agents) add(member);
    }
  }
  const byName = new Map<string, ConversableAgent>();
  for (const agent of all) {
    if (byName.has(agent.name)) {
      throw new ValueError(`${where}: two different agents are named '${agent.name}'; saved conversations refer to agents by name, so names must be unique.`);
    }
    byName.set(agent.name, agent);
  }
  return { byName, manager };
}
