import type { CaseFacts } from "../../shared/case-facts.ts";
import { durationMs } from "../../shared/duration.ts";
import { ruleSetKinds, type Reason, type RuleSetKind, type TimerSpec } from "../../shared/outputs.ts";
import type { RuleFacts } from "./derive-facts.ts";

/** A fired rule's contribution: its name and the partial decision in its event params. */
export type Firing = { name: string; params: Record<string, unknown> };

/**
 * Folds the fired rules into one decision. Rules are taken in evaluation order (priority high to
 * low; among equal priorities, the order of the rule list):
 * - a plain field takes the value of the first rule that sets it (first match wins per field);
 * - a list field (`reasons`, `timers`) concatenates every rule's entries, the first entry with a
 *   given key (reason code, timer key) winning;
 * - a field no fired rule sets takes the rule set's default.
 * Then the fields that follow from the others and the case are computed (`completeDecision`).
 */
export function foldFirings(kind: RuleSetKind, defaults: Record<string, unknown>, firings: readonly Firing[]): Record<string, unknown> {
  const lists: Record<string, string> = ruleSetKinds[kind].lists;
  const decision: Record<string, unknown> = {};
  const seen = new Map<string, Set<unknown>>();
  for (const { params } of firings) {
    for (const [field, value] of Object.entries(params)) {
      const key = lists[field];
      if (key === undefined) {
        if (!(field in decision)) decision[field] = value;
        continue;
      }
      const entries = (decision[field] ??= []) as unknown[];
      const keys = seen.get(field) ?? seen.set(field, new Set()).get(field)!;
      for (const entry of value as Record<string, unknown>[]) {
        if (keys.has(entry[key])) continue;
        keys.add(entry[key]);
        entries.push(entry);
      }
    }
  }
  for (const [field, value] of Object.entries(defaults)) {
    if (!(field in decision)) decision[field] = value;
    else if (field in lists && Array.isArray(value) && (decision[field] as unknown[]).length === 0) decision[field] = value;
  }
  return decision;
}

/**
 * The fields the contract defines from the others, never edited as rules:
 * - refund-eligibility: `maxRefundableFen` is the chosen formula's amount (S9, S10), capped by
 *   paid − refunded (S11); a request above it is not eligible (`AMOUNT_EXCEEDS_MAX`).
 * - shipping-fee: `refundOutboundShipping` only when the buyer paid postage and the seller finally
 *   bears it; `settlement` says how the seller's share of the return postage is paid (S13, S14).
 * - timeouts: each timer's `deadline`, when its start is known, in UTC.
 */
export function completeDecision(
  kind: RuleSetKind,
  decision: Record<string, unknown>,
  facts: CaseFacts,
  ruleFacts: RuleFacts,
): Record<string, unknown> {
  switch (kind) {
    case "refund-eligibility":
      return completeEligibility(decision, facts, ruleFacts);
    case "shipping-fee":
      return completeShipping(decision, facts);
    case "timeouts":
      return { timers: (decision.timers as TimerSpec[]).map((timer) => withDeadline(timer, facts)) };
  }
}

const formulaAmount: Record<string, string> = {
  full_price: "fullPriceFen",
  coupon_prorata: "couponProrataFen",
  threshold_prorata: "thresholdProrataFen",
  mixed_prorata: "mixedProrataFen",
};

export const AMOUNT_EXCEEDS_MAX = "AMOUNT_EXCEEDS_MAX";

function completeEligibility(decision: Record<string, unknown>, facts: CaseFacts, ruleFacts: RuleFacts) {
  const maxRefundableFen = ruleFacts.amount[formulaAmount[decision.formula as string]!]!;
  const reasons = [...(decision.reasons as Reason[])];
  let eligible = decision.eligible as boolean;
  const requested = facts.refund.requestedFen;
  if (requested !== undefined && requested > maxRefundableFen) {
    eligible = false;
    if (!reasons.some((r) => r.code === AMOUNT_EXCEEDS_MAX)) {
      reasons.push({
        code: AMOUNT_EXCEEDS_MAX,
        message: `申请金额 ${yuan(requested)} 元超过最大可退金额 ${yuan(maxRefundableFen)} 元`,
      });
    }
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
}

function completeShipping(decision: Record<string, unknown>, facts: CaseFacts) {
  const sellerBearsReturn = decision.returnShippingPayer === "seller";
  const freightCollect = facts.shipping.freightCollect && decision.freightCollectAllowed === true;
  return {
    returnShippingPayer: decision.returnShippingPayer,
    outboundShippingPayer: decision.outboundShippingPayer,
    refundOutboundShipping: facts.order.shippingFeeFen > 0 && decision.outboundShippingPayer === "seller",
    freightCollectAllowed: decision.freightCollectAllowed,
    settlement: !sellerBearsReturn ? "none" : freightCollect ? "freight_collect" : "buyer_advances_seller_reimburses",
  };
}

function withDeadline(timer: TimerSpec, facts: CaseFacts) {
  const start =
    timer.from === "refund.stateSince" ? facts.refund.stateSince : timer.from === "refund.appliedAt" ? facts.refund.appliedAt : facts.order.completedAt;
  const ms = durationMs(timer.duration);
  const deadline = start === undefined || ms === null ? Number.NaN : Date.parse(start) + ms;
  // a deadline past the calendar's end (a duration of millions of years) is left out, not thrown
  return Number.isFinite(new Date(deadline).getTime()) ? { ...timer, deadline: utc(deadline) } : { ...timer };
}

/** UTC, without milliseconds when there are none: `2026-11-30T02:00:00Z`. */
function utc(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

function yuan(fen: number): string {
  return `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, "0")}`;
}
