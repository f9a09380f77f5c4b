/**
 * Exchanges (换货, S12, S16): every row of the exchange table decided through the HTTP API against the default
 * shipping-fee rules, the field left out of every answer that is not an exchange, the rule that set it named, and the
 * replacement's payer edited and guarded like any other decision field.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Problem } from "../shared/api.ts";
import type { CaseFactsInput } from "../shared/case-facts.ts";
import { InvariantBrokenMembers } from "../shared/invariants.ts";
import { ShippingDecision } from "../shared/outputs.ts";
import type { RuleInput } from "../shared/rules.ts";
import { aCase } from "./helpers/fixtures.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

const SELLER_FAULT_EXCHANGE = "seller-fault-exchange-seller-sends-the-replacement";
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ now: new Date("2026-11-20T02:00:00Z") });
  // publishing here is about the rules, not reviews
  expect((await app.call("PUT", "/api/v1/rule-sets/shipping-fee/settings", { fourEyes: false })).status).toBe(200);
});
afterAll(() => app.close());

async function shippingFee(facts: CaseFactsInput, extra: Record<string, unknown> = {}) {
  const res = await app.decide("shipping-fee", facts, extra);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { body: res.body, decision: ShippingDecision.parse(res.body.decision) };
}

async function draftOf() {
  return (await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body.draft as {
    revision: number;
    rules: RuleInput[];
  };
}

type Row = {
  clause: string;
  reason: NonNullable<CaseFactsInput["refund"]>["reason"];
  freeShipping: boolean;
  sellerAgreedToPayReturn?: boolean;
  returnLeg: "seller" | "buyer";
  replacementLeg: "seller" | "buyer";
};

describe("the exchange table (domain: Exchanges)", () => {
  const rows: Row[] = [
    {
      clause: "S12 quality problem",
      reason: "quality_issue",
      freeShipping: false,
      returnLeg: "seller",
      replacementLeg: "seller",
    },
    {
      clause: "S12 not as described",
      reason: "not_as_described",
      freeShipping: true,
      returnLeg: "seller",
      replacementLeg: "seller",
    },
    {
      clause: "S12 wrong item",
      reason: "wrong_item",
      freeShipping: false,
      returnLeg: "seller",
      replacementLeg: "seller",
    },
    {
      clause: "S16.1 seven-day exchange, free shipping",
      reason: "no_reason_7d",
      freeShipping: true,
      returnLeg: "buyer",
      replacementLeg: "seller",
    },
    {
      clause: "S16.2 seven-day exchange, not free shipping",
      reason: "no_reason_7d",
      freeShipping: false,
      returnLeg: "buyer",
      replacementLeg: "buyer",
    },
    {
      clause: "S13 seller agreed to pay the return, free shipping",
      reason: "no_reason_7d",
      freeShipping: true,
      sellerAgreedToPayReturn: true,
      returnLeg: "seller",
      replacementLeg: "seller",
    },
    {
      clause: "S13 seller agreed to pay the return, not free shipping",
      reason: "no_reason_7d",
      freeShipping: false,
      sellerAgreedToPayReturn: true,
      returnLeg: "seller",
      replacementLeg: "buyer",
    },
  ];

  it.each(rows.map((row): [string, Row] => [row.clause, row]))("%s", async (_clause, row) => {
    const facts = aCase({
      order: { freeShipping: row.freeShipping },
      refund: { reason: row.reason, returnGoods: true, exchange: true },
      shipping: { sellerAgreedToPayReturn: row.sellerAgreedToPayReturn ?? false },
    });
    const { decision } = await shippingFee(facts);
    expect(decision.returnShippingPayer).toBe(row.returnLeg);
    expect(decision.replacementShippingPayer).toBe(row.replacementLeg);
  });

  it("S15 goods damaged before signing: the seller ships the replacement too", async () => {
    const { decision } = await shippingFee(
      aCase({ refund: { reason: "damaged_in_transit", returnGoods: true, exchange: true } }),
    );
    expect(decision).toMatchObject({ returnShippingPayer: "seller", replacementShippingPayer: "seller" });
  });

  it("leaves the field out when the request is not an exchange, said or left unsaid", async () => {
    for (const refund of [{ reason: "quality_issue" as const }, { reason: "no_reason_7d" as const, exchange: false }]) {
      const { body } = await shippingFee(aCase({ order: { freeShipping: true }, refund }));
      expect(Object.keys(body.decision)).toEqual([
        "returnShippingPayer",
        "outboundShippingPayer",
        "refundOutboundShipping",
        "freightCollectAllowed",
        "settlement",
      ]);
    }
  });

  it("names the rule that decided the replacement's payer, in the trace's provenance", async () => {
    const facts = aCase({ order: { freeShipping: true }, refund: { reason: "no_reason_7d", exchange: true } });
    const { body } = await shippingFee(facts, { trace: true });
    expect(body.decision.replacementShippingPayer).toBe("seller");
    expect(body.provenance.replacementShippingPayer).toBe("free-shipping-each-pays-their-own-leg");
  });

  it("refuses an exchange flag that is not a boolean with a problem naming the field", async () => {
    const res = await app.decide("shipping-fee", { ...aCase(), refund: { reason: "other", exchange: "yes" } });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toContain("refund.exchange");
  });
});

describe("the replacement's payer as a rule decides it", () => {
  it("is edited like any other field: a shop that ships every free-shipping replacement at the buyer's cost", async () => {
    const draft = await draftOf();
    const rules = draft.rules.map((rule) =>
      rule.name === "free-shipping-each-pays-their-own-leg"
        ? { ...rule, event: { ...rule.event, params: { ...rule.event.params, replacementShippingPayer: "buyer" } } }
        : rule,
    );
    const saved = await app.call("PUT", "/api/v1/rule-sets/shipping-fee/draft", { revision: draft.revision, rules });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const simulated = await app.call("POST", "/api/v1/rule-sets/shipping-fee/simulate", {
      facts: aCase({ order: { freeShipping: true }, refund: { reason: "no_reason_7d", exchange: true } }),
    });
    expect(simulated.status, JSON.stringify(simulated.body)).toBe(200);
    expect(simulated.body.draft.decision.replacementShippingPayer).toBe("buyer");
    expect(simulated.body.active.decision.replacementShippingPayer).toBe("seller");
    // the shipped test case of S16.1 exchanges now fails: the publish says so rather than going live
    const refused = await app.call("POST", "/api/v1/rule-sets/shipping-fee/publish", { note: "buyer ships" });
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    await restoreDraft();
  });

  it("is guarded by the invariant that a seller at fault sends the replacement at its own cost", async () => {
    const draft = await draftOf();
    const stingy: RuleInput = {
      name: "dear-wrong-items-replaced-at-the-buyers-cost",
      description: "a shop's wish that breaks S12 for exchanges",
      priority: 950,
      // dear orders only: no shipped test case is one, so only the invariant stands in the way
      conditions: {
        all: [
          { fact: "refund", path: "reason", operator: "equal", value: "wrong_item" },
          { fact: "order", path: "paidFen", operator: "greaterThan", value: 5_000_000 },
        ],
      },
      event: { type: "dear-wrong-items-replaced-at-the-buyers-cost", params: { replacementShippingPayer: "buyer" } },
    };
    const saved = await app.call("PUT", "/api/v1/rule-sets/shipping-fee/draft", {
      revision: draft.revision,
      rules: [stingy, ...draft.rules],
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const res = await app.call("POST", "/api/v1/rule-sets/shipping-fee/publish", {});
    expect(res.status, JSON.stringify(res.body).slice(0, 800)).toBe(422);
    expect(Problem.parse(res.body).code).toBe("invariant_broken");
    const refused = InvariantBrokenMembers.parse(res.body);
    expect(refused.invariant.name).toBe(SELLER_FAULT_EXCHANGE);
    expect(refused.field).toBe("replacementShippingPayer");
    // the counterexample is an exchange the draft answers wrongly
    const example = refused.example as { refund: { reason: string; exchange: boolean } };
    expect(example.refund).toMatchObject({ reason: "wrong_item", exchange: true });
    const simulated = await app.call("POST", "/api/v1/rule-sets/shipping-fee/simulate", { facts: refused.example });
    expect(simulated.body.draft.decision.replacementShippingPayer).toBe("buyer");
    expect(simulated.body.active.decision.replacementShippingPayer).toBe("seller");
    await restoreDraft();
  });
});

/** The draft back to the active version's rules. */
async function restoreDraft() {
  const active = (await app.call("GET", "/api/v1/rule-sets/shipping-fee/versions/1")).body;
  const draft = await draftOf();
  const res = await app.call("PUT", "/api/v1/rule-sets/shipping-fee/draft", {
    revision: draft.revision,
    rules: active.rules,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}
