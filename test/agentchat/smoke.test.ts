import { AssistantAgent, IOStream, UserProxyAgent } from "ag2ts";
import { CapturingIOStream, ScriptedModelClient } from "ag2ts/testing";

describe("two-agent chat ported from AG2", () => {
  it("prints AG2's layout and stops after max_turns", async () => {
    const model = new ScriptedModelClient(["4", "Still 4.", "4\nTERMINATE"]);
    const assistant = new AssistantAgent("assistant", { llm_config: model.llm_config() });
    const user = new UserProxyAgent("user", { human_input_mode: "NEVER", code_execution_config: false, default_auto_reply: "Go on." });
    const io = new CapturingIOStream();
    const result = await IOStream.set_default(io, () => user.initiate_chat(assistant, { message: "What is 2+2?", max_turns: 3 }));
    const rule = "-".repeat(80);
    const block = (from: string, to: string, text: string) => `${from} (to ${to}):\n\n${text}\n\n${rule}\n`;
    expect(io.output).toBe(
      block("user", "assistant", "What is 2+2?") +
        block("assistant", "user", "4") +
        block("user", "assistant", "Go on.") +
        block("assistant", "user", "Still 4.") +
        block("user", "assistant", "Go on.") +
        block("assistant", "user", "4\nTERMINATE"),
    );
    expect(result.summary).toBe("4\n");
    expect(result.chat_history.map((m) => [m.role, m.name, m.content])).toEqual([
      ["assistant", "user", "What is 2+2?"],
      ["user", "assistant", "4"],
      ["assistant", "user", "Go on."],
      ["user", "assistant", "Still 4."],
      ["assistant", "user", "Go on."],
      ["user", "assistant", "4\nTERMINATE"],
    ]);
    expect(model.requests).toHaveLength(3);
    expect(model.requests[0].messages[0]).toEqual({ content: AssistantAgent.DEFAULT_SYSTEM_MESSAGE, role: "system" });
    model.assert_consumed();
  });
});
