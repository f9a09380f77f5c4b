import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pruneDecisionLog } from "../server/decision-log/store.ts";
import { aCase } from "./helpers/fixtures.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";
import { aUser, signIn, withSession } from "./helpers/users.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

describe("the audit log", () => {
  it("records who changed what, when and from where, filterable, as JSON and CSV", async () => {
    await aUser(app, "erin", "editor");
    const erin = await signIn(app, "erin");
    const draft = (await app.call("GET", "/api/v1/rule-sets/timeouts")).body.draft;
    const rules = draft.rules.map((r: any, i: number) => (i === 0 ? { ...r, description: "时限说明" } : r));
    expect(
      (
        await app.call(
          "PUT",
          "/api/v1/rule-sets/timeouts/draft",
          { revision: draft.revision, rules },
          withSession(app, erin.cookie),
        )
      ).status,
    ).toBe(200);

    const res = await app.call("GET", "/api/v1/audit?entity=rule-set&entityKey=timeouts&action=draft.replace");
    expect(res.status).toBe(200);
    expect(res.body.entries).toHaveLength(1);
    expect(res.body.entries[0]).toMatchObject({
      actor: "user:erin",
      action: "draft.replace",
      detail: { from: "127.0.0.1", changed: [rules[0].name] },
    });

    const byActor = await app.call("GET", "/api/v1/audit?actor=user:erin");
    expect(byActor.body.entries.map((e: any) => e.action)).toEqual(["sign-in", "draft.replace"]);

    const csv = await fetch(`${app.url}/api/v1/audit?entity=rule-set&format=csv`, {
      headers: { authorization: `Bearer asr_test_key_with_every_scope_000000` },
    });
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const bytes = new Uint8Array(await csv.arrayBuffer());
    // a byte-order mark first, so spreadsheet programs read the Chinese as UTF-8
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.split("\n")[0]).toBe("id,at,actor,action,entity,entity_key,detail");
    expect(text).toContain("user:erin,draft.replace,rule-set,timeouts");
  });

  it("is readable by a viewer and refuses bad filters with 422", async () => {
    await aUser(app, "vera", "viewer");
    const vera = await signIn(app, "vera");
    expect(
      (await app.call("GET", "/api/v1/audit?limit=2", undefined, withSession(app, vera.cookie))).body.entries,
    ).toHaveLength(2);
    const bad = await app.call("GET", "/api/v1/audit?from=yesterday");
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe("from");
  });

  it("pages backwards with `before`", async () => {
    const first = (await app.call("GET", "/api/v1/audit?limit=3")).body;
    const second = (await app.call("GET", `/api/v1/audit?limit=3&before=${first.next}`)).body;
    expect(second.entries.at(-1).id < first.entries[0].id).toBe(true);
  });
});

describe("the decision log", () => {
  it("finds decisions by id, rule set, outcome, key and time", async () => {
    const paid = await app.decide("refund-eligibility", aCase({ order: { status: "paid" } }));
    const closed = await app.decide("refund-eligibility", aCase({ order: { status: "closed" } }));
    await app.decide("shipping-fee", aCase());
    const byId = await app.call("GET", `/api/v1/decision-log?decisionId=${paid.body.decisionId}`);
    expect(byId.body.entries).toHaveLength(1);
    expect(byId.body.entries[0]).toMatchObject({
      ruleSet: "refund-eligibility",
      outcome: "eligible:refund_only",
      keyName: "bootstrap",
      decision: paid.body.decision,
    });
    const notEligible = await app.call("GET", "/api/v1/decision-log?ruleSet=refund-eligibility&outcome=not_eligible");
    expect(notEligible.body.entries.map((e: any) => e.decisionId)).toEqual([closed.body.decisionId]);
    const shipping = await app.call(
      "GET",
      "/api/v1/decision-log?ruleSet=shipping-fee&from=2026-11-19T00:00:00Z&to=2026-11-21T00:00:00Z",
    );
    expect(shipping.body.entries).toHaveLength(1);
    const none = await app.call("GET", "/api/v1/decision-log?outcome=eligible%25");
    expect(none.body.entries).toEqual([]);
  });

  it("finds decisions by the caller's order number (order.id)", async () => {
    const ordered = await app.decide("shipping-fee", aCase({ order: { id: "E20261111001", status: "delivered" } }));
    await app.decide("shipping-fee", aCase({ order: { id: "E20261111002", status: "delivered" } }));
    const unnumbered = await app.decide("shipping-fee", aCase());
    const found = await app.call("GET", "/api/v1/decision-log?orderId=E20261111001");
    expect(found.body.entries.map((e: any) => [e.decisionId, e.orderId])).toEqual([
      [ordered.body.decisionId, "E20261111001"],
    ]);
    const none = await app.call("GET", `/api/v1/decision-log?decisionId=${unnumbered.body.decisionId}`);
    expect(none.body.entries[0].orderId).toBeNull();
    const tooLong = await app.decide("shipping-fee", aCase({ order: { id: "E".repeat(65), status: "delivered" } }));
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.errors[0]).toMatchObject({ path: "order.id", code: "too_big" });
  });

  it("refuses an order number the database could not store, and logs its neighbours", async () => {
    const failedBefore = app.ctx.decisionLog.failed;
    // answered at once, logged in one batch: PostgreSQL's text cannot hold a NUL character, so no decision may carry one
    const [before, odd, after] = await Promise.all(
      ["E20261207001", "E20261207\u0000002", "E20261207003"].map((id) =>
        app.decide("shipping-fee", aCase({ order: { id, status: "delivered" } })),
      ),
    );
    expect([before!.status, odd!.status, after!.status]).toEqual([200, 422, 200]);
    expect(odd!.body.errors).toEqual([expect.objectContaining({ path: "order.id", code: "invalid_format" })]);
    const logged = async (answer: typeof before) =>
      (await app.call("GET", `/api/v1/decision-log?decisionId=${answer!.body.decisionId}`)).body.entries.length;
    expect(await logged(before)).toBe(1);
    expect(await logged(after)).toBe(1);
    expect(app.ctx.decisionLog.failed - failedBefore).toBe(0);
  });

  it("keeps the case as decided, without the members of the request beside them", async () => {
    const facts = aCase({ order: { status: "paid" } });
    const res = await app.decide("refund-eligibility", facts, { trace: true, version: 1 });
    expect(res.status).toBe(200);
    const logged = await app.call("GET", `/api/v1/decision-log?decisionId=${res.body.decisionId}`);
    expect(logged.body.entries[0]).toMatchObject({
      facts,
      decision: res.body.decision,
      firedRules: res.body.firedRules,
      version: 1,
    });
  });

  it("forgets decisions past the retention", async () => {
    await app.ctx.decisionLog.flush();
    const before = (await app.call("GET", "/api/v1/decision-log?limit=1000")).body.entries.length;
    expect(before).toBeGreaterThan(0);
    expect(await pruneDecisionLog(app.ctx.db, new Date("2026-11-19T00:00:00Z"))).toBe(0);
    expect(await pruneDecisionLog(app.ctx.db, new Date("2026-11-21T00:00:00Z"), 2)).toBe(before);
    expect((await app.call("GET", "/api/v1/decision-log")).body.entries).toEqual([]);
  });
});
