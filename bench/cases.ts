import { readFileSync } from "node:fs";
import { CaseFacts, problemKinds, refundStates, type CaseFactsInput } from "../shared/case-facts.ts";
import type { RuleSetKind } from "../shared/outputs.ts";
import { seededRandom, type Random } from "./random.ts";

/**
 * A realistic mix of refund cases, as the order and refund services would send them: mostly
 * delivered or completed orders of one to four items, some with a shop coupon or a 满就减, refunds
 * of part of the order or all of it, a requested amount that is usually within the maximum, and
 * a refund state with its timestamps for the timeouts rule set. Seeded, so every run sees the same.
 */

const NOW = "2026-11-20T10:00:00+08:00";
const NOW_MS = Date.parse(NOW);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A moment `ago` ms before now, in China Standard Time as the shop's services send it. */
const at = (ago: number) => new Date(NOW_MS - ago + 8 * HOUR).toISOString().replace("Z", "+08:00");

function aCase(random: Random, kind: RuleSetKind): CaseFactsInput {
  const status = random.weighted([
    [8, "delivered"],
    [5, "completed"],
    [3, "shipped"],
    [2, "paid"],
    [1, "closed"],
  ] as const);
  const itemCount = random.weighted([
    [5, 1],
    [3, 2],
    [2, 3],
    [1, 4],
  ] as const);
  const items = Array.from({ length: itemCount }, (_, index) => ({
    id: `SKU-${random.int(10_000, 99_999)}-${index}`,
    priceFen: random.pick([990, 1990, 2990, 4900, 9900, 12_900, 19_900, 29_900, 59_900]),
    quantity: random.weighted([
      [6, 1],
      [2, 2],
      [1, 3],
    ] as const),
    ...(random.chance(0.1) ? { sevenDayReturn: false } : {}),
  }));
  const goods = items.reduce((sum, item) => sum + item.priceFen * item.quantity, 0);
  const promotions = random.weighted([
    [6, []],
    [2, [{ kind: "shop_coupon" as const, amountFen: Math.min(goods, random.pick([500, 1000, 2000])) }]],
    [2, [{ kind: "threshold_discount" as const, amountFen: goods >= 30_000 ? 5000 : 0 }]],
    [
      1,
      [
        { kind: "shop_coupon" as const, amountFen: Math.min(goods, 1000) },
        { kind: "threshold_discount" as const, amountFen: goods >= 30_000 ? 5000 : 0 },
      ],
    ],
  ] as const);
  const freeShipping = random.chance(0.6);
  const shippingFeeFen = freeShipping ? 0 : random.pick([600, 800, 1000, 1200]);
  const discount = promotions.reduce((sum, p) => sum + p.amountFen, 0);
  const paidFen = Math.max(0, goods + shippingFeeFen - discount);

  const shipped = status !== "paid";
  const delivered = status === "delivered" || status === "completed" || (status === "closed" && random.chance(0.5));
  const deliveredAgo = random.int(0, 20) * DAY + random.int(0, 23) * HOUR;
  const order: CaseFactsInput["order"] = {
    status,
    productType: random.chance(0.05) ? "virtual" : "physical",
    freeShipping,
    shippingFeeFen,
    items,
    promotions: [...promotions],
    paidFen,
    refundedFen: random.chance(0.1) ? Math.min(paidFen, 990) : 0,
    ...(shipped ? { shippedAt: at(deliveredAgo + random.int(1, 4) * DAY) } : {}),
    ...(delivered ? { deliveredAt: at(deliveredAgo) } : {}),
    ...(status === "completed" ? { completedAt: at(Math.max(0, deliveredAgo - random.int(0, 3) * DAY)) } : {}),
  };

  const partial = items.length > 1 && random.chance(0.5);
  const refundItems = partial ? [{ id: items[0]!.id, quantity: 1 }] : undefined;
  const refundedGoods = partial ? items[0]!.priceFen : goods;
  const reason = delivered
    ? random.weighted([
        [4, "no_reason_7d"],
        [3, "quality_issue"],
        [1, "not_as_described"],
        [1, "wrong_item"],
        [1, "other"],
      ] as const)
    : random.pick(["not_received", "damaged_in_transit", "other"] as const);
  const appliedAgo = random.int(0, 12) * DAY + random.int(0, 23) * HOUR;
  const state = random.pick(refundStates);
  const refund: NonNullable<CaseFactsInput["refund"]> = {
    ...(refundItems ? { items: refundItems } : {}),
    goodsReceived: delivered,
    returnGoods: delivered && reason !== "other" && random.chance(0.7),
    reason,
    ...(random.chance(0.8)
      ? { requestedFen: random.chance(0.85) ? Math.floor(refundedGoods * 0.8) : refundedGoods + 500 }
      : {}),
    ...(kind === "timeouts" || random.chance(0.3)
      ? { state, appliedAt: at(appliedAgo), stateSince: at(Math.max(0, appliedAgo - random.int(0, 5) * DAY)) }
      : {}),
  };
  const shipping = random.chance(0.4)
    ? {
        deliveryRefused: !delivered && random.chance(0.2),
        freightCollect: random.chance(0.15),
        sellerConsentsFreightCollect: random.chance(0.1),
        sellerAgreedToPayReturn: random.chance(0.1),
      }
    : undefined;
  const claim = status === "completed" && random.chance(0.3) ? { used: random.chance(0.3) } : undefined;
  // drawn last and for the playbook only, so that the other rule sets' cases stay as they were
  const problem =
    kind === "service-playbook"
      ? {
          kind: random.pick(problemKinds),
          ...(random.chance(0.5) ? { daysLate: random.int(0, 10) } : {}),
          firstComplaint: random.chance(0.8),
        }
      : undefined;
  return {
    now: NOW,
    order,
    refund,
    ...(shipping ? { shipping } : {}),
    ...(claim ? { claim } : {}),
    ...(problem ? { problem } : {}),
  };
}

/** `count` parsed cases for a rule set: its shipped test cases first, then generated ones. */
export function caseMix(kind: RuleSetKind, count: number, seed = 20261120): CaseFacts[] {
  const file = JSON.parse(readFileSync(new URL(`../rules/${kind}.json`, import.meta.url), "utf8")) as {
    testCases?: { facts: unknown }[];
  };
  const random = seededRandom(seed + kind.length);
  const inputs: unknown[] = (file.testCases ?? []).map((testCase) => testCase.facts);
  while (inputs.length < count) inputs.push(aCase(random, kind));
  // a case that breaks the schema would measure the error path, not a decision
  return inputs.slice(0, count).map((input) => CaseFacts.parse(input));
}

/** The moment a case is decided at: its `now`, as the decision service reads it. */
export function nowOf(facts: CaseFacts): number {
  return facts.now === undefined ? NOW_MS : Date.parse(facts.now);
}

/** The README's 满就减 example: 300 off 100, refund item A (200 yuan) → at most 160 yuan. */
export const refundEligibilityBody = JSON.stringify({
  facts: {
    now: "2026-11-20T10:00:00+08:00",
    order: {
      status: "delivered",
      deliveredAt: "2026-11-18T10:00:00+08:00",
      shippingFeeFen: 1000,
      items: [
        { id: "A", priceFen: 20000, quantity: 1 },
        { id: "B", priceFen: 30000, quantity: 1 },
      ],
      promotions: [{ kind: "threshold_discount", amountFen: 10000 }],
      paidFen: 41000,
    },
    refund: {
      items: [{ id: "A", quantity: 1 }],
      goodsReceived: true,
      returnGoods: true,
      reason: "quality_issue",
      requestedFen: 16000,
    },
  },
});
