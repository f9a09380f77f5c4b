import { createHash, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { Principal } from "../auth/api-keys.ts";
import { SESSION_COOKIE, sessionUser, userPrincipal, type SessionUser } from "../auth/sessions.ts";
import type { AppContext } from "../context.ts";
import { forbidden, unauthorized } from "../errors.ts";

/** What the API's middleware hands its routes: the service (set once for /api/v1), then who is calling. */
export type AppEnv = { Variables: { ctx: AppContext; principal: Principal; user?: SessionUser } };

/**
 * Decisions: an API key from the in-memory cache, nothing else (401 otherwise). No database read or write. The key's
 * rate limit is counted per decision where they are decided (decisions/service.ts).
 */
export function authenticateApiKey(c: Context<AppEnv>, ctx: AppContext): void {
  c.set("principal", ctx.apiKeys.authenticate(c.req.header("authorization"), ctx.now().getTime()));
}

/**
 * Management: an API key in `Authorization`, or else the admin's session cookie. A write with the
 * cookie must come from the admin's own origin (CSRF: `Sec-Fetch-Site`, else `Origin`), JSON bodies
 * included; API keys are not sent by browsers on their own, so they need no such check.
 */
export async function authenticateKeyOrSession(c: Context<AppEnv>, ctx: AppContext): Promise<void> {
  const sessionId = c.req.header("authorization") ? undefined : getCookie(c, SESSION_COOKIE);
  if (sessionId === undefined) return authenticateApiKey(c, ctx);
  if (!isSafeMethod(c.req.method)) assertSameOrigin(c);
  const user = await sessionUser(ctx.db, sessionId, ctx.now());
  c.set("user", user);
  c.set("principal", userPrincipal(user));
}

function isSafeMethod(method: string): boolean {
  return method === "GET" || method === "HEAD" || method === "OPTIONS";
}

/** Refuses a cookie-authenticated write that a browser says came from another site. */
export function assertSameOrigin(c: Context): void {
  const site = c.req.header("sec-fetch-site");
  if (site !== undefined) {
    if (site === "same-origin" || site === "none") return;
    throw forbidden("a cross-site request may not change anything with the admin's session");
  }
  const origin = c.req.header("origin");
  const host = c.req.header("host");
  if (origin !== undefined && host !== undefined && originHost(origin) === host) return;
  throw forbidden("a request changing something with the admin's session must come from the admin's origin");
}

/** The host of an `Origin` header, or undefined for `null` (opaque origins) and anything that is not a URL. */
function originHost(origin: string): string | undefined {
  return URL.canParse(origin) ? new URL(origin).host : undefined;
}

/**
 * `/metrics` with `METRICS_TOKEN` set: `Authorization: Bearer <token>` or 401. Both sides are hashed before the
 * constant-time comparison, so neither the token's bytes nor its length show in the timing.
 */
export function requireMetricsToken(token: string): MiddlewareHandler {
  const expected = createHash("sha256").update(token).digest();
  return async (c, next) => {
    const given = c.req.header("authorization")?.match(/^Bearer (.+)$/i)?.[1] ?? "";
    if (!timingSafeEqual(createHash("sha256").update(given).digest(), expected)) {
      throw unauthorized("the metrics need the metrics token as a bearer token", {
        "www-authenticate": 'Bearer realm="metrics"',
      });
    }
    await next();
  };
}
