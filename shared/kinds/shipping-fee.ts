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
});
export type ShippingDecision = z.infer<typeof ShippingDecision>;

/** `refundOutboundShipping` and `settlement` follow from the other fields and the case. */
export const ShippingParams = ShippingDecision.omit({ refundOutboundShipping: true, settlement: true }).partial();

const words = { returnPayer: { zh: "退货运费：{payer}", en: "Return postage: {payer}" } };

export const shippingFee = {
  key: "shipping-fee",
  decision: ShippingDecision,
  params: ShippingParams,
  defaults: ShippingDecision.omit({ refundOutboundShipping: true, settlement: true }),
  lists: {},
  computed: ["refundOutboundShipping", "settlement"],
  /**
   * `refundOutboundShipping` only when the buyer paid postage and the seller finally bears it; `settlement` says how the
   * seller's share of the return postage is paid (S13, S14).
   */
  complete(decision, facts) {
    const sellerBearsReturn = decision.returnShippingPayer === "seller";
    const freightCollect = facts.shipping.freightCollect && decision.freightCollectAllowed === true;
    return {
      returnShippingPayer: decision.returnShippingPayer,
      outboundShippingPayer: decision.outboundShippingPayer,
      refundOutboundShipping: facts.order.shippingFeeFen > 0 && decision.outboundShippingPayer === "seller",
      freightCollectAllowed: decision.freightCollectAllowed,
      settlement: !sellerBearsReturn ? "none" : freightCollect ? "freight_collect" : "buyer_advances_seller_reimburses",
    };
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
      zh: "谁承担发货运费与退货运费，能否到付，卖家承担的退货运费如何结算（S12–S16）。",
      en: "Who pays the outbound and return postage, whether the return may go freight collect, and how the seller's share is settled (S12–S16).",
    },
    fields: {
      returnShippingPayer: { zh: "退货运费", en: "Return postage" },
      outboundShippingPayer: { zh: "发货运费", en: "Outbound postage" },
      refundOutboundShipping: { zh: "退还买家所付邮费", en: "Refund the postage paid" },
      freightCollectAllowed: { zh: "允许到付", en: "Freight collect allowed" },
      settlement: { zh: "卖家运费结算方式", en: "Settlement of the seller's postage" },
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
