import { MAX_DAYS_LATE, orderStatuses, problemKinds, productTypes, refundReasons, refundStates } from "./case-facts.ts";
import { factKey } from "./fact-ref.ts";

/**
 * The facts rules may read: one entry per `fact` + dotted `path`. Case fields are read as the
 * caller sent them (after defaults); derived facts are computed from the case before the rules
 * run, so that rules compare plain values and never do arithmetic or date maths themselves.
 */
export type FactType =
  | { kind: "enum"; values: readonly string[] }
  | { kind: "boolean" }
  | { kind: "money" }
  | { kind: "count" }
  | { kind: "duration" };

export type Label = { zh: string; en: string };

export type FactEntry = {
  fact: string;
  path: string;
  type: FactType;
  label: Label;
  /** Computed from the case rather than sent by the caller. */
  derived?: true;
  /** A count's largest value: what the static analysis takes as its domain. */
  maximum?: number;
};

const enumOf = (values: readonly string[]): FactType => ({ kind: "enum", values });
const boolean: FactType = { kind: "boolean" };
const money: FactType = { kind: "money" };
const count: FactType = { kind: "count" };
const duration: FactType = { kind: "duration" };

export const factCatalog: readonly FactEntry[] = [
  { fact: "order", path: "status", type: enumOf(orderStatuses), label: { zh: "订单状态", en: "Order status" } },
  { fact: "order", path: "productType", type: enumOf(productTypes), label: { zh: "商品类型", en: "Product type" } },
  { fact: "order", path: "freeShipping", type: boolean, label: { zh: "卖家包邮", en: "Free shipping" } },
  { fact: "order", path: "shippingFeeFen", type: money, label: { zh: "买家所付邮费", en: "Postage the buyer paid" } },
  { fact: "order", path: "paidFen", type: money, label: { zh: "实际付款", en: "Amount paid" } },
  { fact: "order", path: "refundedFen", type: money, label: { zh: "已退款金额", en: "Already refunded" } },
  {
    fact: "order",
    path: "promotionKindCount",
    type: count,
    label: { zh: "优惠种类数", en: "Kinds of discount" },
    derived: true,
    // the two promotion kinds of the case
    maximum: 2,
  },
  {
    fact: "order",
    path: "hasShopCoupon",
    type: boolean,
    label: { zh: "使用店铺优惠券", en: "Shop coupon used" },
    derived: true,
  },
  {
    fact: "order",
    path: "hasThresholdDiscount",
    type: boolean,
    label: { zh: "享受满就减", en: "Threshold discount applied" },
    derived: true,
  },
  {
    fact: "refund",
    path: "wholeOrder",
    type: boolean,
    label: { zh: "整单退款", en: "Whole-order refund" },
    derived: true,
  },
  { fact: "refund", path: "goodsReceived", type: boolean, label: { zh: "已收到货", en: "Goods received" } },
  { fact: "refund", path: "returnGoods", type: boolean, label: { zh: "需要退货", en: "Goods to be returned" } },
  { fact: "refund", path: "reason", type: enumOf(refundReasons), label: { zh: "退款原因", en: "Refund reason" } },
  { fact: "refund", path: "requestedFen", type: money, label: { zh: "申请退款金额", en: "Requested amount" } },
  { fact: "refund", path: "state", type: enumOf(refundStates), label: { zh: "退款状态", en: "Refund state" } },
  { fact: "refund", path: "exchange", type: boolean, label: { zh: "换货", en: "Exchange (replacement wanted)" } },
  {
    fact: "refund",
    path: "itemsFen",
    type: money,
    label: { zh: "退款商品原价", en: "Refunded items' price" },
    derived: true,
  },
  {
    fact: "refund",
    path: "sevenDayReturnSupported",
    type: boolean,
    label: { zh: "商品支持七天无理由", en: "Items support seven-day returns" },
    derived: true,
  },
  { fact: "shipping", path: "deliveryRefused", type: boolean, label: { zh: "买家拒签", en: "Buyer refused delivery" } },
  {
    fact: "shipping",
    path: "freightCollect",
    type: boolean,
    label: { zh: "退货运费到付", en: "Return sent freight collect" },
  },
  {
    fact: "shipping",
    path: "sellerConsentsFreightCollect",
    type: boolean,
    label: { zh: "卖家同意到付", en: "Seller consents to freight collect" },
  },
  {
    fact: "shipping",
    path: "sellerAgreedToPayReturn",
    type: boolean,
    label: { zh: "卖家同意承担退货运费", en: "Seller agreed to pay the return" },
  },
  { fact: "claim", path: "used", type: boolean, label: { zh: "已使用维权机会", en: "Claim already used" } },
  {
    fact: "problem",
    path: "kind",
    type: enumOf(problemKinds),
    label: { zh: "售后问题类型", en: "After-sales problem" },
  },
  {
    fact: "problem",
    path: "daysLate",
    type: count,
    label: { zh: "到货延迟天数", en: "Days late" },
    maximum: MAX_DAYS_LATE,
  },
  {
    fact: "problem",
    path: "firstComplaint",
    type: boolean,
    label: { zh: "首次投诉", en: "First complaint" },
  },
  {
    fact: "elapsed",
    path: "sinceShipped",
    type: duration,
    label: { zh: "发货后经过", en: "Time since shipment" },
    derived: true,
  },
  {
    fact: "elapsed",
    path: "sinceDelivered",
    type: duration,
    label: { zh: "签收后经过", en: "Time since delivery" },
    derived: true,
  },
  {
    fact: "elapsed",
    path: "sinceCompleted",
    type: duration,
    label: { zh: "交易成功后经过", en: "Time since completion" },
    derived: true,
  },
  {
    fact: "elapsed",
    path: "sinceApplied",
    type: duration,
    label: { zh: "申请退款后经过", en: "Time since the refund was applied for" },
    derived: true,
  },
  {
    fact: "elapsed",
    path: "inState",
    type: duration,
    label: { zh: "处于当前退款状态", en: "Time in the current refund state" },
    derived: true,
  },
  {
    fact: "amount",
    path: "capFen",
    type: money,
    label: { zh: "可退上限（实付−已退）", en: "Cap (paid − refunded)" },
    derived: true,
  },
  {
    fact: "amount",
    path: "fullPriceFen",
    type: money,
    label: { zh: "按原价可退", en: "Refundable at full price" },
    derived: true,
  },
  {
    fact: "amount",
    path: "couponProrataFen",
    type: money,
    label: { zh: "按优惠券分摊可退", en: "Refundable, coupon prorated" },
    derived: true,
  },
  {
    fact: "amount",
    path: "thresholdProrataFen",
    type: money,
    label: { zh: "按满就减分摊可退", en: "Refundable, threshold discount prorated" },
    derived: true,
  },
  {
    fact: "amount",
    path: "mixedProrataFen",
    type: money,
    label: { zh: "多种优惠分摊可退", en: "Refundable, all discounts prorated" },
    derived: true,
  },
];

const byKey = new Map(factCatalog.map((entry) => [factKey(entry.fact, entry.path), entry]));

/** The catalog entry for `fact` + `path`, or undefined when rules may not read it (every entry has a path). */
export function findFact(fact: string, path: string | undefined): FactEntry | undefined {
  return path ? byKey.get(factKey(fact, path)) : undefined;
}

/** The catalog entry whose factKey is `key` (`order.paidFen`), or undefined. */
export function findFactByKey(key: string): FactEntry | undefined {
  return byKey.get(key);
}

/** Which operators fit a fact of each kind, and what the value beside them must be. */
export const operatorsByKind = {
  enum: ["equal", "notEqual", "in", "notIn"],
  boolean: ["equal", "notEqual"],
  money: ["equal", "notEqual", "lessThan", "lessThanInclusive", "greaterThan", "greaterThanInclusive"],
  count: ["equal", "notEqual", "lessThan", "lessThanInclusive", "greaterThan", "greaterThanInclusive"],
  duration: ["withinDuration", "beyondDuration"],
} as const satisfies Record<FactType["kind"], readonly string[]>;

export type OperatorName = (typeof operatorsByKind)[keyof typeof operatorsByKind][number];
export const allOperators = [...new Set(Object.values(operatorsByKind).flat())] as OperatorName[];
