import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { SignInInput } from "../../shared/api.ts";
import type { AppContext } from "../context.ts";
import { unauthorized } from "../errors.ts";
import { assertSameOrigin, type AppEnv } from "../http/auth.ts";
import { jsonBody, requireJson } from "../http/validation.ts";
import { SESSION_ABSOLUTE_MS, SESSION_COOKIE, sessionUser, signIn, signOut } from "./sessions.ts";

/** The admin's session: sign in (sets an HttpOnly cookie), who am I, sign out. */
export function sessionRoutes(ctx: AppContext) {
  return new Hono<AppEnv>()
    .post("/", requireJson, jsonBody(SignInInput), async (c) => {
      assertSameOrigin(c);
      const { username, password } = c.req.valid("json");
      const from = c.req.header("x-forwarded-for")?.split(",")[0]?.trim() ?? "direct";
      const { sessionId, user } = await signIn(ctx.db, username, password, ctx.now(), from);
      setCookie(c, SESSION_COOKIE, sessionId, {
        httpOnly: true,
        sameSite: "Strict",
        path: "/",
        secure: new URL(c.req.url).protocol === "https:" || c.req.header("x-forwarded-proto") === "https",
        maxAge: SESSION_ABSOLUTE_MS / 1000,
      });
      return c.json({ user: { username: user.username, role: user.role } });
    })
    .get("/", async (c) => {
      const sessionId = getCookie(c, SESSION_COOKIE);
      if (!sessionId) throw unauthorized("not signed in");
      const user = await sessionUser(ctx.db, sessionId, ctx.now());
      return c.json({ user: { username: user.username, role: user.role } });
    })
    .delete("/", async (c) => {
      assertSameOrigin(c);
      const sessionId = getCookie(c, SESSION_COOKIE);
      if (sessionId) await signOut(ctx.db, sessionId, ctx.now());
      deleteCookie(c, SESSION_COOKIE, { path: "/" });
      return c.body(null, 204);
    });
}
