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
        const principal = c.get("principal");
        const query = c.req.valid("query");
        // a key limited to some rule sets reads only their decisions (customers' facts): asking for another is 403
        requireScope(principal, "audit:read", query.ruleSet);
        // decisions still queued are written first, so a search right after a decision finds it
        await ctx.decisionLog.flush();
        const entries = await searchDecisionLog(ctx.db, query, principal.ruleSets);
        return c.json({ entries, next: entries.length === query.limit ? entries.at(-1)!.decisionId : null });
      },
    );
}
