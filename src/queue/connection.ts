/** Options shared by the worker and the client: where Redis is, and the queue's names. */
import { ValueError } from "../errors";
import { is, validateOptions, type Check } from "../options";

export interface RedisConnectionOptions {
  host?: string;
  port?: number;
  username?: string;
  password?: string;
  db?: number;
}

export interface QueueConnectionOptions {
  /** The Redis server: a `redis://host:port/db` URL or ioredis-style `{ host, port, db, ... }`. Required. */
  connection: string | RedisConnectionOptions;
  /** The BullMQ queue (default "ag2ts-conversations"). Workers and clients of one fleet use the same. */
  queueName?: string;
  /** Prefix of every Redis key, BullMQ's included (default "ag2ts"). */
  prefix?: string;
}

export const CONNECTION_CHECKS: Record<string, Check> = {
  connection: is.union(is.string, is.object),
  queueName: is.string,
  prefix: is.string,
};

const REDIS_CHECKS: Record<string, Check> = { host: is.string, port: is.integer, username: is.string, password: is.string, db: is.integer };

export interface ResolvedConnection {
  /** ioredis options for BullMQ. */
  redis: RedisConnectionOptions;
  url: string;
  queueName: string;
  prefix: string;
  /** Prefix of ag2ts's own keys (run records and event streams). */
  base: string;
}

export function resolveConnection(where: string, options: QueueConnectionOptions): ResolvedConnection {
  const given = options.connection;
  if (given === undefined || given === null) {
    throw new ValueError(`${where}: 'connection' is required: the Redis server, e.g. { connection: "redis://127.0.0.1:6379" }.`);
  }
  let redis: RedisConnectionOptions;
  if (typeof given === "string") {
    let url: URL;
    try {
      url = new URL(given);
    } catch {
      throw new ValueError(`${where}: connection ${JSON.stringify(given)} is not a URL; give "redis://host:port/db" or { host, port }.`);
    }
    if (url.protocol !== "redis:") throw new ValueError(`${where}: connection must be a redis:// URL, got ${JSON.stringify(given)}.`);
    redis = { host: url.hostname || "127.0.0.1", port: url.port ? Number(url.port) : 6379 };
    if (url.username) redis.username = decodeURIComponent(url.username);
    if (url.password) redis.password = decodeURIComponent(url.password);
    const db = url.pathname.replace(/^\//, "");
    if (db) {
      if (!/^\d+$/.test(db)) throw new ValueError(`${where}: the database in connection ${JSON.stringify(given)} must be a number, as in "redis://host:6379/0".`);
      redis.db = Number(db);
    }
  } else {
    validateOptions(`${where} connection`, given, REDIS_CHECKS);
    redis = { ...given };
  }
  const auth = redis.password ? `${encodeURIComponent(redis.username ?? "")}:${encodeURIComponent(redis.password)}@` : "";
  const url = `redis://${auth}${redis.host ?? "127.0.0.1"}:${redis.port ?? 6379}/${redis.db ?? 0}`;
  const queueName = options.queueName ?? "ag2ts-conversations";
  const prefix = options.prefix ?? "ag2ts";
  if (queueName.includes(":") || queueName.length === 0) throw new ValueError(`${where}: queueName must be non-empty and without ':' (got ${JSON.stringify(queueName)}).`);
  return { redis, url, queueName, prefix, base: `${prefix}:${queueName}:ag2ts` };
}
