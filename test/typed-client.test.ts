import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_TYPES_FILE, clientTypes } from "../server/generate-client.ts";
import { createDecisionClient, type DecisionClient, type paths } from "../shared/client/index.ts";
import { createTestApp, TEST_API_KEY, type TestApp } from "./helpers/test-app.ts";

let app: TestApp;
let client: DecisionClient;

beforeAll(async () => {
  app = await createTestApp();
  client = createDecisionClient(app.url, TEST_API_KEY);
});
afterAll(() => app.close());

type SeedCase = { name: string; facts: unknown; expect: Record<string, unknown> };
const seed = JSON.parse(readFileSync("rules/refund-eligibility.json", "utf8")) as { testCases: SeedCase[] };

type CaseFacts = paths["/api/v1/decisions/{ruleSet}"]["post"]["requestBody"]["content"]["application/json"]["facts"];

// the seed's first case (S9: a 30-yuan item of a 100-yuan order with a 20-yuan coupon), written out so that the compiler checks it against the generated types
const couponCase: CaseFacts = {
  now: "2026-11-20T10:00:00+08:00",
  order: {
    status: "completed",
    completedAt: "2026-11-15T10:00:00+08:00",
    items: [
      { id: "A", priceFen: 3000, quantity: 1 },
      { id: "B", priceFen: 7000, quantity: 1 },
    ],
    promotions: [{ kind: "shop_coupon", amountFen: 2000 }],
    paidFen: 8000,
  },
  refund: { items: [{ id: "A", quantity: 1 }], reason: "other" },
};

describe("the typed client (shared/client)", () => {
  it("is generated from the live /openapi.json: the committed types are exactly what the document generates", async () => {
    const response = await fetch(`${app.url}/openapi.json`);
    expect(response.status).toBe(200);
    const generated = await clientTypes(await response.json());
    const committed = readFileSync(CLIENT_TYPES_FILE, "utf8");
    const line = firstDifferentLine(committed, generated);
    expect(
      line,
      `shared/client/openapi.d.ts is not what GET /openapi.json generates (first difference at line ${line}): run npm run client:generate`,
    ).toBeUndefined();
  });

  it("asks for a decision with a seed case", async () => {
    expect(couponCase).toEqual(seed.testCases[0]?.facts);
    const { data, error, response } = await client.POST("/api/v1/decisions/{ruleSet}", {
      params: { path: { ruleSet: "refund-eligibility" } },
      body: { facts: couponCase, trace: true },
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data?.ruleSet).toBe("refund-eligibility");
    expect(data?.version).toBe(1);
    expect(data?.decisionId).toMatch(/^[0-9A-Z]{26}$/);
    expect(data?.decision).toMatchObject(seed.testCases[0]?.expect ?? {});
    expect(data?.firedRules.length).toBeGreaterThan(0);
    expect(data?.trace?.length).toBeGreaterThan(0);
  });

  it("asks for a batch: each item answers its decision, or its problem in its slot", async () => {
    const { data, response } = await client.POST("/api/v1/decisions", {
      body: {
        requests: [
          { ruleSet: "refund-eligibility", facts: couponCase },
          { ruleSet: "no-such-rule-set", facts: couponCase },
        ],
      },
    });
    expect(response.status).toBe(200);
    const [decided, refused] = data?.results ?? [];
    if (decided === undefined || "error" in decided)
      throw new Error(`the first item did not decide: ${JSON.stringify(decided)}`);
    expect(decided.decision.maxRefundableFen).toBe(2400);
    expect(decided.version).toBe(1);
    if (refused === undefined || !("error" in refused))
      throw new Error(`the second item decided: ${JSON.stringify(refused)}`);
    expect(refused.error.code).toBe("not_found");
    expect(refused.error.status).toBe(404);
  });

  it("reads the rule sets and one of them", async () => {
    const list = await client.GET("/api/v1/rule-sets");
    expect(list.response.status).toBe(200);
    expect(list.data?.ruleSets.map((ruleSet) => ruleSet.key).sort()).toEqual([
      "refund-eligibility",
      "service-playbook",
      "shipping-fee",
      "timeouts",
    ]);

    const one = await client.GET("/api/v1/rule-sets/{key}", { params: { path: { key: "refund-eligibility" } } });
    expect(one.response.status).toBe(200);
    expect(one.data?.activeVersion).toBe(1);
    expect(one.data?.active?.version).toBe(1);
    expect(one.data?.draftDiffers).toBe(false);
    expect(one.data?.draft.rules.length).toBeGreaterThan(0);
  });

  it("replaces the draft's test cases and simulates a case with the draft and the active version", async () => {
    const before = await client.GET("/api/v1/rule-sets/{key}/test-cases", {
      params: { path: { key: "refund-eligibility" } },
    });
    expect(before.data?.testCases).toHaveLength(seed.testCases.length);
    const added = {
      name: "typed client: the coupon case again",
      facts: couponCase,
      expect: { maxRefundableFen: 2400 },
    };
    const saved = await client.PUT("/api/v1/rule-sets/{key}/test-cases", {
      params: { path: { key: "refund-eligibility" } },
      body: { testCases: [...(before.data?.testCases ?? []), added] },
    });
    expect(saved.error).toBeUndefined();
    expect(saved.response.status).toBe(200);
    expect(saved.data?.testCases.at(-1)?.name).toBe(added.name);
    const after = await client.GET("/api/v1/rule-sets/{key}/test-cases", {
      params: { path: { key: "refund-eligibility" } },
    });
    expect(after.data?.testCases.map((test) => test.name)).toContain(added.name);

    const simulated = await client.POST("/api/v1/rule-sets/{key}/simulate", {
      params: { path: { key: "refund-eligibility" } },
      body: { facts: couponCase },
    });
    expect(simulated.response.status).toBe(200);
    expect(simulated.data?.draft.decision.maxRefundableFen).toBe(2400);
    expect(simulated.data?.active?.version).toBe(1);
    expect(simulated.data?.active?.decision).toEqual(simulated.data?.draft.decision);
  });

  it("answers an error as the typed Problem", async () => {
    const missing = await client.GET("/api/v1/rule-sets/{key}", { params: { path: { key: "no-such-rule-set" } } });
    expect(missing.data).toBeUndefined();
    expect(missing.response.status).toBe(404);
    expect(missing.error?.code).toBe("not_found");
    expect(missing.error?.requestId).toBe(missing.response.headers.get("x-request-id"));

    const stranger = createDecisionClient(app.url, "asr_not_a_key_of_this_service_0000000");
    const refused = await stranger.POST("/api/v1/decisions/{ruleSet}", {
      params: { path: { ruleSet: "refund-eligibility" } },
      body: { facts: couponCase },
    });
    expect(refused.response.status).toBe(401);
    expect(refused.error?.code).toBe("unauthenticated");
  });

  it("is refused by the compiler where the service would refuse", async () => {
    const unknownRuleSet = await client.POST("/api/v1/decisions/{ruleSet}", {
      // @ts-expect-error not a rule set: the path parameter is the closed list of rule sets
      params: { path: { ruleSet: "refund" } },
      body: { facts: couponCase },
    });
    expect(unknownRuleSet.error?.code).toBe("not_found");

    const wrongStatus = await client.POST("/api/v1/decisions/{ruleSet}", {
      params: { path: { ruleSet: "refund-eligibility" } },
      // @ts-expect-error not an order status
      body: { facts: { ...couponCase, order: { ...couponCase.order, status: "lost" } } },
    });
    expect(wrongStatus.response.status).toBe(422);
    expect(wrongStatus.error?.code).toBe("invalid");
    expect(wrongStatus.error?.errors?.map((problem) => problem.path)).toContain("order.status");
  });
});

/** The 1-based number of the first line where `a` and `b` differ, or undefined when they are the same text. */
function firstDifferentLine(a: string, b: string): number | undefined {
  if (a === b) return undefined;
  const [linesA, linesB] = [a.split("\n"), b.split("\n")];
  const index = linesA.findIndex((line, i) => line !== linesB[i]);
  return (index === -1 ? linesA.length : index) + 1;
}
