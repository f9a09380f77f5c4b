import { z } from "zod";
import { DraftInvariants, InvariantsInput, InvariantsSaved } from "../../shared/invariants.ts";
import { ruleSetKindNames } from "../../shared/kinds/index.ts";
import type { AppContext } from "../context.ts";
import { apiRoute, apiRouter } from "../http/api-route.ts";
import { json, jsonBody, pathParams } from "../http/openapi.ts";
import { getDraftInvariants, saveDraftInvariants } from "./service.ts";

const ruleSet = pathParams({
  key: z.string().meta({ description: "The rule set", example: ruleSetKindNames[0] }),
});
const tags = ["Rule sets"];

const sellerFaultSellerPays = {
  name: "seller-fault-seller-pays-both-legs",
  title: "卖家责任（质量问题、错发、描述不符）→ 来回运费均由卖家承担",
  conditions: {
    all: [
      { fact: "refund", path: "reason", operator: "in", value: ["quality_issue", "not_as_described", "wrong_item"] },
    ],
  },
  expect: { returnShippingPayer: "seller", outboundShippingPayer: "seller" },
};

const getInvariants = apiRoute({
  operationId: "getInvariants",
  method: "get",
  path: "/{key}/invariants",
  tags,
  summary: "The draft's invariants",
  description:
    "Statements every decision of the draft must satisfy, with the fields it asks a rule to decide for every case. Versioned with the rules: a published version's are in its definition.",
  access: { auth: "key-or-session", scope: "rules:read", ruleSet: "path" },
  refusals: ["not_found"],
  request: { params: ruleSet },
  responses: { 200: json(DraftInvariants, "The draft's invariants at its revision") },
});

const putInvariants = apiRoute({
  operationId: "saveInvariants",
  method: "put",
  path: "/{key}/invariants",
  tags,
  summary: "Replace the draft's invariants",
  description: [
    "A draft save that changes only the invariants (and `decidedByRules`, when given): on the draft's current",
    "`revision` the list replaces the draft's; on an older one it is merged invariant by invariant with what was",
    "saved since, as `PUT …/draft` merges rules (409 `conflict` listing `{ invariant | decidedByRules, theirs, mine }`",
    "when both changed one differently). Each invariant is checked as a rule is (422 with field problems at",
    "`invariants.N…`). Audited as `draft.replace` naming the invariants added, removed and changed.",
  ].join(" "),
  access: { auth: "key-or-session", scope: "rules:write", ruleSet: "path" },
  refusals: ["not_found", "conflict"],
  request: {
    params: ruleSet,
    body: jsonBody(InvariantsInput, {
      s12: { summary: "S12 for shipping-fee", value: { revision: 1, invariants: [sellerFaultSellerPays] } },
    }),
  },
  responses: { 200: json(InvariantsSaved, "The draft's invariants as saved") },
});

/** `/api/v1/rule-sets/{key}/invariants`: a draft's invariants, read and saved on their own. */
export function invariantRoutes(ctx: AppContext) {
  return apiRouter()
    .openapi(getInvariants, async (c) => c.json(await getDraftInvariants(ctx, c.req.valid("param").key), 200))
    .openapi(putInvariants, async (c) =>
      c.json(
        await saveDraftInvariants(ctx, c.req.valid("param").key, c.req.valid("json"), c.get("principal").actor),
        200,
      ),
    );
}
