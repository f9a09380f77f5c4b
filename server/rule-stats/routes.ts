import { z } from "zod";
import { ruleSetKindNames } from "../../shared/kinds/index.ts";
import { RuleStats, StatsQuery } from "../../shared/stats.ts";
import type { AppContext } from "../context.ts";
import { apiRoute, apiRouter } from "../http/api-route.ts";
import { json, pathParams } from "../http/openapi.ts";
import { ruleStats } from "./service.ts";

const getRuleStats = apiRoute({
  operationId: "getRuleStats",
  method: "get",
  path: "/{key}/stats",
  tags: ["Rule sets"],
  summary: "Decisions, outcomes and rule fires over time, and the rules that never fired",
  description: [
    "From counts the decision log keeps as it writes (per hour), so they agree with what the log committed; a",
    "period pruned from the log keeps its counts, and decisions dropped from a full queue are in neither. `from` and",
    "`to` default to the last 30 days and are widened to whole buckets: hours, or days in the business time zone. At",
    "most 100 days: 2 400 hourly or 100 daily buckets (422 `too_many_buckets`). `neverFired` lists the enabled rules of the",
    "active version and of the draft that fired for no decision of the period. Decision-log data: `audit:read`, as",
    "the log's search; a key limited to some rule sets reads only theirs.",
  ].join(" "),
  access: { auth: "key-or-session", scope: "audit:read", ruleSet: "path" },
  refusals: ["not_found"],
  request: {
    params: pathParams({ key: z.string().meta({ description: "The rule set", example: ruleSetKindNames[0] }) }),
    query: StatsQuery,
  },
  responses: { 200: json(RuleStats, "The period's counts, bucket by bucket") },
});

/** `/api/v1/rule-sets/{key}/stats`: the rule analytics. */
export function ruleStatsRoutes(ctx: AppContext) {
  return apiRouter().openapi(getRuleStats, async (c) => {
    // decisions still queued are counted first, so the numbers include a decision made just before
    await ctx.decisionLog.flush();
    return c.json(await ruleStats(ctx, c.req.valid("param").key, c.req.valid("query")), 200);
  });
}
