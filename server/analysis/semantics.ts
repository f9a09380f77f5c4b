import type { RuleSetKind } from "../../shared/kinds/index.ts";
import type { Cell } from "./cells.ts";

/**
 * What the analysis knows of the engine beyond the rules, each statement held by a test (semantics.test.ts): relations
 * the derived amounts always keep, and how each kind's `complete` computes or changes a decision field.
 */

/**
 * `x ≤ y` for every case, as deriveAmounts (server/engine/amounts.ts) computes the amounts: each formula's amount is
 * capped by paid − refunded (S11), a prorated amount never exceeds the refunded items' price, and prorating more discounts
 * (mixed) never gives back more than prorating one.
 */
export const amountGuarantees: readonly (readonly [x: string, y: string])[] = [
  ["amount.fullPriceFen", "amount.capFen"],
  ["amount.couponProrataFen", "amount.capFen"],
  ["amount.thresholdProrataFen", "amount.capFen"],
  ["amount.mixedProrataFen", "amount.capFen"],
  ["amount.couponProrataFen", "amount.fullPriceFen"],
  ["amount.thresholdProrataFen", "amount.fullPriceFen"],
  ["amount.mixedProrataFen", "amount.fullPriceFen"],
  ["amount.mixedProrataFen", "amount.couponProrataFen"],
  ["amount.mixedProrataFen", "amount.thresholdProrataFen"],
  ["amount.couponProrataFen", "refund.itemsFen"],
  ["amount.thresholdProrataFen", "refund.itemsFen"],
  ["amount.mixedProrataFen", "refund.itemsFen"],
  // what was paid, when the case says it: the cap is paid − refunded
  ["amount.capFen", "order.paidFen"],
  ["amount.fullPriceFen", "order.paidFen"],
  ["amount.couponProrataFen", "order.paidFen"],
  ["amount.thresholdProrataFen", "order.paidFen"],
  ["amount.mixedProrataFen", "order.paidFen"],
];

/** A decision field that equals a derived fact chosen by the value of another (decided) field. */
export type ComputedAs = { byField: string; facts: Readonly<Record<string, string>> };

/**
 * A decided field `complete` may replace by `to`: when the fact `fact` compares by `operator` with the derived fact
 * that `byField`'s value chooses (refund-eligibility: not eligible when the request exceeds the chosen formula's amount).
 */
export type Adjusted = {
  to: unknown;
  fact: string;
  operator: string;
  byField: string;
  facts: Readonly<Record<string, string>>;
};

/** A decided field `complete` answers only when the fact `fact` equals `value` (and leaves out otherwise). */
export type PresentWhen = { fact: string; value: string | boolean };

export type KindSemantics = {
  readonly computedAs: Readonly<Record<string, ComputedAs>>;
  readonly adjusted: Readonly<Record<string, Adjusted>>;
  readonly presentWhen?: Readonly<Record<string, PresentWhen>>;
};

/** S9–S11: the amount each refund formula refunds (refund-eligibility's `complete`). */
const formulaAmounts = {
  full_price: "amount.fullPriceFen",
  coupon_prorata: "amount.couponProrataFen",
  threshold_prorata: "amount.thresholdProrataFen",
  mixed_prorata: "amount.mixedProrataFen",
};

export const kindSemantics: Readonly<Record<RuleSetKind, KindSemantics>> = {
  "refund-eligibility": {
    computedAs: { maxRefundableFen: { byField: "formula", facts: formulaAmounts } },
    adjusted: {
      eligible: {
        to: false,
        fact: "refund.requestedFen",
        operator: "greaterThan",
        byField: "formula",
        facts: formulaAmounts,
      },
    },
  },
  // refundOutboundShipping and settlement also read facts of the case: invariants on them are not checked
  "shipping-fee": {
    computedAs: {},
    adjusted: {},
    presentWhen: { replacementShippingPayer: { fact: "refund.exchange", value: true } },
  },
  timeouts: { computedAs: {}, adjusted: {} },
  "service-playbook": { computedAs: {}, adjusted: {} },
};

/** The facts the relations between derived facts tie together. */
export const relatedFacts: ReadonlySet<string> = new Set([
  ...amountGuarantees.flat(),
  "amount.capFen",
  "order.paidFen",
  "order.refundedFen",
  "refund.wholeOrder",
  "order.promotionKindCount",
  "order.hasShopCoupon",
  "order.hasThresholdDiscount",
]);

type Range = { lo: number; hi: number };
const meet = (a: Range, b: Range) => a.lo <= b.hi && b.lo <= a.hi;

/**
 * Whether cells of derived facts can hold together, as deriveAmounts and deriveFacts make them (each statement held by
 * semantics.test.ts on real cases): the guaranteed `x ≤ y`; the cap is paid − refunded (at least 0) when paid is given;
 * a whole-order refund's full price is the cap, a partial one's at most the items' price; a discount the order lacks
 * prorates nothing away; `order.promotionKindCount` counts the two kinds (shared/case-facts.ts `promotionKinds`).
 */
export function cellsAgree(fact: string, cells: ReadonlyMap<string, Cell>): boolean {
  if (!relatedFacts.has(fact)) return true;
  const range = (key: string): Range | undefined => {
    const cell = cells.get(key);
    return cell?.is === "range" ? cell : undefined;
  };
  const flag = (key: string): boolean | undefined => {
    const cell = cells.get(key);
    return cell?.is === "value" ? (cell.value as boolean) : undefined;
  };
  for (const [x, y] of amountGuarantees) {
    const below = range(x);
    const above = range(y);
    if (below && above && below.lo > above.hi) return false;
  }
  const cap = range("amount.capFen");
  const paid = range("order.paidFen");
  if (cap && paid) {
    const refunded = range("order.refundedFen") ?? { lo: 0, hi: Number.POSITIVE_INFINITY };
    if (!meet(cap, { lo: Math.max(0, paid.lo - refunded.hi), hi: Math.max(0, paid.hi - refunded.lo) })) return false;
  }
  const full = range("amount.fullPriceFen");
  const whole = flag("refund.wholeOrder");
  if (cap && full && whole === true && !meet(cap, full)) return false;
  // a partial refund's full price is min(items, cap): at most the items' price
  const items = range("refund.itemsFen");
  if (full && items && whole === false && full.lo > items.hi) return false;
  const count = range("order.promotionKindCount");
  const hasShop = flag("order.hasShopCoupon");
  const hasThreshold = flag("order.hasThresholdDiscount");
  const shop = count?.hi === 0 ? false : hasShop;
  const threshold = count?.hi === 0 ? false : hasThreshold;
  const coupon = range("amount.couponProrataFen");
  const thresholdAmount = range("amount.thresholdProrataFen");
  const mixed = range("amount.mixedProrataFen");
  // a discount the order lacks prorates nothing away: that formula refunds min(items, cap), as a partial full price does
  const same = (a: Range | undefined, b: Range | undefined) => !a || !b || meet(a, b);
  if (shop === false && !same(thresholdAmount, mixed)) return false;
  if (shop === false && threshold === false && !(same(coupon, thresholdAmount) && same(coupon, mixed))) return false;
  if (whole === false && shop === false && !same(coupon, full)) return false;
  if (whole === false && threshold === false && !same(thresholdAmount, full)) return false;
  if (count === undefined) return true;
  let least = 0;
  let most = 0;
  for (const kind of [hasShop, hasThreshold]) {
    if (kind === undefined) most++;
    else if (kind) {
      least++;
      most++;
    }
  }
  return most >= count.lo && least <= count.hi;
}
