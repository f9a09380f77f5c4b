import { describe, expect, it } from "vitest";
import type { RuleInput } from "../../../shared/rules.ts";
import { campaignRulesInDraft, type PendingWindow } from "./publish-campaign.ts";
import type { Definition } from "../versions/version-diff.ts";

const rule = (name: string, description = name): RuleInput =>
  ({ name, description, priority: 1, conditions: { all: [] }, event: { type: name, params: {} } }) as RuleInput;
const definition = (...rules: RuleInput[]): Definition => ({ defaults: {}, conditions: {}, rules });
const window = (status: "scheduled" | "active", ...rules: RuleInput[]): PendingWindow => ({
  schedule: { id: "s", version: 2, startsAt: "", endsAt: null, handBackVersion: null, status },
  definition: definition(...rules),
});

describe("campaignRulesInDraft", () => {
  it("names the draft's rules that a window's version has and the active version has not", () => {
    const active = definition(rule("a"), rule("b"));
    const draft = [rule("double-11"), rule("a", "reworded"), rule("b")];
    expect(campaignRulesInDraft(draft, active, [window("scheduled", rule("double-11"), rule("a"), rule("b"))])).toEqual(
      [rule("double-11")],
    );
  });

  it("names nothing without a window, or when the draft no longer holds the window's rules", () => {
    const active = definition(rule("a"));
    expect(campaignRulesInDraft([rule("a"), rule("new")], active, [])).toEqual([]);
    expect(campaignRulesInDraft([rule("a")], active, [window("active", rule("a"), rule("double-11"))])).toEqual([]);
  });

  it("counts every rule of a window as the campaign's when nothing is active yet", () => {
    expect(campaignRulesInDraft([rule("x")], null, [window("scheduled", rule("x"))])).toEqual([rule("x")]);
  });
});
