/**
 * Tokenizers for the token counting helpers (spec 60 §5), on js-tiktoken.
 *
 * An encoding's rank file (1-2 MB of JavaScript) is loaded the first time a
 * count needs it, never when ag2ts is imported:
 *  - in Node (the CommonJS build: `require("ag2ts")`, tslab notebooks, jest;
 *    and the ES module build, through `createRequire` on its own URL),
 *    synchronously on first use, so `count_token` is synchronous as in AG2;
 *  - in Deno there is no synchronous loader: the library's own async paths
 *    (TransformMessages, the token limiter, streamed usage) call
 *    `load_token_encoding` first; a script that calls `count_token` directly
 *    awaits `load_token_encoding(model)` once, or gets an error that says so.
 */
import { RuntimeError } from "../errors";
import { log } from "../warnings";

export type EncodingName = "cl100k_base" | "o200k_base" | "p50k_base" | "r50k_base";

/** The subset of js-tiktoken's Tiktoken the helpers use. */
export interface Encoding {
  readonly name: EncodingName;
  encode(text: string): number[];
  decode(tokens: number[]): string;
}

// tiktoken's model table: exact names first, then prefixes (tiktoken/model.py).
const MODEL_TO_ENCODING: Record<string, EncodingName> = {
  o1: "o200k_base",
  o3: "o200k_base",
  "o4-mini": "o200k_base",
  "gpt-5": "o200k_base",
  "gpt-4.1": "o200k_base",
  "gpt-4o": "o200k_base",
  "gpt-4": "cl100k_base",
  "gpt-3.5-turbo": "cl100k_base",
  "gpt-3.5": "cl100k_base",
  "gpt-35-turbo": "cl100k_base",
  "davinci-002": "cl100k_base",
  "babbage-002": "cl100k_base",
  "text-embedding-ada-002": "cl100k_base",
  "text-embedding-3-small": "cl100k_base",
  "text-embedding-3-large": "cl100k_base",
  "text-davinci-003": "p50k_base",
  "text-davinci-002": "p50k_base",
  "text-davinci-001": "r50k_base",
  "text-curie-001": "r50k_base",
  "text-babbage-001": "r50k_base",
  "text-ada-001": "r50k_base",
  davinci: "r50k_base",
  curie: "r50k_base",
  babbage: "r50k_base",
  ada: "r50k_base",
};
const PREFIX_TO_ENCODING: [string, EncodingName][] = [
  ["o1-", "o200k_base"],
  ["o3-", "o200k_base"],
  ["o4-mini-", "o200k_base"],
  ["gpt-5-", "o200k_base"],
  ["gpt-4.5-", "o200k_base"],
  ["gpt-4.1-", "o200k_base"],
  ["chatgpt-4o-", "o200k_base"],
  ["gpt-4o-", "o200k_base"],
  ["gpt-4-", "cl100k_base"],
  ["gpt-3.5-turbo-", "cl100k_base"],
  ["gpt-35-turbo-", "cl100k_base"],
  ["ft:gpt-4o", "o200k_base"],
  ["ft:gpt-4", "cl100k_base"],
  ["ft:gpt-3.5-turbo", "cl100k_base"],
  ["ft:davinci-002", "cl100k_base"],
  ["ft:babbage-002", "cl100k_base"],
];

/** tiktoken's `encoding_for_model`: the encoding name, or null for a model tiktoken does not know. */
export function encodingNameForModel(model: string): EncodingName | null {
  if (Object.prototype.hasOwnProperty.call(MODEL_TO_ENCODING, model)) return MODEL_TO_ENCODING[model];
  for (const [prefix, name] of PREFIX_TO_ENCODING) if (model.startsWith(prefix)) return name;
  return null;
}

/** The encoding a count for `model` uses: unknown models use cl100k_base (with AG2's warning when `warnUnknown`). */
function resolveName(model: string, warnUnknown: boolean): EncodingName {
  const name = encodingNameForModel(model);
  if (name !== null) return name;
  if (warnUnknown) log("warning", `Model ${model} not found. Using cl100k_base encoding.`);
  return "cl100k_base";
}

const ENCODING_NAMES: readonly EncodingName[] = ["cl100k_base", "o200k_base", "p50k_base", "r50k_base"];
const isEncodingName = (s: string): s is EncodingName => (ENCODING_NAMES as readonly string[]).includes(s);

// js-tiktoken's types, written out: its subpath exports do not resolve under
// the tests' Node10 module resolution.
type Ranks = { pat_str: string; special_tokens: Record<string, number>; bpe_ranks: string };
type LiteModule = { Tiktoken: new (ranks: Ranks) => { encode(text: string): number[]; decode(tokens: number[]): string } };

const loaded = new Map<EncodingName, Encoding>();
const loading = new Map<EncodingName, Promise<Encoding>>();

function make(name: EncodingName, lite: LiteModule, ranks: Ranks): Encoding {
  const tiktoken = new lite.Tiktoken(ranks);
  const encoding: Encoding = {
    name,
    encode: (text) => tiktoken.encode(text),
    decode: (tokens) => tiktoken.decode(tokens),
  };
  loaded.set(name, encoding);
  return encoding;
}

/**
 * The ES module build's own URL: rollup.config.mjs writes `import.meta.url`
 * in its place in the ES chunks (same length, so source maps stay exact).
 * Undefined in the CommonJS build and under ts-jest.
 */
declare const __ESM_URL_AG2__: string | undefined;

type Require = (id: string) => unknown;
let esmRequire: Require | null | undefined;

/**
 * A synchronous `require` for js-tiktoken: this module's own in the CommonJS
 * build (and jest, tslab); in Node's ES module build one made with
 * `createRequire` on the module's URL. Null in Deno, whose ES modules load
 * the encodings asynchronously (`load_token_encoding`).
 */
function syncRequire(): Require | null {
  if (typeof require === "function") return require as Require;
  if (esmRequire !== undefined) return esmRequire;
  esmRequire = null;
  const url = typeof __ESM_URL_AG2__ === "string" ? __ESM_URL_AG2__ : undefined;
  const proc = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process;
  if (url && !("Deno" in globalThis) && typeof proc?.getBuiltinModule === "function") {
    const nodeModule = proc.getBuiltinModule("node:module") as { createRequire(from: string): Require };
    esmRequire = nodeModule.createRequire(url);
  }
  return esmRequire;
}

// Static specifiers, so each rank file is its own lazily loaded module.
function requireRanks(req: (id: string) => unknown, name: EncodingName): Ranks {
  switch (name) {
    case "cl100k_base":
      return req("js-tiktoken/ranks/cl100k_base") as Ranks;
    case "o200k_base":
      return req("js-tiktoken/ranks/o200k_base") as Ranks;
    case "p50k_base":
      return req("js-tiktoken/ranks/p50k_base") as Ranks;
    case "r50k_base":
      return req("js-tiktoken/ranks/r50k_base") as Ranks;
  }
}

// `"..." as string` hides the specifier from the type checker only (see Ranks);
// the emitted code, and so rollup and bundlers, see the literal.
async function importRanks(name: EncodingName): Promise<Ranks> {
  const pick = (m: { default: Ranks } | Ranks): Ranks => ("default" in m ? (m as { default: Ranks }).default : (m as Ranks));
  switch (name) {
    case "cl100k_base":
      return pick(await import("js-tiktoken/ranks/cl100k_base" as string));
    case "o200k_base":
      return pick(await import("js-tiktoken/ranks/o200k_base" as string));
    case "p50k_base":
      return pick(await import("js-tiktoken/ranks/p50k_base" as string));
    case "r50k_base":
      return pick(await import("js-tiktoken/ranks/r50k_base" as string));
  }
}

/**
 * The encoding for `model` (synchronous). Loads it on first use where a
 * CommonJS `require` exists; otherwise it must have been loaded with
 * `load_token_encoding` first.
 */
export function encodingForModel(model: string, options: { warnUnknown?: boolean } = {}): Encoding {
  const name = resolveName(model, options.warnUnknown ?? true);
  const ready = loaded.get(name);
  if (ready) return ready;
  const req = syncRequire();
  if (req === null) {
    throw new RuntimeError(
      `Token counting for model ${model} needs the ${name} encoding, which is not loaded yet. ` +
        `In Deno encodings load asynchronously: call \`await load_token_encoding(${JSON.stringify(model)})\` once before counting.`,
      { encoding: name, model },
    );
  }
  return make(name, req("js-tiktoken/lite") as LiteModule, requireRanks(req, name));
}

/**
 * Loads the encoding `model` counts with (a model name such as "gpt-4o", or
 * an encoding name such as "o200k_base"), so that the synchronous counting
 * functions work in every build. Loading twice is free.
 */
export function load_token_encoding(model = "gpt-3.5-turbo-0613"): Promise<Encoding> {
  const name = isEncodingName(model) ? model : resolveName(model, false);
  const ready = loaded.get(name);
  if (ready) return Promise.resolve(ready);
  let pending = loading.get(name);
  if (!pending) {
    pending = (async () => {
      const lite = (await import("js-tiktoken/lite" as string)) as LiteModule;
      return loaded.get(name) ?? make(name, lite, await importRanks(name));
    })();
    pending.catch(() => loading.delete(name));
    loading.set(name, pending);
  }
  return pending;
}

/** Whether the encoding `model` counts with is loaded (test and diagnostics aid). */
export function isEncodingLoaded(model: string): boolean {
  return loaded.has(isEncodingName(model) ? model : resolveName(model, false));
}
