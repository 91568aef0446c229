/**
 * config_list helpers (spec 40 §4, AG2 `openai_utils`): build and filter
 * lists of endpoint configs from JSON, files, environment variables and .env.
 */
import { FileNotFoundError, ValueError } from "../errors";
import { log, warn } from "../warnings";
import type { LLMConfig, LLMConfigEntry } from "./config-keys";
import { env, nodeSync } from "./node-sync";

export type FilterDict = Record<string, unknown> | null | undefined;

function satisfies(value: unknown, criteria: unknown): boolean {
  if (Array.isArray(value)) {
    return Array.isArray(criteria) ? value.some((v) => criteria.includes(v)) : value.includes(criteria);
  }
  if (value === undefined || value === null) return Array.isArray(criteria) && criteria.includes(null);
  if (!Array.isArray(criteria)) return value === criteria;
  return criteria.includes(value);
}

/** Keeps the configs matching every key of `filter_dict` (or, with `exclude`, drops those matching any). */
export function filter_config(
  config_list: LLMConfigEntry[],
  filter_dict: FilterDict,
  options: { exclude?: boolean } = {},
): LLMConfigEntry[] {
  if (!filter_dict || Object.keys(filter_dict).length === 0) return config_list;
  const exclude = options.exclude ?? false;
  return config_list.filter((config) => {
    const results = Object.entries(filter_dict).map(([key, criteria]) => satisfies(config[key], criteria));
    return exclude ? !results.some(Boolean) : results.every(Boolean);
  });
}

function parseConfigList(text: string, source: string): LLMConfigEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ValueError(`${source} is not valid JSON (${(err as Error).message}). It must hold a JSON array of config objects.`, { cause: err });
  }
  if (!Array.isArray(parsed)) throw new ValueError(`${source} must hold a JSON array of config objects, got ${typeof parsed}.`);
  parsed.forEach((entry, i) => {
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      throw new ValueError(`${source}: entry ${i} must be an object such as {"model": "gpt-4o", "api_key": "..."}.`);
    }
    if (typeof (entry as LLMConfigEntry).model !== "string" && !("model_client_cls" in entry)) {
      throw new ValueError(`${source}: entry ${i} has no "model" (a string naming the model).`);
    }
  });
  return parsed as LLMConfigEntry[];
}

/**
 * Reads a config list from the env var `env_or_file` (JSON, or a path to a
 * JSON file) or else from the file `file_location/env_or_file`.
 */
export function config_list_from_json(
  env_or_file: string,
  options: { file_location?: string | null; filter_dict?: FilterDict } = {},
): LLMConfigEntry[] {
  const { fs, path } = nodeSync();
  const fromEnv = env()[env_or_file];
  let list: LLMConfigEntry[];
  if (fromEnv !== undefined && fromEnv !== "") {
    if (fs.existsSync(fromEnv) && fs.statSync(fromEnv).isFile()) {
      list = parseConfigList(fs.readFileSync(fromEnv, "utf8"), `The config_list file '${fromEnv}' (from env var ${env_or_file})`);
    } else {
      list = parseConfigList(fromEnv, `Environment variable ${env_or_file}`);
    }
  } else {
    const file = path.join(options.file_location ?? "", env_or_file);
    if (!fs.existsSync(file)) throw new FileNotFoundError(`The specified config_list file '${file}' does not exist.`);
    list = parseConfigList(fs.readFileSync(file, "utf8"), `The config_list file '${file}'`);
  }
  return filter_config(list, options.filter_dict);
}

/** One config per non-blank API key, paired with the base URL of the same index. */
export function get_config_list(
  api_keys: string[],
  options: { base_urls?: string[] | null; api_type?: string | null; api_version?: string | null } = {},
): LLMConfigEntry[] {
  const { base_urls = null, api_type = null, api_version = null } = options;
  if (base_urls !== null && base_urls.length !== api_keys.length) {
    throw new ValueError("The length of api_keys must match the length of base_urls");
  }
  const out: LLMConfigEntry[] = [];
  api_keys.forEach((key, i) => {
    if (!key || key.trim() === "") return;
    const config: LLMConfigEntry = { api_key: key };
    if (base_urls) config.base_url = base_urls[i];
    if (api_type) config.api_type = api_type;
    if (api_version) config.api_version = api_version;
    out.push(config);
  });
  return out;
}

export interface KeyFileOptions {
  key_file_path?: string | null;
  openai_api_key_file?: string | null;
  aoai_api_key_file?: string | null;
  openai_api_base_file?: string | null;
  aoai_api_base_file?: string | null;
  exclude?: "openai" | "aoai" | null;
}

function readKeyFile(dir: string | null, name: string | null | undefined): string | undefined {
  if (dir === null || name === null || name === undefined) return undefined;
  const { fs, path } = nodeSync();
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) {
    log("info", `Config file ${file} not found; using the environment instead.`);
    return undefined;
  }
  return fs.readFileSync(file, "utf8").trim();
}

function lines(value: string | undefined): string[] {
  return value === undefined || value === "" ? [] : value.split("\n").map((l) => l.trim());
}

/** OpenAI configs then Azure OpenAI configs, from key/base files or OPENAI_* / AZURE_OPENAI_* env vars. */
export function config_list_openai_aoai(options: KeyFileOptions = {}): LLMConfigEntry[] {
  const dir = options.key_file_path === undefined ? "." : options.key_file_path;
  const e = env();
  const openaiKey = readKeyFile(dir, options.openai_api_key_file === undefined ? "key_openai.txt" : options.openai_api_key_file) ?? e.OPENAI_API_KEY;
  const aoaiKey = readKeyFile(dir, options.aoai_api_key_file === undefined ? "key_aoai.txt" : options.aoai_api_key_file) ?? e.AZURE_OPENAI_API_KEY;
  const openaiBase = readKeyFile(dir, options.openai_api_base_file === undefined ? "base_openai.txt" : options.openai_api_base_file) ?? e.OPENAI_API_BASE;
  const aoaiBase = readKeyFile(dir, options.aoai_api_base_file === undefined ? "base_aoai.txt" : options.aoai_api_base_file) ?? e.AZURE_OPENAI_API_BASE;
  const aoai =
    options.exclude === "aoai"
      ? []
      : get_config_list(lines(aoaiKey), { base_urls: lines(aoaiBase), api_type: "azure", api_version: "2024-02-01" });
  let openai: LLMConfigEntry[] = [];
  if (options.exclude !== "openai") {
    const keys = lines(openaiKey);
    const bases = lines(openaiBase);
    openai = get_config_list(keys, { base_urls: bases.length > 0 ? bases : null });
  }
  return [...openai, ...aoai];
}

/** `config_list_openai_aoai`, each config cloned for every model of `model_list` (model-major). */
export function config_list_from_models(options: KeyFileOptions & { model_list?: string[] | null } = {}): LLMConfigEntry[] {
  const { model_list = null, ...rest } = options;
  const base = config_list_openai_aoai(rest);
  if (!model_list) return base;
  return model_list.flatMap((model) => base.map((config) => ({ ...config, model })));
}

export function config_list_gpt4_gpt35(options: KeyFileOptions = {}): LLMConfigEntry[] {
  return config_list_from_models({ ...options, model_list: ["gpt-4", "gpt-3.5-turbo"] });
}

function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2].trim();
    const quoted = /^(['"])(.*)\1$/s.exec(value);
    if (quoted) value = quoted[1] === '"' ? quoted[2].replace(/\\n/g, "\n") : quoted[2];
    else value = value.replace(/\s+#.*$/, "");
    out[match[1]] = value;
  }
  return out;
}

function findDotenv(): string | null {
  const { fs, path } = nodeSync();
  let dir = (globalThis as { process?: { cwd(): string } }).process?.cwd() ?? ".";
  for (;;) {
    const candidate = path.join(dir, ".env");
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

type KeyMapValue = string | { api_key_env_var?: string; base_url?: string; api_type?: string; api_version?: string };

/** Configs from a .env file and a map of model -> env var name of its key (or an object of settings). */
export function config_list_from_dotenv(
  options: { dotenv_file_path?: string | null; model_api_key_map?: Record<string, KeyMapValue> | null; filter_dict?: FilterDict } = {},
): LLMConfigEntry[] {
  const { fs } = nodeSync();
  const e = env();
  const file = options.dotenv_file_path ?? findDotenv();
  if (file && fs.existsSync(file)) {
    for (const [k, v] of Object.entries(parseDotenv(fs.readFileSync(file, "utf8")))) if (e[k] === undefined) e[k] = v;
  } else {
    warn(file ? `The specified .env file ${file} does not exist.` : "No .env file found. Loading configurations from environment variables.");
  }
  const map: Record<string, KeyMapValue> = { ...(options.model_api_key_map ?? {}) };
  for (const model of ["gpt-4", "gpt-3.5-turbo"]) if (!(model in map)) map[model] = "OPENAI_API_KEY";
  const out: LLMConfigEntry[] = [];
  for (const [model, value] of Object.entries(map)) {
    const settings = typeof value === "string" ? { api_key_env_var: value } : value;
    const keyVar = settings.api_key_env_var ?? "OPENAI_API_KEY";
    const key = e[keyVar];
    if (!key || key.trim() === "") {
      warn(`The API key specified in ${keyVar} is not set or is blank; skipping the config of model ${model}.`);
      continue;
    }
    const config: LLMConfigEntry = { api_key: key, model };
    for (const field of ["base_url", "api_type", "api_version"] as const) {
      const name = settings[field];
      if (typeof name === "string") config[field] = e[name] ?? name;
    }
    out.push(config);
  }
  const filtered = filter_config(out, options.filter_dict);
  if (filtered.length === 0) log("error", "No configurations loaded.");
  return filtered;
}

/** The first config of an llm_config (spec 40 §4), as a copy. */
export function get_first_llm_config(llm_config: LLMConfig): LLMConfigEntry {
  const copy = JSON.parse(JSON.stringify(llm_config ?? {})) as LLMConfig;
  const list = copy.config_list;
  if (list === undefined || list === null) {
    if (typeof copy.model === "string") return copy as LLMConfigEntry;
    throw new ValueError("llm_config has no config_list and no model: add one of them.");
  }
  if (list.length === 0) throw new ValueError("llm_config's config_list is empty: add at least one entry.");
  return list[0];
}
