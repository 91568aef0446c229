import { ConversableAgent, IOInputProvider, IOStream } from "ag2ts";

describe("IOInputProvider", () => {
  it("answers human input from a function and echoes prompt and answer to stdout", async () => {
    const prompts: string[] = [];
    const answers = ["Looks good", "exit"];
    const io = new IOInputProvider((prompt) => {
      prompts.push(prompt);
      return answers.shift() ?? "exit";
    });
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const human = new ConversableAgent("human", { human_input_mode: "ALWAYS", llm_config: false });
      const bot = new ConversableAgent("bot", { human_input_mode: "NEVER", llm_config: false, default_auto_reply: "Noted." });
      const result = await IOStream.set_default(io, () => human.initiate_chat(bot, { message: "Draft ready." }));
      expect(result.human_input).toEqual(["Looks good", "exit"]);
      expect(result.chat_history.map((m) => m.content)).toEqual(["Draft ready.", "Noted.", "Looks good", "Noted."]);
      const prompt = "Replying as human. Give feedback to bot. Press enter to skip and use auto-reply, or type 'exit' to end the conversation: ";
      expect(prompts).toEqual([prompt, prompt]);
      const text = written.join("");
      expect(text).toContain(`${prompt}Looks good\n`);
      expect(text).toContain(`${prompt}exit\n`);
    } finally {
      spy.mockRestore();
    }
  });

  it("does not echo a password answer", async () => {
    const io = new IOInputProvider(() => "s3cret");
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      await expect(io.input("Key: ", { password: true })).resolves.toBe("s3cret");
      expect(written.join("")).toBe("Key: \n");
    } finally {
      spy.mockRestore();
    }
  });
});
