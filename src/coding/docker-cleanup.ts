/**
 * Removing Docker containers when the process exits (spec 50 §5): on
 * `beforeExit` asynchronously, on `exit` and on SIGINT/SIGTERM/SIGHUP
 * synchronously (a short child process deletes them over the engine API,
 * because nothing asynchronous can run in an `exit` handler).
 */

interface Tracked {
  id: string;
  stop(): Promise<void>;
}

const live = new Map<string, Tracked>();
let installed = false;

const REMOVER = `
const http = require("node:http");
const [host, ...ids] = process.argv.slice(1);
let target;
if (host.startsWith("unix://")) target = { socketPath: host.slice(7) };
else { const u = new URL(host.replace(/^tcp:/, "http:")); target = { host: u.hostname, port: Number(u.port) || 2375 }; }
let pending = ids.length;
for (const id of ids) {
  const req = http.request({ ...target, method: "DELETE", path: "/containers/" + encodeURIComponent(id) + "?force=true&v=true", timeout: 10000 }, (res) => {
    res.resume(); res.on("end", () => { if (--pending === 0) process.exit(0); });
  });
  req.on("error", () => { if (--pending === 0) process.exit(0); });
  req.on("timeout", () => req.destroy());
  req.end();
}
`;

function removeSync(): void {
  if (live.size === 0) return;
  const ids = [...live.keys()];
  live.clear();
  const cp = (process as unknown as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.("node:child_process") as
    | typeof import("node:child_process")
    | undefined;
  const spawnSync = cp?.spawnSync ?? (typeof require === "function" ? (require("node:child_process") as typeof import("node:child_process")).spawnSync : null);
  if (!spawnSync) return;
  try {
    spawnSync(process.execPath, ["-e", REMOVER, process.env.DOCKER_HOST || "unix:///var/run/docker.sock", ...ids], {
      stdio: "ignore",
      timeout: 20000,
      windowsHide: true,
    });
  } catch {
    // best effort at exit
  }
}

async function stopAll(): Promise<void> {
  const all = [...live.values()];
  await Promise.allSettled(all.map((t) => t.stop()));
}

function onSignal(signal: NodeJS.Signals): void {
  removeSync();
  process.removeListener(signal, onSignal);
  // Restore the default behaviour (terminate) when nobody else handles it.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("beforeExit", () => {
    if (live.size > 0) void stopAll();
  });
  process.on("exit", removeSync);
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as NodeJS.Signals[]) process.on(sig, onSignal);
}

/** Tracks a running container so it is stopped when the process exits. */
export function trackContainer(id: string, stop: () => Promise<void>): void {
  install();
  live.set(id, { id, stop });
}

export function untrackContainer(id: string): void {
  live.delete(id);
}
