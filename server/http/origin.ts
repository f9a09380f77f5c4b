import { AsyncLocalStorage } from "node:async_hooks";
import type { MiddlewareHandler } from "hono";
import { clientIp } from "./caller.ts";

/**
 * Where the current request came from, for the audit log's "from where", without threading the
 * address through every service call. Only management routes set it; decisions never pay for it.
 */
const origin = new AsyncLocalStorage<string>();

export function recordOrigin(trustProxy: boolean): MiddlewareHandler {
  return (c, next) => origin.run(clientIp(c, trustProxy), next);
}

/** The current request's client address, or undefined outside a request (the scheduler, start-up). */
export function currentOrigin(): string | undefined {
  return origin.getStore();
}
