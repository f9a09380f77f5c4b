import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { RuleSetDefinition } from "../../shared/rules.ts";
import { DomainError } from "../errors.ts";
import { AnalysisWorker, MAX_QUEUED_ANALYSES } from "./analysis-worker.ts";

const worker = new AnalysisWorker();
afterAll(() => worker.close());

const { defaults, conditions, rules } = JSON.parse(readFileSync("rules/shipping-fee.json", "utf8"));
const shippingFee = RuleSetDefinition.parse({ defaults, conditions, rules });
/** Many rules over thresholds of three amounts: more work than any budget, so each analysis takes its whole time. */
const hard = RuleSetDefinition.parse({
  defaults,
  rules: Array.from({ length: 200 }, (_, i) => ({
    name: `r-${i}`,
    priority: 1 + (i % 3),
    conditions: {
      any: ["shippingFeeFen", "paidFen", "refundedFen"].map((path, k) => ({
        all: [
          { fact: "order", path, operator: "greaterThan", value: (i * 7 + k * 13) % 997 },
          { fact: "order", path, operator: "lessThan", value: (i * 11 + k) % 991 },
        ],
      })),
    },
    event: { type: "r", params: { returnShippingPayer: i % 2 ? "buyer" : "seller" } },
  })),
});

describe("the analysis thread", () => {
  it("analyses off this thread, as analyseDefinition does in it", async () => {
    const answer = await worker.analyse("shipping-fee", shippingFee, { nowMs: Date.parse("2026-12-07T00:00:00Z") });
    expect(answer).toMatchObject({ findings: [], complete: true, analysedAt: "2026-12-07T00:00:00.000Z" });
  });

  it(`analyses one at a time, ${MAX_QUEUED_ANALYSES} waiting at most: one more is refused with 429`, async () => {
    const budget = { ms: 150 };
    const running = Array.from({ length: 1 + MAX_QUEUED_ANALYSES }, () =>
      worker.analyse("shipping-fee", hard, { budget }),
    );
    let refused: unknown;
    try {
      await worker.analyse("shipping-fee", hard, { budget });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe("rate_limited");
    const answers = await Promise.all(running);
    for (const answer of answers) expect(answer.complete).toBe(false);
    // one at a time: each took its budget after the one before
    expect(answers.every((a) => a.ms >= 100)).toBe(true);
  });

  it("a thread over its heap limit is ended alone: the analysis answers 503, and the next one runs", async () => {
    const small = new AnalysisWorker(16);
    try {
      const big = RuleSetDefinition.parse({
        ...hard,
        rules: Array.from({ length: 25 }, () => hard.rules)
          .flat()
          .map((rule, i) => ({ ...rule, name: `r-${i}` })),
      });
      const failed = await small.analyse("shipping-fee", big, { nowMs: Date.now() }).catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(DomainError);
      expect((failed as DomainError).status).toBe(503);
      expect((failed as DomainError).code).toBe("unavailable");
    } finally {
      await small.close();
    }
    const answer = await worker.analyse("shipping-fee", shippingFee, { nowMs: Date.parse("2026-12-07T00:00:00Z") });
    expect(answer.complete).toBe(true);
  }, 60_000);
});
