import { z } from "zod";
import { isElapsedDuration } from "./duration.ts";

/** A reason callers can branch on (`code`) with a sentence a person can read (`message`). */
export const Reason = z.strictObject({
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/, "a reason code is UPPER_SNAKE_CASE"),
  message: z.string().min(1).max(500),
});
export type Reason = z.infer<typeof Reason>;

export const channels = ["refund_only", "return_and_refund", "after_sales_claim", "message_review", "none"] as const;
export const formulas = ["full_price", "coupon_prorata", "threshold_prorata", "mixed_prorata"] as const;
export const parties = ["seller", "buyer"] as const;
export const settlements = ["freight_collect", "buyer_advances_seller_reimburses", "none"] as const;
/** Where a timer's clock starts: a timestamp of the case. */
export const timerStarts = ["refund.stateSince", "refund.appliedAt", "order.completedAt"] as const;

const duration = z.string().refine(isElapsedDuration, {
  params: { code: "not_duration" },
  message: "an ISO 8601 duration of weeks, days, hours, minutes or seconds (P7D, PT48H); years and months have no fixed length",
});

// ── refund-eligibility ──────────────────────────────────────────────────────────────────────────

export const EligibilityDecision = z.strictObject({
  eligible: z.boolean(),
  channel: z.enum(channels),
  requiresReturn: z.boolean(),
  maxRefundableFen: z.number().int().min(0),
  formula: z.enum(formulas),
  manualReview: z.boolean(),
  reasons: z.array(Reason),
});
export type EligibilityDecision = z.infer<typeof EligibilityDecision>;

/** What one rule's event may set. `maxRefundableFen` is not here: it follows from `formula`. */
export const EligibilityParams = EligibilityDecision.omit({ maxRefundableFen: true }).partial();

// ── shipping-fee ────────────────────────────────────────────────────────────────────────────────

export const ShippingDecision = z.strictObject({
  returnShippingPayer: z.enum(parties),
  outboundShippingPayer: z.enum(parties),
  refundOutboundShipping: z.boolean(),
  freightCollectAllowed: z.boolean(),
  settlement: z.enum(settlements),
});
export type ShippingDecision = z.infer<typeof ShippingDecision>;

/** `refundOutboundShipping` and `settlement` follow from the other fields and the case. */
export const ShippingParams = ShippingDecision.omit({ refundOutboundShipping: true, settlement: true }).partial();

// ── timeouts ────────────────────────────────────────────────────────────────────────────────────

export const TimerSpec = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]*$/, "a timer key is snake_case"),
  duration,
  onExpiry: z.string().regex(/^[a-z][a-z0-9_]*$/, "an expiry action is snake_case"),
  from: z.enum(timerStarts),
});
export type TimerSpec = z.infer<typeof TimerSpec>;

export const Timer = TimerSpec.extend({ deadline: z.iso.datetime().optional() });
export type Timer = z.infer<typeof Timer>;

export const TimeoutsDecision = z.strictObject({ timers: z.array(Timer) });
export type TimeoutsDecision = z.infer<typeof TimeoutsDecision>;

export const TimeoutsParams = z.strictObject({ timers: z.array(TimerSpec) }).partial();

// ── the rule sets ───────────────────────────────────────────────────────────────────────────────

/**
 * Each shipped rule set: the schema of its decision, what a rule's event may set, the defaults'
 * schema (every field a rule may set), and the list fields that fired rules concatenate, with the
 * key that makes an entry unique (the first entry with a key wins).
 */
export const ruleSetKinds = {
  "refund-eligibility": {
    decision: EligibilityDecision,
    params: EligibilityParams,
    defaults: EligibilityDecision.omit({ maxRefundableFen: true }),
    lists: { reasons: "code" },
  },
  "shipping-fee": {
    decision: ShippingDecision,
    params: ShippingParams,
    defaults: ShippingDecision.omit({ refundOutboundShipping: true, settlement: true }),
    lists: { },
  },
  timeouts: {
    decision: TimeoutsDecision,
    params: TimeoutsParams,
    defaults: z.strictObject({ timers: z.array(TimerSpec) }),
    lists: { timers: "key" },
  },
} as const satisfies Record<string, { decision: z.ZodType; params: z.ZodType; defaults: z.ZodType; lists: Record<string, string> }>;

export type RuleSetKind = keyof typeof ruleSetKinds;
export const ruleSetKindNames = Object.keys(ruleSetKinds) as RuleSetKind[];
export function isRuleSetKind(key: string): key is RuleSetKind {
  return Object.hasOwn(ruleSetKinds, key);
}
