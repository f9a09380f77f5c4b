import { Hono } from "hono";
import { BatchRequest, DecisionRequest } from "../../shared/api.ts";
import { requireScope } from "../auth/api-keys.ts";
import type { AppContext } from "../context.ts";
import { apiKeyAuth, type AppEnv } from "../http/auth.ts";
import { jsonBody, requireJson } from "../http/validation.ts";
import { decide, decideBatch } from "./service.ts";

/** `POST /decisions/{ruleSet}` and `POST /decisions` (batch), as in decision-api.md. */
export function decisionRoutes(ctx: AppContext) {
  return new Hono<AppEnv>()
    .post("/decisions/:ruleSet", apiKeyAuth(ctx), requireJson, jsonBody(DecisionRequest), async (c) => {
      return c.json(await decide(ctx, c.get("principal"), c.req.param("ruleSet"), c.req.valid("json")));
    })
    .post("/decisions", apiKeyAuth(ctx), requireJson, jsonBody(BatchRequest), async (c) => {
      const principal = c.get("principal");
      requireScope(principal, "decisions:evaluate");
      return c.json({ results: await decideBatch(ctx, principal, c.req.valid("json").requests) });
    });
}
