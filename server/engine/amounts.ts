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
 *
 * Plain numbers are exact while every value stays a safe integer. The case schema keeps the sums
 * there (an order's original price is at most MAX_ORDER_FEN, 10^15 fen), so only a line's share,
 * `item × numerator`, can leave that range (up to 10^30); that one product is then taken in BigInt.
 * Should a sum ever not be a safe integer (a case the schema did not check), the whole derivation
 * is done in BigInt.
 */
export function deriveAmounts(facts: CaseFacts): Amounts {
  const { order, refund } = facts;
  const lines = refundedLines(facts);
  let goods = 0;
  for (const item of order.items) goods += item.priceFen * item.quantity;
  let items = 0;
  for (const line of lines) items += line.priceFen * line.quantity;
  const original = goods + order.shippingFeeFen;
  const coupon = sumPromotions(facts, "shop_coupon");
  const threshold = sumPromotions(facts, "threshold_discount");
  // non-negative terms: a sum whose rounding went wrong on the way is ≥ 2^53 at the end
  if (!(isSafe(original) && isSafe(items) && isSafe(coupon + threshold))) return deriveAmountsInBigInt(facts, lines);

  const paid = order.paidFen === undefined ? Math.max(0, original - coupon - threshold) : order.paidFen;
  const cap = Math.max(0, paid - order.refundedFen);
  return {
    capFen: cap,
    fullPriceFen: refund.items === undefined ? cap : Math.min(items, cap),
    couponProrataFen: Math.min(prorate(lines, coupon, original), cap),
    thresholdProrataFen: Math.min(prorate(lines, threshold, goods), cap),
    mixedProrataFen: Math.min(prorate(lines, coupon + threshold, goods), cap),
    itemsFen: items,
  };
}

/** The refunded lines: the named items with their refunded quantity, or every item of the order. */
export function refundedLines(facts: CaseFacts): Line[] {
  const { order, refund } = facts;
  if (refund.items === undefined) return order.items;
  const byId = new Map<string, Line>();
  for (const item of order.items) byId.set(item.id, item);
  const lines: Line[] = [];
  for (const wanted of refund.items) {
    const item = byId.get(wanted.id);
    if (item) lines.push({ priceFen: item.priceFen, quantity: wanted.quantity });
  }
  return lines;
}

const isSafe = (value: number) => value <= Number.MAX_SAFE_INTEGER;

/** Σ ⌊line × (base − discount) / base⌋ over the lines. */
function prorate(lines: readonly Line[], discount: number, base: number): number {
  let sum = 0;
  for (const line of lines) sum += share(line.priceFen * line.quantity, base - discount, base);
  return sum;
}

/** ⌊amount × numerator / denominator⌋, never below zero; nothing to share when the base is zero. */
function share(amount: number, numerator: number, denominator: number): number {
  if (denominator <= 0 || numerator <= 0) return 0;
  const product = amount * numerator;
  // a product above 2^53 − 1 comes out of the multiplication ≥ 2^53, so this test is exact; below
  // it, `%` is exact, and so is dividing the exact multiple of the denominator that remains
  if (isSafe(product)) return (product - (product % denominator)) / denominator;
  return Number((BigInt(amount) * BigInt(numerator)) / BigInt(denominator));
}

function sumPromotions(facts: CaseFacts, kind: string): number {
  let sum = 0;
  for (const p of facts.order.promotions) if (p.kind === kind) sum += p.amountFen;
  return sum;
}

/** The same formulas in BigInt throughout, for sums the case schema would not have let through. */
function deriveAmountsInBigInt(facts: CaseFacts, lines: readonly Line[]): Amounts {
  const { order, refund } = facts;
  const lineFen = (line: Line) => BigInt(line.priceFen) * BigInt(line.quantity);
  const sum = (values: readonly bigint[]) => values.reduce((total, value) => total + value, 0n);
  const atLeastZero = (value: bigint) => (value < 0n ? 0n : value);
  const promotions = (kind: string) =>
    sum(order.promotions.filter((p) => p.kind === kind).map((p) => BigInt(p.amountFen)));
  const goods = sum(order.items.map(lineFen));
  const original = goods + BigInt(order.shippingFeeFen);
  const coupon = promotions("shop_coupon");
  const threshold = promotions("threshold_discount");
  const paid = order.paidFen === undefined ? atLeastZero(original - coupon - threshold) : BigInt(order.paidFen);
  const cap = atLeastZero(paid - BigInt(order.refundedFen));
  const items = sum(lines.map(lineFen));
  const prorated = (discount: bigint, base: bigint) =>
    sum(lines.map((line) => (base <= 0n || base - discount <= 0n ? 0n : (lineFen(line) * (base - discount)) / base)));
  const capped = (amount: bigint) => Number(amount < cap ? amount : cap);
  return {
    capFen: Number(cap),
    fullPriceFen: refund.items === undefined ? Number(cap) : capped(items),
    couponProrataFen: capped(prorated(coupon, original)),
    thresholdProrataFen: capped(prorated(threshold, goods)),
    mixedProrataFen: capped(prorated(coupon + threshold, goods)),
    itemsFen: Number(items),
  };
}
