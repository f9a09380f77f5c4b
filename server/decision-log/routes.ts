import { z } from "zod";
import { DecisionLogEntry, DecisionLogQuery } from "../../shared/logs.ts";
import type { AppContext } from "../context.ts";
import { apiRoute, apiRouter } from "../http/api-route.ts";
import { json } from "../http/openapi.ts";
import { searchDecisionLog } from "./store.ts";

const searchDecisions = apiRoute({
  operationId: "searchDecisionLog",
  method: "get",
  path: "/",
  tags: ["Logs"],
  summary: "Search past decisions",
  description:
    "By id, rule set, outcome, key and time, newest first. A key limited to some rule sets reads only their decisions.",
  // a key limited to some rule sets reads only their decisions (customers' facts): asking for another is 403
  access: { auth: "key-or-session", scope: "audit:read", ruleSet: "query" },
  request: { query: DecisionLogQuery },
  responses: {
    200: json(
      z.object({ entries: z.array(DecisionLogEntry), next: z.string().nullable() }),
      "A page of decisions; `next` is the `before` of the next page",
    ),
  },
});

/** `/api/v1/decision-log`. */
export function decisionLogRoutes(ctx: AppContext) {
  return apiRouter().openapi(searchDecisions, async (c) => {
    const query = c.req.valid("query");
    // decisions still queued are written first, so a search right after a decision finds it
    await ctx.decisionLog.flush();
    const entries = await searchDecisionLog(ctx.db, query, c.get("principal").ruleSets);
    return c.json({ entries, next: entries.length === query.limit ? entries.at(-1)!.decisionId : null }, 200);
  });
}
