import { z } from "zod";

/** Order statuses a case can be in (decision-api.md, "The case"). */
export const orderStatuses = ["paid", "shipped", "delivered", "completed", "closed"] as const;
export const productTypes = ["physical", "virtual"] as const;
export const promotionKinds = ["shop_coupon", "threshold_discount"] as const;
export const refundReasons = [
  "no_reason_7d",
  "quality_issue",
  "not_as_described",
  "wrong_item",
  "damaged_in_transit",
  "not_received",
  "other",
] as const;
export const refundStates = [
  "waiting_seller",
  "seller_refused",
  "waiting_buyer_return",
  "waiting_seller_confirm",
  "refunded",
  "closed",
] as const;

/** Amounts are whole fen (分). The ceiling (10 billion yuan) keeps sums exact as JS numbers. */
export const MAX_FEN = 1e12;
/** An order's original price may not exceed this, so every derived amount is a safe integer. */
export const MAX_ORDER_FEN = 1e15;
const fen = z.number().int().min(0).max(MAX_FEN);
const timestamp = z.iso.datetime({ offset: true, local: false });

export const OrderItem = z.strictObject({
  id: z.string().min(1).max(100),
  priceFen: fen,
  quantity: z.number().int().min(1).max(100_000),
  /** S16: the item supports seven-day no-reason returns; absent means it does. */
  sevenDayReturn: z.boolean().optional(),
});

export const Promotion = z.strictObject({
  kind: z.enum(promotionKinds),
  amountFen: fen,
});

export const Order = z.strictObject({
  status: z.enum(orderStatuses),
  productType: z.enum(productTypes).default("physical"),
  freeShipping: z.boolean().default(false),
  shippingFeeFen: fen.default(0),
  items: z.array(OrderItem).max(500).default([]),
  promotions: z.array(Promotion).max(50).default([]),
  paidFen: fen.optional(),
  refundedFen: fen.default(0),
  shippedAt: timestamp.optional(),
  deliveredAt: timestamp.optional(),
  completedAt: timestamp.optional(),
});

export const RefundItem = z.strictObject({
  id: z.string().min(1).max(100),
  quantity: z.number().int().min(1).max(100_000),
});

export const Refund = z.strictObject({
  items: z.array(RefundItem).max(500).optional(),
  goodsReceived: z.boolean().default(false),
  returnGoods: z.boolean().default(false),
  reason: z.enum(refundReasons).default("other"),
  requestedFen: fen.optional(),
  state: z.enum(refundStates).optional(),
  appliedAt: timestamp.optional(),
  stateSince: timestamp.optional(),
});

export const Shipping = z.strictObject({
  deliveryRefused: z.boolean().default(false),
  freightCollect: z.boolean().default(false),
  sellerConsentsFreightCollect: z.boolean().default(false),
  sellerAgreedToPayReturn: z.boolean().default(false),
});

export const Claim = z.strictObject({
  used: z.boolean().default(false),
});

/** What an absent refund, shipping or claim reads as, parsed once (a decision's facts are never changed). */
const noRefund = Refund.parse({});
const noShipping = Shipping.parse({});
const noClaim = Claim.parse({});

/**
 * The case every rule set reads. Fields a rule set does not need may be left out; the defaults
 * here are the neutral reading of an absent field (no postage, nothing refunded, nothing refused).
 */
export const CaseFacts = z
  .strictObject({
    now: timestamp.optional(),
    order: Order,
    refund: Refund.default(() => ({ ...noRefund })),
    shipping: Shipping.default(() => ({ ...noShipping })),
    claim: Claim.default(() => ({ ...noClaim })),
  })
  .superRefine((facts, ctx) => {
    for (const problem of caseConsistencyProblems(facts)) ctx.addIssue({ code: "custom", ...problem });
  });

/**
 * What the case schema's types cannot say: the order's original price fits MAX_ORDER_FEN, item ids are unique, and a
 * refund names only ordered items, no more of each than was ordered. Empty for a consistent case. (The decision
 * endpoint's compiled validator runs it too: server/decisions/case-validator.ts.)
 */
export function caseConsistencyProblems(facts: {
  order: { shippingFeeFen: number; items: readonly { id: string; priceFen: number; quantity: number }[] };
  refund: { items?: readonly { id: string; quantity: number }[] | undefined };
}): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const original = facts.order.items.reduce((sum, item) => sum + item.priceFen * item.quantity, facts.order.shippingFeeFen);
  if (original > MAX_ORDER_FEN) problems.push({ path: ["order", "items"], message: `the order's original price exceeds ${MAX_ORDER_FEN} fen` });
  const ordered = new Map<string, number>();
  facts.order.items.forEach((item, index) => {
    if (ordered.has(item.id)) problems.push({ path: ["order", "items", index, "id"], message: `item id "${item.id}" appears twice` });
    ordered.set(item.id, item.quantity);
  });
  const requested = new Map<string, number>();
  facts.refund.items?.forEach((item, index) => {
    const quantity = ordered.get(item.id);
    if (quantity === undefined) {
      problems.push({ path: ["refund", "items", index, "id"], message: `no order item has id "${item.id}"` });
      return;
    }
    const total = (requested.get(item.id) ?? 0) + item.quantity;
    requested.set(item.id, total);
    if (total > quantity) {
      problems.push({ path: ["refund", "items", index, "quantity"], message: `refunds ${total} of item "${item.id}" but the order has ${quantity}` });
    }
  });
  return problems;
}

export type CaseFactsInput = z.input<typeof CaseFacts>;
export type CaseFacts = z.output<typeof CaseFacts>;
