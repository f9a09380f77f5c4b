import type { FieldProblem } from "../shared/api.ts";

/**
 * The domain's errors. Services throw them; `problemResponse` turns each into RFC 9457
 * `application/problem+json` in one place, so no library default becomes the contract.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail: string,
    readonly errors?: FieldProblem[],
    readonly extra?: Record<string, unknown>,
    /** Response headers that belong to the problem, such as `Retry-After`. */
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
  }
}

export const badRequest = (detail: string) => new DomainError(400, "bad-request", "Bad request", detail);
export const unauthorized = (detail: string) => new DomainError(401, "unauthorized", "Unauthorized", detail);
export const forbidden = (detail: string) => new DomainError(403, "forbidden", "Forbidden", detail);
export const notFound = (detail: string) => new DomainError(404, "not-found", "Not found", detail);
export const conflict = (detail: string, extra?: Record<string, unknown>) =>
  new DomainError(409, "conflict", "Conflict", detail, undefined, extra);
export const payloadTooLarge = (limit: number) =>
  new DomainError(413, "payload-too-large", "Payload too large", `the body is larger than the limit of ${limit} bytes`);
export const unsupportedMediaType = (detail: string) => new DomainError(415, "unsupported-media-type", "Unsupported media type", detail);
/** 429 with `Retry-After` in whole seconds (at least 1), as RFC 9110 has it. */
export const tooManyRequests = (detail: string, retryAfterMs: number) =>
  new DomainError(429, "too-many-requests", "Too many requests", detail, undefined, undefined, {
    "retry-after": String(Math.max(1, Math.ceil(retryAfterMs / 1000))),
  });
export const invalid = (detail: string, errors: FieldProblem[], extra?: Record<string, unknown>) =>
  new DomainError(422, "invalid", "Unprocessable content", detail, errors, extra);

/** `problem+json` body for a domain error. `type` is a stable URI callers may branch on. */
export function problemBody(error: DomainError) {
  return {
    type: `https://aftersales-rules.dev/problems/${error.slug}`,
    title: error.title,
    status: error.status,
    detail: error.detail,
    ...(error.errors ? { errors: error.errors } : {}),
    ...error.extra,
  };
}

export function problemResponse(error: DomainError): Response {
  return new Response(JSON.stringify(problemBody(error)), {
    status: error.status,
    headers: { ...error.headers, "content-type": "application/problem+json" },
  });
}
