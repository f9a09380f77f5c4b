import { randomBytes } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { Logger } from "../logger.ts";

declare module "hono" {
  interface ContextVariableMap {
    /** This request's id, as `X-Request-Id` and every problem's `requestId` carry it. */
    requestId: string;
  }
}

export const REQUEST_ID_HEADER = "x-request-id";

/** What a proxy's `X-Request-Id` may be to be kept: short, and nothing a log line or a header could trip on. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Unique across processes by the random prefix, within one by the counter: a string concat per request, no CSPRNG call. */
const PREFIX = `${randomBytes(6).toString("hex")}-`;
let counter = 0;

/** A new request id, e.g. `9f86d081884c-1a2b`. */
export function newRequestId(): string {
  return PREFIX + (++counter).toString(36);
}

/**
 * The request's id: a trusted proxy's `X-Request-Id` when it is sane, so that one id follows the request across the
 * proxy's log and ours; otherwise (no `TRUST_PROXY`, none sent, malformed) one made here, since a caller could forge it.
 */
export function requestIdOf(header: string | string[] | undefined, trustProxy: boolean): string {
  return trustProxy && typeof header === "string" && SANE_REQUEST_ID.test(header) ? header : newRequestId();
}

/**
 * The first middleware: names the request (`c.get("requestId")`), echoes the id as `X-Request-Id` on whatever answers,
 * errors and 404s included, and logs the request at `debug`.
 */
export function requestIds(options: { trustProxy: boolean; logger: Logger }): MiddlewareHandler {
  const debug = options.logger.isLevelEnabled("debug");
  return async (c, next) => {
    const id = requestIdOf(options.trustProxy ? c.req.header(REQUEST_ID_HEADER) : undefined, options.trustProxy);
    c.set("requestId", id);
    const started = debug ? performance.now() : 0;
    await next();
    c.res.headers.set(REQUEST_ID_HEADER, id);
    if (debug) {
      options.logger.debug(
        {
          requestId: id,
          method: c.req.method,
          path: c.req.path,
          status: c.res.status,
          ms: performance.now() - started,
        },
        "request",
      );
    }
  };
}
