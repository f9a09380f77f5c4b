import { describe, expect, it } from "vitest";
import { CaseFacts } from "../../shared/case-facts.ts";
import { OWN_VALUE } from "../../shared/kinds/kind.ts";
import { deriveFacts } from "./derive-facts.ts";
import { completeDecision, decisionProvenance, foldFirings, foldProvenance } from "./fold.ts";

describe("foldFirings", () => {
  const defaults = {
    eligible: false,
    channel: "none",
    requiresReturn: false,
    formula: "full_price",
    manualReview: false,
    reasons: [{ code: "NO_RULE_MATCHED", message: "-" }],
  };

  it("takes each plain field from the first rule that sets it", () => {
    const decision = foldFirings("refund-eligibility", defaults, [
      { name: "a", params: { eligible: false, channel: "none" } },
      { name: "b", params: { eligible: true, channel: "refund_only", requiresReturn: true } },
    ]);
    expect(decision).toMatchObject({ eligible: false, channel: "none", requiresReturn: true, formula: "full_price" });
  });

  it("concatenates list fields in rule order, the first entry of a key winning", () => {
    const decision = foldFirings("refund-eligibility", defaults, [
      { name: "a", params: { reasons: [{ code: "X", message: "first" }] } },
      {
        name: "b",
        params: {
          reasons: [
            { code: "Y", message: "y" },
            { code: "X", message: "second" },
          ],
        },
      },
    ]);
    expect(decision.reasons).toEqual([
      { code: "X", message: "first" },
      { code: "Y", message: "y" },
    ]);
  });

  it("falls back to the defaults when nothing fires, lists included", () => {
    expect(foldFirings("refund-eligibility", defaults, [])).toEqual(defaults);
  });

  it("keeps timers unique by key, so a higher-priority rule overrides a duration", () => {
    const timer = (duration: string) => ({
      key: "seller_response",
      duration,
      onExpiry: "auto_agree",
      from: "refund.stateSince",
    });
    const decision = foldFirings("timeouts", { timers: [] }, [
      { name: "double-11", params: { timers: [timer("P10D")] } },
      { name: "normal", params: { timers: [timer("P5D")] } },
    ]);
    expect(decision.timers).toEqual([timer("P10D")]);
  });

  it("keeps a list of plain codes unique by the code itself, in rule order", () => {
    const decision = foldFirings(
      "service-playbook",
      { cause: "unclassified", actions: [], compensationFen: 0, template: "wants_return" },
      [
        { name: "late-beyond-three-days", params: { actions: ["apologise", "compensate_next_order"] } },
        { name: "late", params: { cause: "slow_dispatch_or_carrier", actions: ["apologise"] } },
        { name: "repeat", params: { actions: ["escalate", "escalate"] } },
      ],
    );
    expect(decision.actions).toEqual(["apologise", "compensate_next_order", "escalate"]);
    expect(decision.cause).toBe("slow_dispatch_or_carrier");
  });
});

describe("completeDecision", () => {
  it("gives each timer the same deadline whether its start is parsed or read back from the elapsed time", () => {
    const now = "2026-11-20T10:00:00+08:00";
    const timers = [
      { key: "seller_response", duration: "P5D", onExpiry: "auto_agree", from: "refund.stateSince" },
      { key: "cs_intervention", duration: "PT36H30M", onExpiry: "escalate", from: "refund.appliedAt" },
      { key: "claim", duration: "P15D", onExpiry: "close_claim", from: "order.completedAt" },
      { key: "far", duration: "P1000000000D", onExpiry: "never", from: "refund.stateSince" },
    ];
    const cases = [
      {
        stateSince: "2026-11-18T09:59:59.999+08:00",
        appliedAt: "2026-11-17T02:00:00Z",
        completedAt: "2026-11-01T00:00:00Z",
      },
      { stateSince: "2026-11-21T00:00:00Z" },
      {},
    ];
    for (const moments of cases) {
      const facts = CaseFacts.parse({
        now,
        order: { status: "completed", ...(moments.completedAt ? { completedAt: moments.completedAt } : {}) },
        refund: {
          ...(moments.stateSince ? { stateSince: moments.stateSince } : {}),
          ...(moments.appliedAt ? { appliedAt: moments.appliedAt } : {}),
        },
      });
      for (const nowMs of [Date.parse(now), Date.parse(now) + 0.5]) {
        const ruleFacts = deriveFacts(facts, nowMs);
        const parsed = completeDecision("timeouts", { timers }, facts, ruleFacts);
        expect(completeDecision("timeouts", { timers }, facts, ruleFacts, nowMs), JSON.stringify(moments)).toEqual(
          parsed,
        );
        expect((parsed.timers as { deadline?: string }[]).map((timer) => timer.deadline)).toEqual(
          timers.map((timer) => {
            const start = {
              "refund.stateSince": moments.stateSince,
              "refund.appliedAt": moments.appliedAt,
              "order.completedAt": moments.completedAt,
            }[timer.from];
            return start === undefined || timer.key === "far" ? undefined : expect.any(String);
          }),
        );
      }
    }
  });
});

describe("foldProvenance", () => {
  const lists = { reasons: "code" };
  const defaults = { eligible: false, channel: "none", reasons: [{ code: "NO_RULE_MATCHED", message: "-" }] };
  const reason = (code: string) => ({ code, message: code });

  it("names the first rule of each plain field, the first rule that added to a list, and the defaults", () => {
    const { provenance, effects } = foldProvenance(lists, defaults, [
      { name: "a", params: { eligible: true, reasons: [reason("X")] } },
      { name: "b", params: { eligible: false, reasons: [reason("Y")] } },
    ]);
    expect(provenance).toEqual({ eligible: "a", reasons: "a", channel: "default" });
    expect(effects).toEqual([
      { takenBy: {}, overridden: false },
      { takenBy: { eligible: "a" }, overridden: false },
    ]);
  });

  it("marks a rule overridden when earlier rules gave every field it sets, list entries by their key", () => {
    const { provenance, effects } = foldProvenance(lists, defaults, [
      { name: "a", params: { channel: "refund_only", reasons: [reason("X")] } },
      { name: "b", params: { eligible: true } },
      { name: "c", params: { channel: "none", eligible: false, reasons: [reason("X")] } },
      { name: "d", params: {} },
    ]);
    expect(provenance).toEqual({ channel: "a", reasons: "a", eligible: "b" });
    expect(effects[2]).toEqual({ takenBy: { channel: "a", eligible: "b", reasons: "a" }, overridden: true });
    // a rule that sets nothing is not overridden: nothing of it was taken
    expect(effects[3]).toEqual({ takenBy: {}, overridden: false });
  });

  it("takes a list of plain codes by the codes: a rule whose every code was listed before is overridden", () => {
    const { provenance, effects } = foldProvenance({ actions: OWN_VALUE }, { actions: [] }, [
      { name: "a", params: { actions: ["apologise", "escalate"] } },
      { name: "b", params: { actions: ["escalate"] } },
      { name: "c", params: { actions: ["escalate", "explain_design"] } },
    ]);
    expect(provenance).toEqual({ actions: "a" });
    expect(effects).toEqual([
      { takenBy: {}, overridden: false },
      { takenBy: { actions: "a" }, overridden: true },
      { takenBy: {}, overridden: false },
    ]);
  });

  it("leaves a list to the default when the rules listed nothing, and says computed for what the kind computes", () => {
    const firings = [{ name: "a", params: { eligible: true, reasons: [] } }];
    const folded = foldFirings("refund-eligibility", defaults, firings);
    expect(folded.reasons).toEqual(defaults.reasons);
    const { provenance } = foldProvenance(lists, defaults, firings);
    expect(provenance.reasons).toBe("default");
    const decision = { ...folded, eligible: false, maxRefundableFen: 100 };
    expect(decisionProvenance(["maxRefundableFen"], folded, decision, provenance)).toEqual({
      eligible: "computed",
      channel: "default",
      reasons: "default",
      maxRefundableFen: "computed",
    });
  });
});
