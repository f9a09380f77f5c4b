import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../server/audit/store.ts";
import { analyseDefinition } from "../server/analysis/analyse.ts";
import { readRuleSetFiles } from "../server/bootstrap.ts";
import type { CreatedApiKey } from "../shared/access.ts";
import { Problem } from "../shared/api.ts";
import { InvariantBrokenMembers } from "../shared/invariants.ts";
import type { RuleSetKind } from "../shared/kinds/index.ts";
import type { RuleInput } from "../shared/rules.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

/**
 * Invariants gate a publish and a rollback: the shipped ones hold on the shipped rules, a draft that breaks S12 is
 * refused with a counterexample the simulator confirms, and a rollback to rules that break an invariant in force now
 * is refused unless it is an emergency.
 */

const NOW = new Date("2026-11-20T02:00:00Z");
const S12 = "seller-fault-seller-pays-both-legs";
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ now: NOW });
  // publishing here is about invariants, not reviews
  for (const key of ["shipping-fee", "refund-eligibility"])
    expect((await app.call("PUT", `/api/v1/rule-sets/${key}/settings`, { fourEyes: false })).status).toBe(200);
});
afterAll(() => app.close());

function expectBroken(res: { status: number; body: any; headers: Headers }): InvariantBrokenMembers {
  expect(res.status, JSON.stringify(res.body).slice(0, 800)).toBe(422);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(Problem.parse(res.body).code).toBe("invariant_broken");
  return InvariantBrokenMembers.parse(res.body);
}
async function draftOf(key: string) {
  return (await app.call("GET", `/api/v1/rule-sets/${key}`)).body.draft as { revision: number; rules: RuleInput[] };
}

describe("the shipped invariants", () => {
  it.each(readRuleSetFiles("rules").map((file) => [file.key, file] as const))(
    "hold on the shipped rules of %s over every case",
    (_key, file) => {
      const analysis = analyseDefinition(file.key as RuleSetKind, file, {
        nowMs: NOW.getTime(),
        budget: { ms: 10_000 },
      });
      expect(analysis.findings.filter((finding) => finding.kind === "invariant_broken")).toEqual([]);
      expect(analysis.unchecked.filter((check) => check.check === "invariant")).toEqual([]);
    },
  );
});

describe("a publish", () => {
  const cheapReturn: RuleInput = {
    name: "quality-complaints-ship-back-at-the-buyers-cost",
    description: "a shop's wish that breaks S12",
    priority: 950,
    // dear orders only: no shipped test case is one, so only the invariant stands in the way
    conditions: {
      all: [
        { fact: "refund", path: "reason", operator: "equal", value: "quality_issue" },
        { fact: "order", path: "paidFen", operator: "greaterThan", value: 5_000_000 },
      ],
    },
    event: { type: "quality-complaints-ship-back-at-the-buyers-cost", params: { returnShippingPayer: "buyer" } },
  };

  it("is refused while a case breaks S12, with a counterexample the simulator shows breaking it", async () => {
    const draft = await draftOf("shipping-fee");
    const saved = await app.call("PUT", "/api/v1/rule-sets/shipping-fee/draft", {
      revision: draft.revision,
      rules: [cheapReturn, ...draft.rules],
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const refused = expectBroken(await app.call("POST", "/api/v1/rule-sets/shipping-fee/publish", {}));
    expect(refused.invariant.name).toBe(S12);
    expect(refused.field).toBe("returnShippingPayer");
    expect(refused.broken.map((b) => b.invariant.name)).toEqual([S12]);
    // nothing went live
    expect((await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body.activeVersion).toBe(1);

    const simulated = await app.call("POST", "/api/v1/rule-sets/shipping-fee/simulate", { facts: refused.example });
    expect(simulated.status, JSON.stringify(simulated.body)).toBe(200);
    const facts = refused.example as { refund: { reason: string }; order: { paidFen: number } };
    expect(facts.refund.reason).toBe("quality_issue");
    expect(facts.order.paidFen).toBeGreaterThan(5_000_000);
    expect(simulated.body.draft.decision.returnShippingPayer).toBe("buyer");
    expect(simulated.body.draft.firedRules[0]).toBe(cheapReturn.name);
    // the active version keeps S12 for the same case
    expect(simulated.body.active.decision.returnShippingPayer).toBe("seller");
  });

  it("goes through once the rules keep the invariant again, at once or scheduled", async () => {
    const draft = await draftOf("shipping-fee");
    const kept = draft.rules.filter((rule) => rule.name !== cheapReturn.name);
    expect(
      (await app.call("PUT", "/api/v1/rule-sets/shipping-fee/draft", { revision: draft.revision, rules: kept })).status,
    ).toBe(200);
    const changed = kept.map((rule, i) => (i === 0 ? { ...rule, description: `${rule.description}（复核）` } : rule));
    const again = await draftOf("shipping-fee");
    await app.call("PUT", "/api/v1/rule-sets/shipping-fee/draft", { revision: again.revision, rules: changed });
    const published = await app.call("POST", "/api/v1/rule-sets/shipping-fee/publish", { note: "S12 kept" });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body.version).toBe(2);
  });

  it("is refused when scheduled too, and the invariant edited through its own endpoint counts", async () => {
    const { revision, invariants } = (await app.call("GET", "/api/v1/rule-sets/refund-eligibility/invariants")).body;
    // a stricter S18 the shipped rules do not keep: a used claim is never eligible, whatever the order's state
    const stricter = {
      name: "a-used-claim-is-never-eligible",
      title: "已使用维权机会的订单一律不能退款",
      conditions: { all: [{ fact: "claim", path: "used", operator: "equal", value: true }] },
      expect: { eligible: false },
    };
    const saved = await app.call("PUT", "/api/v1/rule-sets/refund-eligibility/invariants", {
      revision,
      invariants: [...invariants, stricter],
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const refused = expectBroken(
      await app.call("POST", "/api/v1/rule-sets/refund-eligibility/publish", {
        activateAt: "2026-11-25T00:00:00+08:00",
      }),
    );
    expect(refused.invariant.name).toBe(stricter.name);
    const simulated = await app.call("POST", "/api/v1/rule-sets/refund-eligibility/simulate", {
      facts: refused.example,
    });
    expect((refused.example as { claim: { used: boolean } }).claim.used).toBe(true);
    expect(simulated.body.draft.decision.eligible).toBe(true);
    expect(
      (await app.call("GET", "/api/v1/rule-sets/refund-eligibility/schedules")).body.schedules.filter(
        (s: { status: string }) => s.status === "scheduled",
      ),
    ).toEqual([]);
  });
});

describe("a rollback", () => {
  let publisher: CreatedApiKey;
  beforeAll(async () => {
    const res = await app.call("POST", "/api/v1/api-keys", {
      name: "release-pipeline",
      scopes: ["rules:read", "rules:write", "rules:publish"],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    publisher = res.body;
  });

  it("to rules that break an invariant in force now is refused, unless it is an emergency", async () => {
    // version 3 takes refused deliveries' return postage on the seller and says so as an invariant
    const draft = await draftOf("shipping-fee");
    const sellerTakesRefusals: RuleInput = {
      name: "refused-delivery-seller-takes-the-return",
      description: "a goodwill policy",
      priority: 2000,
      conditions: { all: [{ fact: "shipping", path: "deliveryRefused", operator: "equal", value: true }] },
      event: { type: "refused-delivery-seller-takes-the-return", params: { returnShippingPayer: "seller" } },
    };
    const { invariants } = (await app.call("GET", "/api/v1/rule-sets/shipping-fee/invariants")).body;
    // through a shared condition version 1 does not have: the rollback is still judged by it
    const goodwill = {
      name: "refused-delivery-seller-pays-the-return",
      title: "拒签的退货运费由卖家承担",
      conditions: { all: [{ condition: "delivery-refused" }] },
      expect: { returnShippingPayer: "seller" },
    };
    const saved = await app.call("PUT", "/api/v1/rule-sets/shipping-fee/draft", {
      revision: draft.revision,
      rules: [sellerTakesRefusals, ...draft.rules],
      conditions: {
        "delivery-refused": { all: [{ fact: "shipping", path: "deliveryRefused", operator: "equal", value: true }] },
      },
      invariants: [...invariants, goodwill],
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const published = await app.call("POST", "/api/v1/rule-sets/shipping-fee/publish", {});
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    const current = published.body.version as number;

    const headers = { authorization: `Bearer ${publisher.key}` };
    const refused = expectBroken(
      await app.call("POST", "/api/v1/rule-sets/shipping-fee/rollback", { version: 1 }, headers),
    );
    expect(refused.invariant.name).toBe(goodwill.name);
    expect((await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body.activeVersion).toBe(current);

    // the test key holds rules:rollback-unreviewed: the way out of an incident is never blocked, and says so
    const emergency = await app.call("POST", "/api/v1/rule-sets/shipping-fee/rollback", { version: 1 });
    expect(emergency.status, JSON.stringify(emergency.body)).toBe(200);
    const audit = (
      await listAudit(app.ctx.db, { entity: "rule-set", entityKey: "shipping-fee", action: "rollback" })
    ).at(-1)!.detail as Record<string, unknown>;
    expect(audit).toMatchObject({ rolledBackFrom: 1, invariantsSkipped: true });
  });
});
