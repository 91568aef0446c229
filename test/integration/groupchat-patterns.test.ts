/**
 * Cross-area tests: group chats (spec 30) inside the conversation patterns of
 * spec 20 §6-8 — a GroupChatManager as a recipient of initiate_chats and
 * a_initiate_chats, nested chats answering inside a group chat, and a group
 * chat run as a nested chat.
 */
import {
  AssistantAgent,
  ConversableAgent,
  GroupChat,
  GroupChatManager,
  IOStream,
  UserProxyAgent,
  a_initiate_chats,
  set_logger,
  type Agent,
  type Message,
} from "ag2ts";
import { CapturingIOStream, ScriptedModelClient, type ScriptStep } from "ag2ts/testing";

const STARS = "*".repeat(80);
const RULE = "-".repeat(80);
const block = (from: string, to: string, text: string) => `${from} (to ${to}):\n\n${text}\n\n${RULE}\n`;
const next = (name: string) => `\nNext speaker: ${name}\n\n`;
const banner = `\n${STARS}\nStarting a new chat....\n\n${STARS}\n`;

/** Role, name and content of each message. */
const rnc = (messages: Message[]) => messages.map((m) => [m.role, m.name, m.content]);

/** A member that always answers `reply` (no model, never asks a human). */
function member(name: string, reply: string | Message = `${name} speaks`): ConversableAgent {
  return new ConversableAgent(name, { llm_config: false, human_input_mode: "NEVER", default_auto_reply: reply, description: `${name} does ${name}'s job` });
}
function assistant(name: string, script: ScriptStep[]) {
  const model = new ScriptedModelClient(script);
  return { agent: new AssistantAgent(name, { llm_config: model.llm_config(), system_message: `You are ${name}.` }), model };
}
function user(name = "user", options: Record<string, unknown> = {}) {
  return new UserProxyAgent(name, { human_input_mode: "NEVER", code_execution_config: false, ...options });
}
const endsWithTerminate = (m: Message) => typeof m.content === "string" && m.content.trimEnd().endsWith("TERMINATE");

async function capture<T>(fn: () => Promise<T>, inputs: string[] = []): Promise<{ io: CapturingIOStream; result: T }> {
  const io = new CapturingIOStream({ inputs });
  const result = await IOStream.set_default(io, fn);
  return { io, result };
}

let logs: string[] = [];
beforeEach(() => {
  logs = [];
  set_logger((_level, message) => logs.push(message));
});
afterAll(() => set_logger(null));

describe("a GroupChatManager as a recipient of initiate_chats (spec 20 §6, spec 30 §4 gotcha)", () => {
  it("research -> group writing -> group review pipeline: exact carryover, transcripts, output and summaries", async () => {
    const me = user();
    const researcher = assistant("researcher", ["Cats sleep 16 hours a day. TERMINATE"]);
    // Group 1: the initiator is a member, so last_msg reads the last broadcast it received.
    const writer = assistant("writer", ["Draft: Cats are champion sleepers."]);
    const critic = member("critic", "Good draft. TERMINATE");
    const gc1 = new GroupChat({ agents: [me, writer.agent, critic], speaker_selection_method: "round_robin", max_round: 5 });
    const manager1 = new GroupChatManager({ name: "writing_manager", groupchat: gc1, is_termination_msg: endsWithTerminate });
    // Group 2: the initiator is not a member; the summary is a reflection over the group transcript.
    const editor = member("editor", "Final: Cats are champion sleepers, 16 hours a day.");
    const checker = member("checker", "Checked.");
    const summarizer = new ScriptedModelClient(["The post was edited and checked."]);
    const gc2 = new GroupChat({ agents: [editor, checker], speaker_selection_method: "round_robin", max_round: 3 });
    const manager2 = new GroupChatManager({ name: "review_manager", groupchat: gc2, llm_config: summarizer.llm_config() });

    const { io, result: results } = await capture(() =>
      me.initiate_chats([
        { recipient: researcher.agent, message: "Find a fact about cats.", max_turns: 1 },
        { recipient: manager1, message: "Write a one-line post." },
        { recipient: manager2, message: "Edit and check the post.", summary_method: "reflection_with_llm" },
      ]),
    );

    const first1 = "Write a one-line post.\nContext: \nCats sleep 16 hours a day. ";
    const first2 = `Edit and check the post.\nContext: \nCats sleep 16 hours a day. \nGood draft. `;
    expect(results.map((r) => r.summary)).toEqual(["Cats sleep 16 hours a day. ", "Good draft. ", "The post was edited and checked."]);

    // Group 1: transcript, every side's history, the writer's model request.
    expect(rnc(gc1.messages)).toEqual([
      ["user", "user", first1],
      ["user", "writer", "Draft: Cats are champion sleepers."],
      ["user", "critic", "Good draft. TERMINATE"],
    ]);
    expect(writer.model.requests[0].messages).toEqual([
      { content: "You are writer.", role: "system" },
      { content: first1, role: "user", name: "user" },
    ]);
    expect(rnc(results[1].chat_history)).toEqual([
      ["assistant", "user", first1],
      ["user", "writer", "Draft: Cats are champion sleepers."],
      ["user", "critic", "Good draft. TERMINATE"],
    ]);
    expect(manager1.termination_reason).toBe("Termination message condition on the GroupChatManager 'writing_manager' met");

    // Group 2: the initiator got nothing back; the reflection read the whole transcript.
    expect(rnc(gc2.messages)).toEqual([
      ["user", "user", first2],
      ["user", "editor", "Final: Cats are champion sleepers, 16 hours a day."],
      ["user", "checker", "Checked."],
    ]);
    expect(rnc(results[2].chat_history)).toEqual([["assistant", "user", first2]]);
    expect(summarizer.requests).toHaveLength(1);
    expect(summarizer.requests[0].messages).toEqual([
      { content: first2, role: "user", name: "user" },
      { content: "Final: Cats are champion sleepers, 16 hours a day.", role: "user", name: "editor" },
      { content: "Checked.", role: "user", name: "checker" },
      { role: "system", content: ConversableAgent.DEFAULT_SUMMARY_PROMPT },
    ]);

    expect(io.output).toBe(
      banner +
        block("user", "researcher", "Find a fact about cats.") +
        block("researcher", "user", "Cats sleep 16 hours a day. TERMINATE") +
        banner +
        block("user", "writing_manager", first1) +
        next("writer") +
        block("writer", "writing_manager", "Draft: Cats are champion sleepers.") +
        next("critic") +
        block("critic", "writing_manager", "Good draft. TERMINATE") +
        banner +
        block("user", "review_manager", first2) +
        next("editor") +
        block("editor", "review_manager", "Final: Cats are champion sleepers, 16 hours a day.") +
        next("checker") +
        block("checker", "review_manager", "Checked."),
    );
    expect(me.get_chat_results()).toEqual(results);
    for (const model of [researcher.model, writer.model, summarizer]) model.assert_consumed();
  });
});
