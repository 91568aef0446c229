import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  FileNotFoundError,
  ValueError,
  config_list_from_dotenv,
  config_list_from_json,
  config_list_from_models,
  config_list_openai_aoai,
  filter_config,
  get_config_list,
  get_first_llm_config,
  set_logger,
} from "ag2ts";

let dir: string;
const saved = { ...process.env };
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ag2ts-cfg-"));
  for (const k of ["OAI_CONFIG_LIST", "OPENAI_API_KEY", "OPENAI_API_BASE", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_API_BASE", "MY_KEY"]) delete process.env[k];
  set_logger(() => {});
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  process.env = { ...saved };
  set_logger(null);
});

const list = [
  { model: "gpt-4", api_key: "a", tags: ["x", "fast"] },
  { model: "gpt-4o", api_key: "b", tags: ["y"] },
  { model: "gpt-4", api_key: "c", api_type: "azure" },
];

test("filter_config: membership, tags intersection, null for missing keys, exclude", () => {
  expect(filter_config(list, { model: ["gpt-4"] })).toEqual([list[0], list[2]]);
  expect(filter_config(list, { tags: ["x"] })).toEqual([list[0]]);
  expect(filter_config(list, { api_type: [null, "y"] })).toEqual([list[0], list[1]]);
  expect(filter_config(list, { model: ["gpt-4"] }, { exclude: true })).toEqual([list[1]]);
  expect(filter_config(list, {})).toBe(list);
});

test("config_list_from_json reads the env var JSON, a file path held in it, or the file", () => {
  process.env.OAI_CONFIG_LIST = JSON.stringify(list);
  expect(config_list_from_json("OAI_CONFIG_LIST", { filter_dict: { model: ["gpt-4o"] } })).toEqual([list[1]]);
  const file = join(dir, "my_list.json");
  writeFileSync(file, JSON.stringify([list[0]]));
  process.env.OAI_CONFIG_LIST = file;
  expect(config_list_from_json("OAI_CONFIG_LIST")).toEqual([list[0]]);
  delete process.env.OAI_CONFIG_LIST;
  writeFileSync(join(dir, "OAI_CONFIG_LIST"), JSON.stringify(list));
  expect(config_list_from_json("OAI_CONFIG_LIST", { file_location: dir })).toEqual(list);
  expect(() => config_list_from_json("NOPE_LIST", { file_location: dir })).toThrow(
    new FileNotFoundError(`The specified config_list file '${join(dir, "NOPE_LIST")}' does not exist.`),
  );
});

test("a malformed OAI_CONFIG_LIST names the source and the entry", () => {
  process.env.OAI_CONFIG_LIST = "[{model: gpt-4}]";
  expect(() => config_list_from_json("OAI_CONFIG_LIST")).toThrow(/^Environment variable OAI_CONFIG_LIST is not valid JSON/);
  process.env.OAI_CONFIG_LIST = JSON.stringify([{ model: "gpt-4" }, { api_key: "sk-x" }]);
  expect(() => config_list_from_json("OAI_CONFIG_LIST")).toThrow(new ValueError('Environment variable OAI_CONFIG_LIST: entry 1 has no "model" (a string naming the model).'));
});

test("get_config_list skips blank keys and checks base_urls length", () => {
  expect(get_config_list(["k1", "  "], { api_type: "azure" })).toEqual([{ api_key: "k1", api_type: "azure" }]);
  expect(get_config_list(["k1", "k2"], { base_urls: ["u1", "u2"], api_version: "v" })).toEqual([
    { api_key: "k1", base_url: "u1", api_version: "v" },
    { api_key: "k2", base_url: "u2", api_version: "v" },
  ]);
  expect(() => get_config_list([], { base_urls: ["u"] })).toThrow(new ValueError("The length of api_keys must match the length of base_urls"));
});

test("config_list_openai_aoai and config_list_from_models read key files and env vars", () => {
  writeFileSync(join(dir, "key_openai.txt"), "sk-1\nsk-2\n");
  process.env.AZURE_OPENAI_API_KEY = "az-1";
  process.env.AZURE_OPENAI_API_BASE = "https://r.openai.azure.com";
  const both = config_list_openai_aoai({ key_file_path: dir });
  expect(both).toEqual([
    { api_key: "sk-1" },
    { api_key: "sk-2" },
    { api_key: "az-1", base_url: "https://r.openai.azure.com", api_type: "azure", api_version: "2024-02-01" },
  ]);
  expect(config_list_openai_aoai({ key_file_path: dir, exclude: "aoai" })).toEqual([{ api_key: "sk-1" }, { api_key: "sk-2" }]);
  expect(config_list_from_models({ key_file_path: dir, exclude: "aoai", model_list: ["a", "b"] })).toEqual([
    { api_key: "sk-1", model: "a" },
    { api_key: "sk-2", model: "a" },
    { api_key: "sk-1", model: "b" },
    { api_key: "sk-2", model: "b" },
  ]);
});

test("config_list_from_dotenv loads the file and maps models to keys", () => {
  const env = join(dir, ".env");
  writeFileSync(env, 'OPENAI_API_KEY=sk-dot\nMY_KEY="sk-mine"\n# comment\n');
  const configs = config_list_from_dotenv({
    dotenv_file_path: env,
    model_api_key_map: { "my-model": { api_key_env_var: "MY_KEY", base_url: "http://localhost:11434/v1" } },
  });
  expect(configs).toEqual([
    { api_key: "sk-mine", model: "my-model", base_url: "http://localhost:11434/v1" },
    { api_key: "sk-dot", model: "gpt-4" },
    { api_key: "sk-dot", model: "gpt-3.5-turbo" },
  ]);
});

test("get_first_llm_config", () => {
  expect(get_first_llm_config({ config_list: list })).toEqual(list[0]);
  expect(get_first_llm_config({ model: "m", temperature: 0 })).toEqual({ model: "m", temperature: 0 });
  expect(() => get_first_llm_config({ temperature: 0 })).toThrow(ValueError);
  expect(() => get_first_llm_config({ config_list: [] })).toThrow(ValueError);
});
