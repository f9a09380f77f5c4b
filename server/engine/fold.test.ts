import { describe, expect, it } from "vitest";
import { foldFirings } from "./fold.ts";

describe("foldFirings", () => {
  const defaults = { eligible: false, channel: "none", requiresReturn: false, formula: "full_price", manualReview: false, reasons: [{ code: "NO_RULE_MATCHED", message: "-" }] };

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
      { name: "b", params: { reasons: [{ code: "Y", message: "y" }, { code: "X", message: "second" }] } },
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
    const timer = (duration: string) => ({ key: "seller_response", duration, onExpiry: "auto_agree", from: "refund.stateSince" });
    const decision = foldFirings("timeouts", { timers: [] }, [
      { name: "double-11", params: { timers: [timer("P10D")] } },
      { name: "normal", params: { timers: [timer("P5D")] } },
    ]);
    expect(decision.timers).toEqual([timer("P10D")]);
  });
});
