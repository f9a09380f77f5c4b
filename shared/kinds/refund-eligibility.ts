import { z } from "zod";
import { formatYuan } from "../money.ts";
import type { PeriodClock } from "../periods.ts";
import { Reason, splitOutcome, type RuleSetKindModule } from "./kind.ts";

export const channels = ["refund_only", "return_and_refund", "after_sales_claim", "message_review", "none"] as const;
export const formulas = ["full_price", "coupon_prorata", "threshold_prorata", "mixed_prorata"] as const;

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

export const AMOUNT_EXCEEDS_MAX = "AMOUNT_EXCEEDS_MAX";
/** A counted condition consulted a year the working-day calendar does not hold: its days were counted as weekends only. */
export const CALENDAR_YEAR_UNKNOWN = "CALENDAR_YEAR_UNKNOWN";

/** The derived amount (server/engine/amounts.ts) each formula refunds. */
const formulaAmount: Record<string, string> = {
  full_price: "fullPriceFen",
  coupon_prorata: "couponProrataFen",
  threshold_prorata: "thresholdProrataFen",
  mixed_prorata: "mixedProrataFen",
};

const words = {
  anyEligible: { zh: "可退款（任一渠道）", en: "Eligible (any channel)" },
  eligible: { zh: "可退款·{channel}", en: "Eligible · {channel}" },
  notEligible: { zh: "不可退款", en: "Not eligible" },
};

export const refundEligibility = {
  key: "refund-eligibility",
  decision: EligibilityDecision,
  params: EligibilityParams,
  defaults: EligibilityDecision.omit({ maxRefundableFen: true }),
  lists: { reasons: "code" },
  computed: ["maxRefundableFen"],
  /**
   * `maxRefundableFen` is the chosen formula's amount (S9, S10), capped by paid − refunded (S11); a request above it is
   * not eligible (`AMOUNT_EXCEEDS_MAX`). A window counted with a year the calendar lacks is flagged
   * (`CALENDAR_YEAR_UNKNOWN`): the decision stands, counted with weekends only, and a person can check it.
   */
  complete(decision, facts, derived, _nowMs?: number, periods?: PeriodClock) {
    const maxRefundableFen = derived.amount[formulaAmount[decision.formula as string]!]!;
    const reasons = [...(decision.reasons as Reason[])];
    let eligible = decision.eligible as boolean;
    const requested = facts.refund.requestedFen;
    if (requested !== undefined && requested > maxRefundableFen) {
      eligible = false;
      if (!reasons.some((r) => r.code === AMOUNT_EXCEEDS_MAX)) {
        reasons.push({
          code: AMOUNT_EXCEEDS_MAX,
          message: `申请金额 ${formatYuan(requested)} 元超过最大可退金额 ${formatYuan(maxRefundableFen)} 元`,
        });
      }
    }
    if (
      periods !== undefined &&
      periods.unknownYears.size > 0 &&
      !reasons.some((r) => r.code === CALENDAR_YEAR_UNKNOWN)
    ) {
      const years = [...periods.unknownYears].sort((a, b) => a - b).join("、");
      reasons.push({ code: CALENDAR_YEAR_UNKNOWN, message: `${years} 年的节假日安排尚未录入，期限按周末计算` });
    }
    return {
      eligible,
      channel: decision.channel,
      requiresReturn: decision.requiresReturn,
      maxRefundableFen,
      formula: decision.formula,
      manualReview: decision.manualReview,
      reasons,
    };
  },
  outcome: {
    write: (decision) => `${decision.eligible ? "eligible" : "not_eligible"}:${String(decision.channel)}`,
    read(outcome) {
      const [head, channel] = splitOutcome(outcome);
      if (head === "eligible")
        return channel
          ? { words: words.eligible, values: { channel }, tone: "ok" }
          : { words: words.anyEligible, tone: "ok" };
      // the channel of a refusal says nothing a reader needs
      if (head === "not_eligible") return { words: words.notEligible, tone: "warn" };
      return undefined;
    },
    options: ["eligible", ...channels.filter((c) => c !== "none").map((c) => `eligible:${c}`), "not_eligible"],
  },
  labels: {
    name: { zh: "退款资格与最大可退金额", en: "Refund eligibility and maximum amount" },
    description: {
      zh: "能否退款、走哪个渠道、是否需要退货、最多退多少（S1、S9–S11、S16–S18）。",
      en: "Whether a refund can happen, through which channel, whether the goods must come back, and how much at most (S1, S9–S11, S16–S18).",
    },
    fields: {
      eligible: { zh: "可以退款", en: "Eligible" },
      channel: { zh: "退款渠道", en: "Channel" },
      requiresReturn: { zh: "需要退货", en: "Return required" },
      maxRefundableFen: { zh: "最大可退金额", en: "Maximum refundable" },
      formula: { zh: "计算方式", en: "Formula" },
      manualReview: { zh: "需人工复核", en: "Manual review" },
      reasons: { zh: "原因", en: "Reasons" },
      code: { zh: "原因代码", en: "Reason code" },
      message: { zh: "说明", en: "Message" },
    },
    values: {
      // channel
      refund_only: { zh: "仅退款", en: "Refund only" },
      return_and_refund: { zh: "退货退款", en: "Return and refund" },
      after_sales_claim: { zh: "售后保障维权", en: "After-sales claim" },
      message_review: { zh: "留言举证，客服核实", en: "Message for review" },
      none: { zh: "无", en: "None" },
      // formula
      full_price: { zh: "按原价", en: "Full price" },
      coupon_prorata: { zh: "按优惠券分摊", en: "Coupon prorated" },
      threshold_prorata: { zh: "按满就减分摊", en: "Threshold discount prorated" },
      mixed_prorata: { zh: "多种优惠分摊（人工复核）", en: "All discounts prorated (manual review)" },
    },
  },
} as const satisfies RuleSetKindModule<"refund-eligibility">;
