import type { FieldProblem } from "../shared/api.ts";
import { problemCodes, problemType, type ProblemCode } from "../shared/problems.ts";
import { isDatabaseUnreachable } from "./db/unreachable.ts";

export type DomainErrorOptions = {
  /** From the closed list in shared/problems.ts: it decides the status, the title and the `type` URI. */
  code: ProblemCode;
  /** An English sentence for this occurrence. */
  detail: string;
  errors?: FieldProblem[];
  /** Members added to the problem body, such as a conflict's current revision. */
  extra?: Record<string, unknown>;
  /** Response headers that belong to the problem, such as `Retry-After`. */
  headers?: Record<string, string>;
};

/**
 * The domain's errors. Services throw them; `problemResponse` turns each into RFC 9457
 * `application/problem+json` in one place, so no library default becomes the contract.
 */
export class DomainError extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly slug: string;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldProblem[] | undefined;
  readonly extra: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(options: DomainErrorOptions) {
    super(options.detail);
    const entry = problemCodes[options.code];
    this.code = options.code;
    this.status = entry.status;
    this.slug = entry.slug;
    this.title = entry.title;
    this.detail = options.detail;
    this.errors = options.errors;
    this.extra = options.extra;
    this.headers = options.headers;
  }
}

export const invalidJson = (detail: string) => new DomainError({ code: "invalid_json", detail });
export const badRequest = (detail: string) => new DomainError({ code: "bad_request", detail });
export const unauthorized = (detail: string, headers?: Record<string, string>) =>
  new DomainError({ code: "unauthenticated", detail, ...(headers ? { headers } : {}) });
export const forbidden = (detail: string) => new DomainError({ code: "forbidden", detail });
export const notFound = (detail: string) => new DomainError({ code: "not_found", detail });
export const conflict = (detail: string, extra?: Record<string, unknown>) =>
  new DomainError({ code: "conflict", detail, ...(extra ? { extra } : {}) });
export const reviewRequired = (detail: string) => new DomainError({ code: "review_required", detail });
export const payloadTooLarge = (limit: number) =>
  new DomainError({ code: "payload_too_large", detail: `the body is larger than the limit of ${limit} bytes` });
export const unsupportedMediaType = (detail: string) => new DomainError({ code: "unsupported_media_type", detail });
/** 429 with `Retry-After` in whole seconds (at least 1), as RFC 9110 has it. */
export const tooManyRequests = (detail: string, retryAfterMs: number) =>
  new DomainError({
    code: "rate_limited",
    detail,
    headers: { "retry-after": String(Math.max(1, Math.ceil(retryAfterMs / 1000))) },
  });
export const invalid = (detail: string, errors: FieldProblem[], extra?: Record<string, unknown>) =>
  new DomainError({ code: "invalid", detail, errors, ...(extra ? { extra } : {}) });
export const internal = () =>
  new DomainError({ code: "internal", detail: "the service failed to answer; the error has been logged" });

/** 503: the database does not answer (a restart, a failover); `detail` says what could not be done without it. */
export const databaseUnavailable = (
  detail = "the database does not answer; decisions with the loaded versions go on, try this again shortly",
) => new DomainError({ code: "unavailable", detail, headers: { "retry-after": "1" } });

/**
 * The problem an error thrown while answering is answered with: a domain error as it is, a database that cannot be
 * reached (db/unreachable.ts) as 503 `unavailable`; undefined for anything else, a bug answered as 500.
 */
export function asProblem(error: unknown): DomainError | undefined {
  if (error instanceof DomainError) return error;
  if (isDatabaseUnreachable(error)) return databaseUnavailable();
  return undefined;
}

/** The codes a library's own 4xx (Hono's `HTTPException`) is answered with; any other status reads as a bad request. */
const httpCodes: Partial<Record<number, ProblemCode>> = {
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

/** A library's 4xx as a domain error: Hono's JSON validator refuses malformed JSON with a bare 400. */
export function httpProblem(error: { status: number; message: string }): DomainError {
  const detail = error.message || "the request was refused";
  if (error.status === 400 && /malformed json/i.test(detail)) return invalidJson(detail);
  return new DomainError({ code: httpCodes[error.status] ?? "bad_request", detail });
}

/**
 * `problem+json` body for a domain error. `type` is a stable URI callers may branch on, `code` its name in the closed list,
 * `requestId` the response's `X-Request-Id` (absent only for a problem inside a 200, such as a batch item's).
 */
export function problemBody(error: DomainError, requestId?: string) {
  return {
    type: problemType(error.code),
    code: error.code,
    title: error.title,
    status: error.status,
    detail: error.detail,
    ...(error.errors ? { errors: error.errors } : {}),
    ...error.extra,
    ...(requestId === undefined ? {} : { requestId }),
  };
}

export function problemResponse(error: DomainError, requestId?: string): Response {
  return new Response(JSON.stringify(problemBody(error, requestId)), {
    status: error.status,
    headers: { ...error.headers, "content-type": "application/problem+json" },
  });
}
