import { Hono, type MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { isTls } from "./caller.ts";

/**
 * The admin's Content-Security-Policy: nothing but our own scripts (no inline script, no eval), so
 * that injected markup cannot run. Inline styles are allowed because CodeMirror injects <style>
 * elements; `data:` images for the favicon and icons.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
};

/** One year; sent only over TLS (RFC 6797 §7.2: a browser ignores it over plain HTTP anyway). */
export const STRICT_TRANSPORT_SECURITY = "max-age=31536000";

/**
 * The security headers of every response, API and admin alike, set in this one place: CSP, no
 * MIME sniffing, no referrer, no framing, and HSTS when the client came over TLS (directly, or
 * per `X-Forwarded-Proto` from a trusted proxy). A header the route has set is kept.
 */
export function securityHeaders(options: { trustProxy: boolean }): MiddlewareHandler {
  const common = secureHeaders({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    referrerPolicy: "no-referrer",
    xFrameOptions: "DENY",
    xContentTypeOptions: "nosniff",
    // HSTS depends on the request; set below
    strictTransportSecurity: false,
    // a route that sets one of these headers itself keeps it: /docs has its own, stricter CSP (http/api-docs.ts)
    overwrite: false,
  });
  return async (c, next) => {
    await common(c, next);
    if (isTls(c, options.trustProxy)) c.res.headers.set("strict-transport-security", STRICT_TRANSPORT_SECURITY);
  };
}

/**
 * The headers `securityHeaders` sets on a plain-HTTP response, as a plain object, for a transport that answers without
 * Hono (decisions/fast-path.ts). Read off the middleware itself, once, so the two can never disagree.
 */
export async function securityHeaderValues(): Promise<Record<string, string>> {
  const probe = new Hono().use("*", securityHeaders({ trustProxy: false })).get("/", (c) => c.body(null, 204));
  const response = await probe.request("http://localhost/");
  return Object.fromEntries(response.headers);
}
