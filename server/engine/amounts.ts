import type { CaseFacts } from "../../shared/case-facts.ts";

/** Derived amounts, in fen, each already capped by what the buyer paid less what was refunded (S11). */
export type Amounts = {
  capFen: number;
  fullPriceFen: number;
  couponProrataFen: number;
  thresholdProrataFen: number;
  mixedProrataFen: number;
  itemsFen: number;
};

type Line = { priceFen: number; quantity: number };

/**
 * The seed's refund formulas in exact integer arithmetic: each refunded line's share is computed
 * as one fraction and rounded down to the fen, then the lines are summed and capped.
 *
 * - coupon (S9): `item − coupon × item / original`, original = goods + shipping.
 * - threshold (S10): `item − discount × item / (original − shipping)`.
 * - mixed (S10 note): every discount prorated over the goods subtotal, for manual review.
 * - full price: the items at their price; a whole-order refund gives back everything paid.
 */
export function deriveAmounts(facts: CaseFacts): Amounts {
  const { order, refund } = facts;
  const goods = order.items.reduce((sum, item) => sum + BigInt(item.priceFen) * BigInt(item.quantity), 0n);
  const original = goods + BigInt(order.shippingFeeFen);
  const coupon = sumPromotions(facts, "shop_coupon");
  const threshold = sumPromotions(facts, "threshold_discount");
  const paid = order.paidFen === undefined ? clampZero(original - coupon - threshold) : BigInt(order.paidFen);
  const cap = clampZero(paid - BigInt(order.refundedFen));

  const lines = refundedLines(facts);
  const items = lines.reduce((sum, line) => sum + lineFen(line), 0n);
  const prorate = (discount: bigint, base: bigint) =>
    lines.reduce((sum, line) => sum + share(lineFen(line), base - discount, base), 0n);

  const capped = (amount: bigint) => Number(amount < cap ? amount : cap);
  return {
    capFen: Number(cap),
    fullPriceFen: refund.items === undefined ? Number(cap) : capped(items),
    couponProrataFen: capped(prorate(coupon, original)),
    thresholdProrataFen: capped(prorate(threshold, goods)),
    mixedProrataFen: capped(prorate(coupon + threshold, goods)),
    itemsFen: Number(items),
  };
}

/** The refunded lines: the named items with their refunded quantity, or every item of the order. */
export function refundedLines(facts: CaseFacts): Line[] {
  const { order, refund } = facts;
  if (refund.items === undefined) return order.items;
  const byId = new Map(order.items.map((item) => [item.id, item]));
  return refund.items.flatMap((wanted) => {
    const item = byId.get(wanted.id);
    return item ? [{ priceFen: item.priceFen, quantity: wanted.quantity }] : [];
  });
}

function lineFen(line: Line): bigint {
  return BigInt(line.priceFen) * BigInt(line.quantity);
}

/** ⌊amount × numerator / denominator⌋, never below zero; nothing to share when the base is zero. */
function share(amount: bigint, numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n || numerator <= 0n) return 0n;
  return (amount * numerator) / denominator; // BigInt division truncates: both sides are ≥ 0, so it rounds down
}

function sumPromotions(facts: CaseFacts, kind: string): bigint {
  return facts.order.promotions.reduce((sum, p) => (p.kind === kind ? sum + BigInt(p.amountFen) : sum), 0n);
}

function clampZero(value: bigint): bigint {
  return value < 0n ? 0n : value;
}
