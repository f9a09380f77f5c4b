import type { CaseFacts } from "../../shared/case-facts.ts";
import { deriveAmounts } from "./amounts.ts";

/** The facts the rules read: the case as sent (with defaults) plus the derived values. */
export type RuleFacts = {
  order: Record<string, unknown>;
  refund: Record<string, unknown>;
  shipping: Record<string, unknown>;
  claim: Record<string, unknown>;
  problem: Record<string, unknown>;
  elapsed: Record<string, number | undefined>;
  amount: Record<string, number>;
};

/**
 * Computes everything the rules compare so that rules never do date maths or arithmetic:
 * elapsed time in milliseconds since each moment of the case (undefined when the moment is
 * absent), the amounts of every refund formula, and which kinds of discount the order has.
 */
export function deriveFacts(facts: CaseFacts, nowMs: number): RuleFacts {
  const { order, refund } = facts;
  const amounts = deriveAmounts(facts);
  const kinds = new Set<string>();
  for (const promotion of order.promotions) kinds.add(promotion.kind);
  // Object.assign then the new keys: V8 builds a spread followed by more keys far more slowly
  const orderFacts: Record<string, unknown> = Object.assign({}, order);
  orderFacts.promotionKindCount = kinds.size;
  orderFacts.hasShopCoupon = kinds.has("shop_coupon");
  orderFacts.hasThresholdDiscount = kinds.has("threshold_discount");
  const refundFacts: Record<string, unknown> = Object.assign({}, refund);
  refundFacts.wholeOrder = refund.items === undefined;
  refundFacts.itemsFen = amounts.itemsFen;
  refundFacts.sevenDayReturnSupported = sevenDayReturnSupported(facts);
  return {
    order: orderFacts,
    refund: refundFacts,
    shipping: facts.shipping,
    claim: facts.claim,
    problem: facts.problem,
    elapsed: {
      sinceShipped: since(order.shippedAt, nowMs),
      sinceDelivered: since(order.deliveredAt, nowMs),
      sinceCompleted: since(order.completedAt, nowMs),
      sinceApplied: since(refund.appliedAt, nowMs),
      inState: since(refund.stateSince, nowMs),
    },
    amount: {
      capFen: amounts.capFen,
      fullPriceFen: amounts.fullPriceFen,
      couponProrataFen: amounts.couponProrataFen,
      thresholdProrataFen: amounts.thresholdProrataFen,
      mixedProrataFen: amounts.mixedProrataFen,
    },
  };
}

/** S16: an item supports seven-day returns unless it is flagged otherwise; every refunded item must. */
function sevenDayReturnSupported({ order, refund }: CaseFacts): boolean {
  if (refund.items === undefined) return order.items.every((item) => item.sevenDayReturn !== false);
  if (order.items.every((item) => item.sevenDayReturn !== false)) return true;
  const itemsById = new Map(order.items.map((item) => [item.id, item]));
  return refund.items.every((wanted) => itemsById.get(wanted.id)?.sevenDayReturn !== false);
}

function since(timestamp: string | undefined, nowMs: number): number | undefined {
  return timestamp === undefined ? undefined : nowMs - Date.parse(timestamp);
}
