import { z } from "zod";
import { Analysis, AnalysisInput } from "../../shared/analysis.ts";
import { ruleSetKindNames } from "../../shared/kinds/index.ts";
import type { AppContext } from "../context.ts";
import { apiRoute, apiRouter } from "../http/api-route.ts";
import { json, jsonBody, pathParams } from "../http/openapi.ts";
import { analyseRuleSet } from "./service.ts";

const analyse = apiRoute({
  operationId: "analyseDraft",
  method: "post",
  path: "/{key}/analysis",
  tags: ["Rule sets"],
  summary: "Analyse the draft over every possible case",
  description:
    "Static analysis of the saved draft (or the unsaved `draft`, or a published `version`) over every case from now on: rules that never apply, rules overridden wholly or per field (naming the rules that take them), conflicts between rules of equal priority, gaps in `decidedByRules`, broken invariants. Each finding carries a complete case (with its `now`) that shows it in the simulator. The work is bounded (`budget`, at most 2 000 000 steps and 10 s; by default 500 000 and 3 s): checks it could not decide are listed in `unchecked` and `complete` is false. Analyses run one at a time off the decision thread; more than 4 waiting are refused (429), and one whose thread runs out of its memory answers 503.",
  access: { auth: "key-or-session", scope: "rules:read", ruleSet: "path" },
  refusals: ["not_found", "rate_limited", "unavailable"],
  request: {
    params: pathParams({ key: z.string().meta({ description: "The rule set", example: ruleSetKindNames[1] }) }),
    body: jsonBody(AnalysisInput, {
      draft: { summary: "The saved draft", value: {} },
      budget: { summary: "At most one second", value: { budget: { ms: 1000 } } },
    }),
  },
  responses: {
    200: json(Analysis, "The findings, each with its example case, and the checks not decided"),
  },
});

/** `/api/v1/rule-sets/{key}/analysis`. */
export function analysisRoutes(ctx: AppContext) {
  return apiRouter().openapi(analyse, async (c) =>
    c.json(await analyseRuleSet(ctx, c.req.valid("param").key, c.req.valid("json")), 200),
  );
}
