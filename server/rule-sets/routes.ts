import { z } from "zod";
import {
  DraftInput,
  DraftResetInput,
  DraftSaved,
  Presence,
  PresenceInput,
  PublishInput,
  PublishResult,
  Review,
  ReviewInput,
  RollbackInput,
  RuleSetDetail,
  RuleSetSummary,
  Schedule,
  SettingsInput,
  SimulateInput,
  Simulation,
  SubmitInput,
  TestCasesInput,
  TestRun,
  VersionDetail,
  VersionSummary,
} from "../../shared/api.ts";
import { ruleSetKindNames } from "../../shared/kinds/index.ts";
import { TestCase } from "../../shared/rules.ts";
import type { AppContext } from "../context.ts";
import { notFound } from "../errors.ts";
import { apiRoute, apiRouter, type Access } from "../http/api-route.ts";
import { json, jsonBody, pathParams } from "../http/openapi.ts";
import { draftHeartbeat } from "./presence.ts";
import * as publishing from "./publishing.ts";
import * as reviews from "./reviews.ts";
import * as schedules from "./schedules.ts";
import * as service from "./service.ts";

/** A version number from the URL; anything else names no version. */
function versionParam(text: string): number {
  if (!/^[1-9][0-9]{0,8}$/.test(text)) throw notFound(`no version "${text}"`);
  return Number(text);
}

const keyParam = z.string().meta({ description: "The rule set", example: ruleSetKindNames[0] });
const ruleSet = pathParams({ key: keyParam });
const onRuleSet = (scope: Extract<Access, { scope: unknown }>["scope"]) =>
  ({ auth: "key-or-session", scope, ruleSet: "path" }) as const;
const tags = ["Rule sets"];

const listRuleSets = apiRoute({
  operationId: "listRuleSets",
  method: "get",
  path: "/",
  tags,
  summary: "List rule sets",
  description: "A key limited to some rule sets lists only those.",
  access: { auth: "key-or-session", scope: "rules:read" },
  responses: { 200: json(z.object({ ruleSets: z.array(RuleSetSummary) }), "Every rule set the caller may read") },
});

const getRuleSet = apiRoute({
  operationId: "getRuleSet",
  method: "get",
  path: "/{key}",
  tags,
  summary: "A rule set with its saved draft and active version",
  access: onRuleSet("rules:read"),
  refusals: ["not_found"],
  request: { params: ruleSet },
  responses: { 200: json(RuleSetDetail, "The rule set") },
});

const saveDraft = apiRoute({
  operationId: "saveDraft",
  method: "put",
  path: "/{key}/draft",
  tags,
  summary: "Save the draft",
  description: [
    "On the draft's current `revision` the body replaces the draft. On an older revision (someone saved in between)",
    "the save is merged rule by rule against the revision it was based on: when the two sides changed different",
    "rules, default fields or shared conditions, both are kept and the answer says `merged: true` and `mergedWith`",
    "(who saved in between). When both changed the same one differently (or one changed what the other removed),",
    "nothing is saved: 409 `conflict` with `currentRevision`, `baseRevision`, `mergedWith`, `conflicts` (each",
    "`{ rule | default | condition, theirs, mine }`, null for a side that removed it) and `mergedKeepingTheirs`",
    "(the merge with every conflict resolved as theirs, to apply choices to and save on `currentRevision`). A",
    "revision older than the last 200 kept, or newer than the draft's, is refused with a plain 409.",
  ].join(" "),
  access: onRuleSet("rules:write"),
  refusals: ["not_found", "conflict"],
  request: { params: ruleSet, body: jsonBody(DraftInput) },
  responses: { 200: json(DraftSaved, "The rule set with the saved draft") },
});

const resetDraft = apiRoute({
  operationId: "resetDraft",
  method: "post",
  path: "/{key}/draft/reset",
  tags,
  summary: "Make the draft a published version's rules",
  description:
    "After a rollback, so that the rolled-back change does not come back with the next publish. Refused with 409 when `revision` is not the draft's current revision.",
  access: onRuleSet("rules:write"),
  refusals: ["not_found", "conflict"],
  request: { params: ruleSet, body: jsonBody(DraftResetInput) },
  responses: { 200: json(RuleSetDetail, "The rule set with the reset draft") },
});

const draftPresence = apiRoute({
  operationId: "draftPresence",
  method: "post",
  path: "/{key}/draft/presence",
  tags,
  summary: "Say the draft is open here; learn who else has it open",
  description:
    "A heartbeat the editor sends every 20 s while the draft is open (`leaving: true` when it closes). Answers the others who sent one in the last 60 s. Kept in the memory of the instance that answers.",
  access: onRuleSet("rules:write"),
  refusals: ["not_found"],
  request: { params: ruleSet, body: jsonBody(PresenceInput) },
  responses: { 200: json(Presence, "Who else has the draft open") },
});

const publish = apiRoute({
  operationId: "publishDraft",
  method: "post",
  path: "/{key}/publish",
  tags,
  summary: "Publish the draft, now or at a time",
  description:
    "The draft's test cases must pass; under four-eyes the draft needs an approved review first (409 `review_required`). No case may break one of the draft's invariants: 422 `invariant_broken` names the first one broken (`invariant`, `field`) with a counterexample case (`example`, to simulate) and lists every one broken (`broken`); the analysis runs on the analysis thread, 429 while its queue is full.",
  access: onRuleSet("rules:publish"),
  refusals: ["not_found", "conflict", "review_required", "invariant_broken", "rate_limited", "unavailable"],
  request: { params: ruleSet, body: jsonBody(PublishInput) },
  responses: { 200: json(PublishResult, "The version published or scheduled") },
});

const rollBack = apiRoute({
  operationId: "rollBack",
  method: "post",
  path: "/{key}/rollback",
  tags,
  summary: "Make an earlier version active again",
  description:
    "The version's rules must keep its own invariants and those of the active version (422 `invariant_broken` with a counterexample, as a publish); a key with `rules:rollback-unreviewed` rolls back without the check, an emergency the audit row marks.",
  access: onRuleSet("rules:publish"),
  refusals: ["not_found", "conflict", "review_required", "invariant_broken", "rate_limited", "unavailable"],
  request: { params: ruleSet, body: jsonBody(RollbackInput) },
  responses: { 200: json(PublishResult, "The version now active") },
});

const submit = apiRoute({
  operationId: "submitDraft",
  method: "post",
  path: "/{key}/submit",
  tags,
  summary: "Submit the saved draft for review (four-eyes)",
  access: onRuleSet("rules:write"),
  refusals: ["not_found", "conflict"],
  request: { params: ruleSet, body: jsonBody(SubmitInput) },
  responses: { 200: json(Review, "The review, pending") },
});

const review = apiRoute({
  operationId: "reviewDraft",
  method: "post",
  path: "/{key}/review",
  tags,
  summary: "Approve or reject the pending review",
  description: "Nobody who edited the draft since the last publish may approve it.",
  access: onRuleSet("rules:review"),
  refusals: ["not_found", "conflict"],
  request: { params: ruleSet, body: jsonBody(ReviewInput) },
  responses: { 200: json(Review, "The review, decided") },
});

const settings = apiRoute({
  operationId: "setFourEyes",
  method: "put",
  path: "/{key}/settings",
  tags,
  summary: "Turn the four-eyes review on or off",
  access: onRuleSet("users:manage"),
  refusals: ["not_found"],
  request: { params: ruleSet, body: jsonBody(SettingsInput) },
  responses: { 200: json(z.object({ fourEyes: z.boolean() }), "The setting as saved") },
});

const listSchedules = apiRoute({
  operationId: "listSchedules",
  method: "get",
  path: "/{key}/schedules",
  tags,
  summary: "Scheduled versions, past and coming",
  access: onRuleSet("rules:read"),
  refusals: ["not_found"],
  request: { params: ruleSet },
  responses: { 200: json(z.object({ schedules: z.array(Schedule) }), "The rule set's schedules") },
});

const cancelSchedule = apiRoute({
  operationId: "cancelSchedule",
  method: "delete",
  path: "/{key}/schedules/{id}",
  tags,
  summary: "Cancel a schedule that has not started",
  access: onRuleSet("rules:publish"),
  refusals: ["not_found", "conflict"],
  request: { params: pathParams({ key: keyParam, id: z.string() }) },
  responses: { 200: json(Schedule, "The schedule, cancelled") },
});

const listVersions = apiRoute({
  operationId: "listVersions",
  method: "get",
  path: "/{key}/versions",
  tags,
  summary: "Published versions, newest first",
  access: onRuleSet("rules:read"),
  refusals: ["not_found"],
  request: { params: ruleSet },
  responses: { 200: json(z.object({ versions: z.array(VersionSummary) }), "The versions") },
});

const getVersion = apiRoute({
  operationId: "getVersion",
  method: "get",
  path: "/{key}/versions/{version}",
  tags,
  summary: "One published version, with its rules",
  access: onRuleSet("rules:read"),
  refusals: ["not_found"],
  request: {
    params: pathParams({ key: keyParam, version: z.string().meta({ description: "A version number", example: "1" }) }),
  },
  responses: { 200: json(VersionDetail, "The version") },
});

const getTestCases = apiRoute({
  operationId: "getTestCases",
  method: "get",
  path: "/{key}/test-cases",
  tags,
  summary: "The draft's test cases",
  access: onRuleSet("rules:read"),
  refusals: ["not_found"],
  request: { params: ruleSet },
  responses: { 200: json(z.object({ testCases: z.array(TestCase) }), "The test cases") },
});

const saveTestCases = apiRoute({
  operationId: "saveTestCases",
  method: "put",
  path: "/{key}/test-cases",
  tags,
  summary: "Replace the draft's test cases",
  access: onRuleSet("rules:write"),
  refusals: ["not_found"],
  request: { params: ruleSet, body: jsonBody(TestCasesInput) },
  responses: { 200: json(z.object({ testCases: z.array(TestCase) }), "The test cases as saved") },
});

const simulate = apiRoute({
  operationId: "simulateCase",
  method: "post",
  path: "/{key}/simulate",
  tags,
  summary: "Decide a case with the draft, the active version and any published version",
  description:
    "Nothing is logged: the simulator is for trying a change before it is published. The case is decided at its `now` (a future one included) or the server's clock; `version` adds a published version's decision (`selected`), a scheduled one included. Each decision comes with its trace and each field's provenance. `draft` (rules being edited, unsaved; checked as a save checks them, 422 when invalid) is decided instead of the saved draft: the editor warns with it when an edited rule changes nothing in the test cases.",
  access: onRuleSet("rules:read"),
  refusals: ["not_found"],
  request: { params: ruleSet, body: jsonBody(SimulateInput) },
  responses: { 200: json(Simulation, "The decisions, each with its trace and provenance") },
});

const runTestCases = apiRoute({
  operationId: "runTestCases",
  method: "post",
  path: "/{key}/test-cases/run",
  tags,
  summary: "Run the stored test cases against the draft or a version",
  access: onRuleSet("rules:read"),
  refusals: ["not_found"],
  request: {
    params: ruleSet,
    query: z.object({ version: z.string().optional().meta({ description: "A published version; absent: the draft" }) }),
  },
  responses: { 200: json(TestRun, "Each test case's result") },
});

/** `/api/v1/rule-sets`: the management API. */
export function ruleSetRoutes(ctx: AppContext) {
  return apiRouter()
    .openapi(listRuleSets, async (c) => {
      // a key limited to some rule sets lists only those
      return c.json({ ruleSets: await service.listRuleSets(ctx, c.get("principal").ruleSets) }, 200);
    })
    .openapi(getRuleSet, async (c) => c.json(await service.getRuleSet(ctx, c.req.valid("param").key), 200))
    .openapi(saveDraft, async (c) => {
      return c.json(
        await service.replaceDraft(ctx, c.req.valid("param").key, c.req.valid("json"), c.get("principal").actor),
        200,
      );
    })
    .openapi(resetDraft, async (c) => {
      return c.json(
        await service.resetDraft(ctx, c.req.valid("param").key, c.req.valid("json"), c.get("principal").actor),
        200,
      );
    })
    .openapi(draftPresence, async (c) => {
      const { leaving } = c.req.valid("json");
      return c.json(await draftHeartbeat(ctx, c.req.valid("param").key, c.get("principal"), leaving), 200);
    })
    .openapi(publish, async (c) => {
      return c.json(
        await publishing.publishDraft(ctx, c.req.valid("param").key, c.req.valid("json"), c.get("principal")),
        200,
      );
    })
    .openapi(rollBack, async (c) => {
      const { version, note } = c.req.valid("json");
      return c.json(await publishing.rollBack(ctx, c.req.valid("param").key, version, note, c.get("principal")), 200);
    })
    .openapi(submit, async (c) => {
      return c.json(
        await reviews.submitForReview(ctx, c.req.valid("param").key, c.req.valid("json").note, c.get("principal")),
        200,
      );
    })
    .openapi(review, async (c) => {
      return c.json(
        await reviews.decideReview(ctx, c.req.valid("param").key, c.req.valid("json"), c.get("principal")),
        200,
      );
    })
    .openapi(settings, async (c) => {
      return c.json(
        await reviews.setFourEyes(ctx, c.req.valid("param").key, c.req.valid("json").fourEyes, c.get("principal")),
        200,
      );
    })
    .openapi(listSchedules, async (c) =>
      c.json({ schedules: await schedules.listRuleSetSchedules(ctx, c.req.valid("param").key) }, 200),
    )
    .openapi(cancelSchedule, async (c) => {
      const { key, id } = c.req.valid("param");
      return c.json(await schedules.cancelSchedule(ctx, key, id, c.get("principal")), 200);
    })
    .openapi(listVersions, async (c) =>
      c.json({ versions: await service.listVersionSummaries(ctx, c.req.valid("param").key) }, 200),
    )
    .openapi(getVersion, async (c) => {
      const { key, version } = c.req.valid("param");
      return c.json(await service.getVersion(ctx, key, versionParam(version)), 200);
    })
    .openapi(getTestCases, async (c) =>
      c.json({ testCases: await service.getTestCases(ctx, c.req.valid("param").key) }, 200),
    )
    .openapi(saveTestCases, async (c) => {
      const testCases = await service.replaceTestCases(
        ctx,
        c.req.valid("param").key,
        c.req.valid("json").testCases,
        c.get("principal").actor,
      );
      return c.json({ testCases }, 200);
    })
    .openapi(simulate, async (c) =>
      c.json(await service.simulate(ctx, c.req.valid("param").key, c.req.valid("json")), 200),
    )
    .openapi(runTestCases, async (c) => {
      const { version } = c.req.valid("query");
      const results = await service.runStoredTestCases(
        ctx,
        c.req.valid("param").key,
        version === undefined ? undefined : versionParam(version),
      );
      return c.json({ passed: results.every((r) => r.passed), results }, 200);
    });
}
