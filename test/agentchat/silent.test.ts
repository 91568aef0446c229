import { AssistantAgent, ConversableAgent, subscribe_events, type AG2Event } from "ag2ts";
import { ScriptedModelClient } from "ag2ts/testing";
import { block, capture } from "./helpers";

describe("silent", () => {
  it("an agent with silent: true suppresses printing of its messages by the receiver", async () => {
    const quiet = new ConversableAgent("quiet", { human_input_mode: "NEVER", silent: true });
    const loud = new ConversableAgent("loud", { human_input_mode: "NEVER" });
    const { io } = await capture(async () => {
      await quiet.send("psst", loud);
      await loud.send("HELLO", quiet);
      await quiet.send("psst again", loud, { silent: false });
    });
    expect(io.output).toBe(block("loud", "quiet", "HELLO"));
    expect(loud.chat_messages.get(quiet)?.map((m) => m.content)).toEqual(["psst", "HELLO", "psst again"]);
  });

  it("initiate_chat with silent: true prints nothing and keeps the history", async () => {
    const model = new ScriptedModelClient(["r1", "TERMINATE"]);
    const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config() });
    const user = new ConversableAgent("user", { human_input_mode: "NEVER", default_auto_reply: "more" });
    const { io, result } = await capture(() => user.initiate_chat(assistant, { message: "hi", silent: true }));
    expect(io.output).toBe("");
    expect(result.chat_history.map((m) => m.content)).toEqual(["hi", "r1", "more", "TERMINATE"]);
    model.assert_consumed();
  });

  it("an agent-level silent: false overrides the chat's silent: true for that agent's messages", async () => {
    const model = new ScriptedModelClient(["r1", "TERMINATE"]);
    const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config() });
    const user = new ConversableAgent("user", { human_input_mode: "NEVER", default_auto_reply: "more", silent: false });
    const { io } = await capture(() => user.initiate_chat(assistant, { message: "hi", silent: true }));
    expect(io.output).toBe(block("user", "assistant", "hi") + block("user", "assistant", "more"));
    model.assert_consumed();
  });

  it("silent messages are still emitted as events, just not printed", async () => {
    const quiet = new ConversableAgent("quiet", { human_input_mode: "NEVER", silent: true });
    const loud = new ConversableAgent("loud", { human_input_mode: "NEVER" });
    const events: AG2Event[] = [];
    const { io } = await capture(() => subscribe_events((e) => events.push(e), () => quiet.send("psst", loud)));
    expect(io.output).toBe("");
    expect(events).toStrictEqual([
      { type: "sent_message", sender: "quiet", recipient: "loud", message: { content: "psst", role: "assistant", name: "quiet" }, path: [] },
      { type: "received_message", sender: "quiet", recipient: "loud", message: { content: "psst", role: "user", name: "quiet" }, content: "psst", path: [] },
    ]);
  });
});
