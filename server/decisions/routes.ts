import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { BatchRequest } from "../../shared/api.ts";
import { requireScope } from "../auth/api-keys.ts";
import type { AppContext } from "../context.ts";
import { apiKeyAuth, type AppEnv } from "../http/auth.ts";
import { jsonBody, requireJson } from "../http/validation.ts";
import { answerDecision, decideBatch } from "./service.ts";

/**
 * `POST /decisions/{ruleSet}` and `POST /decisions` (batch), as docs/api.md has it. The single decision is answered by
 * `answerDecision`, which the node:http fast path (fast-path.ts) serves too; this route answers it in process
 * (`app.request`) and whatever the fast path leaves to Hono.
 */
export function decisionRoutes(ctx: AppContext) {
  return new Hono<AppEnv>()
    .post("/decisions/:ruleSet", async (c) => {
      const answer = await answerDecision(ctx, {
        ruleSet: c.req.param("ruleSet"),
        authorization: c.req.header("authorization"),
        contentType: c.req.header("content-type"),
        body: await c.req.text(),
        requestId: c.get("requestId"),
      });
      return c.body(answer.body, answer.status as ContentfulStatusCode, { ...answer.headers, "content-type": answer.contentType });
    })
    .post("/decisions", apiKeyAuth(ctx), requireJson, jsonBody(BatchRequest), async (c) => {
      const principal = c.get("principal");
      requireScope(principal, "decisions:evaluate");
      return c.json({ results: await decideBatch(ctx, principal, c.req.valid("json").requests) });
    });
}
