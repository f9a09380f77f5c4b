import { z } from "zod";
import { MAX_FEN } from "../case-facts.ts";
import { TemplateKey } from "../reply-templates.ts";
import { OWN_VALUE, splitOutcome, type RuleSetKindModule } from "./kind.ts";

/** S19: why each kind of after-sales problem happens; `unclassified` when the case names none. */
export const causes = [
  "expectation_gap",
  "service_attitude",
  "fulfilment_mistake",
  "slow_dispatch_or_carrier",
  "carrier_damage",
  "unclassified",
] as const;

/** S19: what customer service does, in the order it does it. */
export const playbookActions = [
  "apologise",
  "explain_design",
  "offer_return_policy",
  "check_order_and_compensate",
  "compensate_next_order",
  "escalate",
  "seller_bears_transit_risk",
] as const;

/**
 * The starting reply templates: the seed's scripts, and one for each problem the seed gives no script
 * (`apology_service`, `fulfilment_error`, `damaged_in_transit`). A rule may name any template the admin has published
 * (a publish naming one that is not is refused); these are the ones every database starts with.
 */
export const replyTemplates = [
  "not_as_expected_thin_fabric",
  "colour_difference",
  "size_not_fitting",
  "wants_return",
  "late_delivery",
  "shipped_notice",
  "in_transit_notice",
  "thanks_after_review",
  "apology_service",
  "fulfilment_error",
  "damaged_in_transit",
] as const;

export const PlaybookDecision = z.strictObject({
  cause: z.enum(causes),
  // each action once: the fold keeps the first of each code
  actions: z.array(z.enum(playbookActions)).max(playbookActions.length),
  compensationFen: z.number().int().min(0).max(MAX_FEN),
  template: TemplateKey,
});
export type PlaybookDecision = z.infer<typeof PlaybookDecision>;

/** Every field is the rules': nothing is computed. */
export const PlaybookParams = PlaybookDecision.partial();

const words = { cause: { zh: "原因：{cause}", en: "Cause: {cause}" } };

export const servicePlaybook = {
  key: "service-playbook",
  decision: PlaybookDecision,
  params: PlaybookParams,
  defaults: PlaybookDecision,
  lists: { actions: OWN_VALUE },
  computed: [],
  /** The folded decision as it is, in the order `decision` lists its fields. */
  complete: (decision) => ({
    cause: decision.cause,
    actions: decision.actions,
    compensationFen: decision.compensationFen,
    template: decision.template,
  }),
  outcome: {
    write: (decision) => `cause:${String(decision.cause)}`,
    read(outcome) {
      const [head, cause] = splitOutcome(outcome);
      if (head !== "cause" || !(causes as readonly string[]).includes(cause ?? "")) return undefined;
      // a problem no rule recognised needs a person's eye
      return { words: words.cause, values: { cause: cause! }, tone: cause === "unclassified" ? "warn" : "muted" };
    },
    options: causes.map((cause) => `cause:${cause}`),
  },
  labels: {
    name: { zh: "售后服务指引", en: "After-sales service playbook" },
    description: {
      zh: "客服如何处理五类售后问题：原因、处理步骤、补偿金额和回复模板（S19）。",
      en: "How customer service handles the five kinds of after-sales problem: the cause, the steps, the compensation and the reply template (S19).",
    },
    fields: {
      cause: { zh: "问题原因", en: "Cause" },
      actions: { zh: "处理步骤", en: "Actions" },
      compensationFen: { zh: "补偿金额", en: "Compensation" },
      template: { zh: "回复模板", en: "Reply template" },
    },
    values: {
      // causes
      expectation_gap: { zh: "期望过高（图片或介绍夸大）", en: "Expectations raised by photos or sales talk" },
      service_attitude: { zh: "客服态度", en: "Staff attitude" },
      fulfilment_mistake: { zh: "配货出错（错发、漏发）", en: "Wrong or missing goods" },
      slow_dispatch_or_carrier: { zh: "发货不及时或物流慢", en: "Slow dispatch or carrier" },
      carrier_damage: { zh: "快递损坏商品", en: "Damaged by the carrier" },
      unclassified: { zh: "未分类", en: "Unclassified" },
      // actions
      apologise: { zh: "道歉", en: "Apologise" },
      explain_design: { zh: "解释设计理念", en: "Explain the design" },
      offer_return_policy: { zh: "告知退换货须知", en: "Offer the return policy" },
      check_order_and_compensate: { zh: "核查订单并补偿", en: "Check the order and compensate" },
      compensate_next_order: { zh: "下次购物补偿（下次有礼）", en: "Compensate on the next order" },
      escalate: { zh: "转主管处理", en: "Escalate to a supervisor" },
      seller_bears_transit_risk: { zh: "卖家承担运输风险（S15）", en: "Seller bears the transit risk (S15)" },
      // reply templates (those named like a problem or a refund reason take its words)
      not_as_expected_thin_fabric: { zh: "与想象不符：衣服太薄", en: "Not as expected: thin fabric" },
      colour_difference: { zh: "色差", en: "Colour difference" },
      size_not_fitting: { zh: "尺码不合身", en: "Size does not fit" },
      wants_return: { zh: "不满意想退货", en: "Unhappy, wants to return" },
      late_delivery: { zh: "到货延迟", en: "Late delivery" },
      shipped_notice: { zh: "发货通知", en: "Shipped notice" },
      in_transit_notice: { zh: "快递途中提醒", en: "In-transit notice" },
      thanks_after_review: { zh: "好评致谢", en: "Thanks after the review" },
      apology_service: { zh: "服务致歉", en: "Apology for the service" },
      fulfilment_error: { zh: "配货纰漏", en: "Fulfilment error" },
      damaged_in_transit: { zh: "运输途中损坏", en: "Damaged in transit" },
    },
  },
} as const satisfies RuleSetKindModule<"service-playbook">;
