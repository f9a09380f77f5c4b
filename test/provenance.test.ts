import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DecisionResponse, Simulation, TestRun } from "../shared/api.ts";
import { aCase } from "./helpers/fixtures.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const sevenDayFreeShipping = aCase({
  order: { freeShipping: true },
  refund: { reason: "no_reason_7d", returnGoods: true },
});
/** The seed's rule for seven-day returns of free-shipping goods, at priority 300. */
const eachPaysOwnLeg = "free-shipping-each-pays-their-own-leg";

/** A rule for the same returns as the seed's priority-300 rule, placed under it at 190. */
const sellerPaysBelow = {
  name: "seller-pays-seven-day-returns",
  title: "七天无理由退货由卖家承担运费",
  priority: 190,
  conditions: {
    all: [
      { fact: "refund", path: "reason", operator: "equal", value: "no_reason_7d" },
      { fact: "order", path: "freeShipping", operator: "equal", value: true },
    ],
  },
  event: { type: "seller-pays", params: { returnShippingPayer: "seller" } },
};

async function decideTraced(ruleSet: string, facts: unknown) {
  const res = await app.decide(ruleSet, facts, { trace: true });
  expect(res.status).toBe(200);
  const body = DecisionResponse.parse(res.body);
  // every field of the decision has its provenance, and a rule named there fired
  expect(Object.keys(body.provenance!).sort()).toEqual(Object.keys(body.decision).sort());
  for (const source of Object.values(body.provenance!))
    if (source !== "default" && source !== "computed") expect(body.firedRules).toContain(source);
  return body;
}

async function saveShippingRules(rules: (draft: any[]) => unknown[]) {
  const draft = (await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body.draft;
  const saved = await app.call("PUT", "/api/v1/rule-sets/shipping-fee/draft", {
    revision: draft.revision,
    rules: rules(draft.rules),
  });
  expect(saved.status).toBe(200);
}

describe("a traced decision says where each field came from", () => {
  it("shipping-fee: a rule's field, a default and the computed fields", async () => {
    const body = await decideTraced("shipping-fee", sevenDayFreeShipping);
    expect(body.provenance).toEqual({
      returnShippingPayer: eachPaysOwnLeg,
      outboundShippingPayer: eachPaysOwnLeg,
      refundOutboundShipping: "computed",
      freightCollectAllowed: "default",
      settlement: "computed",
    });
  });

  it("refund-eligibility: a rule's fields, defaults, the computed maximum, and a rule's verdict the computation changed", async () => {
    const inTransit = await decideTraced("refund-eligibility", aCase({ order: { status: "shipped" } }));
    expect(inTransit.provenance).toEqual({
      eligible: "in-transit-refund-only",
      channel: "in-transit-refund-only",
      requiresReturn: "in-transit-refund-only",
      maxRefundableFen: "computed",
      formula: "default",
      manualReview: "default",
      reasons: "in-transit-refund-only",
    });
    // asking for more than may be refunded: the contract's computation says not eligible, whatever the rule said
    const tooMuch = await decideTraced(
      "refund-eligibility",
      aCase({ refund: { reason: "no_reason_7d", returnGoods: true, requestedFen: 20_000 } }),
    );
    expect(tooMuch.decision.eligible).toBe(false);
    expect(tooMuch.provenance).toMatchObject({
      eligible: "computed",
      channel: "received-goods-come-back-for-a-refund",
      reasons: "received-goods-come-back-for-a-refund",
    });
  });

  it("timeouts: the list of timers from the first rule that added one, or the default when none fired", async () => {
    const waiting = await decideTraced(
      "timeouts",
      aCase({ refund: { state: "waiting_seller", appliedAt: "2026-11-19T10:00:00+08:00" } }),
    );
    expect(waiting.firedRules.length).toBeGreaterThan(1);
    expect(waiting.provenance).toEqual({ timers: waiting.firedRules[0] });
    const nothing = await decideTraced("timeouts", aCase({ order: { status: "closed" } }));
    expect(nothing.firedRules).toEqual([]);
    expect(nothing.provenance).toEqual({ timers: "default" });
  });

  it("is absent without trace, and in each traced item of a batch", async () => {
    const plain = await app.decide("shipping-fee", sevenDayFreeShipping);
    expect(Object.keys(plain.body)).toEqual(["decisionId", "ruleSet", "version", "decision", "firedRules"]);
    const batch = await app.call("POST", "/api/v1/decisions", {
      requests: [
        { ruleSet: "shipping-fee", facts: sevenDayFreeShipping, trace: true },
        { ruleSet: "shipping-fee", facts: sevenDayFreeShipping },
      ],
    });
    expect(batch.status).toBe(200);
    expect(batch.body.results[0].provenance.returnShippingPayer).toBe(eachPaysOwnLeg);
    expect(batch.body.results[1]).not.toHaveProperty("provenance");
  });
});

describe("a rule whose fields earlier rules took", () => {
  it("is marked overridden in the simulator's trace, with the rule that took each field", async () => {
    await saveShippingRules((rules) => [...rules, sellerPaysBelow]);
    const res = await app.call("POST", "/api/v1/rule-sets/shipping-fee/simulate", { facts: sevenDayFreeShipping });
    expect(res.status).toBe(200);
    const simulation = Simulation.parse(res.body);
    expect(simulation.draft.firedRules).toEqual([eachPaysOwnLeg, sellerPaysBelow.name]);
    expect(simulation.draft.decision.returnShippingPayer).toBe("buyer");
    expect(simulation.draft.provenance.returnShippingPayer).toBe(eachPaysOwnLeg);
    const entry = simulation.draft.trace.find((e) => e.rule === sellerPaysBelow.name);
    expect(entry).toMatchObject({
      title: sellerPaysBelow.title,
      fired: true,
      overridden: true,
      takenBy: { returnShippingPayer: eachPaysOwnLeg },
    });
    // the rule that took the field is not overridden; the active version knows nothing of the new rule
    expect(simulation.draft.trace.find((e) => e.rule === eachPaysOwnLeg)).not.toHaveProperty("overridden");
    expect(simulation.active!.provenance.returnShippingPayer).toBe(eachPaysOwnLeg);
    expect(simulation.active!.trace.some((e) => e.overridden)).toBe(false);
  });

  it("is not overridden when one of its fields is still its own", async () => {
    await saveShippingRules((rules) => [
      ...rules.filter((rule) => rule.name !== sellerPaysBelow.name),
      {
        ...sellerPaysBelow,
        event: { type: "seller-pays", params: { returnShippingPayer: "seller", freightCollectAllowed: true } },
      },
    ]);
    const res = await app.call("POST", "/api/v1/rule-sets/shipping-fee/simulate", { facts: sevenDayFreeShipping });
    const entry = res.body.draft.trace.find((e: any) => e.rule === sellerPaysBelow.name);
    expect(entry.takenBy).toEqual({ returnShippingPayer: eachPaysOwnLeg });
    expect(entry).not.toHaveProperty("overridden");
    expect(res.body.draft.provenance.freightCollectAllowed).toBe(sellerPaysBelow.name);
  });

  it("is marked overridden by the decision endpoint once published", async () => {
    await saveShippingRules((rules) => [
      ...rules.filter((rule) => rule.name !== sellerPaysBelow.name),
      sellerPaysBelow,
    ]);
    // it changes no decision, so every test case still passes
    const published = await app.call("POST", "/api/v1/rule-sets/shipping-fee/publish", { note: "overridden rule" });
    expect(published.status).toBe(200);
    const body = await decideTraced("shipping-fee", sevenDayFreeShipping);
    expect(body.version).toBe(published.body.version);
    expect(body.trace!.find((e) => e.rule === sellerPaysBelow.name)).toMatchObject({
      fired: true,
      overridden: true,
      takenBy: { returnShippingPayer: eachPaysOwnLeg },
    });
  });
});

describe("a test case's mismatches say which rule set the actual value", () => {
  it("names the rule, the default or the computation behind each mismatching field", async () => {
    // now above the seed's rule: the seed's seven-day test case expects the buyer to pay
    await saveShippingRules((rules) => [
      ...rules.filter((rule) => rule.name !== sellerPaysBelow.name),
      { ...sellerPaysBelow, priority: 350 },
    ]);
    const run = await app.call("POST", "/api/v1/rule-sets/shipping-fee/test-cases/run");
    expect(run.status).toBe(200);
    const failed = TestRun.parse(run.body).results.filter((result) => !result.passed);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.mismatches).toEqual([
      { field: "returnShippingPayer", expected: "buyer", actual: "seller", setBy: sellerPaysBelow.name },
      { field: "settlement", expected: "none", actual: "buyer_advances_seller_reimburses", setBy: "computed" },
    ]);
    // the publish refusal carries the same
    const refused = await app.call("POST", "/api/v1/rule-sets/shipping-fee/publish", {});
    expect(refused.status).toBe(422);
    expect(refused.body.failures[0].mismatches[0].setBy).toBe(sellerPaysBelow.name);
  });

  it("names the default when no rule set the field", async () => {
    const cases = (await app.call("GET", "/api/v1/rule-sets/shipping-fee/test-cases")).body.testCases;
    const saved = await app.call("PUT", "/api/v1/rule-sets/shipping-fee/test-cases", {
      testCases: [
        ...cases,
        {
          name: "freight collect, wrongly expected",
          facts: sevenDayFreeShipping,
          expect: { freightCollectAllowed: true },
        },
      ],
    });
    expect(saved.status).toBe(200);
    const run = await app.call("POST", "/api/v1/rule-sets/shipping-fee/test-cases/run?version=1");
    const result = run.body.results.find((r: any) => r.name === "freight collect, wrongly expected");
    expect(result.mismatches).toEqual([
      { field: "freightCollectAllowed", expected: true, actual: false, setBy: "default" },
    ]);
  });
});
