import type { CaseFactsInput } from "../../shared/case-facts.ts";

type OrderInput = CaseFactsInput["order"];
type RefundInput = NonNullable<CaseFactsInput["refund"]>;

/** An order delivered two days before `now`, one 100-yuan item, no postage, no discount. */
export function anOrder(overrides: Partial<OrderInput> = {}): OrderInput {
  return {
    status: "delivered",
    productType: "physical",
    freeShipping: false,
    shippingFeeFen: 0,
    items: [{ id: "A", priceFen: 10_000, quantity: 1 }],
    promotions: [],
    paidFen: 10_000,
    refundedFen: 0,
    deliveredAt: "2026-11-18T10:00:00+08:00",
    ...overrides,
  };
}

export function aRefund(overrides: Partial<RefundInput> = {}): RefundInput {
  return { reason: "other", goodsReceived: true, returnGoods: false, ...overrides };
}

export const NOW = "2026-11-20T10:00:00+08:00";

/** A whole case at `NOW`. */
export function aCase(
  parts: {
    order?: Partial<OrderInput>;
    refund?: Partial<RefundInput>;
    shipping?: CaseFactsInput["shipping"];
    claim?: CaseFactsInput["claim"];
    now?: string;
  } = {},
): CaseFactsInput {
  return {
    now: parts.now ?? NOW,
    order: anOrder(parts.order),
    refund: aRefund(parts.refund),
    ...(parts.shipping ? { shipping: parts.shipping } : {}),
    ...(parts.claim ? { claim: parts.claim } : {}),
  };
}
