/**
 * Protocol-faithful fake model servers on 127.0.0.1 (random port) for the
 * real `openai` and `@anthropic-ai/sdk` clients: JSON bodies, SSE streams and
 * error bodies as the APIs send them.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: Record<string, any>;
}

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  /** Server-sent events: `event` lines are written when given. */
  sse?: Array<{ event?: string; data: unknown }>;
  /** Wait before answering (for timeouts and aborts). */
  delayMs?: number;
}

export type Step = FakeReply | ((request: RecordedRequest) => FakeReply);

export class FakeServer {
  readonly requests: RecordedRequest[] = [];
  private readonly steps: Step[] = [];
  private fallback: Step | null = null;
  private readonly responses = new Set<ServerResponse>();

  private constructor(private readonly server: Server) {}

  static async start(fallback: Step | null = null): Promise<FakeServer> {
    let fake!: FakeServer;
    const server = createServer((req, res) => void fake.handle(req, res));
    fake = new FakeServer(server);
    fake.fallback = fallback;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return fake;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Replies used in order, one per request; after them the fallback answers. */
  enqueue(...steps: Step[]): this {
    this.steps.push(...steps);
    return this;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const recorded: RecordedRequest = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: text ? JSON.parse(text) : {} };
    this.requests.push(recorded);
    const step = this.steps.shift() ?? this.fallback;
    if (!step) {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "fake server: no reply scripted", type: "server_error", param: null, code: null } }));
      return;
    }
    const reply = typeof step === "function" ? step(recorded) : step;
    this.responses.add(res);
    res.on("close", () => this.responses.delete(res));
    if (reply.delayMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, reply.delayMs);
        res.on("close", () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (res.destroyed) return;
    if (reply.sse) {
      res.writeHead(reply.status ?? 200, { "content-type": "text/event-stream", "cache-control": "no-cache", ...reply.headers });
      for (const event of reply.sse) {
        const data = typeof event.data === "string" ? event.data : JSON.stringify(event.data);
        res.write(`${event.event ? `event: ${event.event}\n` : ""}data: ${data}\n\n`);
      }
      res.end();
      return;
    }
    res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
    res.end(JSON.stringify(reply.json ?? {}));
  }

  async close(): Promise<void> {
    for (const res of this.responses) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let counter = 0;

/** A chat.completion body. */
export function chatCompletion(options: {
  content?: string | null;
  tool_calls?: Array<{ id: string; name: string; arguments: string }>;
  model?: string;
  prompt_tokens?: number;
  completion_tokens?: number;
}): FakeReply {
  const prompt_tokens = options.prompt_tokens ?? 10;
  const completion_tokens = options.completion_tokens ?? 5;
  const tool_calls = options.tool_calls?.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } }));
  return {
    json: {
      id: `chatcmpl-${++counter}`,
      object: "chat.completion",
      created: 1700000000,
      model: options.model ?? "gpt-4o-mini-2024-07-18",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: options.content ?? null, refusal: null, ...(tool_calls ? { tool_calls } : {}) },
          logprobs: null,
          finish_reason: tool_calls ? "tool_calls" : "stop",
        },
      ],
      usage: { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens },
      system_fingerprint: "fp_fake",
    },
  };
}

/** An OpenAI error body with its status. */
export function openaiError(status: number, message: string, options: { code?: string | null; type?: string; headers?: Record<string, string> } = {}): FakeReply {
  return {
    status,
    headers: options.headers,
    json: { error: { message, type: options.type ?? "invalid_request_error", param: null, code: options.code ?? null } },
  };
}

/** chat.completion.chunk events ending with `[DONE]`. */
export function chatStream(deltas: Array<Record<string, unknown>>, options: { model?: string; finish_reason?: string; usage?: Record<string, number> } = {}): FakeReply {
  const model = options.model ?? "gpt-4o-mini-2024-07-18";
  const base = { id: "chatcmpl-stream", object: "chat.completion.chunk", created: 1700000000, model, system_fingerprint: "fp_fake" };
  const events: Array<{ data: unknown }> = [
    { data: { ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }] } },
    ...deltas.map((delta) => ({ data: { ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: null }] } })),
    { data: { ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: options.finish_reason ?? "stop" }] } },
  ];
  if (options.usage) events.push({ data: { ...base, choices: [], usage: options.usage } });
  events.push({ data: "[DONE]" });
  return { sse: events };
}

/** An Anthropic Messages response. */
export function anthropicMessage(options: {
  content: Array<Record<string, unknown>>;
  model?: string;
  stop_reason?: string;
  input_tokens?: number;
  output_tokens?: number;
}): FakeReply {
  return {
    json: {
      id: `msg_${++counter}`,
      type: "message",
      role: "assistant",
      model: options.model ?? "claude-opus-4-5-20251101",
      content: options.content,
      stop_reason: options.stop_reason ?? "end_turn",
      stop_sequence: null,
      usage: { input_tokens: options.input_tokens ?? 20, output_tokens: options.output_tokens ?? 10 },
    },
  };
}

export function anthropicError(status: number, type: string, message: string, headers?: Record<string, string>): FakeReply {
  return { status, headers, json: { type: "error", error: { type, message } } };
}

/** An Anthropic event stream for text blocks and tool_use blocks. */
export function anthropicStream(blocks: Array<{ text: string[] } | { tool: { id: string; name: string; json: string[] } }>, options: { model?: string; input_tokens?: number; output_tokens?: number; stop_reason?: string } = {}): FakeReply {
  const model = options.model ?? "claude-opus-4-5-20251101";
  const sse: Array<{ event: string; data: unknown }> = [
    {
      event: "message_start",
      data: {
        type: "message_start",
        message: { id: "msg_stream", type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: options.input_tokens ?? 20, output_tokens: 1 } },
      },
    },
  ];
  blocks.forEach((block, index) => {
    if ("text" in block) {
      sse.push({ event: "content_block_start", data: { type: "content_block_start", index, content_block: { type: "text", text: "" } } });
      sse.push({ event: "ping", data: { type: "ping" } });
      for (const text of block.text) sse.push({ event: "content_block_delta", data: { type: "content_block_delta", index, delta: { type: "text_delta", text } } });
    } else {
      sse.push({ event: "content_block_start", data: { type: "content_block_start", index, content_block: { type: "tool_use", id: block.tool.id, name: block.tool.name, input: {} } } });
      for (const partial_json of block.tool.json) sse.push({ event: "content_block_delta", data: { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json } } });
    }
    sse.push({ event: "content_block_stop", data: { type: "content_block_stop", index } });
  });
  sse.push({ event: "message_delta", data: { type: "message_delta", delta: { stop_reason: options.stop_reason ?? "end_turn", stop_sequence: null }, usage: { output_tokens: options.output_tokens ?? 10 } } });
  sse.push({ event: "message_stop", data: { type: "message_stop" } });
  return { sse };
}
