// SQLite runtime logging against the built package under Deno (node:sqlite),
// run by .ci/after.d/50-sqlite-logging.sh. Node 20 has no node:sqlite, so jest cannot run this.
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AssistantAgent, InMemoryCache, IOStream, UserProxyAgent, runtime_logging } from "../../../dist/index.mjs";
import { CapturingIOStream, ScriptedModelClient } from "../../../dist/testing.mjs";

const failures = [];
function check(what, actual, expected) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) failures.push(`${what}: expected ${e}, got ${a}`);
  else console.log(`ok - ${what}`);
}

const dir = mkdtempSync(join(tmpdir(), "ag2ts-sqlite-"));
process.chdir(dir);
mkdirSync("migrations");
writeFileSync("migrations/002_add_note.sql", "ALTER TABLE agents ADD COLUMN note TEXT;");
const dbname = join(dir, "logs.db");

const session = await runtime_logging.start({ logger_type: "sqlite", config: { dbname } });
check("start returns a session id", typeof session === "string" && session.length === 36, true);
check("logging enabled", runtime_logging.logging_enabled(), true);

const model = new ScriptedModelClient({ script: ["4"] });
const assistant = new AssistantAgent("assistant", { llm_config: { config_list: [{ model: "scripted", model_client: model, api_key: "sk-secret" }] } });
const user = new UserProxyAgent("user", { human_input_mode: "NEVER", code_execution_config: false, max_consecutive_auto_reply: 0 });
user.register_for_execution()(function add({ a, b }) {
  return a + b;
});
const cache = new InMemoryCache();
const io = new CapturingIOStream();
await IOStream.set_default(io, () => user.initiate_chat(assistant, { message: "2+2?", cache }));
await IOStream.set_default(io, () => user.initiate_chat(assistant, { message: "2+2?", cache }));
await IOStream.set_default(io, () => user.execute_function({ name: "add", arguments: '{"a":2,"b":3}' }));

const con = runtime_logging.get_connection();
const tables = con.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((r) => r.name);
check("the seven tables exist", tables, ["agents", "chat_completions", "events", "function_calls", "oai_clients", "oai_wrappers", "version"]);
const completions = con.prepare("SELECT is_cached, cost, source_name, session_id, response FROM chat_completions ORDER BY id").all();
check("completions: an API answer then a cache hit", completions.map((r) => [r.is_cached, r.cost, r.source_name, r.session_id]), [
  [0, 0, "assistant", session],
  [1, 0, "assistant", session],
]);
check("response stored as indented JSON", JSON.parse(completions[1].response).choices[0].message.content, "4");
const agents = con.prepare("SELECT name, class, init_args FROM agents ORDER BY id").all();
check("agents", agents.map((r) => [r.name, r.class]), [["assistant", "AssistantAgent"], ["user", "UserProxyAgent"]]);
const secretRows = con.prepare("SELECT COUNT(*) AS n FROM agents WHERE init_args LIKE '%sk-secret%'").get().n +
  con.prepare("SELECT COUNT(*) AS n FROM oai_wrappers WHERE init_args LIKE '%sk-secret%'").get().n +
  con.prepare("SELECT COUNT(*) AS n FROM oai_clients WHERE init_args LIKE '%sk-secret%'").get().n;
check("no api_key stored", secretRows, 0);
check("one wrapper and one client", [
  con.prepare("SELECT COUNT(*) AS n FROM oai_wrappers").get().n,
  con.prepare("SELECT class FROM oai_clients").all().map((r) => r.class),
], [1, ["ScriptedModelClient"]]);
const received = con.prepare("SELECT source_name, agent_class_name, json_state FROM events WHERE event_name = 'received_message' ORDER BY id").all();
check("received_message events", received.map((r) => [r.source_name, r.agent_class_name, JSON.parse(r.json_state)]), [
  ["assistant", "AssistantAgent", { message: "2+2?", sender: "user", valid: true }],
  ["user", "UserProxyAgent", { message: "4", sender: "assistant", valid: true }],
  ["assistant", "AssistantAgent", { message: "2+2?", sender: "user", valid: true }],
  ["user", "UserProxyAgent", { message: "4", sender: "assistant", valid: true }],
]);
const finals = con.prepare("SELECT json_state FROM events WHERE event_name = 'reply_func_executed'").all().map((r) => JSON.parse(r.json_state)).filter((s) => s.final);
check("final reply functions", finals.map((s) => [s.reply_func_name, s.reply]), [
  ["generate_oai_reply", "4"],
  ["check_termination_and_human_reply", null],
  ["generate_oai_reply", "4"],
  ["check_termination_and_human_reply", null],
]);
check("function call", con.prepare("SELECT source_name, function_name, args, returns FROM function_calls").all().map((r) => ({ ...r })), [
  { source_name: "user", function_name: "add", args: '{"a":2,"b":3}', returns: "5" },
]);
check("migration 002 applied", [
  con.prepare("SELECT version_number FROM version").get().version_number,
  con.prepare("SELECT COUNT(*) AS n FROM pragma_table_info('agents') WHERE name = 'note'").get().n,
], [2, 1]);

await runtime_logging.stop();
check("logging disabled after stop", runtime_logging.logging_enabled(), false);

if (failures.length > 0) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log("sqlite logging ok");
