import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { DecisionLogQuery } from "../../shared/logs.ts";
import { requireScope } from "../auth/api-keys.ts";
import type { AppContext } from "../context.ts";
import { invalid } from "../errors.ts";
import { keyOrSessionAuth, type AppEnv } from "../http/auth.ts";
import { fieldProblems } from "../http/validation.ts";
import { searchDecisionLog } from "./store.ts";

/** `GET /api/v1/decision-log`: past decisions by id, rule set, outcome, key and time, newest first. */
export function decisionLogRoutes(ctx: AppContext) {
  return new Hono<AppEnv>()
    .use("*", keyOrSessionAuth(ctx))
    .get(
      "/",
      zValidator("query", DecisionLogQuery, (result) => {
        if (!result.success) throw invalid("the query breaks the decision log query schema", fieldProblems(result.error.issues));
      }),
      async (c) => {
        requireScope(c.get("principal"), "audit:read");
        const query = c.req.valid("query");
        // decisions still queued are written first, so a search right after a decision finds it
        await ctx.decisionLog.flush();
        const entries = await searchDecisionLog(ctx.db, query);
        return c.json({ entries, next: entries.length === query.limit ? entries.at(-1)!.decisionId : null });
      },
    );
}
