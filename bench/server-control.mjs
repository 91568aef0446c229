/**
 * Starting the fake OpenAI server (bench/fake-openai-server.mjs) in its own
 * process, and talking to its control endpoints. Control requests use
 * node:http, not fetch, so that they do not load or warm up undici (the
 * fetch the openai SDK uses) before a cold run.
 */
import { spawn } from "node:child_process";
import { request } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** Spawns the server; resolves to { url, pid, stop() } once it listens. */
export function startServer() {
  const child = spawn(process.execPath, [join(here, "fake-openai-server.mjs")], { stdio: ["pipe", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`fake OpenAI server exited early (code ${code})`)));
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const nl = out.indexOf("\n");
      if (nl < 0) return;
      const { port } = JSON.parse(out.slice(0, nl));
      child.removeAllListeners("exit");
      child.stdout.removeAllListeners("data");
      // Let this process exit while the server runs; closing its stdin stops it.
      child.unref();
      child.stdout.unref?.();
      child.stdin.unref?.();
      resolve({
        url: `http://127.0.0.1:${port}`,
        pid: child.pid,
        stop: () => {
          child.stdin.end();
          child.kill("SIGTERM");
        },
      });
    });
  });
}

/** One control request; resolves to the parsed JSON answer. */
export function control(baseUrl, method, path, body) {
  const url = new URL(path, baseUrl);
  const payload = body === undefined ? null : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, headers: payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {} },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if (res.statusCode !== 200) reject(new Error(`fake OpenAI server: ${method} ${path} -> ${res.statusCode} ${text}`));
          else resolve(JSON.parse(text));
        });
      },
    );
    req.on("error", reject);
    req.end(payload ?? undefined);
  });
}
