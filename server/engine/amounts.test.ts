import fc from "fast-check";
import Fraction from "fraction.js";
import { describe, expect, it } from "vitest";
import { CaseFacts, MAX_FEN } from "../../shared/case-facts.ts";
import { deriveAmounts, type Amounts } from "./amounts.ts";

/**
 * deriveAmounts takes its shares in plain numbers while `line × (base − discount)` stays a safe
 * integer and in BigInt above; these cases put that product on either side of 2^53 and far beyond,
 * and check every amount against exact rationals (fraction.js), as test/amounts.property.test.ts
 * does for everyday orders.
 */

type Order = {
  items: { priceFen: number; quantity: number }[];
  shippingFeeFen: number;
  coupon: number;
  threshold: number;
  refunded: { index: number; quantity: number }[] | undefined;
};

const ZERO = new Fraction(0);
const larger = (a: Fraction, b: Fraction) => (a.compare(b) < 0 ? b : a);
const smaller = (a: Fraction, b: Fraction) => (a.compare(b) < 0 ? a : b);
/** A whole number of fen as the nearest JS number (exact below 2^53). */
const fen = (x: Fraction) => {
  if (x.d !== 1n) throw new Error(`not a whole number of fen: ${x.toFraction()}`);
  return Number(x.s * x.n);
};

/**
 * docs/domain.md's formulas (S9–S11) in rationals: each line floored to the fen and clamped at 0, summed, capped by
 * paid − refunded.
 */
function reference(order: Order): Amounts {
  const goods = order.items.reduce((sum, item) => sum.add(new Fraction(item.priceFen).mul(item.quantity)), ZERO);
  const original = goods.add(order.shippingFeeFen);
  const paid = larger(ZERO, original.sub(order.coupon).sub(order.threshold));
  const lines = (order.refunded ?? order.items.map((item, index) => ({ index, quantity: item.quantity }))).map(
    ({ index, quantity }) => new Fraction(order.items[index]!.priceFen).mul(quantity),
  );
  const items = lines.reduce((sum, line) => sum.add(line), ZERO);
  // nothing to share when the base is zero (every price is 0)
  const prorated = (discount: number, base: Fraction) =>
    base.compare(0) <= 0
      ? ZERO
      : lines.reduce((sum, line) => sum.add(larger(ZERO, line.mul(base.sub(discount)).div(base).floor())), ZERO);
  const capped = (amount: Fraction) => fen(smaller(amount, paid));
  return {
    capFen: fen(paid),
    fullPriceFen: order.refunded === undefined ? fen(paid) : capped(items),
    couponProrataFen: capped(prorated(order.coupon, original)),
    thresholdProrataFen: capped(prorated(order.threshold, goods)),
    mixedProrataFen: capped(prorated(order.coupon + order.threshold, goods)),
    itemsFen: fen(items),
  };
}

function caseOf(order: Order): CaseFacts {
  const items = order.items.map((item, index) => ({ id: `item-${index}`, ...item }));
  return CaseFacts.parse({
    order: {
      status: "delivered",
      items,
      shippingFeeFen: order.shippingFeeFen,
      promotions: [
        { kind: "shop_coupon", amountFen: order.coupon },
        { kind: "threshold_discount", amountFen: order.threshold },
      ],
    },
    refund:
      order.refunded === undefined
        ? {}
        : { items: order.refunded.map(({ index, quantity }) => ({ id: `item-${index}`, quantity })) },
  });
}

const TWO_53 = 2 ** 53;

/**
 * An order whose first line is `line` fen and whose coupon leaves `numerator` of the original
 * price, so that the coupon share's product is line × numerator; the second line makes up the
 * rest of the original price.
 */
const straddling = fc
  .record({
    product: fc.oneof(
      fc.integer({ min: TWO_53 - 4096, max: TWO_53 + 4096 }),
      fc.integer({ min: 2 ** 50, max: 2 ** 56 }),
      fc.double({ min: 1e16, max: 1e24, noNaN: true }).map(Math.floor),
    ),
    numerator: fc.oneof(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: MAX_FEN })),
    shippingFeeFen: fc.integer({ min: 0, max: 2000 }),
    threshold: fc.integer({ min: 0, max: 5000 }),
    refundFirst: fc.boolean(),
  })
  .map(({ product, numerator, shippingFeeFen, threshold, refundFirst }) => {
    const line = Math.min(MAX_FEN, Math.max(1, Math.floor(product / numerator)));
    const rest = Math.min(MAX_FEN, Math.max(0, numerator - line - shippingFeeFen) + 1);
    const original = line + rest + shippingFeeFen;
    const order: Order = {
      items: [
        { priceFen: line, quantity: 1 },
        { priceFen: rest, quantity: 1 },
      ],
      shippingFeeFen,
      coupon: Math.min(MAX_FEN, Math.max(0, original - numerator)),
      threshold,
      refunded: refundFirst ? [{ index: 0, quantity: 1 }] : undefined,
    };
    return order;
  });

describe("deriveAmounts around Number.MAX_SAFE_INTEGER", () => {
  it("is exact whether a share's product is below, at or above 2^53 (3000 orders)", () => {
    let above = 0;
    let below = 0;
    fc.assert(
      fc.property(straddling, (order) => {
        const line = order.items[0]!.priceFen;
        const original = order.items.reduce((sum, item) => sum + item.priceFen, order.shippingFeeFen);
        if (line * (original - order.coupon) > Number.MAX_SAFE_INTEGER) above++;
        else below++;
        expect(deriveAmounts(caseOf(order)), JSON.stringify(order)).toEqual(reference(order));
      }),
      { numRuns: 3000 },
    );
    expect(above, "products above 2^53 − 1").toBeGreaterThan(300);
    expect(below, "products up to 2^53 − 1").toBeGreaterThan(300);
  });

  it("is exact for products of exactly 2^53 − 1, 2^53 and 2^53 + 2 over several denominators", () => {
    // line × numerator: 2^53 − 1 = 6361 × 69431 × 20394401, 2^53 = 2^26 × 2^27, 2^53 + 2 = 2 × 17 × 858001 × 308761441
    const products = [
      [6361 * 69431, 20_394_401],
      [20_394_401, 6361 * 69431],
      [2 ** 26, 2 ** 27],
      [2 ** 27, 2 ** 26],
      [2 * 17 * 858_001, 308_761_441],
    ] as const;
    for (const [line, numerator] of products) {
      for (const extra of [1, 2, 7, 1000, 123_456_789]) {
        // the original price is line + rest; the coupon leaves `numerator` of it
        const rest = Math.max(0, numerator - line) + extra;
        const order: Order = {
          items: [
            { priceFen: line, quantity: 1 },
            { priceFen: rest, quantity: 1 },
          ],
          shippingFeeFen: 0,
          coupon: line + rest - numerator,
          threshold: 0,
          refunded: [{ index: 0, quantity: 1 }],
        };
        expect(deriveAmounts(caseOf(order)), JSON.stringify(order)).toEqual(reference(order));
      }
    }
  });

  it("falls back to BigInt for sums the schema would refuse, and stays exact", () => {
    // built past CaseFacts.parse: 300 lines of 10^12 fen × 10^5, an original price of 3 × 10^19
    const items = Array.from({ length: 300 }, (_, index) => ({
      id: `item-${index}`,
      priceFen: MAX_FEN - index,
      quantity: 100_000,
    }));
    const order: Order = {
      items,
      shippingFeeFen: 1000,
      coupon: 123_456_789,
      threshold: 987_654_321,
      refunded: [
        { index: 3, quantity: 99_999 },
        { index: 250, quantity: 7 },
      ],
    };
    const parsed = caseOf({ ...order, items: [{ priceFen: 1, quantity: 1 }], refunded: undefined });
    const facts = {
      ...parsed,
      order: { ...parsed.order, items },
      refund: {
        ...parsed.refund,
        items: order.refunded!.map(({ index, quantity }) => ({ id: `item-${index}`, quantity })),
      },
    } as CaseFacts;
    expect(deriveAmounts(facts)).toEqual(reference(order));
  });
});
