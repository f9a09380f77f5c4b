import { describe, expect, it } from "vitest";
import type { RuleInput } from "../../../shared/rules.ts";
import { readDraftText } from "./draft-json.ts";
import { shownAtField, sortProblems } from "./problems.ts";
import { applyMove, duplicateOf, evaluationOrder, newRule, planMove } from "./rule-order.ts";

/** The editor's plain functions: ordering, problem placement, the JSON view's check. */

const rule = (name: string, priority: number, extra: Partial<RuleInput> = {}): RuleInput => ({
  name,
  priority,
  conditions: { all: [] },
  event: { type: name, params: {} },
  ...extra,
});

describe("the evaluation order", () => {
  it("is priority high to low, then list order", () => {
    const rules = [rule("a", 100), rule("b", 300), rule("c", 100), rule("d", 200)];
    expect(evaluationOrder(rules).map((r) => r.name)).toEqual(["b", "d", "a", "c"]);
  });

  it.each([
    ["d", -1, ["d", "b", "a", "c"], { d: 300, b: 200 }],
    ["a", 1, ["b", "d", "c", "a"], { a: 100, c: 100 }],
    ["d", 1, ["b", "a", "d", "c"], { d: 100, a: 200 }],
  ] as const)("moving %s by %i swaps it with its neighbour only", (name, direction, expected, priorities) => {
    const rules = [rule("a", 100), rule("b", 300), rule("c", 100), rule("d", 200)];
    const move = planMove(rules, rules.find((r) => r.name === name)!, direction);
    applyMove(rules, move!);
    expect(evaluationOrder(rules).map((r) => r.name)).toEqual(expected);
    for (const [n, p] of Object.entries(priorities)) expect(rules.find((r) => r.name === n)!.priority).toBe(p);
  });

  it("does not move past either end", () => {
    const rules = [rule("a", 200), rule("b", 100)];
    expect(planMove(rules, rules[0]!, -1)).toBeUndefined();
    expect(planMove(rules, rules[1]!, 1)).toBeUndefined();
  });

  it("adds a rule after every other, and a copy right after its original", () => {
    const rules = [rule("a", 300), rule("new-rule", 200)];
    const added = newRule(rules);
    expect(added).toMatchObject({
      name: "new-rule-2",
      priority: 190,
      enabled: true,
      event: { type: "new-rule-2", params: {} },
    });
    const copy = duplicateOf(rules[0]!, rules);
    expect(copy).toMatchObject({ name: "a-copy", priority: 300, event: { type: "a-copy" } });
    expect(evaluationOrder([rules[0]!, copy, rules[1]!]).map((r) => r.name)).toEqual(["a", "a-copy", "new-rule"]);
  });
});

describe("the server's problems", () => {
  const rules = [
    rule("a", 100, {
      conditions: {
        all: [
          { fact: "order", path: "status", operator: "equal", value: "x" },
          { not: { any: [{ condition: "shared" }] } },
        ],
      },
    }),
    rule("b", 100, { event: { type: "b", params: { reasons: [{ code: "x", message: "" }] } } }),
  ];

  it("go to the rule they name, or to the list at the top", () => {
    const sorted = sortProblems(
      [
        { path: "rules.0.conditions.all.0.value", message: "bad value" },
        { path: "rules.1.name", message: "bad name" },
        { path: "rules.7.name", message: "no such rule" },
        { path: "defaults.returnShippingPayer", message: "bad default" },
      ],
      rules,
    );
    expect(sorted.byRule.get(rules[0]!)).toEqual([{ path: "conditions.all.0.value", message: "bad value" }]);
    expect(sorted.byRule.get(rules[1]!)).toEqual([{ path: "name", message: "bad name" }]);
    expect(sorted.general.map((p) => p.path)).toEqual(["rules.7.name", "defaults.returnShippingPayer"]);
  });

  it.each([
    ["name", 0, true],
    ["conditions.all.0.value", 0, true],
    ["conditions.all.0", 0, true],
    ["conditions.all.1.not.any.0.condition", 0, true],
    ["conditions.all.1.not.any.0.value", 0, false],
    ["conditions.all.5.value", 0, false],
    ["event.type", 0, false],
    ["event.params", 1, false],
    ["event.params.reasons.0.code", 1, true],
    ["event.params.reasons.3.code", 1, false],
    ["event.params.settlement", 1, false],
  ] as const)("%s of rule %i is shown at its field: %s", (path, index, shown) => {
    expect(shownAtField(path, rules[index]!, ["reasons", "eligible"])).toBe(shown);
  });
});

describe("the JSON view's text", () => {
  it("becomes the draft when it parses and has the editor's shape", () => {
    const read = readDraftText(JSON.stringify({ defaults: { a: 1 }, conditions: {}, rules: [rule("a", 1)] }));
    expect(read.ok && read.draft.rules[0]!.name).toBe("a");
  });

  it.each([
    ["{", "json.parseError"],
    ["[]", "json.shapeRoot"],
    ['{"rules": {}}', "json.shapeRules"],
    ['{"rules": [], "defaults": []}', "json.shapeMap"],
    ['{"rules": [], "conditions": {"x": 1}}', "json.shapeMap"],
    ['{"rules": [{"conditions": {"fact": "order"}, "event": {"params": {}}}]}', "json.shapeRule"],
    ['{"rules": [{"conditions": {"all": [1]}, "event": {"params": {}}}]}', "json.shapeRule"],
    ['{"rules": [{"conditions": {"all": []}, "event": {}}]}', "json.shapeRule"],
  ])("refuses %s (%s)", (text, key) => {
    const read = readDraftText(text);
    expect(read.ok ? undefined : read.problem.key).toBe(key);
  });
});
