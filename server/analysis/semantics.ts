import type { RuleSetKind } from "../../shared/kinds/index.ts";
import type { Cell } from "./cells.ts";

/**
 * What the analysis knows of the engine beyond the rules, each statement held by a test (semantics.test.ts): relations
 * the derived amounts always keep, and how each kind's `complete` computes or changes a decision field.
 */

/**
 * `x ≤ y` for every case, as deriveAmounts (server/engine/amounts.ts) computes the amounts: each formula's amount is
 * capped by paid − refunded (S11), a prorated amount never exceeds the items' full price, and prorating more discounts
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

export type KindSemantics = {
  readonly computedAs: Readonly<Record<string, ComputedAs>>;
  readonly adjusted: Readonly<Record<string, Adjusted>>;
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
  "shipping-fee": { computedAs: {}, adjusted: {} },
  timeouts: { computedAs: {}, adjusted: {} },
};

/**
 * Whether cells of derived facts can hold together: `order.promotionKindCount` counts the kinds present, and the only
 * kinds are a shop coupon and a threshold discount (shared/case-facts.ts `promotionKinds`).
 */
export function cellsAgree(cells: ReadonlyMap<string, Cell>): boolean {
  const count = cells.get("order.promotionKindCount");
  if (count === undefined || count.is !== "range") return true;
  const kinds = ["order.hasShopCoupon", "order.hasThresholdDiscount"].map((fact) => cells.get(fact));
  let least = 0;
  let most = 0;
  for (const kind of kinds) {
    if (kind === undefined) most++;
    else if (kind.is === "value" && kind.value === true) {
      least++;
      most++;
    }
  }
  return most >= count.lo && least <= count.hi;
}
