import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

/**
 * The caller's IP address: the socket's peer, or X-Forwarded-For's first entry when the service
 * sits behind a proxy it trusts (`TRUST_PROXY=true`). Without that trust the header is the
 * caller's to forge, so it is ignored: one could otherwise dodge the per-IP sign-in throttle.
 */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    // not served by @hono/node-server (an in-process `app.request`): there is no socket
    return "unknown";
  }
}

/** Whether the client reached us over TLS: our own URL, or `X-Forwarded-Proto` from a trusted proxy. */
export function isTls(c: Context, trustProxy: boolean): boolean {
  return c.req.url.startsWith("https:") || forwardedOverTls(c.req.header("x-forwarded-proto"), trustProxy);
}

/** Whether a trusted proxy says, in `X-Forwarded-Proto`, that the client came over TLS (its first entry is "https"). */
export function forwardedOverTls(forwardedProto: string | undefined, trustProxy: boolean): boolean {
  return trustProxy && forwardedProto?.split(",")[0]?.trim().toLowerCase() === "https";
}
