/**
 * Checks option objects at construction (conventions §2): an unknown key or
 * a wrong type is an error that names the key and says what is expected.
 */
import { ValueError } from "./errors";

/** Returns null when the value is acceptable, else a description of what is expected. */
export type Check = (value: unknown) => string | null;

const describe = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : typeof value;

export const is = {
  any: (() => null) as Check,
  string: ((v) => (typeof v === "string" ? null : "a string")) as Check,
  boolean: ((v) => (typeof v === "boolean" ? null : "a boolean")) as Check,
  number: ((v) => (typeof v === "number" && !Number.isNaN(v) ? null : "a number")) as Check,
  integer: ((v) => (Number.isInteger(v) ? null : "an integer")) as Check,
  function: ((v) => (typeof v === "function" ? null : "a function")) as Check,
  array: ((v) => (Array.isArray(v) ? null : "an array")) as Check,
  object: ((v) => (v !== null && typeof v === "object" && !Array.isArray(v) ? null : "an object")) as Check,
  oneOf(...values: unknown[]): Check {
    return (v) => (values.includes(v) ? null : `one of ${values.map((x) => JSON.stringify(x)).join(", ")}`);
  },
  nullable(check: Check): Check {
    return (v) => (v === null ? null : (check(v) === null ? null : `${check(v)} or null`));
  },
  union(...checks: Check[]): Check {
    return (v) => (checks.some((c) => c(v) === null) ? null : checks.map((c) => c(v)).join(" or "));
  },
};

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      dp[i][j] = Math.min(dp[i - 1][j] + 1, dp[i][j - 1] + 1, dp[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return dp[a.length][b.length];
}

/** The known key closest to `key` when it is a likely typo. */
export function closestKey(key: string, known: Iterable<string>, maxDistance = 3): string | null {
  let best: string | null = null;
  let bestDistance = maxDistance + 1;
  for (const candidate of known) {
    const d = editDistance(key, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Validates `options` against `spec`. `undefined` values are treated as absent.
 * `where` names the constructor or method in the message.
 */
export function validateOptions(where: string, options: object, spec: Record<string, Check>): void {
  for (const key in options) {
    if (!Object.prototype.hasOwnProperty.call(options, key)) continue;
    const value = (options as Record<string, unknown>)[key];
    const check = spec[key];
    if (check === undefined) {
      const hint = closestKey(key, Object.keys(spec));
      throw new ValueError(
        `${where}: unknown option '${key}'.` +
          (hint ? ` Did you mean '${hint}'?` : ` Known options: ${Object.keys(spec).join(", ")}.`),
        { option: key },
      );
    }
    if (value === undefined) continue;
    const problem = check(value);
    if (problem !== null) {
      throw new ValueError(`${where}: option '${key}' must be ${problem}, got ${describe(value)}.`, { option: key });
    }
  }
}
