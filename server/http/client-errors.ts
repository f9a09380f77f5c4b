import { STATUS_CODES, type Server } from "node:http";
import type { Duplex } from "node:stream";
import { DomainError, problemBody } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { newRequestId } from "./request-id.ts";

/** What node:http refuses before any handler runs, as the problem it answers. */
function refusalOf(code: string | undefined): DomainError {
  if (code === "ERR_HTTP_REQUEST_TIMEOUT")
    return new DomainError({ code: "request_timeout", detail: "the request did not arrive within the time allowed" });
  if (code === "HPE_HEADER_OVERFLOW")
    return new DomainError({
      code: "headers_too_large",
      detail: "the request's headers are larger than the service reads",
    });
  return new DomainError({ code: "bad_request", detail: "the request is not valid HTTP/1.1" });
}

/**
 * node:http answers a request it cannot parse, or one that arrives too slowly, on its own: a bare status line. Here it
 * is the problem+json every other refusal is, with `X-Request-Id`, a request id in the body and the connection closed,
 * and a line in the log at debug (these are what slow or malformed clients cause, not faults of the service).
 */
export function answerClientErrors(
  server: Server,
  securityHeaders: Readonly<Record<string, string>>,
  logger: Logger,
): void {
  const head = Object.entries(securityHeaders)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    // the peer has gone, or an answer has started: nothing more can be said on this connection
    const answering =
      (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
    if (error.code === "ECONNRESET" || !socket.writable || answering) {
      socket.destroy();
      return;
    }
    const refusal = refusalOf(error.code);
    const requestId = newRequestId();
    logger.debug({ requestId, code: error.code, status: refusal.status }, "request refused by the HTTP parser");
    const body = JSON.stringify(problemBody(refusal, requestId));
    socket.end(
      `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\n${head}connection: close\r\ncontent-type: application/problem+json\r\n` +
        `x-request-id: ${requestId}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
}
