import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { PasswordChange, Role } from "../../shared/access.ts";
import { SignInInput } from "../../shared/api.ts";
import type { AppContext } from "../context.ts";
import { unauthorized } from "../errors.ts";
import { apiRoute, apiRouter } from "../http/api-route.ts";
import { assertSameOrigin } from "../http/auth.ts";
import { clientIp, isTls } from "../http/caller.ts";
import { json, jsonBody, noContent } from "../http/openapi.ts";
import {
  changeOwnPassword,
  SESSION_ABSOLUTE_MS,
  SESSION_COOKIE,
  sessionUser,
  signIn,
  signOut,
  type SessionUser,
} from "./sessions.ts";

const SessionAnswer = z.object({ user: z.object({ username: z.string(), role: Role }) }).meta({ id: "Session" });

const signInRoute = apiRoute({
  operationId: "signIn",
  method: "post",
  path: "/",
  tags: ["Session"],
  summary: "Sign in to the admin (sets an HttpOnly session cookie)",
  description: "From the admin's own origin only. Failed sign-ins are throttled per account and per address (429).",
  access: { auth: "public" },
  refusals: ["unauthenticated", "forbidden", "rate_limited"],
  request: { body: jsonBody(SignInInput) },
  responses: { 200: json(SessionAnswer, "Signed in; the `session` cookie is set") },
});

const whoAmI = apiRoute({
  operationId: "whoAmI",
  method: "get",
  path: "/",
  tags: ["Session"],
  summary: "Who is signed in",
  access: { auth: "session" },
  responses: { 200: json(SessionAnswer, "The signed-in user") },
});

const changePassword = apiRoute({
  operationId: "changePassword",
  method: "post",
  path: "/password",
  tags: ["Session"],
  summary: "Change one's own password (ends every other session)",
  access: { auth: "session" },
  refusals: ["rate_limited"],
  request: { body: jsonBody(PasswordChange) },
  responses: { 204: noContent("Changed; a new session cookie is set") },
});

const signOutRoute = apiRoute({
  operationId: "signOut",
  method: "delete",
  path: "/",
  tags: ["Session"],
  summary: "Sign out",
  access: { auth: "session" },
  responses: { 204: noContent("Signed out; the cookie is cleared") },
});

/** The signed-in user as the session routes answer with it; a stored role is always one of the roles. */
const sessionAnswer = (user: SessionUser) => ({ user: { username: user.username, role: Role.parse(user.role) } });

/** `/api/v1/session`: the admin's session. Every write must come from the admin's own origin (CSRF). */
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

  return apiRouter()
    .openapi(signInRoute, async (c) => {
      assertSameOrigin(c);
      const { sessionId, user } = await signIn(ctx.db, ctx.loginThrottle, c.req.valid("json"), ctx.now(), {
        ip: clientIp(c, ctx.trustProxy),
      });
      setSessionCookie(c, sessionId);
      return c.json(sessionAnswer(user), 200);
    })
    .openapi(whoAmI, async (c) => {
      const sessionId = getCookie(c, SESSION_COOKIE);
      if (!sessionId) throw unauthorized("not signed in");
      const user = await sessionUser(ctx.db, sessionId, ctx.now());
      return c.json(sessionAnswer(user), 200);
    })
    .openapi(changePassword, async (c) => {
      assertSameOrigin(c);
      const sessionId = getCookie(c, SESSION_COOKIE);
      if (!sessionId) throw unauthorized("sign in to change your password");
      const user = await sessionUser(ctx.db, sessionId, ctx.now());
      const renewed = await changeOwnPassword(ctx.db, ctx.loginThrottle, user, c.req.valid("json"), ctx.now(), {
        ip: clientIp(c, ctx.trustProxy),
      });
      setSessionCookie(c, renewed);
      return c.body(null, 204);
    })
    .openapi(signOutRoute, async (c) => {
      assertSameOrigin(c);
      const sessionId = getCookie(c, SESSION_COOKIE);
      if (sessionId) await signOut(ctx.db, sessionId, ctx.now());
      deleteCookie(c, SESSION_COOKIE, { path: "/" });
      return c.body(null, 204);
    });
}
