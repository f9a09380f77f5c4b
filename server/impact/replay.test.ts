import { describe, expect, it } from "vitest";
import { TEST_PERIODS } from "../../test/helpers/periods.ts";
import { aCase } from "../../test/helpers/fixtures.ts";
import { readRuleSetFiles } from "../bootstrap.ts";
import { OMITTED_FACTS } from "../decision-log/decision-log.ts";
import { Decider } from "../engine/decider.ts";
import { ImpactTally, type LoggedDecision } from "./replay.ts";

const file = readRuleSetFiles("rules").find((ruleSet) => ruleSet.key === "refund-eligibility")!;
const active = new Decider("refund-eligibility", 1, file);
const AT = "2026-11-20T02:00:00.000Z";

/** A decision as the active version logged it. */
function logged(facts: unknown, id: string, decision?: Record<string, unknown>): LoggedDecision {
  const decided = active.decide(facts as never, { trace: false, nowMs: Date.parse(AT), periods: TEST_PERIODS });
  return {
    decisionId: id,
    at: AT,
    facts: JSON.stringify(facts),
    decision: JSON.stringify(decision ?? decided.decision),
    firedRules: JSON.stringify(decided.firedRules),
  };
}

describe("ImpactTally", () => {
  it("counts a case the schema no longer accepts, or facts the log left out, as skipped rather than replayed", () => {
    const tally = new ImpactTally(active, TEST_PERIODS);
    tally.add(logged(aCase(), "a"));
    tally.add({ ...logged(aCase(), "b"), facts: JSON.stringify({ order: { status: "lost" } }) });
    tally.add({ ...logged(aCase(), "c"), facts: "{not json" });
    tally.add({ ...logged(aCase(), "d"), facts: OMITTED_FACTS });
    expect(tally.result()).toMatchObject({ replayed: 1, changed: 0, skipped: { oversized: 1, invalid: 2 } });
  });

  it("lists 100 distinct transitions with their samples and counts the rest, however many values a field takes", () => {
    const tally = new ImpactTally(active, TEST_PERIODS);
    // the same case logged with 150 different maximums: each is its own transition to the one the draft computes
    for (let fen = 1; fen <= 150; fen++) {
      const record = logged(aCase(), `id-${fen}`);
      tally.add({ ...record, decision: JSON.stringify({ ...JSON.parse(record.decision), maxRefundableFen: fen }) });
    }
    const result = tally.result();
    expect(result.changed).toBe(150);
    expect(result.transitions).toHaveLength(100);
    expect(result.otherTransitions).toBe(50);
    expect(result.samples).toHaveLength(100);
    expect(result.moneyMovedFen).toBe(150 * 10_000 - (150 * 151) / 2);
    // the amount is computed, and no rule stopped firing: no rule to blame
    expect(result.byRule).toEqual([]);
  });
});
