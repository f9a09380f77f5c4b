import type { Server, ServerOptions } from "node:http";
import type { Socket } from "node:net";
import { loadConfig, type Config } from "../config.ts";

/** How long and how many: what one client may hold of the HTTP server (config.ts `HTTP_*`). */
export type HttpLimits = {
  /** A request's headers must have arrived within this (`HTTP_HEADERS_TIMEOUT_MS`). */
  headersTimeoutMs: number;
  /** A whole request, body included, must have arrived within this (`HTTP_REQUEST_TIMEOUT_MS`). */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (`HTTP_KEEP_ALIVE_TIMEOUT_MS`). */
  keepAliveTimeoutMs: number;
  /**
   * Requests served on one connection before it is closed (`HTTP_MAX_REQUESTS_PER_SOCKET`); 0, the default, is no
   * limit: node answers requests past it with 503, which clients that pipeline or race the close see as failures,
   * while the keep-alive timeout already frees idle connections.
   */
  maxRequestsPerSocket: number;
  /** Header lines read from one request; the rest are ignored (`HTTP_MAX_HEADERS_COUNT`). */
  maxHeadersCount: number;
  /** Open connections in total; beyond it new ones are closed at once (`HTTP_MAX_CONNECTIONS`). */
  maxConnections: number;
  /** Open connections from one address; beyond it new ones are closed at once (`HTTP_MAX_CONNECTIONS_PER_ADDRESS`). */
  maxConnectionsPerAddress: number;
};

/** The limits a server gets when it is given none (tests): config.ts's defaults, read from the one schema that has them. */
export const DEFAULT_HTTP_LIMITS: HttpLimits = Object.freeze(httpLimits(loadConfig({})));

/** The limits as configured. */
export function httpLimits(config: Config): HttpLimits {
  return {
    headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    maxRequestsPerSocket: config.HTTP_MAX_REQUESTS_PER_SOCKET,
    maxHeadersCount: config.HTTP_MAX_HEADERS_COUNT,
    maxConnections: config.HTTP_MAX_CONNECTIONS,
    maxConnectionsPerAddress: config.HTTP_MAX_CONNECTIONS_PER_ADDRESS,
  };
}

/**
 * node:http's own options for the timeouts. node checks them on a timer (`connectionsCheckingInterval`, 30 s by
 * default, which would let a slow body live up to 30 s past its limit); it runs here a few times per timeout instead.
 */
export function serverOptions(limits: HttpLimits): ServerOptions {
  // node refuses a headers timeout longer than the request's
  const headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  return {
    headersTimeout,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(headersTimeout / 4))),
  };
}

/**
 * Caps the connections a node:http server holds, in total and per client address, and how many requests and headers
 * one connection may carry. Work is per connection, never per request.
 *
 * Behind a trusted proxy (`trustProxy`) every connection comes from the proxy's address, so a per-address cap would
 * throttle all clients together: it is not applied there, the total cap still is, and the per-client cap belongs to
 * the proxy (nginx `limit_conn`, for one).
 */
export function applyConnectionLimits(server: Server, limits: HttpLimits, options: { trustProxy: boolean }): void {
  server.maxConnections = limits.maxConnections;
  server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
  server.maxHeadersCount = limits.maxHeadersCount;
  if (options.trustProxy) return;
  const open = new Map<string, number>();
  server.on("connection", (socket: Socket) => {
    const address = socket.remoteAddress;
    // already closed by the peer: nothing to count
    if (address === undefined) return;
    const count = (open.get(address) ?? 0) + 1;
    if (count > limits.maxConnectionsPerAddress) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once("close", () => {
      const left = open.get(address)! - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
