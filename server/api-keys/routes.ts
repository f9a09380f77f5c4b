import { Hono } from "hono";
import { ApiKeyInput } from "../../shared/access.ts";
import { requireScope } from "../auth/api-keys.ts";
import type { AppContext } from "../context.ts";
import { keyOrSessionAuth, type AppEnv } from "../http/auth.ts";
import { jsonBody, requireJson } from "../http/validation.ts";
import * as service from "./service.ts";

/**
 * API keys: list (never the secret), create (the secret shown once), revoke. All need `keys:manage`;
 * a principal limited to some rule sets manages only keys limited to those.
 */
export function apiKeyRoutes(ctx: AppContext) {
  return new Hono<AppEnv>()
    .use("*", keyOrSessionAuth(ctx), async (c, next) => {
      requireScope(c.get("principal"), "keys:manage");
      await next();
    })
    .get("/", async (c) => c.json({ apiKeys: await service.listApiKeys(ctx, c.get("principal")) }))
    .post("/", requireJson, jsonBody(ApiKeyInput), async (c) => {
      const created = await service.createApiKey(ctx, c.req.valid("json"), c.get("principal"));
      c.header("cache-control", "no-store");
      return c.json(created, 201);
    })
    .delete("/:id", async (c) => {
      await service.revokeApiKey(ctx, c.req.param("id"), c.get("principal"));
      return c.body(null, 204);
    });
}
