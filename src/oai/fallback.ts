/**
 * What OpenAIWrapper does when a config entry fails (spec 40 §5.2 step 8,
 * §5.3): which errors move on to the next entry, and the errors thrown when
 * none answers.
 */
import { AG2Error, TimeoutError } from "../errors";

const API_ERROR_NAMES =
  /^(APIError|APIConnectionError|APIConnectionTimeoutError|InternalServerError|RateLimitError|OverloadedError|BadRequestError|AuthenticationError|PermissionDeniedError|NotFoundError|ConflictError|UnprocessableEntityError)$/;

function names(err: object): string[] {
  const out: string[] = [];
  for (let proto = Object.getPrototypeOf(err); proto && proto !== Error.prototype; proto = Object.getPrototypeOf(proto)) {
    out.push(proto.constructor?.name ?? "");
  }
  out.push(String((err as { name?: unknown }).name ?? ""));
  return out;
}

/** An HTTP or connection error from a provider SDK (any status). */
export function isApiError(err: unknown): boolean {
  if (err === null || typeof err !== "object") return false;
  if (typeof (err as { status?: unknown }).status === "number") return true;
  return names(err).some((n) => API_ERROR_NAMES.test(n));
}

/** The SDK gave up waiting for the server (`timeout` option). */
export function isTimeoutError(err: unknown): boolean {
  if (err === null || typeof err !== "object") return false;
  return names(err).includes("APIConnectionTimeoutError");
}

/** `code` of the provider's error body (e.g. `content_filter`), else the HTTP status. */
export function errorCode(err: unknown): unknown {
  const e = err as { code?: unknown; error?: { code?: unknown; error?: { code?: unknown } }; status?: unknown };
  return e.code ?? e.error?.code ?? e.error?.error?.code ?? e.status ?? null;
}

export interface EntryFailure {
  config_id: number;
  model: string | null;
  error: unknown;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const status = (err as { status?: unknown }).status;
    const ctor = (err.constructor as { name?: string } | undefined)?.name;
    const name = ctor && ctor !== "Error" ? ctor : err.name;
    return `${name}${typeof status === "number" ? ` (HTTP ${status})` : ""}: ${err.message}`;
  }
  return String(err);
}

/** Removes every API key of the config list from a text. */
export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join("***");
  return out;
}

/**
 * Every entry of the config_list failed. `errors` holds each entry's cause in
 * attempt order; `cause` and `status` are those of the last one, so code that
 * looks at the HTTP status keeps working.
 */
export class AllConfigsFailedError extends AG2Error {
  readonly errors: EntryFailure[];
  readonly status: number | undefined;

  constructor(errors: EntryFailure[], secrets: string[]) {
    const lines = errors.map((f) => `  config ${f.config_id}${f.model ? ` (model ${f.model})` : ""}: ${describe(f.error)}`);
    super(
      redact(
        `All ${errors.length} entries of the config_list failed; the errors in the order they were tried:\n${lines.join("\n")}\n` +
          "Check the endpoints, keys and models of these entries, or add an entry that can answer.",
        secrets,
      ),
      { cause: errors.at(-1)?.error },
    );
    this.errors = errors;
    const status = (errors.at(-1)?.error as { status?: unknown } | undefined)?.status;
    this.status = typeof status === "number" ? status : undefined;
  }
}

export function timeoutError(failures: EntryFailure[], last: EntryFailure): TimeoutError {
  const err = new TimeoutError(
    "OpenAI API call timed out. This could be due to congestion or too small a timeout value. " +
      "The timeout can be specified by setting the 'timeout' value (in seconds) in the llm_config " +
      "(if you are using agents) or the OpenAIWrapper constructor (if you are using the OpenAIWrapper directly).",
    { cause: last.error, config_id: last.config_id },
  );
  Object.defineProperty(err, "errors", { value: failures, enumerable: false });
  return err;
}
