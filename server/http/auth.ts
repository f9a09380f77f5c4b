import type { MiddlewareHandler } from "hono";
import type { Principal } from "../auth/api-keys.ts";
import type { AppContext } from "../context.ts";

export type AppEnv = { Variables: { principal: Principal } };

/** Authenticates the API key from the in-memory cache (401 otherwise) and keeps its principal. */
export function authenticate(ctx: AppContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("principal", ctx.apiKeys.authenticate(c.req.header("authorization")));
    await next();
  };
}
