import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../server/audit/store.ts";
import { KEPT_DRAFT_REVISIONS } from "../server/rule-sets/store.ts";
import { DraftConflictMembers, Problem } from "../shared/api.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";
import { aUser, signIn, withSession } from "./helpers/users.ts";

/**
 * Two people editing the same draft: a save based on an older revision is merged rule by rule with
 * what was saved since, a change to the same rule is refused with both versions, and nothing saved
 * is lost. Also the draft's reset to a published version and who else has the draft open.
 */

let app: TestApp;
let wang: Record<string, string>;
let li: Record<string, string>;
beforeAll(async () => {
  app = await createTestApp();
  await aUser(app, "wangfang", "editor");
  await aUser(app, "lilei", "editor");
  wang = withSession(app, (await signIn(app, "wangfang")).cookie);
  li = withSession(app, (await signIn(app, "lilei")).cookie);
});
afterAll(() => app.close());

type Rule = { name: string; description: string; priority: number; event: { params: Record<string, unknown> } };
type Draft = {
  revision: number;
  rules: Rule[];
  defaults: Record<string, unknown>;
  conditions: Record<string, unknown>;
};

async function draftOf(key: string): Promise<Draft> {
  const res = await app.call("GET", `/api/v1/rule-sets/${key}`);
  expect(res.status).toBe(200);
  return res.body.draft;
}
const save = (key: string, body: unknown, as: Record<string, string>) =>
  app.call("PUT", `/api/v1/rule-sets/${key}/draft`, body, as);
/** The draft's rules with `name`'s description changed. */
const reworded = (draft: Draft, name: string, description: string) =>
  draft.rules.map((rule) => (rule.name === name ? { ...rule, description } : rule));
const ruleOf = (draft: Draft, name: string) => draft.rules.find((rule) => rule.name === name)!;
/** The problem an answer carries, with every member (the schema's parse would drop the extra ones). */
function expectProblem(res: { status: number; body: any; headers: Headers }, status: number): Record<string, any> {
  expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  Problem.parse(res.body);
  return res.body;
}
/** The newest audit row of `key` with `action`. */
async function lastAudit(key: string, action: string) {
  return (await listAudit(app.ctx.db, { entity: "rule-set", entityKey: key, action })).at(-1);
}

const FIRST = "lost-or-damaged-before-signing-is-the-sellers-risk";
const SECOND = "seller-fault-seller-pays-postage";

describe("saving on an older revision", () => {
  it("keeps both people's changes when they changed different rules", async () => {
    const loaded = await draftOf("shipping-fee");
    const byWang = await save(
      "shipping-fee",
      { revision: loaded.revision, rules: reworded(loaded, FIRST, "王芳改的说明") },
      wang,
    );
    expect(byWang.status).toBe(200);
    expect(byWang.body).toMatchObject({ merged: false, mergedWith: [] });

    const byLi = await save(
      "shipping-fee",
      { revision: loaded.revision, rules: reworded(loaded, SECOND, "李雷改的说明") },
      li,
    );
    expect(byLi.status, JSON.stringify(byLi.body)).toBe(200);
    expect(byLi.body).toMatchObject({ merged: true, mergedWith: ["user:wangfang"] });
    expect(byLi.body.draft.revision).toBe(loaded.revision + 2);
    expect(byLi.body.draft.updatedBy).toBe("user:lilei");

    const now = await draftOf("shipping-fee");
    expect(ruleOf(now, FIRST).description).toBe("王芳改的说明");
    expect(ruleOf(now, SECOND).description).toBe("李雷改的说明");
    expect(now.rules.map((r) => r.name)).toEqual(loaded.rules.map((r) => r.name));

    expect(await lastAudit("shipping-fee", "draft.replace")).toMatchObject({
      actor: "user:lilei",
      detail: {
        merged: true,
        baseRevision: loaded.revision,
        mergedWith: ["user:wangfang"],
        fromRevision: loaded.revision + 1,
        toRevision: loaded.revision + 2,
        changed: [SECOND],
      },
    });
  });

  it("refuses a change to the rule the other person changed, with both versions, and saves nothing", async () => {
    const loaded = await draftOf("shipping-fee");
    expect(
      (await save("shipping-fee", { revision: loaded.revision, rules: reworded(loaded, FIRST, "王芳的版本") }, wang))
        .status,
    ).toBe(200);
    const before = await draftOf("shipping-fee");

    const mine = reworded(loaded, FIRST, "李雷的版本").map((rule) =>
      rule.name === SECOND ? { ...rule, description: "李雷顺手改的另一条" } : rule,
    );
    const refused = await save("shipping-fee", { revision: loaded.revision, rules: mine }, li);
    const problem = expectProblem(refused, 409);
    expect(problem.code).toBe("conflict");
    const members = DraftConflictMembers.parse(problem);
    expect(members).toMatchObject({
      currentRevision: loaded.revision + 1,
      baseRevision: loaded.revision,
      mergedWith: ["user:wangfang"],
    });
    expect(members.conflicts).toEqual([
      { rule: FIRST, theirs: ruleOf(before, FIRST), mine: { ...ruleOf(loaded, FIRST), description: "李雷的版本" } },
    ]);
    // the merge keeping theirs carries Li's other change, for the admin to apply his choices to
    expect(members.mergedKeepingTheirs.rules.find((r) => r.name === FIRST)!.description).toBe("王芳的版本");
    expect(members.mergedKeepingTheirs.rules.find((r) => r.name === SECOND)!.description).toBe("李雷顺手改的另一条");
    expect(await draftOf("shipping-fee")).toEqual(before);

    // Li keeps his version of the rule: applied to the merge, saved on the current revision
    const chosen = members.mergedKeepingTheirs.rules.map((rule) =>
      rule.name === FIRST ? { ...rule, description: "李雷的版本" } : rule,
    );
    const resolved = await save("shipping-fee", { revision: members.currentRevision, rules: chosen }, li);
    expect(resolved.status).toBe(200);
    const after = await draftOf("shipping-fee");
    expect(ruleOf(after, FIRST).description).toBe("李雷的版本");
    expect(ruleOf(after, SECOND).description).toBe("李雷顺手改的另一条");
  });

  it("saves the same change made by both without a conflict", async () => {
    const loaded = await draftOf("timeouts");
    const name = loaded.rules[0]!.name;
    const rules = reworded(loaded, name, "两人改成一样的说明");
    expect((await save("timeouts", { revision: loaded.revision, rules }, wang)).status).toBe(200);
    const second = await save("timeouts", { revision: loaded.revision, rules }, li);
    expect(second.status).toBe(200);
    expect(second.body.merged).toBe(true);
    expect(ruleOf(await draftOf("timeouts"), name).description).toBe("两人改成一样的说明");
  });

  it("merges defaults field by field, and refuses two different values for one field", async () => {
    const loaded = await draftOf("shipping-fee");
    const { rules, defaults } = loaded;
    expect(
      (
        await save(
          "shipping-fee",
          { revision: loaded.revision, rules, defaults: { ...defaults, returnShippingPayer: "seller" } },
          wang,
        )
      ).status,
    ).toBe(200);
    const merged = await save(
      "shipping-fee",
      { revision: loaded.revision, rules, defaults: { ...defaults, outboundShippingPayer: "seller" } },
      li,
    );
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body.draft.defaults).toEqual({
      ...defaults,
      returnShippingPayer: "seller",
      outboundShippingPayer: "seller",
    });

    const now = await draftOf("shipping-fee");
    expect((await save("shipping-fee", { revision: now.revision, rules: now.rules, defaults }, wang)).status).toBe(200);

    const refund = await draftOf("refund-eligibility");
    const formula = (value: string) => ({ ...refund.defaults, formula: value });
    expect(
      (
        await save(
          "refund-eligibility",
          { revision: refund.revision, rules: refund.rules, defaults: formula("coupon_prorata") },
          wang,
        )
      ).status,
    ).toBe(200);
    const clash = await save(
      "refund-eligibility",
      { revision: refund.revision, rules: refund.rules, defaults: formula("threshold_prorata") },
      li,
    );
    expect(DraftConflictMembers.parse(expectProblem(clash, 409)).conflicts).toEqual([
      { default: "formula", theirs: "coupon_prorata", mine: "threshold_prorata" },
    ]);
    // put the seed's defaults back for the other tests
    const after = await draftOf("refund-eligibility");
    expect(
      (
        await save(
          "refund-eligibility",
          { revision: after.revision, rules: after.rules, defaults: refund.defaults },
          wang,
        )
      ).status,
    ).toBe(200);
  });

  it("leaves out defaults the save left out, as its own revision had them", async () => {
    const loaded = await draftOf("shipping-fee");
    const { rules, defaults } = loaded;
    const changed = { ...defaults, freightCollectAllowed: true };
    expect((await save("shipping-fee", { revision: loaded.revision, rules, defaults: changed }, wang)).status).toBe(
      200,
    );
    const merged = await save(
      "shipping-fee",
      { revision: loaded.revision, rules: reworded(loaded, FIRST, "只改规则") },
      li,
    );
    expect(merged.status).toBe(200);
    expect(merged.body.draft.defaults).toEqual(changed);
    const now = await draftOf("shipping-fee");
    expect((await save("shipping-fee", { revision: now.revision, rules: now.rules, defaults }, wang)).status).toBe(200);
  });

  it("refuses with 422 a merge that is not valid as a whole, and saves nothing", async () => {
    const loaded = await draftOf("refund-eligibility");
    const condition = { all: [{ fact: "order", path: "status", operator: "equal", value: "paid" }] };
    const withCondition = await save(
      "refund-eligibility",
      {
        revision: loaded.revision,
        rules: loaded.rules,
        conditions: { ...loaded.conditions, "order-is-paid": condition },
      },
      wang,
    );
    expect(withCondition.status, JSON.stringify(withCondition.body)).toBe(200);
    const start = await draftOf("refund-eligibility");
    // Wang removes the shared condition; Li, still on the revision that had it, adds a rule using it
    expect(
      (
        await save(
          "refund-eligibility",
          { revision: start.revision, rules: start.rules, conditions: loaded.conditions },
          wang,
        )
      ).status,
    ).toBe(200);
    const before = await draftOf("refund-eligibility");
    const user = { ...start.rules[0]!, name: "uses-order-is-paid", conditions: { condition: "order-is-paid" } };
    const refused = await save("refund-eligibility", { revision: start.revision, rules: [...start.rules, user] }, li);
    expectProblem(refused, 422);
    expect(await draftOf("refund-eligibility")).toEqual(before);
  });

  it("answers a plain 409 for a revision newer than the draft's or no longer kept", async () => {
    const loaded = await draftOf("timeouts");
    const newer = expectProblem(
      await save("timeouts", { revision: loaded.revision + 5, rules: loaded.rules }, li),
      409,
    );
    expect(newer).toMatchObject({ currentRevision: loaded.revision });
    expect(newer).not.toHaveProperty("conflicts");
    expectProblem(await save("timeouts", { revision: 0, rules: loaded.rules }, li), 409);
  });

  it(`keeps the last ${KEPT_DRAFT_REVISIONS} revisions of a rule set`, async () => {
    const first = await draftOf("timeouts");
    let revision = first.revision;
    for (let i = 0; i < KEPT_DRAFT_REVISIONS; i++) {
      const res = await save("timeouts", { revision, rules: first.rules }, wang);
      expect(res.status).toBe(200);
      revision = res.body.draft.revision;
    }
    const kept = await app.ctx.db
      .selectFrom("draft_revisions")
      .select("revision")
      .where("rule_set_key", "=", "timeouts")
      .orderBy("revision")
      .execute();
    expect(kept.map((row) => row.revision)).toEqual(
      Array.from({ length: KEPT_DRAFT_REVISIONS }, (_, i) => revision - KEPT_DRAFT_REVISIONS + 1 + i),
    );
    // the oldest kept one still merges; the one before it is refused as stale
    const oldest = revision - KEPT_DRAFT_REVISIONS + 1;
    expect((await save("timeouts", { revision: oldest, rules: first.rules }, li)).body.merged).toBe(true);
    expect(
      expectProblem(await save("timeouts", { revision: oldest - 1, rules: first.rules }, li), 409),
    ).not.toHaveProperty("conflicts");
  });
});

describe("resetting the draft to a published version", () => {
  it("after a rollback, makes the draft the version's rules again, with an audit row", async () => {
    const key = "refund-eligibility";
    const start = await draftOf(key);
    const changed = reworded(start, start.rules[0]!.name, "会被回滚的修改");
    expect((await save(key, { revision: start.revision, rules: changed }, wang)).status).toBe(200);
    const published = await app.call("POST", `/api/v1/rule-sets/${key}/publish`, {});
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    const rolledBack = await app.call("POST", `/api/v1/rule-sets/${key}/rollback`, { version: 1 });
    expect(rolledBack.status, JSON.stringify(rolledBack.body)).toBe(200);
    const afterRollback = (await app.call("GET", `/api/v1/rule-sets/${key}`)).body;
    // the rollback changed what decides, not the draft: it still carries the change
    expect(afterRollback.draftDiffers).toBe(true);

    const version = rolledBack.body.version as number;
    expectProblem(
      await app.call(
        "POST",
        `/api/v1/rule-sets/${key}/draft/reset`,
        { version: 99, revision: afterRollback.draftRevision },
        li,
      ),
      404,
    );
    expectProblem(
      await app.call(
        "POST",
        `/api/v1/rule-sets/${key}/draft/reset`,
        { version, revision: afterRollback.draftRevision - 1 },
        li,
      ),
      409,
    );
    const reset = await app.call(
      "POST",
      `/api/v1/rule-sets/${key}/draft/reset`,
      { version, revision: afterRollback.draftRevision },
      li,
    );
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect(reset.body.draftDiffers).toBe(false);
    expect(reset.body.draft.revision).toBe(afterRollback.draftRevision + 1);
    expect(reset.body.draft.updatedBy).toBe("user:lilei");
    expect(reset.body.draft.rules).toEqual(reset.body.active.rules);

    expect(await lastAudit(key, "draft.reset")).toMatchObject({
      actor: "user:lilei",
      detail: { version, fromRevision: afterRollback.draftRevision, changed: [start.rules[0]!.name] },
    });
    // a save based on the draft before the reset keeps the reset and adds only what it changed itself
    const second = start.rules[1]!.name;
    const late = await save(
      key,
      { revision: afterRollback.draftRevision, rules: reworded({ ...start, rules: changed }, second, "回滚后另改的") },
      wang,
    );
    expect(late.status, JSON.stringify(late.body)).toBe(200);
    expect(late.body.merged).toBe(true);
    expect(ruleOf(late.body.draft, start.rules[0]!.name)).toEqual(start.rules[0]);
    expect(ruleOf(late.body.draft, second).description).toBe("回滚后另改的");
  });

  it("is refused to a viewer", async () => {
    await aUser(app, "viewer-vic", "viewer");
    const vic = withSession(app, (await signIn(app, "viewer-vic")).cookie);
    const detail = (await app.call("GET", "/api/v1/rule-sets/timeouts")).body;
    expectProblem(
      await app.call(
        "POST",
        "/api/v1/rule-sets/timeouts/draft/reset",
        { version: 1, revision: detail.draftRevision },
        vic,
      ),
      403,
    );
    expectProblem(await app.call("POST", "/api/v1/rule-sets/timeouts/draft/presence", {}, vic), 403);
  });
});

describe("who has the draft open", () => {
  const beat = (as: Record<string, string>, body: unknown = {}) =>
    app.call("POST", "/api/v1/rule-sets/timeouts/draft/presence", body, as);

  it("answers the others who sent a heartbeat in the last minute, by display name when they have one", async () => {
    expect((await app.call("PATCH", "/api/v1/users/wangfang", { displayName: "王芳" })).status).toBe(200);
    const start = new Date("2026-11-20T02:00:00Z");
    app.setNow(start);
    expect((await beat(wang)).body).toEqual({ others: [] });
    app.setNow(new Date(start.getTime() + 20_000));
    expect((await beat(li)).body).toEqual({
      others: [{ actor: "user:wangfang", name: "王芳", lastSeenAt: start.toISOString() }],
    });
    expect((await beat(wang)).body.others.map((o: any) => [o.actor, o.name])).toEqual([["user:lilei", "lilei"]]);
    // another rule set's draft is another room
    expect((await app.call("POST", "/api/v1/rule-sets/shipping-fee/draft/presence", {}, li)).body.others).toEqual([]);

    // Li closes the editor
    expect((await beat(li, { leaving: true })).body.others.map((o: any) => o.actor)).toEqual(["user:wangfang"]);
    expect((await beat(wang)).body.others).toEqual([]);

    // a heartbeat older than a minute no longer counts
    await beat(li);
    app.setNow(new Date(start.getTime() + 20_000 + 60_000));
    expect((await beat(wang)).body.others).toEqual([]);
    app.setNow(start);
  });

  it("answers 404 for an unknown rule set", async () => {
    expectProblem(await app.call("POST", "/api/v1/rule-sets/nope/draft/presence", {}, wang), 404);
  });
});
