import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Analysis, type AnalysisFinding } from "../shared/analysis.ts";
import { Problem, Simulation } from "../shared/api.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

/**
 * The static analysis through the real server: each kind of finding on an unsaved draft, its example decided by the
 * simulator with the same draft and showing the finding; the shipped rule sets; refusals; bounded work; access.
 */

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

type RuleBody = { name: string; priority: number; conditions: unknown; event: { type: string; params: object } };
const rule = (name: string, priority: number, all: unknown[], params: object): RuleBody => ({
  name,
  priority,
  conditions: { all },
  event: { type: name, params },
});
const leaf = (fact: string, path: string, operator: string, value: unknown) => ({ fact, path, operator, value });

async function savedRules(key: string): Promise<RuleBody[]> {
  return (await app.call("GET", `/api/v1/rule-sets/${key}`)).body.draft.rules;
}

async function analyse(key: string, body: unknown): Promise<Analysis> {
  const res = await app.call("POST", `/api/v1/rule-sets/${key}/analysis`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return Analysis.parse(res.body);
}

/** The finding's example decided by the simulator, with the draft the analysis was given (its rules: what decides). */
async function simulate(key: string, draft: { rules: unknown[] }, finding: AnalysisFinding) {
  expect(finding.example).toBeDefined();
  const res = await app.call("POST", `/api/v1/rule-sets/${key}/simulate`, {
    facts: finding.example,
    draft: { rules: draft.rules },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return Simulation.parse(res.body).draft;
}

const withoutExamples = (findings: readonly AnalysisFinding[]) => findings.map(({ example: _, ...rest }) => rest);

describe("POST /rule-sets/{key}/analysis", () => {
  it.each(["shipping-fee", "refund-eligibility", "timeouts", "service-playbook"])(
    "%s as shipped: nothing found, every check decided",
    async (key) => {
      const answer = await analyse(key, {});
      expect(answer).toMatchObject({ findings: [], unchecked: [], complete: true });
      expect(answer.analysedAt).toBe("2026-11-20T02:00:00.000Z");
      expect(await analyse(key, { version: 1 })).toMatchObject({ findings: [], complete: true });
    },
  );

  it("the manager's case: a rule at 190 under the 300 rule that sets the same field is overridden, naming it", async () => {
    const draft = {
      rules: [
        ...(await savedRules("shipping-fee")),
        rule(
          "seller-pays-seven-day-returns",
          190,
          [leaf("refund", "reason", "equal", "no_reason_7d"), leaf("order", "freeShipping", "equal", true)],
          { returnShippingPayer: "seller" },
        ),
      ],
    };
    const answer = await analyse("shipping-fee", { draft });
    expect(answer.complete).toBe(true);
    expect(withoutExamples(answer.findings)).toEqual([
      { kind: "overridden", rule: "seller-pays-seven-day-returns", rules: ["free-shipping-each-pays-their-own-leg"] },
    ]);
    const decided = await simulate("shipping-fee", draft, answer.findings[0]!);
    expect(decided.trace.find((e) => e.rule === "seller-pays-seven-day-returns")).toMatchObject({
      fired: true,
      overridden: true,
      takenBy: { returnShippingPayer: "free-shipping-each-pays-their-own-leg" },
    });
    expect(decided.provenance.returnShippingPayer).toBe("free-shipping-each-pays-their-own-leg");
    expect(decided.decision.returnShippingPayer).toBe("buyer");
  });

  it("a field overridden while the rule's other field still counts", async () => {
    const draft = {
      rules: [
        ...(await savedRules("shipping-fee")),
        rule("free-shipping-freight-collect", 150, [leaf("order", "freeShipping", "equal", true)], {
          outboundShippingPayer: "buyer",
          freightCollectAllowed: true,
        }),
      ],
    };
    const [finding, ...rest] = (await analyse("shipping-fee", { draft })).findings;
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      kind: "overridden",
      rule: "free-shipping-freight-collect",
      field: "outboundShippingPayer",
      rules: ["free-shipping-each-pays-their-own-leg"],
    });
    const decided = await simulate("shipping-fee", draft, finding!);
    const entry = decided.trace.find((e) => e.rule === "free-shipping-freight-collect")!;
    expect(entry.takenBy).toEqual({ outboundShippingPayer: "free-shipping-each-pays-their-own-leg" });
    expect(entry.overridden).toBeUndefined();
  });

  it("never applies: contradictory conditions (no case to show), a window already over (a case past it)", async () => {
    const draft = {
      rules: [
        ...(await savedRules("shipping-fee")),
        rule(
          "refused-and-not-refused",
          2000,
          [
            leaf("shipping", "deliveryRefused", "equal", true),
            { not: leaf("shipping", "deliveryRefused", "equal", true) },
          ],
          { returnShippingPayer: "seller" },
        ),
        {
          ...rule("singles-day-2025", 2000, [leaf("refund", "reason", "equal", "other")], {
            returnShippingPayer: "seller",
          }),
          validFrom: "2025-11-11T00:00:00+08:00",
          validUntil: "2025-11-12T00:00:00+08:00",
        },
      ],
    };
    const answer = await analyse("shipping-fee", { draft });
    expect(withoutExamples(answer.findings)).toEqual([
      { kind: "never_applies", rule: "refused-and-not-refused", reason: "contradictory" },
      { kind: "never_applies", rule: "singles-day-2025", reason: "window_over" },
    ]);
    expect(answer.findings[0]!.example).toBeUndefined();
    const decided = await simulate("shipping-fee", draft, answer.findings[1]!);
    expect(decided.trace.find((e) => e.rule === "singles-day-2025")).toMatchObject({
      fired: false,
      window: "over",
      conditions: { result: true },
    });
  });

  it("a conflict: two rules of equal priority fire together and set a field differently", async () => {
    const draft = {
      rules: [
        rule("quality-seller-pays", 2000, [leaf("refund", "reason", "equal", "quality_issue")], {
          returnShippingPayer: "seller",
        }),
        rule("claim-used-buyer-pays", 2000, [leaf("claim", "used", "equal", true)], { returnShippingPayer: "buyer" }),
        ...(await savedRules("shipping-fee")),
      ],
      // the second rule also breaks the shipped S12 (a quality issue with a used claim): the conflict alone is asked here
      invariants: [],
    };
    const answer = await analyse("shipping-fee", { draft });
    expect(withoutExamples(answer.findings)).toEqual([
      { kind: "conflict", rules: ["quality-seller-pays", "claim-used-buyer-pays"], field: "returnShippingPayer" },
    ]);
    const decided = await simulate("shipping-fee", draft, answer.findings[0]!);
    expect(decided.firedRules).toEqual(expect.arrayContaining(["quality-seller-pays", "claim-used-buyer-pays"]));
    expect(decided.provenance.returnShippingPayer).toBe("quality-seller-pays");
  });

  it("a gap: a field the rule set asks rules to decide falls to the default", async () => {
    const draft = { rules: await savedRules("shipping-fee"), decidedByRules: ["freightCollectAllowed"] };
    const answer = await analyse("shipping-fee", { draft });
    expect(withoutExamples(answer.findings)).toEqual([{ kind: "gap", field: "freightCollectAllowed" }]);
    const decided = await simulate("shipping-fee", draft, answer.findings[0]!);
    expect(decided.provenance.freightCollectAllowed).toBe("default");
  });

  it("a broken invariant (S12) with the case that breaks it; S11 proved on the shipped refund rules", async () => {
    const s12 = {
      name: "seller-fault-seller-pays-both-legs",
      title: "卖家过错 → 卖家承担往返运费",
      conditions: { all: [leaf("refund", "reason", "in", ["quality_issue", "not_as_described", "wrong_item"])] },
      expect: { returnShippingPayer: "seller", outboundShippingPayer: "seller" },
    };
    const draft = {
      rules: [
        rule(
          "refused-wrong-item-buyer-pays",
          950,
          [leaf("shipping", "deliveryRefused", "equal", true), leaf("refund", "reason", "equal", "wrong_item")],
          { returnShippingPayer: "buyer" },
        ),
        ...(await savedRules("shipping-fee")),
      ],
      invariants: [s12],
    };
    const answer = await analyse("shipping-fee", { draft });
    expect(withoutExamples(answer.findings)).toEqual([
      { kind: "invariant_broken", invariant: "seller-fault-seller-pays-both-legs", field: "returnShippingPayer" },
    ]);
    const decided = await simulate("shipping-fee", draft, answer.findings[0]!);
    expect(decided.decision.returnShippingPayer).toBe("buyer");
    const invariantsOnly = await analyse("shipping-fee", { draft, checks: ["invariant"] });
    expect(invariantsOnly.findings.map((f) => f.kind)).toEqual(["invariant_broken"]);

    const s11 = {
      name: "never-more-than-paid-less-refunded",
      conditions: { all: [] },
      expect: { maxRefundableFen: { operator: "lessThanInclusive", value: { fact: "amount", path: "capFen" } } },
    };
    const proved = await analyse("refund-eligibility", {
      draft: { rules: await savedRules("refund-eligibility"), invariants: [s11] },
    });
    expect(proved).toMatchObject({ findings: [], unchecked: [], complete: true });
  });

  it("bounded: a draft too hard for the budget answers in time with complete: false and what it cut short", async () => {
    const money = ["shippingFeeFen", "paidFen", "refundedFen"];
    // within the 64 KiB a request body may have
    const rules = Array.from({ length: 100 }, (_, i) =>
      rule(
        `r-${i}`,
        1 + (i % 3),
        [
          {
            any: money.map((path, k) => ({
              all: [
                leaf("order", path, "greaterThan", (i * 7 + k * 13) % 997),
                leaf("order", path, "lessThan", (i * 11 + k) % 991),
              ],
            })),
          },
        ],
        { returnShippingPayer: i % 2 ? "buyer" : "seller" },
      ),
    );
    const started = performance.now();
    const answer = await analyse("shipping-fee", {
      draft: { rules, decidedByRules: ["returnShippingPayer"] },
      budget: { ms: 100, steps: 2_000 },
    });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(answer.complete).toBe(false);
    expect(answer.unchecked.some((u) => u.reason === "budget")).toBe(true);
  });

  it("refuses what it cannot analyse: 422 with field codes, 404 for what does not exist", async () => {
    const invalid = await app.call("POST", "/api/v1/rule-sets/shipping-fee/analysis", {
      draft: { rules: [rule("bad-fact", 1, [leaf("order", "colour", "equal", "red")], {})] },
    });
    expect(invalid.status).toBe(422);
    expect(Problem.parse(invalid.body).errors?.map((e) => e.code)).toEqual(["unknown_path"]);
    const both = await app.call("POST", "/api/v1/rule-sets/shipping-fee/analysis", {
      version: 1,
      draft: { rules: [] },
    });
    expect(both.status).toBe(422);
    expect(Problem.parse(both.body).errors?.map((e) => e.code)).toEqual(["not_combinable"]);
    const greedy = await app.call("POST", "/api/v1/rule-sets/shipping-fee/analysis", { budget: { ms: 600_000 } });
    expect(greedy.status).toBe(422);
    expect(Problem.parse(greedy.body).errors?.[0]).toMatchObject({ path: "budget.ms", code: "too_big" });
    expect((await app.call("POST", "/api/v1/rule-sets/shipping-fee/analysis", { version: 99 })).status).toBe(404);
    expect((await app.call("POST", "/api/v1/rule-sets/nope/analysis", {})).status).toBe(404);
  });

  it("needs rules:read on the rule set: a key limited to another is refused", async () => {
    const created = await app.call("POST", "/api/v1/api-keys", {
      name: "shipping-reader",
      scopes: ["rules:read"],
      ruleSets: ["shipping-fee"],
    });
    expect(created.status).toBe(201);
    const as = { authorization: `Bearer ${created.body.key}` };
    expect((await app.call("POST", "/api/v1/rule-sets/shipping-fee/analysis", {}, as)).status).toBe(200);
    expect((await app.call("POST", "/api/v1/rule-sets/refund-eligibility/analysis", {}, as)).status).toBe(403);
    const auditor = await app.call("POST", "/api/v1/api-keys", { name: "auditor", scopes: ["audit:read"] });
    const auditorHeaders = { authorization: `Bearer ${auditor.body.key}` };
    expect((await app.call("POST", "/api/v1/rule-sets/shipping-fee/analysis", {}, auditorHeaders)).status).toBe(403);
  });
});
