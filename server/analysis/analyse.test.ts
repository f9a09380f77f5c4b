import { readFileSync } from "node:fs";
import { TEST_PERIODS } from "../../test/helpers/periods.ts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AnalysisFinding } from "../../shared/analysis.ts";
import { CaseFacts } from "../../shared/case-facts.ts";
import type { RuleSetKind } from "../../shared/kinds/index.ts";
import { type Condition, type RuleInput, RuleSetDefinition, type RuleSetDefinitionInput } from "../../shared/rules.ts";
import { Decider } from "../engine/decider.ts";
import { validateDefinition } from "../engine/validate-definition.ts";
import { analyseDefinition } from "./analyse.ts";

const NOW = Date.parse("2026-12-07T00:00:00Z");

function shipped(kind: RuleSetKind): RuleSetDefinition {
  const { defaults, conditions, rules } = JSON.parse(readFileSync(`rules/${kind}.json`, "utf8"));
  return RuleSetDefinition.parse({ defaults, conditions, rules });
}

function definition(kind: RuleSetKind, input: RuleSetDefinitionInput): RuleSetDefinition {
  const parsed = RuleSetDefinition.parse(input);
  expect(validateDefinition(kind, parsed)).toEqual([]);
  return parsed;
}

const rule = (name: string, priority: number, conditions: RuleInput["conditions"], params: object): RuleInput => ({
  name,
  priority,
  conditions,
  event: { type: name, params: params as Record<string, unknown> },
});
const leaf = (fact: string, path: string, operator: string, value: unknown): Condition => ({
  fact,
  path,
  operator,
  value,
});

/** The example decided by the real Decider, with its trace. */
function decide(kind: RuleSetKind, def: RuleSetDefinition, example: Record<string, unknown> | undefined) {
  expect(example).toBeDefined();
  const facts = CaseFacts.parse(example);
  return new Decider(kind, 0, def).decide(facts, { trace: true, nowMs: Date.parse(facts.now!), periods: TEST_PERIODS });
}

const withoutExamples = (findings: readonly AnalysisFinding[]) => findings.map(({ example: _, ...rest }) => rest);

describe("the shipped rule sets", () => {
  it.each(["shipping-fee", "refund-eligibility", "timeouts", "service-playbook"] as const)(
    "%s: nothing found, every check decided",
    (kind) => {
      const answer = analyseDefinition(kind, shipped(kind), { nowMs: NOW });
      expect(answer.findings).toEqual([]);
      expect(answer.unchecked).toEqual([]);
      expect(answer.complete).toBe(true);
    },
  );
});

describe("findings", () => {
  it("the manager's case: a rule at 190 under the 300 rule that sets the same field is overridden by it", () => {
    const base = shipped("shipping-fee");
    const def = definition("shipping-fee", {
      ...base,
      rules: [
        ...base.rules,
        rule(
          "free-shipping-seller-pays-the-return",
          190,
          { all: [leaf("order", "freeShipping", "equal", true)] },
          {
            returnShippingPayer: "seller",
          },
        ),
      ],
    });
    const answer = analyseDefinition("shipping-fee", def, { nowMs: NOW });
    expect(answer.complete).toBe(true);
    expect(withoutExamples(answer.findings)).toEqual([
      {
        kind: "overridden",
        rule: "free-shipping-seller-pays-the-return",
        rules: ["free-shipping-each-pays-their-own-leg"],
      },
    ]);
    const decided = decide("shipping-fee", def, answer.findings[0]!.example);
    expect(decided.firedRules).toContain("free-shipping-seller-pays-the-return");
    const entry = decided.trace!.find((e) => e.rule === "free-shipping-seller-pays-the-return")!;
    expect(entry.overridden).toBe(true);
    expect(entry.takenBy).toEqual({ returnShippingPayer: "free-shipping-each-pays-their-own-leg" });
    expect(decided.provenance!.returnShippingPayer).toBe("free-shipping-each-pays-their-own-leg");
  });

  it("a rule that sets two fields, one always taken, is overridden for that field only", () => {
    const base = shipped("shipping-fee");
    const def = definition("shipping-fee", {
      ...base,
      rules: [
        ...base.rules,
        rule(
          "free-shipping-allows-freight-collect",
          150,
          { all: [leaf("order", "freeShipping", "equal", true)] },
          {
            outboundShippingPayer: "buyer",
            freightCollectAllowed: true,
          },
        ),
      ],
    });
    const answer = analyseDefinition("shipping-fee", def, { nowMs: NOW });
    expect(withoutExamples(answer.findings)).toEqual([
      {
        kind: "overridden",
        rule: "free-shipping-allows-freight-collect",
        field: "outboundShippingPayer",
        rules: ["free-shipping-each-pays-their-own-leg"],
      },
    ]);
    const entry = decide("shipping-fee", def, answer.findings[0]!.example).trace!.find(
      (e) => e.rule === "free-shipping-allows-freight-collect",
    )!;
    expect(entry.fired).toBe(true);
    expect(entry.takenBy).toEqual({ outboundShippingPayer: "free-shipping-each-pays-their-own-leg" });
  });

  it("contradictory conditions, and a window already over, never apply", () => {
    const base = shipped("shipping-fee");
    const def = definition("shipping-fee", {
      ...base,
      rules: [
        ...base.rules,
        rule(
          "paid-more-and-less",
          2000,
          {
            all: [
              leaf("order", "shippingFeeFen", "greaterThan", 1000),
              { not: leaf("order", "shippingFeeFen", "greaterThanInclusive", 500) },
            ],
          },
          { returnShippingPayer: "seller" },
        ),
        {
          ...rule(
            "double-eleven-2025",
            2000,
            { all: [leaf("refund", "reason", "equal", "other")] },
            {
              returnShippingPayer: "seller",
            },
          ),
          validFrom: "2025-11-11T00:00:00+08:00",
          validUntil: "2025-11-12T00:00:00+08:00",
        },
        {
          ...rule(
            "double-eleven-2027",
            2000,
            { all: [leaf("refund", "reason", "equal", "no_reason_7d")] },
            {
              freightCollectAllowed: true,
            },
          ),
          validFrom: "2027-11-11T00:00:00+08:00",
          validUntil: "2027-11-12T00:00:00+08:00",
        },
      ],
    });
    const answer = analyseDefinition("shipping-fee", def, { nowMs: NOW });
    expect(answer.complete).toBe(true);
    expect(withoutExamples(answer.findings)).toEqual([
      { kind: "never_applies", rule: "paid-more-and-less", reason: "contradictory" },
      { kind: "never_applies", rule: "double-eleven-2025", reason: "window_over" },
    ]);
    expect(answer.findings[0]!.example).toBeUndefined();
    const over = decide("shipping-fee", def, answer.findings[1]!.example).trace!.find(
      (e) => e.rule === "double-eleven-2025",
    )!;
    expect(over).toMatchObject({ fired: false, window: "over", conditions: { result: true } });
  });

  it("two rules of equal priority that can fire together and disagree conflict", () => {
    const base = shipped("shipping-fee");
    const def = definition("shipping-fee", {
      ...base,
      rules: [
        rule(
          "quality-seller-pays",
          2000,
          { all: [leaf("refund", "reason", "equal", "quality_issue")] },
          {
            returnShippingPayer: "seller",
          },
        ),
        rule(
          "claimed-buyer-pays",
          2000,
          { all: [leaf("claim", "used", "equal", true)] },
          {
            returnShippingPayer: "buyer",
          },
        ),
        rule(
          "quality-agrees",
          2000,
          { all: [leaf("refund", "reason", "equal", "wrong_item")] },
          {
            returnShippingPayer: "buyer",
          },
        ),
        ...base.rules,
      ],
    });
    const answer = analyseDefinition("shipping-fee", def, { nowMs: NOW });
    expect(withoutExamples(answer.findings)).toEqual([
      { kind: "conflict", rules: ["quality-seller-pays", "claimed-buyer-pays"], field: "returnShippingPayer" },
    ]);
    const decided = decide("shipping-fee", def, answer.findings[0]!.example);
    expect(decided.firedRules).toEqual(expect.arrayContaining(["quality-seller-pays", "claimed-buyer-pays"]));
  });

  it("a field the rule set asks rules to decide falls to the default in a gap", () => {
    const base = shipped("shipping-fee");
    const covered = definition("shipping-fee", { ...base, decidedByRules: ["outboundShippingPayer"] });
    expect(analyseDefinition("shipping-fee", covered, { nowMs: NOW }).findings).toEqual([]);
    const gappy = definition("shipping-fee", {
      ...base,
      decidedByRules: ["outboundShippingPayer", "freightCollectAllowed"],
    });
    const answer = analyseDefinition("shipping-fee", gappy, { nowMs: NOW });
    expect(withoutExamples(answer.findings)).toEqual([{ kind: "gap", field: "freightCollectAllowed" }]);
    expect(decide("shipping-fee", gappy, answer.findings[0]!.example).provenance!.freightCollectAllowed).toBe(
      "default",
    );
  });

  it("an invariant a case breaks is reported with that case; one every case keeps is not", () => {
    const base = shipped("shipping-fee");
    const s12 = {
      name: "seller-fault-seller-pays-both-legs",
      conditions: { all: [leaf("refund", "reason", "in", ["quality_issue", "not_as_described", "wrong_item"])] },
      expect: { returnShippingPayer: "seller", outboundShippingPayer: "seller" },
    };
    expect(
      analyseDefinition("shipping-fee", definition("shipping-fee", { ...base, invariants: [s12] }), { nowMs: NOW }),
    ).toMatchObject({ findings: [], complete: true });
    const broken = definition("shipping-fee", {
      ...base,
      invariants: [s12],
      rules: [
        rule(
          "refused-quality-goods-buyer-pays",
          950,
          {
            all: [leaf("shipping", "deliveryRefused", "equal", true), leaf("refund", "reason", "equal", "wrong_item")],
          },
          { returnShippingPayer: "buyer" },
        ),
        ...base.rules,
      ],
    });
    const answer = analyseDefinition("shipping-fee", broken, { nowMs: NOW });
    expect(withoutExamples(answer.findings)).toEqual([
      { kind: "invariant_broken", invariant: "seller-fault-seller-pays-both-legs", field: "returnShippingPayer" },
    ]);
    const decided = decide("shipping-fee", broken, answer.findings[0]!.example);
    expect(decided.decision.returnShippingPayer).toBe("buyer");
    expect(answer.findings[0]!.example).toMatchObject({
      refund: { reason: "wrong_item" },
      shipping: { deliveryRefused: true },
    });
  });

  it("an expectation of the replacement's payer holds only for an exchange: the answer to another leaves it out", () => {
    const base = shipped("shipping-fee");
    const sellerFault = leaf("refund", "reason", "in", ["quality_issue", "not_as_described", "wrong_item"]);
    const exchange = leaf("refund", "exchange", "equal", true);
    const def = definition("shipping-fee", {
      ...base,
      invariants: [
        {
          name: "for-exchanges",
          conditions: { all: [sellerFault, exchange] },
          expect: { replacementShippingPayer: "seller" },
        },
        {
          name: "for-every-request",
          conditions: { all: [sellerFault] },
          expect: { replacementShippingPayer: "seller" },
        },
      ],
    });
    const answer = analyseDefinition("shipping-fee", def, { nowMs: NOW, checks: ["invariant"] });
    expect(withoutExamples(answer.findings)).toEqual([
      { kind: "invariant_broken", invariant: "for-every-request", field: "replacementShippingPayer" },
    ]);
    expect(answer.findings[0]!.example).toMatchObject({ refund: { exchange: false } });
    expect(decide("shipping-fee", def, answer.findings[0]!.example).decision).not.toHaveProperty(
      "replacementShippingPayer",
    );
  });

  it("runs only the checks asked for: a publish gate asks for the invariants alone", () => {
    const base = shipped("shipping-fee");
    const def = definition("shipping-fee", {
      ...base,
      invariants: [
        {
          name: "freight-collect-never-allowed",
          conditions: { all: [] },
          expect: { freightCollectAllowed: false },
        },
      ],
      rules: [
        ...base.rules,
        rule(
          "free-shipping-seller-pays-the-return",
          190,
          { all: [leaf("order", "freeShipping", "equal", true)] },
          {
            returnShippingPayer: "seller",
          },
        ),
      ],
    });
    const everything = analyseDefinition("shipping-fee", def, { nowMs: NOW });
    expect(everything.findings.map((f) => f.kind).sort()).toEqual(["invariant_broken", "overridden"]);
    const invariantsOnly = analyseDefinition("shipping-fee", def, { nowMs: NOW, checks: ["invariant"] });
    expect(withoutExamples(invariantsOnly.findings)).toEqual([
      { kind: "invariant_broken", invariant: "freight-collect-never-allowed", field: "freightCollectAllowed" },
    ]);
    expect(invariantsOnly.complete).toBe(true);
  });

  it("S11: maxRefundableFen ≤ amount.capFen is proved through the amounts' guarantees; a stricter bound is broken", () => {
    const base = shipped("refund-eligibility");
    const s11 = {
      name: "never-more-than-paid-less-refunded",
      conditions: { all: [] },
      expect: {
        maxRefundableFen: { operator: "lessThanInclusive" as const, value: { fact: "amount", path: "capFen" } },
      },
    };
    const proved = analyseDefinition(
      "refund-eligibility",
      definition("refund-eligibility", { ...base, invariants: [s11] }),
      {
        nowMs: NOW,
      },
    );
    expect(proved).toMatchObject({ findings: [], complete: true });
    const strict = {
      name: "never-more-than-a-hundred-yuan",
      conditions: { all: [] },
      expect: { maxRefundableFen: { operator: "lessThanInclusive" as const, value: 10_000 } },
    };
    const def = definition("refund-eligibility", { ...base, invariants: [strict] });
    const answer = analyseDefinition("refund-eligibility", def, { nowMs: NOW });
    expect(withoutExamples(answer.findings)).toEqual([
      { kind: "invariant_broken", invariant: "never-more-than-a-hundred-yuan", field: "maxRefundableFen" },
    ]);
    expect(decide("refund-eligibility", def, answer.findings[0]!.example).decision.maxRefundableFen).toBeGreaterThan(
      10_000,
    );
  });

  it("an expectation on eligible counts the request above the maximum, which complete() refuses", () => {
    const base = shipped("refund-eligibility");
    const always = {
      name: "unshipped-orders-are-refundable",
      conditions: { all: [leaf("order", "status", "equal", "paid")] },
      expect: { eligible: true },
    };
    const def = definition("refund-eligibility", { ...base, invariants: [always] });
    const answer = analyseDefinition("refund-eligibility", def, { nowMs: NOW });
    expect(answer.findings.map((f) => f.kind)).toEqual(["invariant_broken"]);
    const decided = decide("refund-eligibility", def, answer.findings[0]!.example);
    expect(decided.decision.eligible).toBe(false);
  });
});

describe("facts compared with facts, and what is not analysed", () => {
  it("decides comparisons between facts: through the amounts' guarantees, or by splitting their outcome", () => {
    const base = shipped("refund-eligibility");
    const ref = (path: string) => ({ fact: "amount", path });
    const def = definition("refund-eligibility", {
      ...base,
      rules: [
        rule(
          "full-price-above-the-cap",
          5000,
          { all: [leaf("amount", "fullPriceFen", "greaterThan", ref("capFen"))] },
          {
            manualReview: true,
          },
        ),
        rule(
          "requested-above-and-within-the-cap",
          5000,
          {
            all: [
              leaf("refund", "requestedFen", "greaterThan", ref("capFen")),
              leaf("refund", "requestedFen", "lessThanInclusive", ref("capFen")),
            ],
          },
          { manualReview: true },
        ),
        rule(
          "requested-above-the-cap",
          5000,
          { all: [leaf("refund", "requestedFen", "greaterThan", ref("capFen"))] },
          {
            manualReview: true,
          },
        ),
        ...base.rules,
      ],
    });
    const answer = analyseDefinition("refund-eligibility", def, { nowMs: NOW });
    expect(answer.complete).toBe(true);
    expect(withoutExamples(answer.findings)).toEqual([
      { kind: "never_applies", rule: "full-price-above-the-cap", reason: "contradictory" },
      { kind: "never_applies", rule: "requested-above-and-within-the-cap", reason: "contradictory" },
    ]);
  });

  it("an invariant on a field the kind computes from facts it does not model is listed as not analysable", () => {
    const base = shipped("shipping-fee");
    const def = definition("shipping-fee", {
      ...base,
      invariants: [{ name: "no-settlement", conditions: { all: [] }, expect: { settlement: "none" } }],
    });
    const answer = analyseDefinition("shipping-fee", def, { nowMs: NOW });
    expect(answer.complete).toBe(false);
    expect(answer.unchecked).toEqual([
      { check: "invariant", reason: "not_analysable", invariant: "no-settlement", field: "settlement" },
    ]);
  });
});

describe("bounded work", () => {
  /** Rules over many numeric facts with many thresholds each: the regions multiply beyond any budget. */
  function pathological(): RuleSetDefinition {
    const money = [
      "order.shippingFeeFen",
      "order.paidFen",
      "order.refundedFen",
      "refund.requestedFen",
      "amount.capFen",
    ];
    const rules: RuleInput[] = [];
    for (let i = 0; i < 400; i++) {
      rules.push(
        rule(
          `r-${i}`,
          1 + (i % 3),
          {
            any: money.map((key, k) => {
              const [fact, path] = key.split(".") as [string, string];
              return {
                all: [
                  leaf(fact, path, "greaterThan", (i * 7 + k * 13) % 997),
                  leaf(fact, path, "lessThan", (i * 11 + k) % 991),
                ],
              };
            }),
          },
          { returnShippingPayer: i % 2 ? "buyer" : "seller" },
        ),
      );
    }
    return definition("shipping-fee", { ...shipped("shipping-fee"), rules, decidedByRules: ["returnShippingPayer"] });
  }

  it("answers within its time budget with complete: false, naming what it cut short", () => {
    const started = performance.now();
    const answer = analyseDefinition("shipping-fee", pathological(), { nowMs: NOW, budget: { ms: 300 } });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(answer.complete).toBe(false);
    expect(answer.unchecked.some((u) => u.reason === "budget")).toBe(true);
  });

  it("a draft of 5 000 rules answers soon after its budget, what it did not reach named in one entry per check", () => {
    const reasons = ["no_reason_7d", "quality_issue", "not_as_described", "wrong_item", "damaged_in_transit", "other"];
    const rules = Array.from({ length: 5_000 }, (_, i) =>
      rule(
        `rule-${i}`,
        1 + (i % 5),
        {
          all: [
            leaf("refund", "reason", "equal", reasons[i % reasons.length]),
            leaf("order", "shippingFeeFen", "greaterThan", i),
            leaf("elapsed", "sinceDelivered", "withinDuration", `P${1 + (i % 30)}D`),
          ],
        },
        { returnShippingPayer: i % 2 ? "buyer" : "seller" },
      ),
    );
    const def = definition("shipping-fee", {
      ...shipped("shipping-fee"),
      rules,
      decidedByRules: ["returnShippingPayer"],
    });
    const started = performance.now();
    const answer = analyseDefinition("shipping-fee", def, { nowMs: NOW, budget: { ms: 300 } });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(answer.complete).toBe(false);
    expect(JSON.stringify(answer).length).toBeLessThan(1_000_000);
  });

  it("and within a step budget", () => {
    const answer = analyseDefinition("shipping-fee", pathological(), { nowMs: NOW, budget: { steps: 1_000 } });
    expect(answer.complete).toBe(false);
    expect(answer.steps).toBeLessThanOrEqual(1_001);
  });
});

describe("brute force agrees", () => {
  const reasons = ["no_reason_7d", "quality_issue", "wrong_item", "other"] as const;
  const fees = [0, 100, 500];
  const days = ["P1D", "P7D"];
  const DAY = 86_400_000;
  /** Every representative of each fact's cells: each threshold, one either side, absent. */
  const space = {
    reason: [
      "no_reason_7d",
      "quality_issue",
      "not_as_described",
      "wrong_item",
      "damaged_in_transit",
      "not_received",
      "other",
    ],
    used: [true, false],
    fee: [0, 1, 99, 100, 101, 499, 500, 501, 10_000],
    elapsed: [undefined, 0, DAY - 1, DAY, DAY + 1, 7 * DAY - 1, 7 * DAY, 7 * DAY + 1, 30 * DAY],
  };

  const everyCase = space.reason.flatMap((reason) =>
    space.used.flatMap((used) =>
      space.fee.flatMap((fee) =>
        space.elapsed.map((elapsed) => ({
          now: new Date(NOW).toISOString(),
          order: {
            status: "delivered",
            shippingFeeFen: fee,
            ...(elapsed === undefined ? {} : { deliveredAt: new Date(NOW - elapsed).toISOString() }),
          },
          refund: { reason },
          claim: { used },
        })),
      ),
    ),
  );
  /** Fees and requested amounts on either side of each other and of each threshold, requested also absent. */
  const everyAmountCase = space.used.flatMap((used) =>
    space.fee.flatMap((fee) =>
      [undefined, ...space.fee].map((requested) => ({
        now: new Date(NOW).toISOString(),
        order: { status: "delivered", shippingFeeFen: fee },
        refund: requested === undefined ? {} : { requestedFen: requested },
        claim: { used },
      })),
    ),
  );

  const leafArb: fc.Arbitrary<Condition> = fc.oneof(
    fc.record({
      fact: fc.constant("refund"),
      path: fc.constant("reason"),
      operator: fc.constantFrom("equal", "notEqual"),
      value: fc.constantFrom(...reasons),
    }),
    fc.record({
      fact: fc.constant("refund"),
      path: fc.constant("reason"),
      operator: fc.constantFrom("in", "notIn"),
      value: fc.subarray([...reasons], { minLength: 1 }),
    }),
    fc.record({
      fact: fc.constant("claim"),
      path: fc.constant("used"),
      operator: fc.constantFrom("equal", "notEqual"),
      value: fc.boolean(),
    }),
    fc.record({
      fact: fc.constant("order"),
      path: fc.constant("shippingFeeFen"),
      operator: fc.constantFrom(
        "equal",
        "notEqual",
        "lessThan",
        "lessThanInclusive",
        "greaterThan",
        "greaterThanInclusive",
      ),
      value: fc.constantFrom(...fees),
    }),
    fc.record({
      fact: fc.constant("elapsed"),
      path: fc.constant("sinceDelivered"),
      operator: fc.constantFrom("withinDuration", "beyondDuration"),
      value: fc.constantFrom(...days),
    }),
  );
  const numeric = [
    "equal",
    "notEqual",
    "lessThan",
    "lessThanInclusive",
    "greaterThan",
    "greaterThanInclusive",
  ] as const;
  /** The fee and the requested amount, compared with constants and with each other. */
  const amountLeafArb: fc.Arbitrary<Condition> = fc.oneof(
    fc.record({
      fact: fc.constant("order"),
      path: fc.constant("shippingFeeFen"),
      operator: fc.constantFrom(...numeric),
      value: fc.constantFrom(...fees),
    }),
    fc.record({
      fact: fc.constant("refund"),
      path: fc.constant("requestedFen"),
      operator: fc.constantFrom(...numeric),
      value: fc.constantFrom(...fees),
    }),
    fc
      .record({
        fact: fc.constantFrom("order", "refund"),
        operator: fc.constantFrom(...numeric),
      })
      .map(({ fact, operator }) =>
        fact === "order"
          ? { fact, path: "shippingFeeFen", operator, value: { fact: "refund", path: "requestedFen" } }
          : { fact, path: "requestedFen", operator, value: { fact: "order", path: "shippingFeeFen" } },
      ),
    fc.record({
      fact: fc.constant("claim"),
      path: fc.constant("used"),
      operator: fc.constant("equal"),
      value: fc.boolean(),
    }),
  );
  const conditionOf = (leaf: fc.Arbitrary<Condition>): fc.Arbitrary<Condition> =>
    fc.oneof(
      { weight: 3, arbitrary: leaf },
      { weight: 1, arbitrary: leaf.map((c) => ({ not: c })) },
      { weight: 1, arbitrary: fc.array(leaf, { minLength: 1, maxLength: 3 }).map((any) => ({ any })) },
    );
  const paramsArb = fc
    .record(
      {
        returnShippingPayer: fc.constantFrom("seller", "buyer"),
        outboundShippingPayer: fc.constantFrom("seller", "buyer"),
      },
      { requiredKeys: [] },
    )
    .filter((p) => Object.keys(p).length > 0);
  const ruleSetOf = (conditionArb: fc.Arbitrary<Condition>) =>
    fc.record({
      rules: fc.array(
        fc.record({
          conditions: fc.array(conditionArb, { minLength: 1, maxLength: 3 }),
          priority: fc.integer({ min: 1, max: 3 }),
          params: paramsArb,
        }),
        { minLength: 1, maxLength: 6 },
      ),
      decided: fc.boolean(),
      invariant: fc.option(fc.record({ condition: conditionArb, expect: fc.constantFrom("seller", "buyer") }), {
        nil: undefined,
      }),
    });

  it.each([
    ["an enum, a boolean, a money amount and a duration", conditionOf(leafArb), everyCase, 100],
    [
      "two money amounts compared with each other, one of them optional",
      conditionOf(amountLeafArb),
      everyAmountCase,
      200,
    ],
  ] as const)(
    "on random small rule sets over %s, the analysis finds exactly what enumerating every case finds",
    (_, conditionArb, cases, numRuns) => {
      fc.assert(
        fc.property(ruleSetOf(conditionArb), (generated) => {
          const def = definition("shipping-fee", {
            defaults: {
              returnShippingPayer: "buyer",
              outboundShippingPayer: "buyer",
              freightCollectAllowed: false,
              replacementShippingPayer: "buyer",
            },
            rules: generated.rules.map((r, i) => rule(`rule-${i}`, r.priority, { all: r.conditions }, r.params)),
            ...(generated.decided ? { decidedByRules: ["returnShippingPayer"] } : {}),
            ...(generated.invariant
              ? {
                  invariants: [
                    {
                      name: "the-invariant",
                      conditions: { all: [generated.invariant.condition] },
                      expect: { returnShippingPayer: generated.invariant.expect },
                    },
                  ],
                }
              : {}),
          });
          const answer = analyseDefinition("shipping-fee", def, { nowMs: NOW });
          expect(answer.complete).toBe(true);
          expect(summarise(answer.findings)).toEqual(bruteForce(def, generated.invariant, cases));
          // every example shows its finding: checked by the analysis with the Decider; here, at least, a valid case
          for (const finding of answer.findings) if (finding.example) CaseFacts.parse(finding.example);
        }),
        { numRuns, seed: 13 },
      );
    },
  );

  const key = (kind: string, rule = "", rules: string[] = [], field = "", invariant = "") =>
    [kind, rule, rules.join("+"), field, invariant].join(" ");
  const summarise = (findings: readonly AnalysisFinding[]) =>
    findings.map((f) => key(f.kind, f.rule, f.kind === "conflict" ? f.rules : [], f.field, f.invariant)).sort();

  function bruteForce(
    def: RuleSetDefinition,
    invariant: { condition: Condition; expect: string } | undefined,
    cases: readonly unknown[],
  ): string[] {
    const decider = new Decider("shipping-fee", 0, def);
    const invariantDecider = invariant
      ? new Decider(
          "shipping-fee",
          0,
          RuleSetDefinition.parse({
            defaults: def.defaults,
            rules: [rule("inv", 1, { all: [invariant.condition] }, { freightCollectAllowed: true })],
          }),
        )
      : undefined;
    const fired = new Map<string, number>();
    const fieldTakenEveryTime = new Map<string, Set<string>>();
    const together = new Set<string>();
    let gap = false;
    let broken = false;
    for (const input of cases) {
      const facts = CaseFacts.parse(input);
      const decided = decider.decide(facts, { trace: true, nowMs: NOW, periods: TEST_PERIODS });
      for (const entry of decided.trace!) {
        if (!entry.fired) continue;
        const fields = Object.keys(def.rules.find((r) => r.name === entry.rule)!.event.params);
        const taken = new Set(fields.filter((f) => entry.takenBy?.[f] !== undefined));
        const before = fieldTakenEveryTime.get(entry.rule);
        fieldTakenEveryTime.set(entry.rule, before ? new Set([...before].filter((f) => taken.has(f))) : taken);
        fired.set(entry.rule, (fired.get(entry.rule) ?? 0) + 1);
      }
      for (const a of decided.firedRules) for (const b of decided.firedRules) if (a < b) together.add(`${a}+${b}`);
      if (decided.provenance!.returnShippingPayer === "default") gap = true;
      if (
        invariantDecider &&
        invariantDecider.decide(facts, { trace: false, nowMs: NOW, periods: TEST_PERIODS }).firedRules.length > 0 &&
        decided.decision.returnShippingPayer !== invariant!.expect
      )
        broken = true;
    }
    const found: string[] = [];
    const ordered = def.rules.map((r, i) => ({ r, i })).sort((a, b) => b.r.priority - a.r.priority || a.i - b.i);
    for (const { r } of ordered) {
      if (!fired.has(r.name)) {
        found.push(key("never_applies", r.name));
        continue;
      }
      const fields = Object.keys(r.event.params);
      const always = fieldTakenEveryTime.get(r.name)!;
      if (always.size === fields.length) found.push(key("overridden", r.name));
      else for (const field of always) found.push(key("overridden", r.name, [], field));
    }
    for (let i = 0; i < ordered.length; i++)
      for (let j = i + 1; j < ordered.length && ordered[j]!.r.priority === ordered[i]!.r.priority; j++) {
        const [a, b] = [ordered[i]!.r, ordered[j]!.r];
        const field = Object.keys(a.event.params).find(
          (f) => Object.hasOwn(b.event.params, f) && a.event.params[f] !== b.event.params[f],
        );
        const pair = [a.name, b.name].sort().join("+");
        if (field !== undefined && together.has(pair)) found.push(key("conflict", "", [a.name, b.name], field));
      }
    if (def.decidedByRules && gap) found.push(key("gap", "", [], "returnShippingPayer"));
    if (broken) found.push(key("invariant_broken", "", [], "returnShippingPayer", "the-invariant"));
    return found.sort();
  }
});

describe("counted durations", () => {
  const calendar7 = { duration: "P7D", counting: "calendar_days" };
  const counted = (extra: Condition[]) => ({
    all: [leaf("refund", "reason", "equal", "no_reason_7d"), ...extra],
  });

  it("never calls a rule contradictory that a case can fire, and finds what the period's bounds rule out", () => {
    const base = shipped("shipping-fee");
    const def = definition("shipping-fee", {
      ...base,
      rules: [
        // within seven calendar days yet more than 7 × 24 h: the afternoon of the seventh day, a real case
        rule(
          "late-on-the-seventh-day",
          5000,
          counted([
            leaf("elapsed", "sinceDelivered", "withinDuration", calendar7),
            leaf("elapsed", "sinceDelivered", "beyondDuration", "P7D"),
          ]),
          { freightCollectAllowed: true },
        ),
        // within seven calendar days and more than 400 days: no start and no calendar makes that
        rule(
          "within-and-a-year-later",
          5000,
          counted([
            leaf("elapsed", "sinceDelivered", "withinDuration", calendar7),
            leaf("elapsed", "sinceDelivered", "beyondDuration", "P400D"),
          ]),
          { freightCollectAllowed: true },
        ),
        ...base.rules,
      ],
    });
    const answer = analyseDefinition("shipping-fee", def, {
      nowMs: NOW,
      checks: ["never_applies"],
      periods: { zone: TEST_PERIODS.zone, years: [] },
    });
    const never = answer.findings.filter((f) => f.kind === "never_applies").map((f) => f.rule);
    expect(never).toEqual(["within-and-a-year-later"]);
    expect(answer.findings[0]).toMatchObject({ reason: "contradictory" });
  });

  it("keeps a counted within and beyond of one period from both holding", () => {
    const base = shipped("shipping-fee");
    const def = definition("shipping-fee", {
      ...base,
      rules: [
        rule(
          "within-and-beyond",
          5000,
          counted([
            leaf("elapsed", "sinceDelivered", "withinDuration", calendar7),
            leaf("elapsed", "sinceDelivered", "beyondDuration", { ...calendar7 }),
          ]),
          { freightCollectAllowed: true },
        ),
        ...base.rules,
      ],
    });
    const answer = analyseDefinition("shipping-fee", def, { nowMs: NOW, checks: ["never_applies"] });
    expect(answer.findings.map((f) => [f.kind, f.rule])).toEqual([["never_applies", "within-and-beyond"]]);
  });
});
