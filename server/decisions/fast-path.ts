import { getRequestListener } from "@hono/node-server";
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import type { AppContext } from "../context.ts";
import { internal, payloadTooLarge } from "../errors.ts";
import { declaredOver } from "../http/body-limit.ts";
import { forwardedOverTls } from "../http/caller.ts";
import { answerClientErrors } from "../http/client-errors.ts";
import {
  applyConnectionLimits,
  DEFAULT_HTTP_LIMITS,
  serverOptions,
  type HttpLimits,
} from "../http/connection-limits.ts";
import { REQUEST_ID_HEADER, requestIdOf } from "../http/request-id.ts";
import { STRICT_TRANSPORT_SECURITY } from "../http/security-headers.ts";
import { answerDecision, problemAnswer, type DecisionAnswer } from "./service.ts";

type FetchCallback = Parameters<typeof getRequestListener>[0];

/** `POST /api/v1/decisions/{ruleSet}`, one path segment, any query string (ignored, as Hono ignores it). */
const DECISION_PATH = /^\/api\/v1\/decisions\/([^/?#]+)(?:\?|$)/;

/**
 * The decision endpoint served straight off node:http, before Hono.
 *
 * Why: backend services call it on every refund screen and order event, so it should cost little more than the HTTP
 * stack itself. Through @hono/node-server each request becomes a WHATWG Request and Response (a Headers object, a body
 * stream, header copies both ways), which cost more CPU than reading the case, deciding it and logging it. This path
 * reads the body off the socket and answers with `answerDecision`, the very function the Hono route calls, so both
 * answer alike: the same checks in the same order, the same problems, the same security headers (taken from the app's
 * own middleware at start). A test sends the same requests both ways and compares the answers (test/fast-path.test.ts).
 *
 * Anything else, and any decision request this path does not take on (no Content-Length, a chunked body, a path
 * segment that does not decode), goes to `fallback`, the Hono app.
 */
export function withDecisionFastPath(
  ctx: AppContext,
  options: { securityHeaders: Readonly<Record<string, string>>; trustProxy: boolean },
  fallback: RequestListener,
): RequestListener {
  const plain = Object.entries(options.securityHeaders).flat();
  const overTls = plain.concat("strict-transport-security", STRICT_TRANSPORT_SECURITY);
  const debug = ctx.logger.isLevelEnabled("debug");
  return (req, res) => {
    const match = req.method === "POST" ? DECISION_PATH.exec(req.url ?? "") : null;
    const length = req.headers["content-length"];
    if (match === null || length === undefined || req.headers["transfer-encoding"] !== undefined)
      return fallback(req, res);
    let ruleSet: string;
    try {
      ruleSet = decodeURIComponent(match[1]!);
    } catch {
      return fallback(req, res);
    }
    const headers = isTls(req, options.trustProxy) ? overTls : plain;
    // as the app's first middleware (http/request-id.ts) names a request
    const requestId = requestIdOf(options.trustProxy ? req.headers[REQUEST_ID_HEADER] : undefined, options.trustProxy);
    if (debug) logWhenDone(ctx, req, res, requestId);
    // as the app's body limit does: a declared length over the limit is refused unread
    if (declaredOver(length, ctx.bodyLimitBytes))
      return reply(res, headers, requestId, problemAnswer(payloadTooLarge(ctx.bodyLimitBytes), requestId));

    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("error", () => res.destroy());
    req.on("end", () => {
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      let body = bytes.toString("utf8");
      // a WHATWG body reader (Hono's c.req.text()) drops a byte order mark
      if (body.charCodeAt(0) === 0xfeff) body = body.slice(1);
      let answer: DecisionAnswer | Promise<DecisionAnswer>;
      try {
        answer = answerDecision(ctx, {
          ruleSet,
          authorization: req.headers.authorization,
          contentType: req.headers["content-type"],
          body,
          requestId,
        });
      } catch (error) {
        answer = internalError(ctx, req, requestId, error);
      }
      // a pinned version read from the database first; every other decision is answered here and now
      if (answer instanceof Promise) {
        answer.then(
          (late) => reply(res, headers, requestId, late),
          (error: unknown) => reply(res, headers, requestId, internalError(ctx, req, requestId, error)),
        );
      } else reply(res, headers, requestId, answer);
    });
  };
}

/** As the app's onError: the error and where, never the request's headers or body. */
function internalError(ctx: AppContext, req: IncomingMessage, requestId: string, error: unknown): DecisionAnswer {
  ctx.logger.error({ err: error, requestId, method: req.method, path: req.url }, "unexpected error");
  return problemAnswer(internal(), requestId);
}

/**
 * Serves `fetch` (the Hono app) on node:http as @hono/node-server's `serve` does, with the decision fast path in front
 * and the timeouts and connection caps of `limits` (http/connection-limits.ts); `onListening` gets the bound address.
 */
export function serveWithDecisionFastPath(
  ctx: AppContext,
  fetch: FetchCallback,
  options: {
    port: number;
    hostname: string;
    securityHeaders: Readonly<Record<string, string>>;
    trustProxy: boolean;
    limits?: HttpLimits;
  },
  onListening?: (address: AddressInfo) => void,
): Server {
  const limits = options.limits ?? DEFAULT_HTTP_LIMITS;
  const server = createServer(
    serverOptions(limits),
    withDecisionFastPath(ctx, options, getRequestListener(fetch, { hostname: options.hostname })),
  );
  applyConnectionLimits(server, limits, { trustProxy: options.trustProxy });
  answerClientErrors(server, options.securityHeaders, ctx.logger);
  server.listen(options.port, options.hostname, () => onListening?.(server.address() as AddressInfo));
  return server;
}

/**
 * Writes the answer. The headers go to `writeHead` as one flat [name, value, …] list: node:http stores such a list
 * for a fraction of what an object of the same headers costs it.
 */
function reply(
  res: ServerResponse,
  securityHeaders: readonly string[],
  requestId: string,
  answer: DecisionAnswer,
): void {
  if (res.destroyed) return;
  const headers = securityHeaders.concat(
    REQUEST_ID_HEADER,
    requestId,
    "content-type",
    answer.contentType,
    "content-length",
    String(Buffer.byteLength(answer.body)),
  );
  if (answer.headers) for (const [name, value] of Object.entries(answer.headers)) headers.push(name, value);
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}

/** The request's `debug` line, as the app's request-id middleware writes it. */
function logWhenDone(ctx: AppContext, req: IncomingMessage, res: ServerResponse, requestId: string): void {
  const started = performance.now();
  res.once("finish", () => {
    ctx.logger.debug(
      { requestId, method: req.method, path: req.url, status: res.statusCode, ms: performance.now() - started },
      "request",
    );
  });
}

/** Over TLS: our own socket, or a trusted proxy's `X-Forwarded-Proto` (as `isTls` in http/caller.ts). */
function isTls(req: IncomingMessage, trustProxy: boolean): boolean {
  const proto = req.headers["x-forwarded-proto"];
  return (
    (req.socket as TLSSocket).encrypted === true ||
    forwardedOverTls(typeof proto === "string" ? proto : undefined, trustProxy)
  );
}
