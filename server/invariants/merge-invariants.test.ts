import { describe, expect, it } from "vitest";
import type { Invariant, RuleSetDefinition } from "../../shared/rules.ts";
import { mergeDrafts } from "../rule-sets/merge.ts";
import { invariantChanges } from "./changes.ts";

const anInvariant = (name: string, payer: "seller" | "buyer" = "seller"): Invariant => ({
  name,
  conditions: { all: [{ fact: "refund", path: "reason", operator: "equal", value: "quality_issue" }] },
  expect: { returnShippingPayer: payer },
});
const definition = (invariants?: Invariant[], decidedByRules?: string[]): RuleSetDefinition => ({
  defaults: {},
  conditions: {},
  rules: [],
  ...(invariants ? { invariants } : {}),
  ...(decidedByRules ? { decidedByRules } : {}),
});

describe("merging invariants", () => {
  it("keeps an invariant each side added, in each side's place", () => {
    const base = definition([anInvariant("a")]);
    const { merged, conflicts } = mergeDrafts(
      base,
      definition([anInvariant("theirs"), anInvariant("a")]),
      definition([anInvariant("a"), anInvariant("mine")]),
    );
    expect(conflicts).toEqual([]);
    expect(merged.invariants?.map((i) => i.name)).toEqual(["theirs", "a", "mine"]);
  });

  it("takes one side's change or removal, and calls two different changes to one invariant a conflict", () => {
    const base = definition([anInvariant("a"), anInvariant("b")]);
    const removed = mergeDrafts(base, definition([anInvariant("a")]), base);
    expect(removed.merged.invariants?.map((i) => i.name)).toEqual(["a"]);
    const both = mergeDrafts(
      base,
      definition([anInvariant("a", "buyer"), anInvariant("b")]),
      definition([anInvariant("b")]),
    );
    expect(both.conflicts).toEqual([{ invariant: "a", theirs: anInvariant("a", "buyer"), mine: null }]);
  });

  it("merges decidedByRules as one list, absent and empty alike", () => {
    const base = definition(undefined, ["eligible"]);
    expect(mergeDrafts(base, base, definition()).merged).toEqual(definition());
    expect(mergeDrafts(base, definition(undefined, ["eligible", "channel"]), base).merged.decidedByRules).toEqual([
      "eligible",
      "channel",
    ]);
    const clash = mergeDrafts(base, definition(undefined, ["channel"]), definition());
    expect(clash.conflicts).toEqual([{ decidedByRules: true, theirs: ["channel"], mine: null }]);
  });

  it("leaves a definition without invariants without the key", () => {
    expect(mergeDrafts(definition(), definition(), definition()).merged).toEqual(definition());
  });
});

describe("what an audit row says of invariants", () => {
  it("names each invariant added, removed and changed, and only what changed", () => {
    expect(invariantChanges(definition(), definition())).toEqual({});
    expect(
      invariantChanges(
        definition([anInvariant("a"), anInvariant("b")]),
        definition([anInvariant("a", "buyer"), anInvariant("c")], ["eligible"]),
      ),
    ).toEqual({
      invariantsAdded: ["c"],
      invariantsRemoved: ["b"],
      invariantsChanged: ["a"],
      decidedByRulesChanged: true,
    });
  });
});
