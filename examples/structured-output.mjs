// Structured outputs, ported from AG2's structured-output notebook:
//   class Step(BaseModel): explanation: str; output: str
//   class MathReasoning(BaseModel):
//       steps: list[Step]; final_answer: str
//       def format(self) -> str: ...
//   llm_config = {"config_list": [...], "response_format": MathReasoning}
//
// TypeScript has no Pydantic: the schema is a JSON schema object (a zod
// schema works too), and its format() method turns the checked reply into the
// text the agent sends, as AG2's format() does. A reply that does not match
// the schema is a StructuredOutputError naming it.
// With OPENAI_API_KEY set it talks to OpenAI; otherwise a scripted model answers.
import { AssistantAgent, UserProxyAgent } from "../dist/index.mjs";
import { ScriptedModelClient } from "../dist/testing.mjs";

const MathReasoning = {
  title: "MathReasoning",
  type: "object",
  properties: {
    steps: {
      type: "array",
      items: { type: "object", properties: { explanation: { type: "string" }, output: { type: "string" } } },
    },
    final_answer: { type: "string" },
  },
  format(value) {
    const steps = value.steps.map((s, i) => `Step ${i + 1}: ${s.explanation}\n  Output: ${s.output}`).join("\n");
    return `${steps}\nFinal Answer: ${value.final_answer}`;
  },
};

const models = process.env.OPENAI_API_KEY
  ? { config_list: [{ model: "gpt-4o-mini", api_key: process.env.OPENAI_API_KEY }] }
  : new ScriptedModelClient([
      JSON.stringify({
        steps: [
          { explanation: "Subtract 7 from both sides.", output: "8x = -30" },
          { explanation: "Divide both sides by 8.", output: "x = -3.75" },
        ],
        final_answer: "x = -3.75",
      }),
    ]).llm_config();

const assistant = new AssistantAgent("Math_solver", {
  system_message: "You are a math tutor. Solve the equation step by step.",
  llm_config: { ...models, response_format: MathReasoning },
});
const user_proxy = new UserProxyAgent("User_proxy", { human_input_mode: "NEVER", code_execution_config: false });

const result = await user_proxy.initiate_chat(assistant, { message: "how can I solve 8x + 7 = -23", max_turns: 1 });
console.log(`Answer: ${result.chat_history.at(-1)?.content.split("\n").at(-1)}`);
