// Tool use with a JSON schema, ported from AG2's tool-use example:
//   @user_proxy.register_for_execution()
//   @assistant.register_for_llm(description="Current temperature in a city.")
//   def get_weather(city: Annotated[str, "City name"], unit: Literal["C", "F"] = "C") -> str: ...
//
// TypeScript has no runtime types, so the tool's parameters are given as a
// JSON Schema (or generated from the TypeScript type by `ag2ts-schemas`, see
// README). The decorators become plain function calls.
// With OPENAI_API_KEY set it talks to OpenAI; otherwise a scripted model answers.
import { AssistantAgent, UserProxyAgent } from "../dist/index.mjs";
import { ScriptedModelClient } from "../dist/testing.mjs";

function get_weather({ city, unit = "C" }) {
  const celsius = city === "Paris" ? 18 : 25;
  return unit === "F" ? `${Math.round((celsius * 9) / 5 + 32)}F in ${city}` : `${celsius}C in ${city}`;
}

const llm_config = process.env.OPENAI_API_KEY
  ? { config_list: [{ model: "gpt-4o-mini", api_key: process.env.OPENAI_API_KEY }] }
  : new ScriptedModelClient([
      { tool_calls: [{ name: "get_weather", arguments: { city: "Paris", unit: "F" } }] },
      "It is 64F in Paris.\nTERMINATE",
    ]).llm_config();

const assistant = new AssistantAgent("assistant", {
  system_message: "Answer weather questions with the get_weather tool. Reply TERMINATE when done.",
  llm_config,
});
const user_proxy = new UserProxyAgent("user_proxy", {
  human_input_mode: "NEVER",
  code_execution_config: false,
  is_termination_msg: (m) => typeof m.content === "string" && m.content.trimEnd().endsWith("TERMINATE"),
});

// The two decorators of the Python example, as function calls.
user_proxy.register_for_execution()(
  assistant.register_for_llm({
    description: "Current temperature in a city.",
    parameters: {
      type: "object",
      properties: {
        city: { type: "string", description: "City name" },
        unit: { type: "string", enum: ["C", "F"], description: "Temperature unit" },
      },
      required: ["city"],
    },
  })(get_weather),
);

const result = await user_proxy.initiate_chat(assistant, { message: "How warm is it in Paris, in Fahrenheit?" });
const tool_answer = result.chat_history.find((m) => m.role === "tool");
console.log(`Tool answered: ${tool_answer?.content}`);
console.log(`Summary: ${result.summary}`);
