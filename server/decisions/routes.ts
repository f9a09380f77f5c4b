import { fileURLToPath } from "node:url";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { BatchItem, BatchRequest, DecisionRequest, DecisionResponse, MAX_BATCH, Problem } from "../../shared/api.ts";
import { CaseFacts } from "../../shared/case-facts.ts";
import { ruleSetKindNames } from "../../shared/kinds/index.ts";
import { readRuleSetFiles } from "../bootstrap.ts";
import type { AppContext } from "../context.ts";
import { apiRoute, apiRouter, validBody } from "../http/api-route.ts";
import { json, pathParams } from "../http/openapi.ts";
import { answerDecision, decideBatch } from "./service.ts";

/** The seed's worked examples, as shipped in rules/: each rule set's test cases, named as the policy names them. */
function seedExamples() {
  const files = readRuleSetFiles(fileURLToPath(new URL("../../rules/", import.meta.url)));
  return Object.fromEntries(
    files.flatMap((file) =>
      file.testCases.map((test, i) => [
        `${file.key}-${i + 1}`,
        { summary: `${file.key}: ${test.name}`, value: { facts: test.facts } },
      ]),
    ),
  );
}

const ruleSetParam = z
  .enum(ruleSetKindNames as [string, ...string[]])
  .meta({ description: "The rule set that decides", example: "refund-eligibility" });

/**
 * `POST /decisions/{ruleSet}` is declared here for the document only: `answerDecision` checks the key, the media type, the
 * JSON and both schemas itself, in the order the node:http fast path (fast-path.ts) answers them, so the route's
 * validators would only check everything twice.
 */
const decideRoute = apiRoute({
  operationId: "decide",
  method: "post",
  path: "/decisions/{ruleSet}",
  tags: ["Decisions"],
  summary: "Decide one case",
  description:
    "Decides the case with the rule set's active version, a pinned `version`, or the version active at `asOf`; `trace: true` " +
    "explains every rule. The decision is logged under its `decisionId`.",
  access: { auth: "api-key", scope: "decisions:evaluate", ruleSet: "path" },
  refusals: ["not_found"],
  request: {
    params: pathParams({ ruleSet: ruleSetParam }),
    body: {
      required: true,
      content: {
        "application/json": { schema: DecisionRequest.extend({ facts: CaseFacts }), examples: seedExamples() },
      },
    },
  },
  responses: { 200: json(DecisionResponse, "The decision") },
});

/** The batch body as callers write it (defaults optional), as JSON Schema: given as such, the route leaves it unvalidated. */
function batchRequestDocument() {
  const document = z.strictObject({
    requests: z
      .array(BatchItem.extend({ facts: CaseFacts }))
      .min(1)
      .max(MAX_BATCH),
  });
  const { $schema: _, ...schema } = z.toJSONSchema(document, { io: "input", unrepresentable: "any" });
  return schema as Record<string, unknown>;
}

const decideBatchRoute = apiRoute({
  operationId: "decideBatch",
  method: "post",
  path: "/decisions",
  tags: ["Decisions"],
  summary: "Decide up to 100 cases",
  description:
    "Each request is decided on its own, as `POST /decisions/{ruleSet}` would: one that fails answers with its problem in its " +
    "slot, the others still decide. Every item counts against the key's rate limit.",
  access: { auth: "api-key", scope: "decisions:evaluate" },
  // documented item by item; validated as a list of anything, since each item is checked on its own (decideBatch)
  request: { body: { required: true, content: { "application/json": { schema: batchRequestDocument() } } } },
  responses: {
    200: json(
      z.object({ results: z.array(z.union([DecisionResponse, z.object({ error: Problem })])) }),
      "A result per request, in order: the decision, or `{ error }` with the item's problem",
    ),
  },
});

/** `POST /decisions/{ruleSet}` and `POST /decisions` (batch). */
export function decisionRoutes(ctx: AppContext) {
  const router = apiRouter();
  const { middleware: _checkedByAnswerDecision, ...documented } = decideRoute as typeof decideRoute & {
    middleware?: unknown;
  };
  router.openAPIRegistry.registerPath(documented);
  return router
    .openapi(decideBatchRoute, async (c) => {
      const { requests } = validBody(BatchRequest, await c.req.json());
      return c.json({ results: await decideBatch(ctx, c.get("principal"), requests) }, 200);
    })
    .post("/decisions/:ruleSet", async (c) => {
      const answer = await answerDecision(ctx, {
        ruleSet: c.req.param("ruleSet"),
        authorization: c.req.header("authorization"),
        contentType: c.req.header("content-type"),
        body: await c.req.text(),
        requestId: c.get("requestId"),
      });
      return c.body(answer.body, answer.status as ContentfulStatusCode, {
        ...answer.headers,
        "content-type": answer.contentType,
      });
    });
}
