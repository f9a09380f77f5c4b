import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Simulation } from "../shared/api.ts";
import { aCase } from "./helpers/fixtures.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const sevenDayFreeShipping = aCase({
  order: { freeShipping: true },
  refund: { reason: "no_reason_7d", returnGoods: true },
});
/** The seed's priority-300 rule for seven-day returns of free-shipping goods. */
const eachPaysOwnLeg = "free-shipping-each-pays-their-own-leg";
const sellerPays = (priority: number) => ({
  name: "seller-pays-seven-day-returns",
  title: "七天无理由退货由卖家承担运费",
  priority,
  conditions: {
    all: [
      { fact: "refund", path: "reason", operator: "equal", value: "no_reason_7d" },
      { fact: "order", path: "freeShipping", operator: "equal", value: true },
    ],
  },
  event: { type: "seller-pays", params: { returnShippingPayer: "seller" } },
});

async function simulate(body: unknown) {
  return app.call("POST", "/api/v1/rule-sets/shipping-fee/simulate", body);
}

describe("simulating an unsaved draft", () => {
  it("decides the rules sent instead of the saved draft, which stays as it was", async () => {
    const saved = (await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body.draft;
    const below = await simulate({ facts: sevenDayFreeShipping, draft: { rules: [...saved.rules, sellerPays(190)] } });
    expect(below.status).toBe(200);
    const under = Simulation.parse(below.body);
    expect(under.draft.revision).toBe(saved.revision);
    expect(under.draft.decision.returnShippingPayer).toBe("buyer");
    expect(under.draft.trace.find((e) => e.rule === "seller-pays-seven-day-returns")).toMatchObject({
      fired: true,
      overridden: true,
      takenBy: { returnShippingPayer: eachPaysOwnLeg },
    });

    const above = Simulation.parse(
      (await simulate({ facts: sevenDayFreeShipping, draft: { rules: [...saved.rules, sellerPays(310)] } })).body,
    );
    expect(above.draft.decision.returnShippingPayer).toBe("seller");
    expect(above.draft.provenance.returnShippingPayer).toBe("seller-pays-seven-day-returns");
    expect(above.draft.trace.some((e) => e.overridden && e.rule === "seller-pays-seven-day-returns")).toBe(false);

    // nothing was saved: the saved draft still decides without the new rule
    const plain = Simulation.parse((await simulate({ facts: sevenDayFreeShipping })).body);
    expect(plain.draft.firedRules).not.toContain("seller-pays-seven-day-returns");
    expect((await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body.draft.revision).toBe(saved.revision);
  });

  it("is refused as its save would be, with the problem at the rule", async () => {
    const saved = (await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body.draft;
    const twice = await simulate({ facts: sevenDayFreeShipping, draft: { rules: [...saved.rules, saved.rules[0]] } });
    expect(twice.status).toBe(422);
    expect(twice.body.errors.length).toBeGreaterThan(0);
    const unknownKey = await simulate({ facts: sevenDayFreeShipping, draft: { rules: [], extra: 1 } });
    expect(unknownKey.status).toBe(422);
  });
});
