import { Hono, type Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { PasswordChange } from "../../shared/access.ts";
import { SignInInput } from "../../shared/api.ts";
import type { AppContext } from "../context.ts";
import { unauthorized } from "../errors.ts";
import { assertSameOrigin, type AppEnv } from "../http/auth.ts";
import { clientIp, isTls } from "../http/caller.ts";
import { jsonBody, requireJson } from "../http/validation.ts";
import { changeOwnPassword, SESSION_ABSOLUTE_MS, SESSION_COOKIE, sessionUser, signIn, signOut } from "./sessions.ts";

/** The admin's session: sign in (sets an HttpOnly cookie), who am I, change my password, sign out. */
export function sessionRoutes(ctx: AppContext) {
  /** Secure whenever the client reached us over TLS; X-Forwarded-Proto counts only from a trusted proxy. */
  const setSessionCookie = (c: Context, sessionId: string) =>
    setCookie(c, SESSION_COOKIE, sessionId, {
      httpOnly: true,
      sameSite: "Strict",
      path: "/",
      secure: isTls(c, ctx.trustProxy),
      maxAge: SESSION_ABSOLUTE_MS / 1000,
    });

  return new Hono<AppEnv>()
    .post("/", requireJson, jsonBody(SignInInput), async (c) => {
      assertSameOrigin(c);
      const { sessionId, user } = await signIn(ctx.db, ctx.loginThrottle, c.req.valid("json"), ctx.now(), { ip: clientIp(c, ctx.trustProxy) });
      setSessionCookie(c, sessionId);
      return c.json({ user: { username: user.username, role: user.role } });
    })
    .get("/", async (c) => {
      const sessionId = getCookie(c, SESSION_COOKIE);
      if (!sessionId) throw unauthorized("not signed in");
      const user = await sessionUser(ctx.db, sessionId, ctx.now());
      return c.json({ user: { username: user.username, role: user.role } });
    })
    .post("/password", requireJson, jsonBody(PasswordChange), async (c) => {
      assertSameOrigin(c);
      const sessionId = getCookie(c, SESSION_COOKIE);
      if (!sessionId) throw unauthorized("sign in to change your password");
      const user = await sessionUser(ctx.db, sessionId, ctx.now());
      const renewed = await changeOwnPassword(ctx.db, ctx.loginThrottle, user, c.req.valid("json"), ctx.now(), { ip: clientIp(c, ctx.trustProxy) });
      setSessionCookie(c, renewed);
      return c.body(null, 204);
    })
    .delete("/", async (c) => {
      assertSameOrigin(c);
      const sessionId = getCookie(c, SESSION_COOKIE);
      if (sessionId) await signOut(ctx.db, sessionId, ctx.now());
      deleteCookie(c, SESSION_COOKIE, { path: "/" });
      return c.body(null, 204);
    });
}
