import { z } from "zod";
import { joinPath } from "./dotted-path.ts";
import { fieldProblem, type FieldCode, type FieldProblem } from "./problems.ts";

/** Order statuses a case can be in (docs/api.md, "The case (facts)"). */
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
/** S19: the kinds of after-sales problem the service playbook handles. */
export const problemKinds = [
  "not_as_expected",
  "unhappy_with_service",
  "fulfilment_error",
  "late_delivery",
  "damaged_in_transit",
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
  /**
   * The caller's order number: logged with the decision and searchable in the decision log; no rule reads it. Without
   * U+0000, which PostgreSQL's text cannot hold: a decision whose order number had it would be answered but not logged.
   */
  id: z
    .string()
    .min(1)
    .max(64)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is the one character refused
    .regex(/^[^\u0000]*$/, "U+0000 is not allowed in an order number")
    .optional(),
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
  /** The buyer wants a replacement, not money: shipping-fee then also answers who pays to send it. */
  exchange: z.boolean().default(false),
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

/** How late a delivery may be said to be: a year is far past any playbook threshold. */
export const MAX_DAYS_LATE = 365;

/**
 * S19: the after-sales problem customer service is handling, for the service playbook. Every field may be left out:
 * no `kind` is no problem named, no `firstComplaint` is not known to be a repeat.
 */
export const Problem = z.strictObject({
  kind: z.enum(problemKinds).optional(),
  daysLate: z.number().int().min(0).max(MAX_DAYS_LATE).optional(),
  firstComplaint: z.boolean().optional(),
});

/** What an absent refund, shipping or claim reads as, parsed once (a decision's facts are never changed). */
const noRefund = Refund.parse({});
const noShipping = Shipping.parse({});
const noClaim = Claim.parse({});
const noProblem = Problem.parse({});

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
    problem: Problem.default(() => ({ ...noProblem })),
  })
  .superRefine((facts, ctx) => {
    for (const { code, params, ...problem } of caseConsistencyProblems(facts))
      ctx.addIssue({ code: "custom", ...problem, params: { code, ...params } });
  });

/** The years a moment of a case may be written in: far from JavaScript's and RFC 3339's limits, deadlines included. */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2999;
const FIRST_YEAR_TEXT = String(FIRST_YEAR);
const AFTER_LAST_YEAR_TEXT = String(LAST_YEAR + 1);

/** A case's moments, as the consistency checks read them. */
type Moments = {
  now?: string | undefined;
  order: { shippedAt?: string | undefined; deliveredAt?: string | undefined; completedAt?: string | undefined };
  refund: { appliedAt?: string | undefined; stateSince?: string | undefined };
};

/** The moments after `now`: each one's path and how to read it from a case. */
const LATER_MOMENTS: readonly { path: (string | number)[]; of: (facts: Moments) => string | undefined }[] = [
  { path: ["order", "shippedAt"], of: (facts) => facts.order.shippedAt },
  { path: ["order", "deliveredAt"], of: (facts) => facts.order.deliveredAt },
  { path: ["order", "completedAt"], of: (facts) => facts.order.completedAt },
  { path: ["refund", "appliedAt"], of: (facts) => facts.refund.appliedAt },
  { path: ["refund", "stateSince"], of: (facts) => facts.refund.stateSince },
];
const MOMENTS = [{ path: ["now"], of: (facts: Moments) => facts.now }, ...LATER_MOMENTS];

/** How far a moment of the case may lie after `now`: the two clocks' skew, not the future. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Moments later than `nowMs` by more than the clock skew: a delivery that has not happened yet would count as inside
 * every window. `nowMs` is the case's `now`, or the server's clock when the case has none, so this runs where a case is
 * decided (decide() in server/decisions/service.ts) rather than in the schema, which does not know the server's clock.
 */
export function momentsAfterNow(facts: Moments, nowMs: number): readonly FieldProblem[] {
  // built only for a case that has such moments: this runs on every decision
  let problems: FieldProblem[] | undefined;
  for (const moment of LATER_MOMENTS) {
    const value = moment.of(facts);
    if (value === undefined || notAfter(value, facts.now)) continue;
    if (Date.parse(value) > nowMs + CLOCK_SKEW_MS) {
      const now = new Date(nowMs).toISOString();
      const minutes = CLOCK_SKEW_MS / 60_000;
      problems ??= [];
      problems.push(
        fieldProblem(
          joinPath(moment.path),
          "moment_after_now",
          { now, minutes },
          `is later than now (${now}) by more than ${minutes} minutes`,
        ),
      );
    }
  }
  return problems ?? NONE;
}
const NONE: readonly never[] = Object.freeze([]);

/**
 * Whether `moment` is `now` or earlier, decided on the text when both are written alike (the same length and offset, as
 * callers mostly send them): then the text orders as the time does, and the common case needs no Date.parse.
 */
function notAfter(moment: string, now: string | undefined): boolean {
  if (now === undefined || moment.length !== now.length) return false;
  // the offset: `Z`, or `+hh:mm` / `-hh:mm`
  const offsetLength = now.endsWith("Z") ? 1 : 6;
  for (let i = now.length - offsetLength; i < now.length; i++)
    if (moment.charCodeAt(i) !== now.charCodeAt(i)) return false;
  return moment <= now;
}

/** A consistency problem of a case, at its path as zod keeps it. */
type CaseProblem = { path: (string | number)[]; code: FieldCode; params: Record<string, unknown>; message: string };

/**
 * What the case schema's types cannot say: every moment is written in a year from FIRST_YEAR to LAST_YEAR, the order's
 * original price fits MAX_ORDER_FEN, item ids are unique, and a refund names only ordered items, no more of each than
 * was ordered. Empty for a consistent case. (The decision endpoint's compiled validator runs it too:
 * server/decisions/case-validator.ts.)
 */
export function caseConsistencyProblems(
  facts: Moments & {
    order: { shippingFeeFen: number; items: readonly { id: string; priceFen: number; quantity: number }[] };
    refund: { items?: readonly { id: string; quantity: number }[] | undefined };
  },
): CaseProblem[] {
  const problems: CaseProblem[] = [];
  for (const moment of MOMENTS) {
    const value = moment.of(facts);
    // the schema's pattern has made the first four characters the year as written
    if (value !== undefined && (value < FIRST_YEAR_TEXT || value >= AFTER_LAST_YEAR_TEXT)) {
      problems.push({
        path: [...moment.path],
        code: "year_out_of_range",
        params: { minimum: FIRST_YEAR, maximum: LAST_YEAR },
        message: `the year must be from ${FIRST_YEAR} to ${LAST_YEAR}`,
      });
    }
  }
  const original = facts.order.items.reduce(
    (sum, item) => sum + item.priceFen * item.quantity,
    facts.order.shippingFeeFen,
  );
  if (original > MAX_ORDER_FEN) {
    problems.push({
      path: ["order", "items"],
      code: "order_too_expensive",
      params: { maximum: MAX_ORDER_FEN },
      message: `the order's original price exceeds ${MAX_ORDER_FEN} fen`,
    });
  }
  const ordered = new Map<string, number>();
  facts.order.items.forEach((item, index) => {
    if (ordered.has(item.id))
      problems.push({
        path: ["order", "items", index, "id"],
        code: "duplicate_id",
        params: { id: item.id },
        message: `item id "${item.id}" appears twice`,
      });
    ordered.set(item.id, item.quantity);
  });
  const requested = new Map<string, number>();
  facts.refund.items?.forEach((item, index) => {
    const quantity = ordered.get(item.id);
    if (quantity === undefined) {
      problems.push({
        path: ["refund", "items", index, "id"],
        code: "unknown_item",
        params: { id: item.id },
        message: `no order item has id "${item.id}"`,
      });
      return;
    }
    const total = (requested.get(item.id) ?? 0) + item.quantity;
    requested.set(item.id, total);
    if (total > quantity) {
      problems.push({
        path: ["refund", "items", index, "quantity"],
        code: "refund_exceeds_order",
        params: { id: item.id, requested: total, ordered: quantity },
        message: `refunds ${total} of item "${item.id}" but the order has ${quantity}`,
      });
    }
  });
  return problems;
}

export type CaseFactsInput = z.input<typeof CaseFacts>;
export type CaseFacts = z.output<typeof CaseFacts>;
