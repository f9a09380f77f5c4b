import { z } from "zod";
import { splitOutcome, type RuleSetKindModule } from "./kind.ts";

export const parties = ["seller", "buyer"] as const;
export const settlements = ["freight_collect", "buyer_advances_seller_reimburses", "none"] as const;

export const ShippingDecision = z.strictObject({
  returnShippingPayer: z.enum(parties),
  outboundShippingPayer: z.enum(parties),
  refundOutboundShipping: z.boolean(),
  freightCollectAllowed: z.boolean(),
  settlement: z.enum(settlements),
  /** Who pays to ship the replacement: only in the answer to an exchange (`refund.exchange`), which has that third leg. */
  replacementShippingPayer: z.enum(parties).optional(),
});
export type ShippingDecision = z.infer<typeof ShippingDecision>;

/** What the rules decide: every field but `refundOutboundShipping` and `settlement`, which follow from the others. */
const ShippingDecided = ShippingDecision.omit({ refundOutboundShipping: true, settlement: true }).extend({
  replacementShippingPayer: z.enum(parties),
});

/** `refundOutboundShipping` and `settlement` follow from the other fields and the case. */
export const ShippingParams = ShippingDecided.partial();

const words = { returnPayer: { zh: "退货运费：{payer}", en: "Return postage: {payer}" } };

export const shippingFee = {
  key: "shipping-fee",
  decision: ShippingDecision,
  params: ShippingParams,
  // the replacement's payer is decided for every case, and answered only for an exchange
  defaults: ShippingDecided,
  lists: {},
  computed: ["refundOutboundShipping", "settlement"],
  /**
   * `refundOutboundShipping` only when the buyer paid postage and the seller finally bears it; `settlement` says how the
   * seller's share of the return postage is paid (S13, S14); `replacementShippingPayer` only for an exchange.
   */
  complete(decision, facts) {
    const sellerBearsReturn = decision.returnShippingPayer === "seller";
    const freightCollect = facts.shipping.freightCollect && decision.freightCollectAllowed === true;
    const completed: Record<string, unknown> = {
      returnShippingPayer: decision.returnShippingPayer,
      outboundShippingPayer: decision.outboundShippingPayer,
      refundOutboundShipping: facts.order.shippingFeeFen > 0 && decision.outboundShippingPayer === "seller",
      freightCollectAllowed: decision.freightCollectAllowed,
      settlement: !sellerBearsReturn ? "none" : freightCollect ? "freight_collect" : "buyer_advances_seller_reimburses",
    };
    // a version published before exchanges has no such default: its answer then leaves the field out
    if (facts.refund.exchange && decision.replacementShippingPayer !== undefined)
      completed.replacementShippingPayer = decision.replacementShippingPayer;
    return completed;
  },
  outcome: {
    write: (decision) => `return:${String(decision.returnShippingPayer)}`,
    read(outcome) {
      const [head, payer] = splitOutcome(outcome);
      return head === "return" && payer ? { words: words.returnPayer, values: { payer }, tone: "muted" } : undefined;
    },
    options: parties.map((p) => `return:${p}`),
  },
  labels: {
    name: { zh: "运费承担", en: "Who pays the postage" },
    description: {
      zh: "谁承担发货运费与退货运费（换货时还有新件的运费），能否到付，卖家承担的退货运费如何结算（S12–S16）。",
      en: "Who pays the outbound and return postage (and, for an exchange, the replacement's), whether the return may go freight collect, and how the seller's share is settled (S12–S16).",
    },
    fields: {
      returnShippingPayer: { zh: "退货运费", en: "Return postage" },
      outboundShippingPayer: { zh: "发货运费", en: "Outbound postage" },
      refundOutboundShipping: { zh: "退还买家所付邮费", en: "Refund the postage paid" },
      freightCollectAllowed: { zh: "允许到付", en: "Freight collect allowed" },
      settlement: { zh: "卖家运费结算方式", en: "Settlement of the seller's postage" },
      replacementShippingPayer: { zh: "换货新件运费", en: "Replacement postage" },
    },
    values: {
      // parties
      seller: { zh: "卖家承担", en: "Seller pays" },
      buyer: { zh: "买家承担", en: "Buyer pays" },
      // settlement
      freight_collect: { zh: "运费到付", en: "Freight collect" },
      buyer_advances_seller_reimburses: { zh: "买家垫付，卖家事后补偿", en: "Buyer advances, seller reimburses" },
      none: { zh: "无", en: "None" },
    },
  },
} as const satisfies RuleSetKindModule<"shipping-fee">;
