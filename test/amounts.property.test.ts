import fc from "fast-check";
import Fraction from "fraction.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveAmounts } from "../server/engine/amounts.ts";
import {
  CaseFacts,
  MAX_FEN,
  MAX_ORDER_FEN,
  orderStatuses,
  refundReasons,
  type CaseFactsInput,
} from "../shared/case-facts.ts";
import { EligibilityDecision, formulas } from "../shared/outputs.ts";
import { NOW } from "./helpers/fixtures.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

/**
 * S9–S11 as properties. The expected amounts come from an independent reference written from
 * docs/domain.md in exact rational arithmetic (fraction.js), never from the product's BigInt code:
 * per refunded line the seed's formula, floored to the fen and clamped at 0, the lines summed,
 * then capped by what was paid less what was already refunded.
 */

type Formula = (typeof formulas)[number];
type OrderStatus = (typeof orderStatuses)[number];
type Item = { id: string; priceFen: number; quantity: number };
type Promotion = { kind: "shop_coupon" | "threshold_discount"; amountFen: number };

/** The money side of a case: what the reference needs. */
type Scenario = {
  status: OrderStatus;
  items: Item[];
  shippingFeeFen: number;
  promotions: Promotion[];
  /** Absent: the service derives it as original price − discounts (clamped at 0). */
  paidFen: number | undefined;
  refundedFen: number;
  /** Absent: the whole order. */
  refundItems: { id: string; quantity: number }[] | undefined;
};

// ── the reference ───────────────────────────────────────────────────────────────────────────────

const ZERO = new Fraction(0);
const atLeastZero = (x: Fraction) => (x.lt(0) ? ZERO : x);
const atMost = (x: Fraction, cap: Fraction) => (x.gt(cap) ? cap : x);

/** A whole number of fen as a JS number; the reference never produces anything else. */
function fen(x: Fraction): number {
  if (x.d !== 1n) throw new Error(`not a whole number of fen: ${x.toFraction()}`);
  const value = Number(x.s * x.n);
  if (!Number.isSafeInteger(value)) throw new Error(`not a safe integer: ${x.toString()}`);
  return value;
}

type Reference = {
  capFen: number;
  itemsFen: number;
  full_price: number;
  coupon_prorata: number;
  threshold_prorata: number;
  mixed_prorata: number;
};

/** docs/domain.md "How much can be refunded", clause by clause, in rationals. */
function reference(s: Scenario): Reference {
  const goods = s.items.reduce((sum, item) => sum.add(new Fraction(item.priceFen).mul(item.quantity)), ZERO);
  const shipping = new Fraction(s.shippingFeeFen);
  const original = goods.add(shipping); // 订单原价: goods plus the shipping fee charged
  const discount = (kind: Promotion["kind"]) =>
    s.promotions.filter((p) => p.kind === kind).reduce((sum, p) => sum.add(p.amountFen), ZERO);
  const coupon = discount("shop_coupon");
  const threshold = discount("threshold_discount");
  // S11: never more than what the buyer paid less what was already refunded
  const paid = s.paidFen === undefined ? atLeastZero(original.sub(coupon).sub(threshold)) : new Fraction(s.paidFen);
  const cap = atLeastZero(paid.sub(s.refundedFen));

  const byId = new Map(s.items.map((item) => [item.id, item]));
  const lines = (s.refundItems ?? s.items).map((wanted) =>
    new Fraction(byId.get(wanted.id)!.priceFen).mul(wanted.quantity),
  );
  const perLine = (formula: (item: Fraction) => Fraction) =>
    lines.reduce((sum, item) => sum.add(atLeastZero(formula(item).floor())), ZERO);
  // A zero denominator means every price is 0, so every refunded line is 0 as well.
  const prorated = (item: Fraction, amount: Fraction, base: Fraction) =>
    base.equals(0) ? item : item.sub(amount.mul(item).div(base));

  const items = lines.reduce((sum, item) => sum.add(item), ZERO);
  return {
    capFen: fen(cap),
    itemsFen: fen(items),
    // a whole-order refund gives back everything paid; named items at their price
    full_price: fen(s.refundItems === undefined ? cap : atMost(items, cap)),
    // S9: item − coupon × item / original price
    coupon_prorata: fen(
      atMost(
        perLine((item) => prorated(item, coupon, original)),
        cap,
      ),
    ),
    // S10: item − discount × item / (original price − shipping)
    threshold_prorata: fen(
      atMost(
        perLine((item) => prorated(item, threshold, original.sub(shipping))),
        cap,
      ),
    ),
    // S10 note (default): every discount over the goods subtotal, for manual review
    mixed_prorata: fen(
      atMost(
        perLine((item) => prorated(item, coupon.add(threshold), goods)),
        cap,
      ),
    ),
  };
}

/** Which formula the shipped rules must choose (rules/refund-eligibility.json, docs/domain.md S9–S11). */
function expectedFormula(s: Scenario): Formula {
  if (s.refundItems === undefined && s.status === "paid") return "full_price";
  const kinds = new Set(s.promotions.map((p) => p.kind));
  if (kinds.has("shop_coupon") && kinds.has("threshold_discount")) return "mixed_prorata";
  if (kinds.has("shop_coupon")) return "coupon_prorata";
  if (kinds.has("threshold_discount")) return "threshold_prorata";
  return "full_price";
}

// ── generators ──────────────────────────────────────────────────────────────────────────────────

type Ranges = { maxPrice: number; maxQuantity: number; maxShipping: number };
const everyday: Ranges = { maxPrice: 10_000_000, maxQuantity: 5, maxShipping: 2000 };

function itemsArb(r: Ranges) {
  const price = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: r.maxPrice }));
  return fc
    .array(fc.record({ priceFen: price, quantity: fc.integer({ min: 1, max: r.maxQuantity }) }), {
      minLength: 1,
      maxLength: 6,
    })
    .map((items) => items.map((item, i): Item => ({ id: "ABCDEF"[i]!, ...item })));
}

/** Amounts that may be 0, small, about the goods, or well beyond the whole order. */
function discountArb(goods: number, original: number) {
  return fc.oneof(
    fc.constant(0),
    fc.integer({ min: 1, max: 1000 }),
    fc.integer({ min: 0, max: Math.min(Math.max(goods, 1), MAX_FEN) }),
    fc.integer({ min: 0, max: Math.min(2 * original + 10, MAX_FEN) }),
  );
}

function scenarioArb(r: Ranges = everyday): fc.Arbitrary<Scenario> {
  return fc
    .record({
      status: fc.constantFrom(...orderStatuses),
      items: itemsArb(r),
      shippingFeeFen: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: r.maxShipping })),
    })
    .chain(({ status, items, shippingFeeFen }) => {
      const goods = items.reduce((sum, item) => sum + item.priceFen * item.quantity, 0);
      const original = goods + shippingFeeFen;
      const promotions = fc.array(
        fc.record({
          kind: fc.constantFrom("shop_coupon" as const, "threshold_discount" as const),
          amountFen: discountArb(goods, original),
        }),
        { maxLength: 3 },
      );
      const partial = fc
        .tuple(
          ...items.map((item) => fc.option(fc.integer({ min: 1, max: item.quantity }), { nil: undefined })),
          fc.boolean(),
        )
        .map((choice) => {
          const reversed = choice.pop() as boolean;
          const picked = items.flatMap((item, i) =>
            choice[i] === undefined ? [] : [{ id: item.id, quantity: choice[i] as number }],
          );
          return reversed ? picked.reverse() : picked;
        });
      return fc
        .record({ promotions, refundItems: fc.oneof(fc.constant(undefined), partial, partial) })
        .chain(({ promotions, refundItems }) => {
          const discounts = promotions.reduce((sum, p) => sum + p.amountFen, 0);
          const realistic = Math.min(Math.max(original - discounts, 0), MAX_FEN);
          const paidArb = fc.oneof(
            fc.constant(undefined),
            fc.constant(realistic),
            fc.integer({ min: 0, max: Math.min(original, MAX_FEN) }),
          );
          return paidArb.chain((paidFen) => {
            const paid = paidFen ?? realistic;
            const refunded = fc.oneof(fc.constant(0), fc.constant(paid), fc.integer({ min: 0, max: paid }));
            return refunded.map(
              (refundedFen): Scenario => ({
                status,
                items,
                shippingFeeFen,
                promotions,
                paidFen,
                refundedFen,
                refundItems,
              }),
            );
          });
        });
    });
}

/** Everything else about the case, which must not change the amount. */
const contextArb = fc.record({
  reason: fc.constantFrom(...refundReasons),
  returnGoods: fc.boolean(),
  goodsReceived: fc.boolean(),
  claimUsed: fc.boolean(),
  daysAgo: fc.integer({ min: 0, max: 40 }),
  requested: fc.option(fc.integer({ min: 0, max: 2 * 10_000_000 * 5 * 6 }), { nil: undefined }),
});
type Context = typeof contextArb extends fc.Arbitrary<infer T> ? T : never;

function caseOf(s: Scenario, c?: Context): CaseFactsInput {
  const at = new Date(Date.parse(NOW) - (c?.daysAgo ?? 2) * 86_400_000).toISOString();
  return {
    now: NOW,
    order: {
      status: s.status,
      items: s.items,
      shippingFeeFen: s.shippingFeeFen,
      promotions: s.promotions,
      ...(s.paidFen === undefined ? {} : { paidFen: s.paidFen }),
      refundedFen: s.refundedFen,
      ...(s.status === "paid" ? {} : { shippedAt: at }),
      ...(s.status === "delivered" || s.status === "completed" ? { deliveredAt: at } : {}),
      ...(s.status === "completed" ? { completedAt: at } : {}),
    },
    refund: {
      ...(s.refundItems === undefined ? {} : { items: s.refundItems }),
      reason: c?.reason ?? "other",
      returnGoods: c?.returnGoods ?? false,
      goodsReceived: c?.goodsReceived ?? false,
      ...(c?.requested === undefined ? {} : { requestedFen: c.requested }),
    },
    claim: { used: c?.claimUsed ?? false },
  };
}

const describeScenario = (s: Scenario) => JSON.stringify(caseOf(s));

// ── the reference itself, on the seed's worked examples ─────────────────────────────────────────

describe("the reference", () => {
  it("reproduces the seed's S9 example: 100-yuan order, 20-yuan coupon, the 30-yuan item refunds 24 yuan", () => {
    const s: Scenario = {
      status: "completed",
      items: [
        { id: "A", priceFen: 3000, quantity: 1 },
        { id: "B", priceFen: 7000, quantity: 1 },
      ],
      shippingFeeFen: 0,
      promotions: [{ kind: "shop_coupon", amountFen: 2000 }],
      paidFen: 8000,
      refundedFen: 0,
      refundItems: [{ id: "A", quantity: 1 }],
    };
    expect(reference(s).coupon_prorata).toBe(2400);
    expect(expectedFormula(s)).toBe("coupon_prorata");
  });

  it("reproduces the seed's S10 example: spend 300 get 100 off, the 200-yuan item refunds 160 yuan", () => {
    const s: Scenario = {
      status: "delivered",
      items: [
        { id: "A", priceFen: 20_000, quantity: 1 },
        { id: "B", priceFen: 30_000, quantity: 1 },
      ],
      shippingFeeFen: 1000,
      promotions: [{ kind: "threshold_discount", amountFen: 10_000 }],
      paidFen: 41_000,
      refundedFen: 0,
      refundItems: [{ id: "A", quantity: 1 }],
    };
    expect(reference(s).threshold_prorata).toBe(16_000);
    expect(expectedFormula(s)).toBe("threshold_prorata");
  });

  it("rounds each line down to the fen before summing: 3 lines of 1 fen with a third off refund 0", () => {
    const s: Scenario = {
      status: "delivered",
      items: [
        { id: "A", priceFen: 1, quantity: 1 },
        { id: "B", priceFen: 1, quantity: 1 },
        { id: "C", priceFen: 1, quantity: 1 },
      ],
      shippingFeeFen: 0,
      promotions: [{ kind: "shop_coupon", amountFen: 1 }],
      paidFen: 2,
      refundedFen: 0,
      refundItems: [
        { id: "A", quantity: 1 },
        { id: "B", quantity: 1 },
        { id: "C", quantity: 1 },
      ],
    };
    // each line: 1 − 1 × 1/3 = 2/3 → 0 fen; a sum-then-floor reading would give 2
    expect(reference(s).coupon_prorata).toBe(0);
    expect(deriveAmounts(CaseFacts.parse(caseOf(s))).couponProrataFen).toBe(0);
  });
});

// ── directly on deriveAmounts, many runs ────────────────────────────────────────────────────────

/** The product's amounts for a scenario, checked against the reference and the invariants. */
function checkDerived(s: Scenario) {
  const facts = CaseFacts.parse(caseOf(s));
  const amounts = deriveAmounts(facts);
  const ref = reference(s);
  expect(
    {
      capFen: amounts.capFen,
      itemsFen: amounts.itemsFen,
      full_price: amounts.fullPriceFen,
      coupon_prorata: amounts.couponProrataFen,
      threshold_prorata: amounts.thresholdProrataFen,
      mixed_prorata: amounts.mixedProrataFen,
    },
    describeScenario(s),
  ).toEqual(ref);
  for (const formula of formulas) {
    const amount = ref[formula];
    expect(Number.isSafeInteger(amount) && amount >= 0).toBe(true);
    expect(amount).toBeLessThanOrEqual(ref.capFen);
    if (formula === "full_price" && s.refundItems === undefined) expect(amount).toBe(ref.capFen);
    else expect(amount).toBeLessThanOrEqual(ref.itemsFen);
  }
}

describe("deriveAmounts", () => {
  it("agrees with the rational reference for every formula (5000 random orders)", () => {
    fc.assert(fc.property(scenarioArb(), checkDerived), { numRuns: 5000 });
  });

  it("agrees with the reference at the schema's extremes (prices to 10^12 fen, quantities to 10^5)", () => {
    const extreme: Ranges = { maxPrice: MAX_FEN, maxQuantity: 100_000, maxShipping: MAX_FEN };
    const withinSchema = scenarioArb(extreme).filter(
      (s) => s.items.reduce((sum, item) => sum + item.priceFen * item.quantity, s.shippingFeeFen) <= MAX_ORDER_FEN,
    );
    fc.assert(fc.property(withinSchema, checkDerived), { numRuns: 1000 });
  });
});

// ── through the real HTTP API ───────────────────────────────────────────────────────────────────

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

async function decideAmount(s: Scenario, c?: Context) {
  const res = await app.decide("refund-eligibility", caseOf(s, c));
  expect(res.status, `${res.status} ${JSON.stringify(res.body)} for ${describeScenario(s)}`).toBe(200);
  return EligibilityDecision.parse(res.body.decision);
}

describe("POST /api/v1/decisions/refund-eligibility", () => {
  it("chooses the formula the rules name and refunds exactly the reference amount (200 random cases)", async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb(), contextArb, async (s, c) => {
        const decision = await decideAmount(s, c);
        const formula = expectedFormula(s);
        const label = `${describeScenario(s)} → ${JSON.stringify(decision)}`;
        expect(decision.formula, label).toBe(formula);
        expect(decision.maxRefundableFen, label).toBe(reference(s)[formula]);
        const kinds = new Set(s.promotions.map((p) => p.kind)).size;
        if (formula === "mixed_prorata") expect(decision.manualReview, label).toBe(true);
        if (kinds < 2) expect(decision.manualReview, label).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it("never refunds more than paid − refunded, nor more than the refunded items' price (200 random cases)", async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb(), contextArb, async (s, c) => {
        const decision = await decideAmount(s, c);
        const label = `${describeScenario(s)} → ${JSON.stringify(decision)}`;
        const goods = s.items.reduce((sum, item) => sum + item.priceFen * item.quantity, 0);
        const discounts = s.promotions.reduce((sum, p) => sum + p.amountFen, 0);
        const paid = s.paidFen ?? Math.max(goods + s.shippingFeeFen - discounts, 0);
        const cap = Math.max(paid - s.refundedFen, 0);
        const byId = new Map(s.items.map((item) => [item.id, item]));
        const itemsPrice = (s.refundItems ?? s.items).reduce(
          (sum, r) => sum + byId.get(r.id)!.priceFen * r.quantity,
          0,
        );

        expect(Number.isSafeInteger(decision.maxRefundableFen) && decision.maxRefundableFen >= 0, label).toBe(true);
        expect(decision.maxRefundableFen, label).toBeLessThanOrEqual(cap);
        if (s.refundItems === undefined && decision.formula === "full_price")
          expect(decision.maxRefundableFen, label).toBe(cap);
        else expect(decision.maxRefundableFen, label).toBeLessThanOrEqual(itemsPrice);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses a requested amount above the maximum with AMOUNT_EXCEEDS_MAX (100 random cases)", async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb(), contextArb, fc.integer({ min: 1, max: 1000 }), async (s, c, over) => {
        const expected = reference(s)[expectedFormula(s)];
        const decision = await decideAmount(s, { ...c, requested: expected + over });
        expect(decision.eligible).toBe(false);
        expect(decision.reasons.map((r) => r.code)).toContain("AMOUNT_EXCEEDS_MAX");
        const atMax = await decideAmount(s, { ...c, requested: expected });
        expect(atMax.reasons.map((r) => r.code)).not.toContain("AMOUNT_EXCEEDS_MAX");
      }),
      { numRuns: 100 },
    );
  });
});
