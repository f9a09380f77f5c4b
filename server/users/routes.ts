import { Hono } from "hono";
import { PasswordReset, UserInput, UserUpdate } from "../../shared/access.ts";
import { requireScope } from "../auth/api-keys.ts";
import { assertMayManageUsers } from "../auth/grants.ts";
import type { AppContext } from "../context.ts";
import { keyOrSessionAuth, type AppEnv } from "../http/auth.ts";
import { jsonBody, requireJson } from "../http/validation.ts";
import * as service from "./service.ts";

/**
 * The admin's users: list, create, change role or disable, reset a password. All need `users:manage`
 * and no rule-set limit; giving or touching a role needs every scope of that role (server/auth/grants.ts).
 */
export function userRoutes(ctx: AppContext) {
  return new Hono<AppEnv>()
    .use("*", keyOrSessionAuth(ctx), async (c, next) => {
      requireScope(c.get("principal"), "users:manage");
      assertMayManageUsers(c.get("principal"));
      await next();
    })
    .get("/", async (c) => c.json({ users: await service.listUsers(ctx) }))
    .post("/", requireJson, jsonBody(UserInput), async (c) => {
      return c.json(await service.createUser(ctx, c.req.valid("json"), c.get("principal")), 201);
    })
    .patch("/:username", requireJson, jsonBody(UserUpdate), async (c) => {
      return c.json(await service.updateUser(ctx, c.req.param("username"), c.req.valid("json"), c.get("principal")));
    })
    .post("/:username/password", requireJson, jsonBody(PasswordReset), async (c) => {
      await service.resetPassword(ctx, c.req.param("username"), c.req.valid("json").password, c.get("principal"));
      return c.body(null, 204);
    });
}
