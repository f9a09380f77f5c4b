import { describe, expect, it } from "vitest";
import type { Condition, Rule, TopLevelCondition } from "../../../shared/rules.ts";
import { diffDefinitions, evaluationOrder, type Definition, type RuleDiff } from "./version-diff.ts";

const leaf = (path: string, value: unknown, operator = "equal"): Condition => ({
  fact: "refund",
  path,
  operator,
  value,
});

/** A rule with the fields a diff looks at; anything can be overridden. */
function aRule(name: string, overrides: Partial<Rule> = {}): Rule {
  return {
    name,
    description: `${name} description`,
    priority: 100,
    enabled: true,
    conditions: { all: [leaf("reason", "quality_issue")] },
    event: { type: name, params: { returnShippingPayer: "seller" } },
    ...overrides,
  };
}

function aDefinition(rules: Rule[], overrides: Partial<Definition> = {}): Definition {
  return {
    defaults: { returnShippingPayer: "buyer", freightCollectAllowed: false },
    conditions: {},
    rules,
    ...overrides,
  };
}

const byName = (rules: RuleDiff[], name: string) => rules.find((rule) => rule.name === name)!;

describe("diffDefinitions", () => {
  it("finds no change between identical versions", () => {
    const rules = [aRule("a", { priority: 300 }), aRule("b", { priority: 200 })];
    const diff = diffDefinitions(aDefinition(rules), aDefinition(structuredClone(rules)));
    expect(diff.identical).toBe(true);
    expect(diff.counts).toEqual({ added: 0, removed: 0, changed: 0, moved: 0, unchanged: 2 });
    expect(diff.defaults).toEqual([]);
    expect(diff.conditions).toEqual([]);
  });

  it("treats omitted fields as their defaults and ignores key order", () => {
    const before = aDefinition([aRule("a", { priority: 1, description: "" })]);
    const { priority: _p, enabled: _e, description: _d, ...bare } = aRule("a");
    const reordered = { event: bare.event, conditions: bare.conditions, name: "a" } as Rule;
    expect(diffDefinitions(before, aDefinition([reordered])).identical).toBe(true);
  });

  it("lists added and removed rules by name, removed ones where they stood", () => {
    const before = aDefinition([
      aRule("first", { priority: 300 }),
      aRule("gone", { priority: 200 }),
      aRule("last", { priority: 100 }),
    ]);
    const after = aDefinition([
      aRule("first", { priority: 300 }),
      aRule("new", { priority: 250 }),
      aRule("last", { priority: 100 }),
    ]);
    const diff = diffDefinitions(before, after);
    expect(diff.rules.map((r) => [r.name, r.status])).toEqual([
      ["first", "unchanged"],
      ["gone", "removed"],
      ["new", "added"],
      ["last", "unchanged"],
    ]);
    expect(byName(diff.rules, "new")).toMatchObject({ status: "added", position: 2 });
    expect(diff.counts).toMatchObject({ added: 1, removed: 1, unchanged: 2 });
    expect(diff.identical).toBe(false);
  });

  it("reports a priority change that moves a rule in evaluation order, and only that rule as moved", () => {
    const before = aDefinition([
      aRule("a", { priority: 300 }),
      aRule("b", { priority: 200 }),
      aRule("c", { priority: 100 }),
    ]);
    const after = aDefinition([
      aRule("a", { priority: 300 }),
      aRule("b", { priority: 200 }),
      aRule("c", { priority: 400 }),
    ]);
    const diff = diffDefinitions(before, after);
    expect(diff.rules.map((r) => r.name)).toEqual(["c", "a", "b"]);
    expect(byName(diff.rules, "c")).toMatchObject({
      status: "changed",
      priority: { before: 100, after: 400 },
      moved: { from: 3, to: 1 },
    });
    expect(byName(diff.rules, "a")).toMatchObject({ status: "unchanged" });
    expect(byName(diff.rules, "b")).toMatchObject({ status: "unchanged" });
  });

  it("reports the rule whose priority changed as the moved one, not the rule it overtook", () => {
    const before = aDefinition([aRule("a", { priority: 300 }), aRule("b", { priority: 200 })]);
    const after = aDefinition([aRule("a", { priority: 300 }), aRule("b", { priority: 400 })]);
    const diff = diffDefinitions(before, after);
    expect(byName(diff.rules, "b")).toMatchObject({ status: "changed", moved: { from: 2, to: 1 } });
    expect(byName(diff.rules, "a")).toMatchObject({ status: "unchanged" });
  });

  it("reports a rule moved in the list among equal priorities as moved, not changed", () => {
    const before = aDefinition([aRule("a"), aRule("b"), aRule("c")]);
    const after = aDefinition([aRule("b"), aRule("c"), aRule("a")]);
    const diff = diffDefinitions(before, after);
    expect(byName(diff.rules, "a")).toMatchObject({ status: "moved", moved: { from: 1, to: 3 } });
    expect(diff.counts).toMatchObject({ moved: 1, unchanged: 2, changed: 0 });
    expect(diff.identical).toBe(false);
  });

  it("reports a priority change that keeps the order as changed but not moved", () => {
    const diff = diffDefinitions(
      aDefinition([aRule("a", { priority: 300 }), aRule("b")]),
      aDefinition([aRule("a", { priority: 350 }), aRule("b")]),
    );
    const a = byName(diff.rules, "a");
    expect(a).toMatchObject({ status: "changed", priority: { before: 300, after: 350 } });
    expect("moved" in a && a.moved).toBeFalsy();
  });

  it("finds the one leaf that changed inside nested groups, keeping its siblings as context", () => {
    const conditions = (reason: string): TopLevelCondition => ({
      any: [
        leaf("reason", "damaged_in_transit"),
        {
          all: [leaf("reason", reason), { fact: "order", path: "status", operator: "in", value: ["paid", "shipped"] }],
        },
      ],
    });
    const diff = diffDefinitions(
      aDefinition([aRule("r", { conditions: conditions("not_received") })]),
      aDefinition([aRule("r", { conditions: conditions("wrong_item") })]),
    );
    const rule = byName(diff.rules, "r");
    expect(rule.status).toBe("changed");
    if (!("before" in rule)) throw new Error("expected a kept rule");
    expect(rule.outcome).toEqual([]);
    expect(rule.conditions).toEqual({
      kind: "group",
      before: "any",
      after: "any",
      children: [
        { kind: "same", condition: leaf("reason", "damaged_in_transit") },
        {
          kind: "group",
          before: "all",
          after: "all",
          children: [
            { kind: "changed", before: leaf("reason", "not_received"), after: leaf("reason", "wrong_item") },
            { kind: "same", condition: { fact: "order", path: "status", operator: "in", value: ["paid", "shipped"] } },
          ],
        },
      ],
    });
  });

  it("marks leaves added and removed, and a group whose kind changed", () => {
    const before: TopLevelCondition = { all: [leaf("reason", "quality_issue"), leaf("goodsReceived", true)] };
    const after: TopLevelCondition = {
      any: [leaf("reason", "quality_issue"), { fact: "order", path: "freeShipping", operator: "equal", value: true }],
    };
    const rule = byName(
      diffDefinitions(
        aDefinition([aRule("r", { conditions: before })]),
        aDefinition([aRule("r", { conditions: after })]),
      ).rules,
      "r",
    );
    if (!("before" in rule)) throw new Error("expected a kept rule");
    expect(rule.conditions).toMatchObject({
      kind: "group",
      before: "all",
      after: "any",
      children: [
        { kind: "same" },
        { kind: "added", condition: { path: "freeShipping" } },
        { kind: "removed", condition: { path: "goodsReceived" } },
      ],
    });
  });

  it("compares outcomes field by field, and description and enabled", () => {
    const before = aRule("r", {
      event: {
        type: "r",
        params: { returnShippingPayer: "buyer", outboundShippingPayer: "seller", freightCollectAllowed: true },
      },
    });
    const after = aRule("r", {
      enabled: false,
      description: "new words",
      event: {
        type: "r",
        params: { returnShippingPayer: "seller", outboundShippingPayer: "seller", settlement: "freight_collect" },
      },
    });
    const rule = byName(diffDefinitions(aDefinition([before]), aDefinition([after])).rules, "r");
    expect(rule).toMatchObject({
      status: "changed",
      enabled: { before: true, after: false },
      description: { before: "r description", after: "new words" },
    });
    if (!("before" in rule)) throw new Error("expected a kept rule");
    expect(rule.conditions).toBeUndefined();
    expect(rule.outcome).toEqual([
      { field: "returnShippingPayer", change: "changed", before: "buyer", after: "seller" },
      { field: "settlement", change: "added", after: "freight_collect" },
      { field: "freightCollectAllowed", change: "removed", before: true },
    ]);
  });

  it("reports changed defaults and shared conditions", () => {
    const shared = (value: string): Record<string, TopLevelCondition> => ({
      "seller-at-fault": { all: [leaf("reason", value)] },
      "old-one": { all: [] },
    });
    const before = aDefinition([aRule("r")], {
      defaults: { returnShippingPayer: "buyer", freightCollectAllowed: false },
      conditions: shared("quality_issue"),
    });
    const after = aDefinition([aRule("r")], {
      defaults: { returnShippingPayer: "seller", freightCollectAllowed: false, outboundShippingPayer: "buyer" },
      conditions: { "seller-at-fault": shared("wrong_item")["seller-at-fault"]!, "new-one": { any: [] } },
    });
    const diff = diffDefinitions(before, after);
    expect(diff.defaults).toEqual([
      { field: "returnShippingPayer", change: "changed", before: "buyer", after: "seller" },
      { field: "outboundShippingPayer", change: "added", after: "buyer" },
    ]);
    expect(diff.conditions.map((c) => [c.name, c.status])).toEqual([
      ["seller-at-fault", "changed"],
      ["new-one", "added"],
      ["old-one", "removed"],
    ]);
    expect(diff.conditions[0]).toMatchObject({ diff: { kind: "group", children: [{ kind: "changed" }] } });
    expect(diff.identical).toBe(false);
    expect(diff.counts.unchanged).toBe(1);
  });
});

describe("evaluationOrder", () => {
  it("takes rules by priority, high first, then in list order", () => {
    const order = evaluationOrder([
      aRule("low", { priority: 1 }),
      aRule("high-1", { priority: 9 }),
      aRule("high-2", { priority: 9 }),
    ]);
    expect(order.map((r) => r.name)).toEqual(["high-1", "high-2", "low"]);
  });
});
