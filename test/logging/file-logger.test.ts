import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import {
  AssistantAgent,
  FileLogger,
  InMemoryCache,
  IOStream,
  SQLITE_UNAVAILABLE,
  UserProxyAgent,
  runtime_logging,
  set_logger,
  type BaseLogger,
  type ChatCompletionLog,
} from "ag2ts";
import { CapturingIOStream, ScriptedModelClient } from "ag2ts/testing";

const cwd = process.cwd();
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "ag2ts-logging-"));
  process.chdir(dir);
});
afterEach(async () => {
  await runtime_logging.stop();
  process.chdir(cwd);
  set_logger(null);
});

const quietly = <T>(fn: () => Promise<T>) => IOStream.set_default(new CapturingIOStream(), fn);
type Line = Record<string, unknown>;

function team(script: unknown[]) {
  const failing = new ScriptedModelClient({ script: [{ error: Object.assign(new Error("slow down"), { status: 429, code: "rate_limit_exceeded" }) }] });
  const model = new ScriptedModelClient({ script: script as never[] });
  const assistant = new AssistantAgent("assistant", {
    llm_config: {
      config_list: [
        { model: "scripted", model_client: failing, api_key: "sk-secret-one", base_url: "http://127.0.0.1:9/v1" },
        { model: "scripted", model_client: model, api_key: "sk-secret-two" },
      ],
      temperature: 0,
    },
  });
  const user = new UserProxyAgent("user", { human_input_mode: "NEVER", code_execution_config: false, max_consecutive_auto_reply: 0 });
  return { assistant, user, model, failing };
}

describe("FileLogger through runtime_logging (spec 60 §4)", () => {
  it("writes the session line, then one JSON line per agent, wrapper, client, completion, event and function use; no secrets", async () => {
    const session = await runtime_logging.start({ logger_type: "file", config: { filename: "t.log" } });
    expect(session).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(runtime_logging.logging_enabled()).toBe(true);
    expect(runtime_logging.get_connection()).toBeNull();

    const { assistant, user } = team(["4", "Weather called."]);
    user.register_for_execution()(function get_weather({ city }: { city: string }) {
      return { city, sky: "sunny" };
    });
    const cache = new InMemoryCache();
    await quietly(() => user.initiate_chat(assistant, { message: "2+2?", cache }));
    // The same chat again: answered from the cache, no model call.
    await quietly(() => user.initiate_chat(assistant, { message: "2+2?", cache }));
    await quietly(() => user.execute_function({ name: "get_weather", arguments: '{"city":"Paris"}' }));
    await runtime_logging.stop();
    expect(runtime_logging.logging_enabled()).toBe(false);

    const text = readFileSync(path.join(dir, "autogen_logs", "t.log"), "utf8");
    expect(text).not.toContain("sk-secret");
    expect(text).not.toContain("127.0.0.1:9");
    const [first, ...rest] = text.trimEnd().split("\n");
    expect(first).toBe(`Started new session with Session ID: ${session}`);
    const lines = rest.map((l) => JSON.parse(l) as Line);

    const wrappers = lines.filter((l) => "json_state" in l && "wrapper_id" in l && !("client_id" in l) && !("event_name" in l));
    expect(wrappers).toHaveLength(1);
    expect(JSON.parse(wrappers[0].json_state as string)).toMatchObject({
      config_list: [{ model: "scripted" }, { model: "scripted" }],
      temperature: 0,
    });
    const clients = lines.filter((l) => "client_id" in l && "class" in l);
    expect(clients.map((c) => [c.class, c.wrapper_id])).toEqual([
      ["ScriptedModelClient", wrappers[0].wrapper_id],
      ["ScriptedModelClient", wrappers[0].wrapper_id],
    ]);

    const agents = lines.filter((l) => "agent_name" in l);
    expect(agents.map((a) => [a.agent_name, a.agent_type, a.session_id, a.thread_id])).toEqual([
      ["assistant", "AssistantAgent", session, 0],
      ["user", "UserProxyAgent", session, 0],
    ]);
    expect(agents[0].wrapper_id).toBe(wrappers[0].wrapper_id);
    expect(agents[1].wrapper_id).toBe("");
    expect((agents[1].args as Line).human_input_mode).toBe("NEVER");
    expect(agents[0].current_time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/);

    const completions = lines.filter((l) => "invocation_id" in l);
    expect(completions.map((c) => [c.response, c.is_cached, c.cost, c.source_name, c.client_id])).toEqual([
      ["error_code:rate_limit_exceeded, config 0 failed", 0, 0, "assistant", clients[0].client_id],
      [expect.stringContaining('"content":"4"'), 0, 0, "assistant", clients[1].client_id],
      // The cache key ignores which client answered, so the first entry's lookup already hits.
      [expect.stringContaining('"content":"4"'), 1, 0, "assistant", clients[0].client_id],
    ]);
    const request = completions[1].request as { messages: Line[]; model: string; temperature: number };
    expect(request.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(request.messages[1]).toEqual({ content: "2+2?", name: "user", role: "user" });
    expect([request.model, request.temperature]).toEqual(["scripted", 0]);
    expect(completions[0].invocation_id).not.toBe(completions[1].invocation_id);
    expect(completions.every((c) => c.thread_id === 0 && typeof c.start_time === "string" && typeof c.end_time === "string")).toBe(true);

    const events = lines.filter((l) => "event_name" in l);
    const received = events.filter((e) => e.event_name === "received_message");
    expect(received.map((e) => [e.source_name, e.agent_class, JSON.parse(e.json_state as string)])).toEqual([
      ["assistant", "AssistantAgent", { message: "2+2?", sender: "user", valid: true }],
      ["user", "UserProxyAgent", { message: "4", sender: "assistant", valid: true }],
      ["assistant", "AssistantAgent", { message: "2+2?", sender: "user", valid: true }],
      ["user", "UserProxyAgent", { message: "4", sender: "assistant", valid: true }],
    ]);
    const executed = events.filter((e) => e.event_name === "reply_func_executed").map((e) => [e.source_name, JSON.parse(e.json_state as string)]);
    expect(executed.slice(0, 4)).toEqual([
      ["assistant", { reply_func_module: "ag2ts", reply_func_name: "check_termination_and_human_reply", final: false, reply: null }],
      ["assistant", { reply_func_module: "ag2ts", reply_func_name: "generate_function_call_reply", final: false, reply: null }],
      ["assistant", { reply_func_module: "ag2ts", reply_func_name: "generate_tool_calls_reply", final: false, reply: null }],
      ["assistant", { reply_func_module: "ag2ts", reply_func_name: "generate_oai_reply", final: true, reply: "4" }],
    ]);
    expect(executed[4]).toEqual(["user", { reply_func_module: "ag2ts", reply_func_name: "check_termination_and_human_reply", final: true, reply: null }]);

    const uses = lines.filter((l) => "input_args" in l);
    expect(uses.map((u) => [u.source_name, u.agent_class, u.input_args, u.returns])).toEqual([
      ["user", "UserProxyAgent", '{"city":"Paris"}', '{"city":"Paris","sky":"sunny"}'],
    ]);
  });

  it("logs nothing once stopped, and start() with a custom logger uses it", async () => {
    const calls: string[] = [];
    const recorder: BaseLogger = {
      start: () => "custom-session",
      stop: () => void calls.push("stop"),
      get_connection: () => "conn",
      log_chat_completion: (r: ChatCompletionLog) => void calls.push(`completion ${r.is_cached}`),
      log_new_agent: (a) => void calls.push(`agent ${a.name}`),
      log_event: (s, n) => void calls.push(`event ${typeof s === "string" ? s : s.name} ${n}`),
      log_new_wrapper: () => void calls.push("wrapper"),
      log_new_client: () => void calls.push("client"),
      log_function_use: () => void calls.push("function"),
    };
    expect(await runtime_logging.start({ logger: recorder })).toBe("custom-session");
    expect(runtime_logging.get_connection()).toBe("conn");
    new UserProxyAgent("u1", { code_execution_config: false });
    await runtime_logging.stop();
    new UserProxyAgent("u2", { code_execution_config: false });
    expect(calls).toEqual(["agent u1", "stop"]);
    expect(runtime_logging.logging_enabled()).toBe(false);
  });
});

describe("SQLite logger on a runtime without node:sqlite (Node 20)", () => {
  const hasSqlite = (() => {
    try {
      require("node:sqlite");
      return true;
    } catch {
      return false;
    }
  })();

  it("start() resolves to null, logs why, and leaves logging off", async () => {
    // CI runs jest on Node 20; the SQLite logger itself is tested under Deno (.ci/after.d/50-sqlite-logging.sh).
    expect(hasSqlite).toBe(false);
    const logs: string[] = [];
    set_logger((level, message) => logs.push(`${level}: ${message}`));
    expect(await runtime_logging.start()).toBeNull();
    expect(runtime_logging.logging_enabled()).toBe(false);
    expect(logs).toEqual([`error: [runtime logging] Failed to start logging: ${SQLITE_UNAVAILABLE}`]);
    expect(SQLITE_UNAVAILABLE).toBe("SQLite logging needs node:sqlite (Node >= 22.5 or Deno); use logger_type 'file'");
  });

  it("FileLogger can be built directly and started later", async () => {
    const logger = new FileLogger({ filename: "direct.log" });
    expect(logger.log_file).toBeNull();
    const id = await runtime_logging.start({ logger });
    expect(id).toBe(logger.session_id);
    expect(logger.log_file).toBe(path.join(dir, "autogen_logs", "direct.log"));
  });
});
