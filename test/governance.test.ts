import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../server/audit/store.ts";
import { insertApiKey } from "../server/auth/api-keys.ts";
import { runDueSchedules } from "../server/rule-sets/schedules.ts";
import type { Scope } from "../shared/scopes.ts";
import { aCase } from "./helpers/fixtures.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

/** Four-eyes publishing, scheduled policies and `asOf`, with API keys standing for people. */

const editorScopes: Scope[] = ["rules:read", "rules:write", "decisions:evaluate"];
const publisherScopes: Scope[] = ["rules:read", "rules:write", "rules:review", "rules:publish", "decisions:evaluate"];
const keys = {
  editor: "asr_editor_key_0000000000000000",
  alice: "asr_publisher_alice_000000000000",
  bob: "asr_publisher_bob_00000000000000",
};

async function withKeys(app: TestApp) {
  await app.ctx.db.transaction().execute(async (tx) => {
    await insertApiKey(
      tx,
      { secret: keys.editor, name: "erin-editor", scopes: editorScopes, actor: "test" },
      new Date(),
    );
    await insertApiKey(
      tx,
      { secret: keys.alice, name: "alice-publisher", scopes: publisherScopes, actor: "test" },
      new Date(),
    );
    await insertApiKey(
      tx,
      { secret: keys.bob, name: "bob-publisher", scopes: publisherScopes, actor: "test" },
      new Date(),
    );
  });
  await app.ctx.apiKeys.load(app.ctx.db);
}

const as = (key: string) => ({ authorization: `Bearer ${key}` });
const sevenDayFreeShipping = aCase({
  order: { freeShipping: true },
  refund: { reason: "no_reason_7d", returnGoods: true },
});

/** A draft of shipping-fee whose sellers pay the return of seven-day returns, and test cases that expect it. */
async function changeShippingFee(app: TestApp, key: string) {
  const detail = (await app.call("GET", "/api/v1/rule-sets/shipping-fee", undefined, as(key))).body;
  const rules = detail.draft.rules.map((rule: any) =>
    rule.name === "free-shipping-each-pays-their-own-leg"
      ? {
          ...rule,
          event: { ...rule.event, params: { ...rule.event.params, returnShippingPayer: "seller" } },
        }
      : rule,
  );
  const saved = await app.call(
    "PUT",
    "/api/v1/rule-sets/shipping-fee/draft",
    { revision: detail.draft.revision, rules },
    as(key),
  );
  expect(saved.status).toBe(200);
  const cases = (await app.call("GET", "/api/v1/rule-sets/shipping-fee/test-cases", undefined, as(key))).body.testCases;
  cases[1].expect = {
    returnShippingPayer: "seller",
    outboundShippingPayer: "seller",
    refundOutboundShipping: false,
    settlement: "buyer_advances_seller_reimburses",
  };
  expect(
    (await app.call("PUT", "/api/v1/rule-sets/shipping-fee/test-cases", { testCases: cases }, as(key))).status,
  ).toBe(200);
  return saved.body.draft.revision as number;
}

describe("four-eyes publishing", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
    await withKeys(app);
  });
  afterAll(() => app.close());

  it("refuses to publish a draft nobody approved", async () => {
    await changeShippingFee(app, keys.alice);
    const res = await app.call("POST", "/api/v1/rule-sets/shipping-fee/publish", {}, as(keys.alice));
    expect(res.status).toBe(409);
    expect(res.body.type).toMatch(/review-required/);
    expect(res.body.detail).toMatch(/not been submitted/);
  });

  it("does not let the author approve their own draft", async () => {
    expect(
      (
        await app.call(
          "POST",
          "/api/v1/rule-sets/shipping-fee/submit",
          { note: "sellers pay seven-day returns" },
          as(keys.alice),
        )
      ).status,
    ).toBe(200);
    const own = await app.call(
      "POST",
      "/api/v1/rule-sets/shipping-fee/review",
      { approve: true, comment: "lgtm" },
      as(keys.alice),
    );
    expect(own.status).toBe(403);
    expect(own.body.detail).toMatch(/another publisher/);
    const waiting = await app.call("POST", "/api/v1/rule-sets/shipping-fee/publish", {}, as(keys.alice));
    expect(waiting.status).toBe(409);
    expect(waiting.body.detail).toMatch(/waiting for review/);
  });

  it("an editor cannot review at all", async () => {
    const res = await app.call("POST", "/api/v1/rule-sets/shipping-fee/review", { approve: true }, as(keys.editor));
    expect(res.status).toBe(403);
  });

  it("withdraws an approval when the draft changes afterwards", async () => {
    const approved = await app.call(
      "POST",
      "/api/v1/rule-sets/shipping-fee/review",
      { approve: true, comment: "checked the diff" },
      as(keys.bob),
    );
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: "approved", reviewedBy: "api-key:bob-publisher", current: true });
    // an edit by the editor after approval
    const detail = (await app.call("GET", "/api/v1/rule-sets/shipping-fee", undefined, as(keys.editor))).body;
    const rules = detail.draft.rules.map((r: any) =>
      r.name === "refused-delivery-buyer-pays-the-return" ? { ...r, description: `${r.description} (edited)` } : r,
    );
    expect(
      (
        await app.call(
          "PUT",
          "/api/v1/rule-sets/shipping-fee/draft",
          { revision: detail.draft.revision, rules },
          as(keys.editor),
        )
      ).status,
    ).toBe(200);
    const after = (await app.call("GET", "/api/v1/rule-sets/shipping-fee", undefined, as(keys.editor))).body;
    expect(after.review.status).toBe("withdrawn");
    expect((await app.call("POST", "/api/v1/rule-sets/shipping-fee/publish", {}, as(keys.bob))).status).toBe(409);
  });

  it("publishes once another publisher approved the current draft, and audits who approved", async () => {
    expect(
      (await app.call("POST", "/api/v1/rule-sets/shipping-fee/submit", { note: "again" }, as(keys.editor))).status,
    ).toBe(200);
    // alice edited the draft earlier (and bob did not): bob may approve, alice may not
    expect(
      (await app.call("POST", "/api/v1/rule-sets/shipping-fee/review", { approve: true }, as(keys.alice))).status,
    ).toBe(403);
    expect(
      (await app.call("POST", "/api/v1/rule-sets/shipping-fee/review", { approve: true, comment: "ok" }, as(keys.bob)))
        .status,
    ).toBe(200);
    const published = await app.call(
      "POST",
      "/api/v1/rule-sets/shipping-fee/publish",
      { note: "four eyes" },
      as(keys.alice),
    );
    expect(published.status).toBe(200);
    expect(published.body.version).toBe(2);
    expect((await app.decide("shipping-fee", sevenDayFreeShipping)).body.decision.returnShippingPayer).toBe("seller");
    const audit = await listAudit(app.ctx.db, { entity: "rule-set", entityKey: "shipping-fee" });
    const publish = audit.find((a) => a.action === "publish")!;
    expect(publish.detail).toMatchObject({ version: 2, review: { approvedBy: "api-key:bob-publisher" } });
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["review.submit", "review.approve", "review.withdrawn", "publish"]),
    );
  });

  it("lets a pipeline key that holds rules:publish-unreviewed publish without in-app review, and says so in the audit log", async () => {
    await changeShippingFee(app, keys.editor);
    const detail = (await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body;
    const rules = detail.draft.rules.map((r: any) =>
      r.name === "refused-delivery-buyer-pays-the-return" ? { ...r, description: "pipeline change" } : r,
    );
    expect(
      (await app.call("PUT", "/api/v1/rule-sets/shipping-fee/draft", { revision: detail.draft.revision, rules }))
        .status,
    ).toBe(200);
    const res = await app.call("POST", "/api/v1/rule-sets/shipping-fee/publish", { note: "from git" });
    expect(res.status).toBe(200);
    const audit = await listAudit(app.ctx.db, { entity: "rule-set", entityKey: "shipping-fee" });
    expect(audit.at(-1)).toMatchObject({
      action: "publish",
      actor: "api-key:bootstrap",
      detail: { review: "unreviewed-in-app" },
    });
  });

  it("can be turned off per rule set by an administrator only", async () => {
    expect(
      (await app.call("PUT", "/api/v1/rule-sets/timeouts/settings", { fourEyes: false }, as(keys.alice))).status,
    ).toBe(403);
    expect((await app.call("PUT", "/api/v1/rule-sets/timeouts/settings", { fourEyes: false })).body).toEqual({
      fourEyes: false,
    });
    const detail = (await app.call("GET", "/api/v1/rule-sets/timeouts", undefined, as(keys.alice))).body;
    const rules = detail.draft.rules.map((r: any) =>
      r.name === "after-sales-claim-within-15-days-of-completion" ? { ...r, description: "no review needed here" } : r,
    );
    expect(
      (
        await app.call(
          "PUT",
          "/api/v1/rule-sets/timeouts/draft",
          { revision: detail.draft.revision, rules },
          as(keys.alice),
        )
      ).status,
    ).toBe(200);
    expect((await app.call("POST", "/api/v1/rule-sets/timeouts/publish", {}, as(keys.alice))).status).toBe(200);
  });
});

describe("scheduled policies and decisions as of a time", () => {
  it("activates a scheduled version exactly once at its time, survives a restart before it, hands back at the end, and answers asOf", async () => {
    const t0 = new Date("2026-11-01T00:00:00Z");
    let app = await createTestApp({ now: t0, keep: true });
    const dir = app.dir;
    try {
      // a Double 11 window: sellers pay the return of seven-day returns from 11-10 16:00Z to 11-12 16:00Z
      await changeShippingFee(app, TEST_KEY);
      const scheduled = await app.call("POST", "/api/v1/rule-sets/shipping-fee/publish", {
        note: "Double 11",
        activateAt: "2026-11-10T16:00:00Z",
        until: "2026-11-12T16:00:00Z",
      });
      expect(scheduled.status).toBe(200);
      expect(scheduled.body).toMatchObject({
        version: 2,
        scheduled: { startsAt: "2026-11-10T16:00:00.000Z", endsAt: "2026-11-12T16:00:00.000Z" },
      });
      expect((await app.decide("shipping-fee", sevenDayFreeShipping)).body).toMatchObject({
        version: 1,
        decision: { returnShippingPayer: "buyer" },
      });
      const summary = (await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body;
      expect(summary.activeVersion).toBe(1);
      expect(summary.nextSchedule).toMatchObject({ version: 2, status: "scheduled" });

      // restart before the start: a new process over the same file
      await app.close();
      app = await createTestApp({ now: new Date("2026-11-10T15:59:59Z"), dir, keep: true });
      expect(await runDueSchedules(app.ctx)).toEqual({ started: [], ended: [] });
      expect((await app.decide("shipping-fee", sevenDayFreeShipping)).body.version).toBe(1);

      // the time comes: activated once, however often the runner looks
      app.setNow(new Date("2026-11-10T16:00:00Z"));
      const [first, second] = await Promise.all([runDueSchedules(app.ctx), runDueSchedules(app.ctx)]);
      expect(first.started.length + second.started.length).toBe(1);
      expect((await runDueSchedules(app.ctx)).started).toEqual([]);
      expect((await app.decide("shipping-fee", sevenDayFreeShipping)).body).toMatchObject({
        version: 2,
        decision: { returnShippingPayer: "seller" },
      });

      // the window ends: back to version 1
      app.setNow(new Date("2026-11-12T16:00:01Z"));
      expect((await runDueSchedules(app.ctx)).ended).toHaveLength(1);
      expect((await app.decide("shipping-fee", sevenDayFreeShipping)).body).toMatchObject({
        version: 1,
        decision: { returnShippingPayer: "buyer" },
      });

      // asOf: the version active then, also after another restart
      await app.close();
      app = await createTestApp({ now: new Date("2026-11-20T00:00:00Z"), dir, keep: true });
      const asOf = async (at: string) => (await app.decide("shipping-fee", sevenDayFreeShipping, { asOf: at })).body;
      expect((await asOf("2026-11-05T00:00:00Z")).version).toBe(1);
      expect(await asOf("2026-11-11T00:00:00+08:00")).toMatchObject({
        version: 2,
        decision: { returnShippingPayer: "seller" },
      });
      expect((await asOf("2026-11-13T00:00:00Z")).version).toBe(1);
      expect((await app.decide("shipping-fee", sevenDayFreeShipping, { asOf: "2020-01-01T00:00:00Z" })).status).toBe(
        404,
      );
      expect(
        (await app.decide("shipping-fee", sevenDayFreeShipping, { asOf: "2026-11-11T00:00:00Z", version: 1 })).status,
      ).toBe(422);

      const audit = await listAudit(app.ctx.db, { entity: "rule-set", entityKey: "shipping-fee" });
      expect(audit.filter((a) => a.action.startsWith("schedule")).map((a) => a.action)).toEqual([
        "schedule",
        "schedule.start",
        "schedule.end",
      ]);
    } finally {
      await app.close();
      const { rmSync } = await import("node:fs");
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("cancels a schedule that has not started, and refuses an end before the start", async () => {
    const app = await createTestApp({ now: new Date("2026-11-01T00:00:00Z") });
    try {
      await changeShippingFee(app, TEST_KEY);
      const bad = await app.call("POST", "/api/v1/rule-sets/shipping-fee/publish", {
        activateAt: "2026-11-10T00:00:00Z",
        until: "2026-11-09T00:00:00Z",
      });
      expect(bad.status).toBe(422);
      const scheduled = await app.call("POST", "/api/v1/rule-sets/shipping-fee/publish", {
        activateAt: "2026-11-10T00:00:00Z",
      });
      const id = scheduled.body.scheduled.id;
      expect((await app.call("DELETE", `/api/v1/rule-sets/shipping-fee/schedules/${id}`)).body.status).toBe(
        "cancelled",
      );
      expect((await app.call("DELETE", `/api/v1/rule-sets/shipping-fee/schedules/${id}`)).status).toBe(409);
      app.setNow(new Date("2026-11-11T00:00:00Z"));
      expect((await runDueSchedules(app.ctx)).started).toEqual([]);
      expect((await app.decide("shipping-fee", sevenDayFreeShipping)).body.version).toBe(1);
    } finally {
      await app.close();
    }
  });
});

const TEST_KEY = "asr_test_key_with_every_scope_000000";
