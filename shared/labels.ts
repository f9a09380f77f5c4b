import type { Label } from "./fact-catalog.ts";
import { kindModules } from "./kinds/index.ts";
import { timerLabels as timeoutsLabels } from "./kinds/timeouts.ts";

/**
 * Plain-language names for every enum value and decision field, in Chinese and English, so that
 * the admin never shows a policy manager a code where a word will do. The case's values are here; each
 * rule-set kind's names, fields and values are in its module (shared/kinds/).
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
  // problem.kind (S19; damaged_in_transit is the refund reason's)
  not_as_expected: { zh: "与想象不符", en: "Not as expected" },
  unhappy_with_service: { zh: "对客服不满意", en: "Unhappy with the service" },
  fulfilment_error: { zh: "配货纰漏", en: "Fulfilment error" },
  late_delivery: { zh: "到货延迟", en: "Late delivery" },
  // the decisions' values: each kind's own (shared/kinds/)
  ...Object.assign({}, ...kindModules.map((kind) => kind.labels.values)),
};

/** The decisions' fields and their list entries' fields, from each kind's module. */
export const fieldLabels: Record<string, Label> = Object.assign({}, ...kindModules.map((kind) => kind.labels.fields));

/** Timer keys and expiry actions shipped with the default rules. */
export const timerLabels: Record<string, Label> = { ...timeoutsLabels };

/** The shipped rule sets' names and what each decides, for the admin in either language. */
export const ruleSetLabels: Record<string, { name: Label; description: Label }> = Object.fromEntries(
  kindModules.map((kind) => [kind.key, { name: kind.labels.name, description: kind.labels.description }]),
);

export type Lang = "zh" | "en";

export function labelOf(table: Record<string, Label>, key: string, lang: Lang): string {
  return table[key]?.[lang] ?? key;
}
