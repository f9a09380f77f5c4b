import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { payloadTooLarge } from "../errors.ts";

/**
 * Refuses a body over `maxBytes` with a 413 problem: hono's bodyLimit, except that a request
 * served by @hono/node-server with a Content-Length is decided from that header alone.
 *
 * Why: hono's bodyLimit first reads `c.req.raw.body`, and @hono/node-server answers that by
 * building a whole WHATWG Request (a ReadableStream over the socket, an AbortController) — and
 * then `c.req.json()` reads the body through that stream instead of straight off the socket. On
 * the decision endpoint that cost more CPU than deciding. With a
 * Content-Length and no Transfer-Encoding, hono decides from the header anyway, so the answer is
 * the same; a body without a length (chunked) still goes through hono's counting reader.
 */
export function limitBodySize(maxBytes: number): MiddlewareHandler {
  const refuse = (): never => {
    throw payloadTooLarge(maxBytes);
  };
  const counting = bodyLimit({ maxSize: maxBytes, onError: refuse });
  return async (c, next) => {
    const length = c.req.header("content-length");
    if (length !== undefined && c.req.header("transfer-encoding") === undefined && hasNodeBodyStream(c)) {
      return declaredOver(length, maxBytes) ? refuse() : next();
    }
    return counting(c, next);
  };
}

/**
 * Whether hono's `c.req.raw.body` would be a stream (its own first test), told without building
 * it: under @hono/node-server (`c.env.incoming`), every method but GET, HEAD and TRACE has one.
 * Elsewhere (`app.request` in tests) the answer is left to hono.
 */
function hasNodeBodyStream(c: Context): boolean {
  const served = (c.env as { incoming?: unknown } | undefined)?.incoming !== undefined;
  const method = c.req.method;
  return served && method !== "GET" && method !== "HEAD" && method !== "TRACE";
}

/** Whether a declared `Content-Length` is over `maxBytes` (an empty one declares nothing). */
export function declaredOver(contentLength: string, maxBytes: number): boolean {
  return Number.parseInt(contentLength || "0", 10) > maxBytes;
}
