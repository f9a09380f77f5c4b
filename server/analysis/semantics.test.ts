import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CaseFacts, MAX_FEN } from "../../shared/case-facts.ts";
import { findFactByKey } from "../../shared/fact-catalog.ts";
import { formulas } from "../../shared/kinds/refund-eligibility.ts";
import { refundEligibility } from "../../shared/kinds/refund-eligibility.ts";
import { shippingFee } from "../../shared/kinds/shipping-fee.ts";
import { deriveFacts } from "../engine/derive-facts.ts";
import { compileRead } from "../engine/tables.ts";
import { compare } from "./cells.ts";
import type { Cell } from "./cells.ts";
import { amountGuarantees, cellsAgree, kindSemantics, relatedFacts } from "./semantics.ts";

const NOW = Date.parse("2026-12-07T00:00:00Z");
const money = fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: MAX_FEN }));

/** Orders of a few items, any discounts, partial or whole refunds, with or without what was paid. */
const caseArb = fc
  .record({
    items: fc.array(fc.record({ priceFen: money, quantity: fc.integer({ min: 1, max: 3 }), seven: fc.boolean() }), {
      minLength: 1,
      maxLength: 3,
    }),
    shippingFeeFen: money,
    coupon: fc.option(money, { nil: undefined }),
    threshold: fc.option(money, { nil: undefined }),
    paidFen: fc.option(money, { nil: undefined }),
    refundedFen: money,
    partial: fc.boolean(),
    requestedFen: fc.option(money, { nil: undefined }),
  })
  .map((c) =>
    CaseFacts.parse({
      order: {
        status: "delivered",
        shippingFeeFen: c.shippingFeeFen,
        items: c.items.map((item, i) => ({
          id: `i${i}`,
          priceFen: item.priceFen,
          quantity: item.quantity,
          sevenDayReturn: item.seven,
        })),
        promotions: [
          ...(c.coupon === undefined ? [] : [{ kind: "shop_coupon", amountFen: c.coupon }]),
          ...(c.threshold === undefined ? [] : [{ kind: "threshold_discount", amountFen: c.threshold }]),
        ],
        ...(c.paidFen === undefined ? {} : { paidFen: c.paidFen }),
        refundedFen: c.refundedFen,
      },
      refund: {
        ...(c.partial ? { items: [{ id: "i0", quantity: 1 }] } : {}),
        ...(c.requestedFen === undefined ? {} : { requestedFen: c.requestedFen }),
      },
    }),
  );

const read = (facts: object, key: string) => {
  const entry = findFactByKey(key)!;
  return compileRead(entry.fact, entry.path)(facts as Record<string, unknown>) as number;
};

describe("what the analysis assumes of the engine", () => {
  it("every guaranteed relation between derived amounts holds for every case", () => {
    fc.assert(
      fc.property(caseArb, (facts) => {
        const derived = deriveFacts(facts, NOW);
        for (const [x, y] of amountGuarantees) {
          // a guarantee on what was paid holds when the case says it
          if (read(derived, y) === undefined) continue;
          expect(read(derived, x)).toBeLessThanOrEqual(read(derived, y));
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it("the cells of every real case agree: the relations between derived facts never rule out a case that exists", () => {
    const related = [...relatedFacts];
    fc.assert(
      fc.property(caseArb, fc.subarray(related), (facts, kept) => {
        const derived = deriveFacts(facts, NOW);
        const cells = new Map<string, Cell>();
        for (const key of kept) {
          const value = read(derived, key) as unknown;
          if (value === undefined) cells.set(key, { is: "absent" });
          else if (typeof value === "number") cells.set(key, { is: "range", lo: value, hi: value });
          else cells.set(key, { is: "value", value: value as boolean });
        }
        for (const key of kept) expect(cellsAgree(key, cells)).toBe(true);
      }),
      { numRuns: 6_000 },
    );
  });

  it("refund-eligibility's maxRefundableFen is the formula's amount, and eligible turns false only above it", () => {
    const { computedAs, adjusted } = kindSemantics["refund-eligibility"];
    fc.assert(
      fc.property(caseArb, fc.constantFrom(...formulas), fc.boolean(), (facts, formula, eligible) => {
        const derived = deriveFacts(facts, NOW);
        const folded = {
          eligible,
          channel: "refund_only",
          requiresReturn: false,
          formula,
          manualReview: false,
          reasons: [],
        };
        const decision = refundEligibility.complete(folded, facts, derived);
        const amountFact = computedAs.maxRefundableFen!.facts[formula]!;
        expect(decision.maxRefundableFen).toBe(read(derived, amountFact));
        const rule = adjusted.eligible!;
        const happens = compare(rule.operator, read(derived, rule.fact), read(derived, rule.facts[formula]!));
        expect(decision.eligible).toBe(happens ? rule.to : eligible);
      }),
      { numRuns: 2_000 },
    );
  });

  it("shipping-fee answers replacementShippingPayer exactly when its fact holds, with the folded value", () => {
    const present = kindSemantics["shipping-fee"].presentWhen!.replacementShippingPayer!;
    fc.assert(
      fc.property(caseArb, fc.boolean(), fc.constantFrom("seller", "buyer"), (facts, exchange, payer) => {
        const withExchange = { ...facts, refund: { ...facts.refund, exchange } };
        const derived = deriveFacts(withExchange, NOW);
        const folded = {
          returnShippingPayer: "buyer",
          outboundShippingPayer: "seller",
          freightCollectAllowed: false,
          replacementShippingPayer: payer,
        };
        const decision = shippingFee.complete(folded, withExchange);
        const holds = compare("equal", read(derived, present.fact), present.value);
        expect(decision.replacementShippingPayer).toBe(holds ? payer : undefined);
        expect(Object.hasOwn(decision, "replacementShippingPayer")).toBe(holds);
      }),
      { numRuns: 500 },
    );
  });
});
