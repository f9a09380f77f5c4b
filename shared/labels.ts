import type { Label } from "./fact-catalog.ts";

/**
 * Plain-language names for every enum value and decision field, in Chinese and English, so that
 * the admin never shows a policy manager a code where a word will do.
 */
export const valueLabels: Record<string, Label> = {
  // order.status
  paid: { zh: "已付款未发货", en: "Paid, not shipped" },
  shipped: { zh: "已发货", en: "Shipped" },
  delivered: { zh: "已签收", en: "Delivered" },
  completed: { zh: "交易成功", en: "Completed" },
  closed: { zh: "已关闭", en: "Closed" },
  // order.productType
  physical: { zh: "实物商品", en: "Physical goods" },
  virtual: { zh: "虚拟商品", en: "Virtual goods" },
  // promotions
  shop_coupon: { zh: "店铺优惠券", en: "Shop coupon" },
  threshold_discount: { zh: "满就减", en: "Threshold discount" },
  // refund.reason
  no_reason_7d: { zh: "七天无理由", en: "Seven-day no-reason return" },
  quality_issue: { zh: "质量问题", en: "Quality problem" },
  not_as_described: { zh: "与描述不符", en: "Not as described" },
  wrong_item: { zh: "发错货", en: "Wrong item" },
  damaged_in_transit: { zh: "运输途中损坏", en: "Damaged in transit" },
  not_received: { zh: "未收到货", en: "Not received" },
  other: { zh: "其他", en: "Other" },
  // refund.state
  waiting_seller: { zh: "等待卖家处理", en: "Waiting for the seller" },
  seller_refused: { zh: "卖家拒绝", en: "Seller refused" },
  waiting_buyer_return: { zh: "等待买家退货", en: "Waiting for the buyer's return" },
  waiting_seller_confirm: { zh: "等待卖家确认收货", en: "Waiting for the seller to confirm receipt" },
  refunded: { zh: "退款成功", en: "Refunded" },
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
  // parties
  seller: { zh: "卖家承担", en: "Seller pays" },
  buyer: { zh: "买家承担", en: "Buyer pays" },
  // settlement
  freight_collect: { zh: "运费到付", en: "Freight collect" },
  buyer_advances_seller_reimburses: { zh: "买家垫付，卖家事后补偿", en: "Buyer advances, seller reimburses" },
  // timer sources
  "refund.stateSince": { zh: "进入当前状态时", en: "When the current state began" },
  "refund.appliedAt": { zh: "申请退款时", en: "When the refund was applied for" },
  "order.completedAt": { zh: "交易成功时", en: "When the order completed" },
};

export const fieldLabels: Record<string, Label> = {
  eligible: { zh: "可以退款", en: "Eligible" },
  channel: { zh: "退款渠道", en: "Channel" },
  requiresReturn: { zh: "需要退货", en: "Return required" },
  maxRefundableFen: { zh: "最大可退金额", en: "Maximum refundable" },
  formula: { zh: "计算方式", en: "Formula" },
  manualReview: { zh: "需人工复核", en: "Manual review" },
  reasons: { zh: "原因", en: "Reasons" },
  returnShippingPayer: { zh: "退货运费", en: "Return postage" },
  outboundShippingPayer: { zh: "发货运费", en: "Outbound postage" },
  refundOutboundShipping: { zh: "退还买家所付邮费", en: "Refund the postage paid" },
  freightCollectAllowed: { zh: "允许到付", en: "Freight collect allowed" },
  settlement: { zh: "卖家运费结算方式", en: "Settlement of the seller's postage" },
  timers: { zh: "计时器", en: "Timers" },
  key: { zh: "计时器", en: "Timer" },
  duration: { zh: "时长", en: "Duration" },
  onExpiry: { zh: "到期后", en: "On expiry" },
  from: { zh: "起算时间", en: "Starts" },
  deadline: { zh: "截止时间", en: "Deadline" },
  code: { zh: "原因代码", en: "Reason code" },
  message: { zh: "说明", en: "Message" },
};

/** Timer keys and expiry actions shipped with the default rules. */
export const timerLabels: Record<string, Label> = {
  seller_response: { zh: "卖家处理退款申请", en: "Seller answers the request" },
  buyer_modify: { zh: "买家修改退款申请", en: "Buyer modifies the request" },
  buyer_return_shipment: { zh: "买家退货并填写单号", en: "Buyer ships the return" },
  seller_confirm_receipt: { zh: "卖家确认收到退货", en: "Seller confirms receipt" },
  cs_intervention_available: { zh: "可要求客服介入", en: "CS intervention available" },
  after_sales_claim_window: { zh: "售后维权期", en: "After-sales claim window" },
  auto_agree: { zh: "自动同意退款", en: "Agree automatically" },
  close_refund: { zh: "关闭退款", en: "Close the refund" },
  auto_refund: { zh: "自动退款", en: "Refund automatically" },
  enable_cs_intervention: { zh: "开放客服介入", en: "Open CS intervention" },
  close_claim_window: { zh: "关闭维权入口", en: "Close the claim window" },
};

/** The shipped rule sets' names and what each decides, for the admin in either language. */
export const ruleSetLabels: Record<string, { name: Label; description: Label }> = {
  "refund-eligibility": {
    name: { zh: "退款资格与最大可退金额", en: "Refund eligibility and maximum amount" },
    description: {
      zh: "能否退款、走哪个渠道、是否需要退货、最多退多少（S1、S9–S11、S16–S18）。",
      en: "Whether a refund can happen, through which channel, whether the goods must come back, and how much at most (S1, S9–S11, S16–S18).",
    },
  },
  "shipping-fee": {
    name: { zh: "运费承担", en: "Who pays the postage" },
    description: {
      zh: "谁承担发货运费与退货运费，能否到付，卖家承担的退货运费如何结算（S12–S16）。",
      en: "Who pays the outbound and return postage, whether the return may go freight collect, and how the seller's share is settled (S12–S16).",
    },
  },
  timeouts: {
    name: { zh: "超时规则", en: "Timeouts" },
    description: {
      zh: "退款各状态下运行的计时器、时长和到期后的处理（S4、S5、S7、S17）。",
      en: "Which timers run in each refund state, for how long, and what happens when they expire (S4, S5, S7, S17).",
    },
  },
};

export type Lang = "zh" | "en";

export function labelOf(table: Record<string, Label>, key: string, lang: Lang): string {
  return table[key]?.[lang] ?? key;
}
