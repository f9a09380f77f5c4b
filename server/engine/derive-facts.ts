import type { CaseFacts } from "../../shared/case-facts.ts";
import { deriveAmounts } from "./amounts.ts";

/** The facts the rules read: the case as sent (with defaults) plus the derived values. */
export type RuleFacts = {
  order: Record<string, unknown>;
  refund: Record<string, unknown>;
  shipping: Record<string, unknown>;
  claim: Record<string, unknown>;
  elapsed: Record<string, number | undefined>;
  amount: Record<string, number>;
};

/**
 * Computes everything the rules compare so that rules never do date maths or arithmetic:
 * elapsed time in milliseconds since each moment of the case (absent when the moment is), the
 * amounts of every refund formula, and which kinds of discount the order has.
 */
export function deriveFacts(facts: CaseFacts, nowMs: number): RuleFacts {
  const { order, refund } = facts;
  const kinds = new Set(order.promotions.map((p) => p.kind));
  const amounts = deriveAmounts(facts);
  const itemsById = new Map(order.items.map((item) => [item.id, item]));
  const refundedItems = refund.items === undefined ? order.items : refund.items.map((r) => itemsById.get(r.id));
  return {
    order: {
      ...order,
      promotionKindCount: kinds.size,
      hasShopCoupon: kinds.has("shop_coupon"),
      hasThresholdDiscount: kinds.has("threshold_discount"),
    },
    refund: {
      ...refund,
      wholeOrder: refund.items === undefined,
      itemsFen: amounts.itemsFen,
      // S16: an item supports seven-day returns unless it is flagged otherwise
      sevenDayReturnSupported: refundedItems.every((item) => item?.sevenDayReturn !== false),
    },
    shipping: facts.shipping,
    claim: facts.claim,
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

function since(timestamp: string | undefined, nowMs: number): number | undefined {
  return timestamp === undefined ? undefined : nowMs - Date.parse(timestamp);
}
