import { z } from "zod";
import { ImpactInput, ImpactJob } from "../../shared/impact.ts";
import { ruleSetKindNames } from "../../shared/kinds/index.ts";
import type { AppContext } from "../context.ts";
import { apiRoute, apiRouter } from "../http/api-route.ts";
import { json, jsonBody, pathParams } from "../http/openapi.ts";
import { impactJobPath, impactReplay, startImpactReplay } from "./service.ts";

const key = z.string().meta({ description: "The rule set", example: ruleSetKindNames[0] });
const tags = ["Rule sets"];
// facts are customers' data: the service also requires the decision log's audit:read for the rule set
const access = { auth: "key-or-session", scope: "rules:read", ruleSet: "path" } as const;

const startImpact = apiRoute({
  operationId: "startImpactReplay",
  method: "post",
  path: "/{key}/impact",
  tags,
  summary: "Replay logged decisions against the draft",
  description: [
    "The period's logged decisions of the rule set (default the last 30 days; newest first, `limit` of them, up to",
    "1 000 000) decided again by the saved draft, each at its own evaluation time (the case's `now`, else when it was",
    "logged), in a worker thread. Answers 202 with the job and its `Location`; poll it until `status` is `done`.",
    "Needs `rules:read` and the decision log's `audit:read` (the cases are customers' data). One replay per rule set",
    "at a time: another start while one runs is refused with 409 and the running one's `Location`; a few in all (503).",
  ].join(" "),
  access,
  refusals: ["not_found", "conflict", "unavailable"],
  request: {
    params: pathParams({ key }),
    body: jsonBody(ImpactInput, {
      lastThirtyDays: { summary: "The last 30 days", value: {} },
      period: {
        summary: "A period, 10 000 decisions at most",
        value: { from: "2026-11-01T00:00:00+08:00", to: "2026-11-08T00:00:00+08:00", limit: 10_000 },
      },
    }),
  },
  responses: {
    202: {
      ...json(ImpactJob, "The replay, started: poll its Location"),
      headers: { Location: { description: "The replay's URL", schema: { type: "string" } } },
    },
  },
});

const getImpact = apiRoute({
  operationId: "getImpactReplay",
  method: "get",
  path: "/{key}/impact/{id}",
  tags,
  summary: "A replay's progress, and its result once done",
  description:
    "`replayed` of `total` while `running`; `result` once `done`; `error` once `failed`. Kept an hour after it ends.",
  access,
  refusals: ["not_found"],
  request: { params: pathParams({ key, id: z.string().max(40).meta({ description: "The replay" }) }) },
  responses: { 200: json(ImpactJob, "The replay") },
});

/** `/api/v1/rule-sets/{key}/impact`: what the draft would have changed in the logged decisions. */
export function impactRoutes(ctx: AppContext) {
  return apiRouter()
    .openapi(startImpact, async (c) => {
      const { key } = c.req.valid("param");
      const job = await startImpactReplay(ctx, key, c.req.valid("json"), c.get("principal"));
      return c.json(job, 202, { Location: impactJobPath(key, job.id) });
    })
    .openapi(getImpact, async (c) => {
      const { key, id } = c.req.valid("param");
      return c.json(await impactReplay(ctx, key, id, c.get("principal")), 200);
    });
}
