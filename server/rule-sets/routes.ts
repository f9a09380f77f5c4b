import { Hono } from "hono";
import { DraftInput, PublishInput, ReviewInput, RollbackInput, SettingsInput, SimulateInput, SubmitInput, TestCasesInput } from "../../shared/api.ts";
import { requireScope } from "../auth/api-keys.ts";
import type { AppContext } from "../context.ts";
import { notFound } from "../errors.ts";
import { keyOrSessionAuth, type AppEnv } from "../http/auth.ts";
import { jsonBody, requireJson } from "../http/validation.ts";
import * as publishing from "./publishing.ts";
import * as reviews from "./reviews.ts";
import * as schedules from "./schedules.ts";
import * as service from "./service.ts";

/** A version number from the URL; anything else names no version. */
function versionParam(text: string): number {
  if (!/^[1-9][0-9]{0,8}$/.test(text)) throw notFound(`no version "${text}"`);
  return Number(text);
}

/** The management API (docs/api.md, "Managing rule sets, users and keys"). */
export function ruleSetRoutes(ctx: AppContext) {
  return new Hono<AppEnv>()
    .use("*", keyOrSessionAuth(ctx))
    .get("/", async (c) => {
      const principal = c.get("principal");
      requireScope(principal, "rules:read");
      // a key limited to some rule sets lists only those
      return c.json({ ruleSets: await service.listRuleSets(ctx, principal.ruleSets) });
    })
    .get("/:key", async (c) => {
      const key = c.req.param("key");
      requireScope(c.get("principal"), "rules:read", key);
      return c.json(await service.getRuleSet(ctx, key));
    })
    .put("/:key/draft", requireJson, jsonBody(DraftInput), async (c) => {
      const key = c.req.param("key");
      const principal = c.get("principal");
      requireScope(principal, "rules:write", key);
      return c.json(await service.replaceDraft(ctx, key, c.req.valid("json"), principal.actor));
    })
    .post("/:key/publish", requireJson, jsonBody(PublishInput), async (c) => {
      const key = c.req.param("key");
      const principal = c.get("principal");
      requireScope(principal, "rules:publish", key);
      return c.json(await publishing.publishDraft(ctx, key, c.req.valid("json"), principal));
    })
    .post("/:key/rollback", requireJson, jsonBody(RollbackInput), async (c) => {
      const key = c.req.param("key");
      const principal = c.get("principal");
      requireScope(principal, "rules:publish", key);
      const { version, note } = c.req.valid("json");
      return c.json(await publishing.rollBack(ctx, key, version, note, principal));
    })
    .post("/:key/submit", requireJson, jsonBody(SubmitInput), async (c) => {
      const key = c.req.param("key");
      const principal = c.get("principal");
      requireScope(principal, "rules:write", key);
      return c.json(await reviews.submitForReview(ctx, key, c.req.valid("json").note, principal));
    })
    .post("/:key/review", requireJson, jsonBody(ReviewInput), async (c) => {
      const key = c.req.param("key");
      const principal = c.get("principal");
      requireScope(principal, "rules:review", key);
      return c.json(await reviews.decideReview(ctx, key, c.req.valid("json"), principal));
    })
    .put("/:key/settings", requireJson, jsonBody(SettingsInput), async (c) => {
      const key = c.req.param("key");
      const principal = c.get("principal");
      requireScope(principal, "users:manage", key);
      return c.json(await reviews.setFourEyes(ctx, key, c.req.valid("json").fourEyes, principal));
    })
    .get("/:key/schedules", async (c) => {
      const key = c.req.param("key");
      requireScope(c.get("principal"), "rules:read", key);
      return c.json({ schedules: await schedules.listRuleSetSchedules(ctx, key) });
    })
    .delete("/:key/schedules/:id", async (c) => {
      const key = c.req.param("key");
      const principal = c.get("principal");
      requireScope(principal, "rules:publish", key);
      return c.json(await schedules.cancelSchedule(ctx, key, c.req.param("id"), principal));
    })
    .get("/:key/versions", async (c) => {
      const key = c.req.param("key");
      requireScope(c.get("principal"), "rules:read", key);
      return c.json({ versions: await service.listVersionSummaries(ctx, key) });
    })
    .get("/:key/versions/:version", async (c) => {
      const key = c.req.param("key");
      requireScope(c.get("principal"), "rules:read", key);
      return c.json(await service.getVersion(ctx, key, versionParam(c.req.param("version"))));
    })
    .get("/:key/test-cases", async (c) => {
      const key = c.req.param("key");
      requireScope(c.get("principal"), "rules:read", key);
      return c.json({ testCases: await service.getTestCases(ctx, key) });
    })
    .put("/:key/test-cases", requireJson, jsonBody(TestCasesInput), async (c) => {
      const key = c.req.param("key");
      const principal = c.get("principal");
      requireScope(principal, "rules:write", key);
      return c.json({ testCases: await service.replaceTestCases(ctx, key, c.req.valid("json").testCases, principal.actor) });
    })
    .post("/:key/simulate", requireJson, jsonBody(SimulateInput), async (c) => {
      const key = c.req.param("key");
      requireScope(c.get("principal"), "rules:read", key);
      return c.json(await service.simulate(ctx, key, c.req.valid("json").facts));
    })
    .post("/:key/test-cases/run", async (c) => {
      const key = c.req.param("key");
      requireScope(c.get("principal"), "rules:read", key);
      const version = c.req.query("version");
      const results = await service.runStoredTestCases(ctx, key, version === undefined ? undefined : versionParam(version));
      return c.json({ passed: results.every((r) => r.passed), results });
    });
}
