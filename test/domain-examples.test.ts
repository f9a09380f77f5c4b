/**
 * The worked examples and the policy's table rows of docs/domain.md (S1–S18), decided through the HTTP API
 * (POST /api/v1/decisions/{ruleSet}) against the default rules, each decision checked against the
 * shared output schema. Tests assert the policy as docs/domain.md states it: a change of the default
 * rules that breaks one changes that document too.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseFactsInput } from "../shared/case-facts.ts";
import { EligibilityDecision, ShippingDecision, TimeoutsDecision, type Timer } from "../shared/outputs.ts";
import { aCase, NOW } from "./helpers/fixtures.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

/** Decides one case with `ruleSet` over HTTP and returns the response body after checking the envelope. */
async function decide(ruleSet: string, facts: CaseFactsInput) {
  const res = await app.decide(ruleSet, facts);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.ruleSet).toBe(ruleSet);
  return res.body;
}

async function eligibility(facts: CaseFactsInput) {
  return EligibilityDecision.parse((await decide("refund-eligibility", facts)).decision);
}

async function shippingFee(facts: CaseFactsInput) {
  return ShippingDecision.parse((await decide("shipping-fee", facts)).decision);
}

async function timeouts(facts: CaseFactsInput) {
  return TimeoutsDecision.parse((await decide("timeouts", facts)).decision);
}

const codes = (decision: { reasons: { code: string }[] }) => decision.reasons.map((r) => r.code);
/** Table rows named by their clause: vitest prints a `%s` title in full, where `$clause` would be cut at 40 characters. */
const byClause = <T extends { clause: string }>(rows: readonly T[]) =>
  rows.map((row): [string, T] => [row.clause, row]);
const byKey = (timers: readonly Timer[]) => [...timers].sort((a, b) => a.key.localeCompare(b.key));

type Order = NonNullable<Parameters<typeof aCase>[0]>["order"];
type Refund = NonNullable<Parameters<typeof aCase>[0]>["refund"];

// ── Where a refund can be asked for (S1, S17, S18) ──────────────────────────────────────────────

describe("Where a refund can be asked for (S1, S17, S18)", () => {
  const notShipped: Order = { status: "paid", deliveredAt: undefined };
  const inTransit: Order = { status: "shipped", shippedAt: "2026-11-18T10:00:00+08:00", deliveredAt: undefined };
  const completed = (completedAt: string): Order => ({ status: "completed", completedAt });

  it.each(
    byClause([
      {
        clause: "S1 paid, not shipped: refund only, no return needed",
        order: notShipped,
        refund: { goodsReceived: false, returnGoods: false },
        expected: { eligible: true, channel: "refund_only", requiresReturn: false },
      },
      {
        clause: "S1 shipped, goods not received: refund only",
        order: inTransit,
        refund: { goodsReceived: false, returnGoods: false, reason: "not_received" },
        expected: { eligible: true, channel: "refund_only", requiresReturn: false },
      },
      {
        clause: "S1 delivered, goods received, buyer returns them: return and refund",
        order: { status: "delivered" },
        refund: { goodsReceived: true, returnGoods: true },
        expected: { eligible: true, channel: "return_and_refund", requiresReturn: true },
      },
      {
        clause: "S1 delivered, goods received, no return: refund only (partial by agreement)",
        order: { status: "delivered" },
        refund: { goodsReceived: true, returnGoods: false },
        expected: { eligible: true, channel: "refund_only", requiresReturn: false },
      },
      {
        clause: "S17 completed, within P15D of completion: after-sales claim, no direct refund",
        order: completed("2026-11-10T10:00:00+08:00"),
        refund: {},
        expected: { eligible: true, channel: "after_sales_claim" },
        reason: "TRANSACTION_COMPLETED",
      },
      {
        clause: "S18 completed, claim already used: not eligible",
        order: completed("2026-11-10T10:00:00+08:00"),
        refund: {},
        claim: { used: true },
        expected: { eligible: false, channel: "none" },
        reason: "CLAIM_ALREADY_USED",
      },
      {
        clause: "S17 completed, more than P15D after completion: message review",
        order: completed("2026-11-01T10:00:00+08:00"),
        refund: {},
        expected: { eligible: false, channel: "message_review" },
        reason: "CLAIM_WINDOW_EXPIRED",
      },
      {
        clause: "S1 closed: not eligible",
        order: { status: "closed" },
        refund: {},
        expected: { eligible: false, channel: "none" },
        reason: "ORDER_CLOSED",
      },
    ] as {
      clause: string;
      order: Order;
      refund: Refund;
      claim?: { used: boolean };
      expected: object;
      reason?: string;
    }[]),
  )("%s", async (_clause, { order, refund, claim, expected, reason }) => {
    const decision = await eligibility(aCase({ order, refund, ...(claim ? { claim } : {}) }));
    expect(decision).toMatchObject(expected);
    if (reason) expect(codes(decision)).toContain(reason);
  });

  describe("the claim window is elapsed time: now − completedAt ≤ 15 × 24 h", () => {
    it.each(
      byClause([
        {
          clause: "S17 exactly 15 × 24 h after completion: still within the claim window",
          completedAt: "2026-11-05T10:00:00.000+08:00",
          now: "2026-11-20T10:00:00.000+08:00",
          channel: "after_sales_claim",
        },
        {
          clause: "S17 15 × 24 h + 1 ms after completion: message review",
          completedAt: "2026-11-05T10:00:00.000+08:00",
          now: "2026-11-20T10:00:00.001+08:00",
          channel: "message_review",
        },
        {
          clause: "S17 exactly 15 × 24 h across offsets (completedAt in UTC, now in +08:00): within",
          completedAt: "2026-11-05T02:00:00.000Z",
          now: "2026-11-20T10:00:00.000+08:00",
          channel: "after_sales_claim",
        },
        {
          clause: "S17 15 × 24 h + 1 ms across offsets: message review",
          completedAt: "2026-11-05T02:00:00.000Z",
          now: "2026-11-20T10:00:00.001+08:00",
          channel: "message_review",
        },
        {
          clause: "S17 fifteen calendar days but less than 15 × 24 h elapsed: within (no calendar rounding)",
          completedAt: "2026-11-05T23:30:00.000+08:00",
          now: "2026-11-20T10:00:00.000+08:00",
          channel: "after_sales_claim",
        },
      ]),
    )("%s", async (_clause, { completedAt, now, channel }) => {
      const decision = await eligibility(aCase({ now, order: { status: "completed", completedAt } }));
      expect(decision.channel).toBe(channel);
      if (channel === "after_sales_claim") {
        expect(decision.eligible).toBe(true);
        expect(codes(decision)).not.toContain("CLAIM_WINDOW_EXPIRED");
      } else {
        expect(decision.eligible).toBe(false);
        expect(codes(decision)).toContain("CLAIM_WINDOW_EXPIRED");
      }
    });
  });
});

// ── Seven-day no-reason returns (S16) ───────────────────────────────────────────────────────────

describe("Seven-day no-reason returns (S16)", () => {
  const sevenDay: Refund = { reason: "no_reason_7d", goodsReceived: true, returnGoods: true };

  it.each(
    byClause([
      {
        clause: "S16 virtual goods do not support seven-day returns",
        order: { productType: "virtual" },
        refund: sevenDay,
      },
      {
        clause: "S16 an item flagged sevenDayReturn: false does not support them",
        order: { items: [{ id: "A", priceFen: 10_000, quantity: 1, sevenDayReturn: false }] },
        refund: sevenDay,
      },
      {
        clause: "S16 the refunded item is flagged sevenDayReturn: false (another item supports them)",
        order: {
          items: [
            { id: "A", priceFen: 6_000, quantity: 1, sevenDayReturn: true },
            { id: "B", priceFen: 4_000, quantity: 1, sevenDayReturn: false },
          ],
        },
        refund: { ...sevenDay, items: [{ id: "B", quantity: 1 }] },
      },
    ] as { clause: string; order: Order; refund: Refund }[]),
  )("%s: SEVEN_DAY_NOT_SUPPORTED", async (_clause, { order, refund }) => {
    const decision = await eligibility(aCase({ order, refund }));
    expect(decision.eligible).toBe(false);
    expect(codes(decision)).toContain("SEVEN_DAY_NOT_SUPPORTED");
  });

  it("S16 only the refunded items matter: returning a supporting item of an order with an unsupported one is allowed", async () => {
    const decision = await eligibility(
      aCase({
        order: {
          items: [
            { id: "A", priceFen: 6_000, quantity: 1, sevenDayReturn: true },
            { id: "B", priceFen: 4_000, quantity: 1, sevenDayReturn: false },
          ],
        },
        refund: { ...sevenDay, items: [{ id: "A", quantity: 1 }] },
      }),
    );
    expect(decision).toMatchObject({ eligible: true, channel: "return_and_refund", requiresReturn: true });
    expect(codes(decision)).not.toContain("SEVEN_DAY_NOT_SUPPORTED");
  });

  it.each(
    byClause([
      {
        // 暂行办法 Art. 10, 民法典 Art. 201: from the day after signing, to 24:00 of the seventh day (Friday 11-20)
        clause: "S16 seven calendar days from the day after delivery: allowed at 24:00 of the seventh day",
        deliveredAt: "2026-11-13T10:00:00.000+08:00",
        now: "2026-11-21T00:00:00.000+08:00",
        allowed: true,
      },
      {
        clause: "S16 one millisecond after 24:00 of the seventh day: SEVEN_DAY_WINDOW_EXPIRED",
        deliveredAt: "2026-11-13T10:00:00.000+08:00",
        now: "2026-11-21T00:00:00.001+08:00",
        allowed: false,
      },
      {
        clause:
          "S16 7 × 24 h + 1 ms after delivery is still the seventh day: allowed (calendar days, not elapsed time)",
        deliveredAt: "2026-11-13T10:00:00.000+08:00",
        now: "2026-11-20T10:00:00.001+08:00",
        allowed: true,
      },
      {
        clause: "S16 the days are Beijing's whatever the offset written (deliveredAt in UTC): allowed at 24:00",
        deliveredAt: "2026-11-13T02:00:00.000Z",
        now: "2026-11-20T16:00:00.000Z",
        allowed: true,
      },
      {
        // signed Saturday 11-07: the seventh day is Saturday 11-14, a rest day, so the window runs to Monday 11-16 24:00
        clause: "S16 a seventh day on a weekend moves to the Monday: allowed on the Monday",
        deliveredAt: "2026-11-07T10:00:00.000+08:00",
        now: "2026-11-16T23:00:00.000+08:00",
        allowed: true,
      },
      {
        clause: "S16 a seventh day moved to the Monday: SEVEN_DAY_WINDOW_EXPIRED on the Tuesday",
        deliveredAt: "2026-11-07T10:00:00.000+08:00",
        now: "2026-11-17T00:00:00.001+08:00",
        allowed: false,
      },
      {
        clause: "S16 eight days after delivery: SEVEN_DAY_WINDOW_EXPIRED",
        deliveredAt: "2026-11-12T10:00:00+08:00",
        now: NOW,
        allowed: false,
      },
    ]),
  )("%s", async (_clause, { deliveredAt, now, allowed }) => {
    const decision = await eligibility(aCase({ now, order: { status: "delivered", deliveredAt }, refund: sevenDay }));
    if (allowed) {
      expect(decision).toMatchObject({ eligible: true, channel: "return_and_refund", requiresReturn: true });
      expect(codes(decision)).not.toContain("SEVEN_DAY_WINDOW_EXPIRED");
    } else {
      expect(decision.eligible).toBe(false);
      expect(codes(decision)).toContain("SEVEN_DAY_WINDOW_EXPIRED");
    }
  });

  it("S16 the seven-day clock binds no-reason returns only: a quality return 8 days after delivery is still eligible", async () => {
    const decision = await eligibility(
      aCase({
        order: { deliveredAt: "2026-11-12T10:00:00+08:00" },
        refund: { reason: "quality_issue", goodsReceived: true, returnGoods: true },
      }),
    );
    expect(decision).toMatchObject({ eligible: true, channel: "return_and_refund", requiresReturn: true });
    expect(codes(decision)).not.toContain("SEVEN_DAY_WINDOW_EXPIRED");
  });
});

// ── How much can be refunded (S9, S10, S11) ─────────────────────────────────────────────────────

describe("How much can be refunded (S9, S10, S11)", () => {
  /** S9 seed example: order 100 yuan (A 30 + B 70), 20-yuan shop coupon, paid 80 yuan. */
  const s9Order: Order = {
    items: [
      { id: "A", priceFen: 3_000, quantity: 1 },
      { id: "B", priceFen: 7_000, quantity: 1 },
    ],
    promotions: [{ kind: "shop_coupon", amountFen: 2_000 }],
    paidFen: 8_000,
  };
  /** S10 seed example: spend 300 get 100 off; A 200, B 300, shipping 10; original 510, paid 410. */
  const s10Order: Order = {
    shippingFeeFen: 1_000,
    items: [
      { id: "A", priceFen: 20_000, quantity: 1 },
      { id: "B", priceFen: 30_000, quantity: 1 },
    ],
    promotions: [{ kind: "threshold_discount", amountFen: 10_000 }],
    paidFen: 41_000,
  };
  const returnOf = (...items: { id: string; quantity: number }[]): Refund => ({
    items,
    goodsReceived: true,
    returnGoods: true,
    reason: "quality_issue",
  });

  it.each(
    byClause([
      {
        clause: "S9 seed example: order 100 yuan, 20-yuan coupon, refund the 30-yuan item → 30 − 20 × 30/100 = 24 yuan",
        order: s9Order,
        refund: returnOf({ id: "A", quantity: 1 }),
        expected: { maxRefundableFen: 2_400, formula: "coupon_prorata", manualReview: false },
      },
      {
        clause: "S9 same order, refund the 70-yuan item → 70 − 20 × 70/100 = 56 yuan",
        order: s9Order,
        refund: returnOf({ id: "B", quantity: 1 }),
        expected: { maxRefundableFen: 5_600, formula: "coupon_prorata", manualReview: false },
      },
      {
        clause: "S9 seed example after completion (the claim channel): still 24 yuan",
        order: { ...s9Order, status: "completed", completedAt: "2026-11-15T10:00:00+08:00" },
        refund: { items: [{ id: "A", quantity: 1 }] },
        expected: { eligible: true, channel: "after_sales_claim", maxRefundableFen: 2_400, formula: "coupon_prorata" },
      },
      {
        clause:
          "S10 seed example: A 200, B 300, shipping 10, 100 off → refund A: 200 − 100/(510 − 10) × 200 = 160 yuan",
        order: s10Order,
        refund: returnOf({ id: "A", quantity: 1 }),
        expected: { eligible: true, maxRefundableFen: 16_000, formula: "threshold_prorata", manualReview: false },
      },
      {
        clause: "S10 same order, refund B → 300 − 100/500 × 300 = 240 yuan",
        order: s10Order,
        refund: returnOf({ id: "B", quantity: 1 }),
        expected: { maxRefundableFen: 24_000, formula: "threshold_prorata", manualReview: false },
      },
      {
        clause:
          "S10 note (default): several kinds of discount → prorated over the goods subtotal, manual review: A 200 − (20 + 100) × 200/500 = 152 yuan",
        order: {
          ...s10Order,
          promotions: [
            { kind: "shop_coupon", amountFen: 2_000 },
            { kind: "threshold_discount", amountFen: 10_000 },
          ],
          paidFen: 39_000,
        },
        refund: returnOf({ id: "A", quantity: 1 }),
        expected: { maxRefundableFen: 15_200, formula: "mixed_prorata", manualReview: true },
      },
      {
        clause:
          "S10 note (default): several kinds of discount, rounded down: A 99.99 − (10 + 100) × 99.99/299.99 → 63.32 yuan",
        order: {
          items: [
            { id: "A", priceFen: 9_999, quantity: 1 },
            { id: "B", priceFen: 20_000, quantity: 1 },
          ],
          promotions: [
            { kind: "threshold_discount", amountFen: 10_000 },
            { kind: "shop_coupon", amountFen: 1_000 },
          ],
          paidFen: 18_999,
        },
        refund: returnOf({ id: "A", quantity: 1 }),
        // ⌊9999 × (29999 − 11000) / 29999⌋ = ⌊6332.57…⌋
        expected: { maxRefundableFen: 6_332, formula: "mixed_prorata", manualReview: true },
      },
      {
        clause:
          "Two denominators: coupon divides by the original price (shipping included): A 30 of goods 90 + shipping 10, coupon 20 → 24 yuan",
        order: {
          shippingFeeFen: 1_000,
          items: [
            { id: "A", priceFen: 3_000, quantity: 1 },
            { id: "B", priceFen: 6_000, quantity: 1 },
          ],
          promotions: [{ kind: "shop_coupon", amountFen: 2_000 }],
          paidFen: 8_000,
        },
        refund: returnOf({ id: "A", quantity: 1 }),
        expected: { maxRefundableFen: 2_400, formula: "coupon_prorata" },
      },
      {
        clause:
          "Two denominators: threshold divides by the goods subtotal: same order with 20 off → 30 − 20 × 30/90 → 23.33 yuan",
        order: {
          shippingFeeFen: 1_000,
          items: [
            { id: "A", priceFen: 3_000, quantity: 1 },
            { id: "B", priceFen: 6_000, quantity: 1 },
          ],
          promotions: [{ kind: "threshold_discount", amountFen: 2_000 }],
          paidFen: 8_000,
        },
        refund: returnOf({ id: "A", quantity: 1 }),
        expected: { maxRefundableFen: 2_333, formula: "threshold_prorata" },
      },
    ] as { clause: string; order: Order; refund: Refund; expected: object }[]),
  )("%s", async (_clause, { order, refund, expected }) => {
    expect(await eligibility(aCase({ order, refund }))).toMatchObject(expected);
  });

  describe("a whole-order refund before shipment gives back everything paid, postage included", () => {
    const paidOrder: Order = {
      status: "paid",
      deliveredAt: undefined,
      shippingFeeFen: 1_000,
      items: [{ id: "A", priceFen: 5_000, quantity: 2 }],
      promotions: [{ kind: "shop_coupon", amountFen: 500 }],
      paidFen: 10_500,
    };

    it.each(
      byClause([
        { clause: "S11 whole order, nothing refunded yet: paid (postage included)", refundedFen: 0, max: 10_500 },
        { clause: "S11 whole order, 20 yuan already refunded: paid − refunded", refundedFen: 2_000, max: 8_500 },
      ]),
    )("%s", async (_clause, { refundedFen, max }) => {
      const decision = await eligibility(
        aCase({ order: { ...paidOrder, refundedFen }, refund: { goodsReceived: false, returnGoods: false } }),
      );
      expect(decision).toMatchObject({
        eligible: true,
        channel: "refund_only",
        maxRefundableFen: max,
        formula: "full_price",
      });
    });

    it("S11 whole order before shipment with a threshold discount and postage: paid, postage included", async () => {
      const decision = await eligibility(
        aCase({
          order: { ...s10Order, status: "paid", deliveredAt: undefined },
          refund: { goodsReceived: false, returnGoods: false },
        }),
      );
      expect(decision).toMatchObject({
        eligible: true,
        channel: "refund_only",
        maxRefundableFen: 41_000,
        formula: "full_price",
      });
    });
  });

  it.each(
    byClause([
      {
        clause: "S11 cap by paid − refunded: S10 order with 300 yuan already refunded caps refund A at 110 yuan",
        order: { ...s10Order, refundedFen: 30_000 },
        refund: returnOf({ id: "A", quantity: 1 }),
        expected: { maxRefundableFen: 11_000, formula: "threshold_prorata" },
      },
      {
        clause: "S11 cap by paid − refunded: S9 order with 60 yuan already refunded caps refund A at 20 yuan",
        order: { ...s9Order, refundedFen: 6_000 },
        refund: returnOf({ id: "A", quantity: 1 }),
        expected: { maxRefundableFen: 2_000, formula: "coupon_prorata" },
      },
      {
        clause: "S11 cap by paid − refunded, no discount: item 100 yuan, paid 150, refunded 120 → 30 yuan",
        order: {
          items: [
            { id: "A", priceFen: 10_000, quantity: 1 },
            { id: "B", priceFen: 5_000, quantity: 1 },
          ],
          paidFen: 15_000,
          refundedFen: 12_000,
        },
        refund: returnOf({ id: "A", quantity: 1 }),
        expected: { maxRefundableFen: 3_000, formula: "full_price" },
      },
      {
        clause: "S11 cap when paid is below the list price: item 100 yuan, paid 90 (no discount on record) → 90 yuan",
        order: { paidFen: 9_000 },
        refund: returnOf({ id: "A", quantity: 1 }),
        expected: { maxRefundableFen: 9_000, formula: "full_price" },
      },
      {
        clause: "S11 a partial refund without discount: the item's price, not more",
        order: {
          items: [
            { id: "A", priceFen: 10_000, quantity: 1 },
            { id: "B", priceFen: 5_000, quantity: 1 },
          ],
          paidFen: 15_000,
        },
        refund: returnOf({ id: "B", quantity: 1 }),
        expected: { maxRefundableFen: 5_000, formula: "full_price", manualReview: false },
      },
    ] as { clause: string; order: Order; refund: Refund; expected: object }[]),
  )("%s", async (_clause, { order, refund, expected }) => {
    expect(await eligibility(aCase({ order, refund }))).toMatchObject(expected);
  });

  describe("exact arithmetic, rounded down to the fen per item", () => {
    it.each(
      byClause([
        {
          clause: "S9 rounding: A 33.33 of 100, coupon 10 → 33.33 − 10 × 33.33/100 = 29.997 → 29.99 yuan",
          order: {
            items: [
              { id: "A", priceFen: 3_333, quantity: 1 },
              { id: "B", priceFen: 6_667, quantity: 1 },
            ],
            promotions: [{ kind: "shop_coupon", amountFen: 1_000 }],
            paidFen: 9_000,
          },
          refund: returnOf({ id: "A", quantity: 1 }),
          expected: { maxRefundableFen: 2_999, formula: "coupon_prorata" },
        },
        {
          clause:
            "S10 rounding: A 99.99, B 200, shipping 5, 100 off → 99.99 − 100/299.99 × 99.99 = 66.658… → 66.65 yuan",
          order: {
            shippingFeeFen: 500,
            items: [
              { id: "A", priceFen: 9_999, quantity: 1 },
              { id: "B", priceFen: 20_000, quantity: 1 },
            ],
            promotions: [{ kind: "threshold_discount", amountFen: 10_000 }],
            paidFen: 20_499,
          },
          refund: returnOf({ id: "A", quantity: 1 }),
          expected: { maxRefundableFen: 6_665, formula: "threshold_prorata" },
        },
        {
          clause:
            "S9 rounding per item: A and B at 33.33 each, coupon 10 → 29.99 + 29.99 = 59.98 yuan (not ⌊59.994⌋ = 59.99)",
          order: {
            items: [
              { id: "A", priceFen: 3_333, quantity: 1 },
              { id: "B", priceFen: 3_333, quantity: 1 },
              { id: "C", priceFen: 3_334, quantity: 1 },
            ],
            promotions: [{ kind: "shop_coupon", amountFen: 1_000 }],
            paidFen: 9_000,
          },
          refund: returnOf({ id: "A", quantity: 1 }, { id: "B", quantity: 1 }),
          expected: { maxRefundableFen: 5_998, formula: "coupon_prorata" },
        },
        {
          clause:
            "S9 exact, not binary floating point: A 1.02 of 100, coupon 50 → 1.02 − 50 × 1.02/100 = 0.51 yuan exactly",
          order: {
            items: [
              { id: "A", priceFen: 102, quantity: 1 },
              { id: "B", priceFen: 9_898, quantity: 1 },
            ],
            promotions: [{ kind: "shop_coupon", amountFen: 5_000 }],
            paidFen: 5_000,
          },
          refund: returnOf({ id: "A", quantity: 1 }),
          expected: { maxRefundableFen: 51, formula: "coupon_prorata" },
        },
      ] as { clause: string; order: Order; refund: Refund; expected: object }[]),
    )("%s", async (_clause, { order, refund, expected }) => {
      expect(await eligibility(aCase({ order, refund }))).toMatchObject(expected);
    });
  });

  describe('"item price" means price × refunded quantity', () => {
    it.each(
      byClause([
        {
          clause: "S9 quantity: A 30 × 3 + B 10, coupon 20, refund 2 of A → 60 − 20 × 60/100 = 48 yuan",
          order: {
            items: [
              { id: "A", priceFen: 3_000, quantity: 3 },
              { id: "B", priceFen: 1_000, quantity: 1 },
            ],
            promotions: [{ kind: "shop_coupon", amountFen: 2_000 }],
            paidFen: 8_000,
          },
          refund: returnOf({ id: "A", quantity: 2 }),
          expected: { maxRefundableFen: 4_800, formula: "coupon_prorata" },
        },
        {
          clause: "S10 quantity: A 100 × 2 + B 300, 100 off, refund 1 of A → 100 − 100/500 × 100 = 80 yuan",
          order: {
            items: [
              { id: "A", priceFen: 10_000, quantity: 2 },
              { id: "B", priceFen: 30_000, quantity: 1 },
            ],
            promotions: [{ kind: "threshold_discount", amountFen: 10_000 }],
            paidFen: 40_000,
          },
          refund: returnOf({ id: "A", quantity: 1 }),
          expected: { maxRefundableFen: 8_000, formula: "threshold_prorata" },
        },
        {
          clause: "S10 quantity: same order, refund both of A → 200 − 100/500 × 200 = 160 yuan",
          order: {
            items: [
              { id: "A", priceFen: 10_000, quantity: 2 },
              { id: "B", priceFen: 30_000, quantity: 1 },
            ],
            promotions: [{ kind: "threshold_discount", amountFen: 10_000 }],
            paidFen: 40_000,
          },
          refund: returnOf({ id: "A", quantity: 2 }),
          expected: { maxRefundableFen: 16_000, formula: "threshold_prorata" },
        },
        {
          clause: "Full price quantity: A 25 × 4, refund 3 → 75 yuan",
          order: { items: [{ id: "A", priceFen: 2_500, quantity: 4 }], paidFen: 10_000 },
          refund: returnOf({ id: "A", quantity: 3 }),
          expected: { maxRefundableFen: 7_500, formula: "full_price" },
        },
        {
          clause:
            "S9 quantity with rounding: A 33.33 × 2 + B 33.34, coupon 10, refund 2 of A → 66.66 − 10 × 66.66/100 = 59.994 → 59.99 yuan",
          order: {
            items: [
              { id: "A", priceFen: 3_333, quantity: 2 },
              { id: "B", priceFen: 3_334, quantity: 1 },
            ],
            promotions: [{ kind: "shop_coupon", amountFen: 1_000 }],
            paidFen: 9_000,
          },
          refund: returnOf({ id: "A", quantity: 2 }),
          expected: { maxRefundableFen: 5_999, formula: "coupon_prorata" },
        },
      ] as { clause: string; order: Order; refund: Refund; expected: object }[]),
    )("%s", async (_clause, { order, refund, expected }) => {
      expect(await eligibility(aCase({ order, refund }))).toMatchObject(expected);
    });
  });

  describe("a request above the maximum is not eligible (AMOUNT_EXCEEDS_MAX)", () => {
    it.each(
      byClause([
        { clause: "S10 requestedFen 16001 > max 16000: not eligible", requestedFen: 16_001, eligible: false },
        { clause: "S10 requestedFen equal to max 16000: still eligible", requestedFen: 16_000, eligible: true },
        { clause: "S10 requestedFen below max: eligible", requestedFen: 15_000, eligible: true },
      ]),
    )("%s", async (_clause, { requestedFen, eligible }) => {
      const decision = await eligibility(
        aCase({ order: s10Order, refund: { ...returnOf({ id: "A", quantity: 1 }), requestedFen } }),
      );
      expect(decision).toMatchObject({ eligible, maxRefundableFen: 16_000, formula: "threshold_prorata" });
      if (eligible) expect(codes(decision)).not.toContain("AMOUNT_EXCEEDS_MAX");
      else expect(codes(decision)).toContain("AMOUNT_EXCEEDS_MAX");
    });

    it("S9 requestedFen 2401 > max 2400 after completion: not eligible", async () => {
      const decision = await eligibility(
        aCase({
          order: { ...s9Order, status: "completed", completedAt: "2026-11-15T10:00:00+08:00" },
          refund: { items: [{ id: "A", quantity: 1 }], requestedFen: 2_401 },
        }),
      );
      expect(decision).toMatchObject({ eligible: false, maxRefundableFen: 2_400 });
      expect(codes(decision)).toContain("AMOUNT_EXCEEDS_MAX");
    });

    it("S11 requestedFen above paid − refunded on a whole-order refund before shipment: not eligible", async () => {
      const decision = await eligibility(
        aCase({
          order: { status: "paid", deliveredAt: undefined, shippingFeeFen: 1_000, paidFen: 11_000, refundedFen: 1_000 },
          refund: { goodsReceived: false, returnGoods: false, requestedFen: 10_001 },
        }),
      );
      expect(decision).toMatchObject({ eligible: false, maxRefundableFen: 10_000, formula: "full_price" });
      expect(codes(decision)).toContain("AMOUNT_EXCEEDS_MAX");
    });
  });
});

// ── Who pays the postage (S12, S13, S15, S16) ───────────────────────────────────────────────────

describe("Who pays the postage (S12, S13, S15, S16)", () => {
  type Row = {
    clause: string;
    order: Order;
    refund: Refund;
    shipping?: CaseFactsInput["shipping"];
    expected: {
      outboundShippingPayer: string;
      returnShippingPayer: string;
      refundOutboundShipping: boolean;
      settlement: string;
    };
  };
  const postagePaid = { freeShipping: false, shippingFeeFen: 1_000 };
  const freeShipping = { freeShipping: true, shippingFeeFen: 0 };
  const sellerBearsAll = {
    outboundShippingPayer: "seller",
    returnShippingPayer: "seller",
    refundOutboundShipping: true,
    settlement: "buyer_advances_seller_reimburses",
  };

  it.each(
    byClause<Row>([
      ...(["quality_issue", "wrong_item", "not_as_described"] as const).map((reason) => ({
        clause: `S12 seller fault (${reason}), buyer paid postage: seller bears both legs, outbound postage refunded`,
        order: { status: "delivered", ...postagePaid } as Order,
        refund: { reason, returnGoods: true },
        expected: sellerBearsAll,
      })),
      ...(["quality_issue", "wrong_item", "not_as_described"] as const).map((reason) => ({
        clause: `S12 seller fault (${reason}), free shipping: seller bears both legs, no outbound postage to refund`,
        order: { status: "delivered", ...freeShipping } as Order,
        refund: { reason, returnGoods: true },
        expected: { ...sellerBearsAll, refundOutboundShipping: false },
      })),
      {
        clause:
          "S13/S14 seller not at fault but agreed to pay the return, free shipping: outbound seller, return seller",
        order: { status: "delivered", ...freeShipping },
        refund: { reason: "no_reason_7d", returnGoods: true },
        shipping: { sellerAgreedToPayReturn: true },
        expected: {
          outboundShippingPayer: "seller",
          returnShippingPayer: "seller",
          refundOutboundShipping: false,
          settlement: "buyer_advances_seller_reimburses",
        },
      },
      {
        clause:
          "S13/S14 seller not at fault but agreed to pay the return, not free shipping: outbound buyer (not refunded), return seller",
        order: { status: "delivered", ...postagePaid },
        refund: { reason: "no_reason_7d", returnGoods: true },
        shipping: { sellerAgreedToPayReturn: true },
        expected: {
          outboundShippingPayer: "buyer",
          returnShippingPayer: "seller",
          refundOutboundShipping: false,
          settlement: "buyer_advances_seller_reimburses",
        },
      },
      {
        clause: "S15 damaged in transit before signing (shipped): seller bears both legs, outbound postage refunded",
        order: { status: "shipped", deliveredAt: undefined, ...postagePaid },
        refund: { reason: "damaged_in_transit", goodsReceived: false, returnGoods: true },
        expected: sellerBearsAll,
      },
      {
        clause: "S15 damaged in transit (reason damaged_in_transit on a delivered order): seller bears both legs",
        order: { status: "delivered", ...postagePaid },
        refund: { reason: "damaged_in_transit", returnGoods: true },
        expected: sellerBearsAll,
      },
      {
        clause: "S15 damaged in transit, free shipping: seller bears both legs, nothing to refund",
        order: { status: "shipped", deliveredAt: undefined, ...freeShipping },
        refund: { reason: "damaged_in_transit", goodsReceived: false, returnGoods: true },
        expected: { ...sellerBearsAll, refundOutboundShipping: false },
      },
      {
        clause: "S15 not received while shipped (not yet delivered): seller bears both legs, outbound postage refunded",
        order: { status: "shipped", deliveredAt: undefined, ...postagePaid },
        refund: { reason: "not_received", goodsReceived: false, returnGoods: false },
        expected: sellerBearsAll,
      },
      {
        clause: "S15 not received while paid (not yet delivered): seller bears both legs, outbound postage refunded",
        order: { status: "paid", deliveredAt: undefined, ...postagePaid },
        refund: { reason: "not_received", goodsReceived: false, returnGoods: false },
        expected: sellerBearsAll,
      },
      {
        clause:
          "S15 not received on an order already delivered is not the carrier's risk: no fault, not free shipping → buyer bears all",
        order: { status: "delivered", ...postagePaid },
        refund: { reason: "not_received", returnGoods: true },
        expected: {
          outboundShippingPayer: "buyer",
          returnShippingPayer: "buyer",
          refundOutboundShipping: false,
          settlement: "none",
        },
      },
      {
        clause:
          "S12/S16.1 seller not at fault, free shipping: each bears its own leg (outbound seller, return buyer), none paid",
        order: { status: "delivered", ...freeShipping },
        refund: { reason: "no_reason_7d", returnGoods: true },
        expected: {
          outboundShippingPayer: "seller",
          returnShippingPayer: "buyer",
          refundOutboundShipping: false,
          settlement: "none",
        },
      },
      {
        clause:
          "S12/S16.2 seller not at fault, not free shipping: buyer bears both legs, outbound postage not refunded",
        order: { status: "delivered", ...postagePaid },
        refund: { reason: "no_reason_7d", returnGoods: true },
        expected: {
          outboundShippingPayer: "buyer",
          returnShippingPayer: "buyer",
          refundOutboundShipping: false,
          settlement: "none",
        },
      },
      {
        clause: "S12/S16.2 seller not at fault (reason other), not free shipping: buyer bears both legs",
        order: { status: "delivered", ...postagePaid },
        refund: { reason: "other", returnGoods: true },
        expected: {
          outboundShippingPayer: "buyer",
          returnShippingPayer: "buyer",
          refundOutboundShipping: false,
          settlement: "none",
        },
      },
      {
        clause:
          "S15 with S12 (default) buyer refused delivery without seller fault, free shipping: outbound seller, return buyer",
        order: { status: "shipped", deliveredAt: undefined, ...freeShipping },
        refund: { reason: "other", goodsReceived: false, returnGoods: false },
        shipping: { deliveryRefused: true },
        expected: {
          outboundShippingPayer: "seller",
          returnShippingPayer: "buyer",
          refundOutboundShipping: false,
          settlement: "none",
        },
      },
      {
        clause:
          "S15 with S12 (default) buyer refused delivery without seller fault, not free shipping: buyer bears both legs",
        order: { status: "shipped", deliveredAt: undefined, ...postagePaid },
        refund: { reason: "other", goodsReceived: false, returnGoods: false },
        shipping: { deliveryRefused: true },
        expected: {
          outboundShippingPayer: "buyer",
          returnShippingPayer: "buyer",
          refundOutboundShipping: false,
          settlement: "none",
        },
      },
    ]),
  )("%s", async (_clause, { order, refund, shipping, expected }) => {
    const decision = await shippingFee(aCase({ order, refund, ...(shipping ? { shipping } : {}) }));
    expect(decision).toMatchObject(expected);
    // refundOutboundShipping: true only when the buyer paid postage and the seller finally bears it
    expect(decision.refundOutboundShipping).toBe(
      (order?.shippingFeeFen ?? 0) > 0 && decision.outboundShippingPayer === "seller",
    );
  });

  describe("freight collect (到付) needs the seller's consent (S13, S14)", () => {
    it.each(
      byClause<Row & { allowed: boolean }>([
        {
          clause:
            "S13 seller fault, return sent freight collect with the seller's consent: allowed, settled freight collect",
          order: { status: "delivered", ...postagePaid },
          refund: { reason: "quality_issue", returnGoods: true },
          shipping: { freightCollect: true, sellerConsentsFreightCollect: true },
          allowed: true,
          expected: { ...sellerBearsAll, settlement: "freight_collect" },
        },
        {
          clause:
            "S13 seller agreed to pay the return and consents to freight collect: allowed, settled freight collect",
          order: { status: "delivered", ...freeShipping },
          refund: { reason: "other", returnGoods: true },
          shipping: { sellerAgreedToPayReturn: true, freightCollect: true, sellerConsentsFreightCollect: true },
          allowed: true,
          expected: {
            outboundShippingPayer: "seller",
            returnShippingPayer: "seller",
            refundOutboundShipping: false,
            settlement: "freight_collect",
          },
        },
        {
          clause:
            "S13/S14 seller fault, consent given but the return not sent freight collect: buyer advances, seller reimburses",
          order: { status: "delivered", ...postagePaid },
          refund: { reason: "wrong_item", returnGoods: true },
          shipping: { freightCollect: false, sellerConsentsFreightCollect: true },
          allowed: true,
          expected: { ...sellerBearsAll, settlement: "buyer_advances_seller_reimburses" },
        },
        {
          clause:
            "S13 consent given but the buyer bears the return (no fault, not free shipping): allowed, settlement none",
          order: { status: "delivered", ...postagePaid },
          refund: { reason: "no_reason_7d", returnGoods: true },
          shipping: { freightCollect: true, sellerConsentsFreightCollect: true },
          allowed: true,
          expected: {
            outboundShippingPayer: "buyer",
            returnShippingPayer: "buyer",
            refundOutboundShipping: false,
            settlement: "none",
          },
        },
        {
          clause: "S13 no consent, no freight collect asked: not allowed",
          order: { status: "delivered", ...postagePaid },
          refund: { reason: "quality_issue", returnGoods: true },
          allowed: false,
          expected: sellerBearsAll,
        },
      ]),
    )("%s", async (_clause, { order, refund, shipping, allowed, expected }) => {
      const decision = await shippingFee(aCase({ order, refund, ...(shipping ? { shipping } : {}) }));
      expect(decision.freightCollectAllowed).toBe(allowed);
      expect(decision).toMatchObject(expected);
    });

    // The spec fixes only that unconsented freight collect is never allowed; who then bears the seller's share is left open
    it.each(
      byClause<Omit<Row, "expected"> & { expected?: Partial<Row["expected"]> }>([
        {
          clause:
            "S13 seller agreed to pay the return, sent freight collect without consent: not allowed, never settled freight collect",
          order: { status: "delivered", ...freeShipping },
          refund: { reason: "other", returnGoods: true },
          shipping: { sellerAgreedToPayReturn: true, freightCollect: true, sellerConsentsFreightCollect: false },
        },
        {
          clause: "S13 seller fault, sent freight collect without consent: not allowed, never settled freight collect",
          order: { status: "delivered", ...postagePaid },
          refund: { reason: "quality_issue", returnGoods: true },
          shipping: { freightCollect: true, sellerConsentsFreightCollect: false },
        },
        {
          clause: "S13 no fault, sent freight collect without consent: not allowed, the postage is the buyer's",
          order: { status: "delivered", ...postagePaid },
          refund: { reason: "no_reason_7d", returnGoods: true },
          shipping: { freightCollect: true, sellerConsentsFreightCollect: false },
          expected: { returnShippingPayer: "buyer", settlement: "none" },
        },
      ]),
    )("%s", async (_clause, { order, refund, shipping, expected }) => {
      const decision = await shippingFee(aCase({ order, refund, ...(shipping ? { shipping } : {}) }));
      expect(decision.freightCollectAllowed).toBe(false);
      expect(decision.settlement).not.toBe("freight_collect");
      if (expected) expect(decision).toMatchObject(expected);
    });
  });
});

// ── The refund lifecycle timers (S1, S4, S5, S7, S8) ────────────────────────────────────────────

describe("The refund lifecycle timers (S1, S4, S5, S7, S8)", () => {
  const appliedAt = "2026-11-15T10:00:00+08:00";
  const stateSince = "2026-11-20T10:00:00+08:00";
  const timerCase = (
    state: string,
    productType: "physical" | "virtual" = "physical",
    times: { appliedAt?: string; stateSince?: string } = { appliedAt, stateSince },
  ) => aCase({ order: { status: "delivered", productType }, refund: { state: state as never, ...times } });

  type ExpectedTimer = { key: string; duration: string; onExpiry: string; deadline?: string };
  const cs15: ExpectedTimer = {
    key: "cs_intervention_available",
    duration: "P15D",
    onExpiry: "enable_cs_intervention",
    deadline: "2026-11-30T02:00:00Z",
  };
  const cs7: ExpectedTimer = {
    key: "cs_intervention_available",
    duration: "P7D",
    onExpiry: "enable_cs_intervention",
    deadline: "2026-11-22T02:00:00Z",
  };
  const stateTimers: Record<string, ExpectedTimer> = {
    waiting_seller: {
      key: "seller_response",
      duration: "P5D",
      onExpiry: "auto_agree",
      deadline: "2026-11-25T02:00:00Z",
    },
    seller_refused: {
      key: "buyer_modify",
      duration: "P7D",
      onExpiry: "close_refund",
      deadline: "2026-11-27T02:00:00Z",
    },
    waiting_buyer_return: {
      key: "buyer_return_shipment",
      duration: "P7D",
      onExpiry: "close_refund",
      deadline: "2026-11-27T02:00:00Z",
    },
    waiting_seller_confirm: {
      key: "seller_confirm_receipt",
      duration: "P10D",
      onExpiry: "auto_refund",
      deadline: "2026-11-30T02:00:00Z",
    },
  };
  const clauses: Record<string, string> = {
    waiting_seller: "S4 waiting_seller: seller_response P5D → auto_agree",
    seller_refused: "S4 seller_refused: buyer_modify P7D → close_refund",
    waiting_buyer_return: "S1 waiting_buyer_return: buyer_return_shipment P7D → close_refund",
    waiting_seller_confirm: "S5 waiting_seller_confirm: seller_confirm_receipt P10D → auto_refund",
  };
  const openStates = Object.keys(stateTimers);

  const expectTimers = (timers: readonly Timer[], expected: readonly ExpectedTimer[]) => {
    expect(byKey(timers)).toEqual(byKey(expected as Timer[]).map((t) => expect.objectContaining(t)));
  };

  it.each(
    byClause(
      openStates.map((state) => ({
        state,
        clause: `${clauses[state]}, plus S7 cs_intervention_available P15D from appliedAt (deadlines in UTC)`,
      })),
    ),
  )("%s", async (_clause, { state }) => {
    const { timers } = await timeouts(timerCase(state));
    expectTimers(timers, [stateTimers[state]!, cs15]);
  });

  it.each(
    byClause(
      openStates.map((state) => ({
        state,
        clause: `S7 virtual goods in ${state}: cs_intervention_available after P7D instead of P15D`,
      })),
    ),
  )("%s", async (_clause, { state }) => {
    const { timers } = await timeouts(timerCase(state, "virtual"));
    expectTimers(timers, [stateTimers[state]!, cs7]);
  });

  it.each(
    byClause(
      ["refunded", "closed"].map((state) => ({
        state,
        clause: `S1 ${state}: no state timer runs and the dispute timer stops`,
      })),
    ),
  )("%s", async (_clause, { state }) => {
    const { timers } = await timeouts(timerCase(state));
    expect(timers).toEqual([]);
  });

  it("S5 contract example: stateSince 2026-11-20T10:00:00+08:00 + P10D → deadline 2026-11-30T02:00:00Z", async () => {
    const { timers } = await timeouts(timerCase("waiting_seller_confirm"));
    expect(timers.find((t) => t.key === "seller_confirm_receipt")?.deadline).toBe("2026-11-30T02:00:00Z");
  });

  it("deadlines are elapsed time in UTC whatever the offset of the start: stateSince in UTC gives the same deadline", async () => {
    const { timers } = await timeouts(
      timerCase("waiting_seller_confirm", "physical", {
        appliedAt: "2026-11-15T02:00:00Z",
        stateSince: "2026-11-20T02:00:00Z",
      }),
    );
    expectTimers(timers, [stateTimers.waiting_seller_confirm!, cs15]);
  });

  it("deadlines keep milliseconds: stateSince …10:00:00.123+08:00 + P5D → 2026-11-25T02:00:00.123Z", async () => {
    const { timers } = await timeouts(
      timerCase("waiting_seller", "physical", { appliedAt, stateSince: "2026-11-20T10:00:00.123+08:00" }),
    );
    expect(timers.find((t) => t.key === "seller_response")?.deadline).toBe("2026-11-25T02:00:00.123Z");
  });

  it.each(
    byClause(
      openStates.map((state) => ({
        state,
        clause: `no deadline when the start time is absent (${state} without stateSince or appliedAt)`,
      })),
    ),
  )("%s", async (_clause, { state }) => {
    const { timers } = await timeouts(timerCase(state, "physical", {}));
    expectTimers(
      timers,
      [stateTimers[state]!, cs15].map(({ deadline: _, ...timer }) => timer),
    );
    for (const timer of timers) expect(timer).not.toHaveProperty("deadline");
  });

  it("each timer starts from its own moment: stateSince known, appliedAt absent → only the state timer has a deadline", async () => {
    const { timers } = await timeouts(timerCase("waiting_seller", "physical", { stateSince }));
    expect(timers.find((t) => t.key === "seller_response")?.deadline).toBe("2026-11-25T02:00:00Z");
    expect(timers.find((t) => t.key === "cs_intervention_available")).not.toHaveProperty("deadline");
  });

  it("S17 after completion: after_sales_claim_window P15D from completedAt", async () => {
    const { timers } = await timeouts(
      aCase({ order: { status: "completed", completedAt: "2026-11-05T10:00:00+08:00" }, refund: {} }),
    );
    expect(timers).toEqual([
      expect.objectContaining({ key: "after_sales_claim_window", duration: "P15D", deadline: "2026-11-20T02:00:00Z" }),
    ]);
  });

  it("S17 after completion without completedAt: the claim window timer runs with no deadline", async () => {
    const { timers } = await timeouts(aCase({ order: { status: "completed" }, refund: {} }));
    expect(timers).toEqual([expect.objectContaining({ key: "after_sales_claim_window", duration: "P15D" })]);
    expect(timers[0]).not.toHaveProperty("deadline");
  });

  it("before completion and with no refund open, no timer runs", async () => {
    const { timers } = await timeouts(aCase({ order: { status: "delivered" }, refund: {} }));
    expect(timers).toEqual([]);
  });
});

// ── Vocabulary: the terms the decisions rest on ─────────────────────────────────────────────────

describe("Vocabulary", () => {
  it("order original price = Σ price × quantity + shipping (the S9 denominator); goods subtotal = original − shipping (the S10 one)", async () => {
    const order: Order = {
      shippingFeeFen: 2_000,
      items: [
        { id: "A", priceFen: 2_000, quantity: 2 },
        { id: "B", priceFen: 4_000, quantity: 1 },
      ],
      paidFen: 8_000,
    };
    const refund: Refund = { items: [{ id: "A", quantity: 2 }], returnGoods: true };
    // coupon 20 over original 100: 40 − 20 × 40/100 = 32; threshold 20 over goods 80: 40 − 20 × 40/80 = 30
    const coupon = await eligibility(
      aCase({ order: { ...order, promotions: [{ kind: "shop_coupon", amountFen: 2_000 }] }, refund }),
    );
    const threshold = await eligibility(
      aCase({ order: { ...order, promotions: [{ kind: "threshold_discount", amountFen: 2_000 }] }, refund }),
    );
    expect(coupon).toMatchObject({ maxRefundableFen: 3_200, formula: "coupon_prorata" });
    expect(threshold).toMatchObject({ maxRefundableFen: 3_000, formula: "threshold_prorata" });
  });

  it("transaction success (交易成功): a completed order is no longer refunded directly (TRANSACTION_COMPLETED)", async () => {
    const decision = await eligibility(
      aCase({
        order: { status: "completed", completedAt: "2026-11-19T10:00:00+08:00" },
        refund: { returnGoods: true },
      }),
    );
    expect(decision.channel).not.toMatch(/^(refund_only|return_and_refund)$/);
    expect(codes(decision)).toContain("TRANSACTION_COMPLETED");
  });

  it("free shipping (卖家包邮): the buyer paid no outbound postage, so none is refunded even when the seller bears it", async () => {
    const decision = await shippingFee(
      aCase({
        order: { freeShipping: true, shippingFeeFen: 0 },
        refund: { reason: "quality_issue", returnGoods: true },
      }),
    );
    expect(decision).toMatchObject({ outboundShippingPayer: "seller", refundOutboundShipping: false });
  });
});

// ── What the default rules do where the text leaves a gap (docs/domain.md) ──────────────────────

describe("Where the policy's text leaves a gap", () => {
  it("a period whose start is unknown is neither within nor beyond: a no-reason return without deliveredAt is not refused for lateness", async () => {
    const decision = await eligibility(
      aCase({
        order: { deliveredAt: undefined },
        refund: { reason: "no_reason_7d", goodsReceived: true, returnGoods: true },
      }),
    );
    expect(decision).toMatchObject({ eligible: true, channel: "return_and_refund" });
    expect(codes(decision)).not.toContain("SEVEN_DAY_WINDOW_EXPIRED");
  });

  it("S17 a completed order without completedAt matches no rule: the default, NO_RULE_MATCHED", async () => {
    const decision = await eligibility(aCase({ order: { status: "completed", deliveredAt: undefined } }));
    expect(decision).toMatchObject({ eligible: false, channel: "none" });
    expect(codes(decision)).toEqual(["NO_RULE_MATCHED"]);
  });

  it("S9 several promotions of one kind are one kind: two 10-yuan coupons on 200 yuan, refund A 100 → 100 − 20 × 100/200 = 90 yuan, no review", async () => {
    const decision = await eligibility(
      aCase({
        order: {
          items: [
            { id: "A", priceFen: 10_000, quantity: 1 },
            { id: "B", priceFen: 10_000, quantity: 1 },
          ],
          promotions: [
            { kind: "shop_coupon", amountFen: 1_000 },
            { kind: "shop_coupon", amountFen: 1_000 },
          ],
          paidFen: 18_000,
        },
        refund: { items: [{ id: "A", quantity: 1 }] },
      }),
    );
    expect(decision).toMatchObject({ maxRefundableFen: 9_000, formula: "coupon_prorata", manualReview: false });
  });

  it("S10 a whole-order refund once shipped is prorated over every line: goods 100 less 20 off, not the 10 yuan of postage", async () => {
    const decision = await eligibility(
      aCase({
        order: {
          status: "shipped",
          deliveredAt: undefined,
          shippingFeeFen: 1_000,
          promotions: [{ kind: "threshold_discount", amountFen: 2_000 }],
          paidFen: 9_000,
        },
        refund: { goodsReceived: false, returnGoods: false },
      }),
    );
    expect(decision).toMatchObject({
      eligible: true,
      channel: "refund_only",
      maxRefundableFen: 8_000,
      formula: "threshold_prorata",
    });
  });

  it("S13 sent freight collect without consent, though the seller agreed to pay the return: without seller fault the postage is the buyer's", async () => {
    const decision = await shippingFee(
      aCase({
        order: { status: "delivered", freeShipping: true, shippingFeeFen: 0 },
        refund: { reason: "other", returnGoods: true },
        shipping: { sellerAgreedToPayReturn: true, freightCollect: true },
      }),
    );
    expect(decision).toMatchObject({ returnShippingPayer: "buyer", freightCollectAllowed: false, settlement: "none" });
  });

  it("S13 seller at fault, sent freight collect without consent: the seller still bears the return, settled by reimbursement", async () => {
    const decision = await shippingFee(
      aCase({
        order: { status: "delivered", shippingFeeFen: 1_000 },
        refund: { reason: "quality_issue", returnGoods: true },
        shipping: { freightCollect: true },
      }),
    );
    expect(decision).toMatchObject({
      returnShippingPayer: "seller",
      freightCollectAllowed: false,
      settlement: "buyer_advances_seller_reimburses",
    });
  });
});
