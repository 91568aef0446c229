import { IOStream, OpenAIWrapper, costWithPrice, lookupPrice } from "ag2ts";
import { CapturingIOStream, ScriptedModelClient } from "ag2ts/testing";

test("price tables: OpenAI seeds, corrected Anthropic prices, date suffix fallback", () => {
  expect(lookupPrice("openai", "gpt-4o")).toEqual([0.005, 0.015]);
  expect(lookupPrice("openai", "gpt-4o-2024-08-06")).toEqual([0.0025, 0.01]);
  expect(lookupPrice("openai", "gpt-35-turbo")).toEqual([0.0005, 0.0015]);
  expect(lookupPrice("openai", "gpt-4.1-2099-01-01")).toEqual([0.002, 0.008]);
  expect(lookupPrice("anthropic", "claude-sonnet-4-5-20250929")).toEqual([0.003, 0.015]);
  expect(lookupPrice("anthropic", "claude-3-7-sonnet-20250219")).toEqual([0.003, 0.015]);
  expect(lookupPrice("anthropic", "claude-haiku-4-5")).toEqual([0.001, 0.005]);
  expect(lookupPrice("anthropic", "claude-opus-4-5")).toEqual([0.005, 0.025]);
  expect(lookupPrice("anthropic", "claude-opus-4-1-20250805")).toEqual([0.015, 0.075]);
  expect(lookupPrice("anthropic", "claude-3-haiku-20240307")).toEqual([0.00025, 0.00125]);
  expect(lookupPrice("anthropic", "claude-3-5-haiku-20241022")).toEqual([0.0008, 0.004]);
  expect(lookupPrice("openai", "_comment")).toBeNull();
  expect(costWithPrice([1, 2], 10, 20)).toBe(0.05);
  expect(costWithPrice(0.002, 500, 500)).toBe(0.002);
});

test("print_usage_summary before any call", async () => {
  const model = new ScriptedModelClient({ script: [] });
  const client = new OpenAIWrapper(model.llm_config());
  const io = new CapturingIOStream();
  await IOStream.set_default(io, () => client.print_usage_summary());
  expect(io.output).toBe('No usage summary. Please call "create" first.\n');
});
