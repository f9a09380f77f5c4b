import fc from "fast-check";
import stringify from "safe-stable-stringify";
import { describe, expect, it } from "vitest";
import type { Rule, RuleSetDefinition } from "../../shared/rules.ts";
import { mergeDrafts, unitChange } from "./merge.ts";

const rule = (name: string, payer = "buyer", priority = 100): Rule => ({
  name,
  description: "",
  priority,
  enabled: true,
  conditions: { all: [{ fact: "refund", path: "reason", operator: "equal", value: "no_reason_7d" }] },
  event: { type: name, params: { returnShippingPayer: payer } },
});
const def = (rules: Rule[], defaults: Record<string, unknown> = { returnShippingPayer: "buyer" }, conditions = {}) =>
  ({ rules, defaults, conditions }) as RuleSetDefinition;
const names = (d: RuleSetDefinition) => d.rules.map((r) => r.name);

const a = rule("a");
const b = rule("b");
const c = rule("c");
const base = def([a, b, c]);

describe("unitChange", () => {
  it.each([
    [undefined, undefined, "absent"],
    [undefined, a, "added"],
    [a, undefined, "removed"],
    [a, rule("a", "seller"), "changed"],
    [a, rule("a"), "unchanged"],
  ] as const)("%j → %j is %s", (before, after, change) => {
    expect(unitChange(before, after)).toBe(change);
  });
});

describe("mergeDrafts", () => {
  const cases: {
    what: string;
    theirs: RuleSetDefinition;
    mine: RuleSetDefinition;
    rules?: string[];
    payers?: Record<string, string>;
    conflicts?: unknown[];
  }[] = [
    {
      what: "different rules changed: both kept",
      theirs: def([rule("a", "seller"), b, c]),
      mine: def([a, b, rule("c", "platform")]),
      rules: ["a", "b", "c"],
      payers: { a: "seller", b: "buyer", c: "platform" },
    },
    {
      what: "the same change on both sides: no conflict",
      theirs: def([a, rule("b", "seller"), c]),
      mine: def([a, rule("b", "seller"), c]),
      rules: ["a", "b", "c"],
      payers: { b: "seller" },
    },
    {
      what: "the same rule changed differently: a conflict with both versions",
      theirs: def([a, rule("b", "seller"), c]),
      mine: def([a, rule("b", "platform"), c]),
      conflicts: [{ rule: "b", theirs: rule("b", "seller"), mine: rule("b", "platform") }],
    },
    {
      what: "changed on one side, removed on the other: a conflict",
      theirs: def([a, c]),
      mine: def([a, rule("b", "platform"), c]),
      conflicts: [{ rule: "b", theirs: null, mine: rule("b", "platform") }],
    },
    {
      what: "removed on one side, left alone on the other: removed",
      theirs: def([a, b, c]),
      mine: def([a, c]),
      rules: ["a", "c"],
    },
    {
      what: "removed on both sides: removed",
      theirs: def([b, c]),
      mine: def([b, c]),
      rules: ["b", "c"],
    },
    {
      what: "a rule each added: theirs in place, mine after the rule before it in my list",
      theirs: def([a, b, rule("t"), c]),
      mine: def([rule("m0"), a, rule("m1"), rule("m2"), b, c]),
      rules: ["m0", "a", "m1", "m2", "b", "t", "c"],
    },
    {
      what: "the same rule added with different content: a conflict",
      theirs: def([a, b, c, rule("n", "seller")]),
      mine: def([a, b, c, rule("n", "platform")]),
      conflicts: [{ rule: "n", theirs: rule("n", "seller"), mine: rule("n", "platform") }],
    },
    {
      what: "the same rule added identically: kept once",
      theirs: def([a, b, c, rule("n")]),
      mine: def([a, b, c, rule("n")]),
      rules: ["a", "b", "c", "n"],
    },
    {
      what: "only mine reordered: my order, with their added rule after its predecessor",
      theirs: def([a, b, rule("t"), c]),
      mine: def([c, b, a]),
      rules: ["c", "b", "t", "a"],
    },
    {
      what: "both reordered: theirs' order",
      theirs: def([b, a, c]),
      mine: def([c, b, a]),
      rules: ["b", "a", "c"],
    },
  ];

  it.each(cases)("$what", ({ theirs, mine, rules, payers, conflicts }) => {
    const result = mergeDrafts(base, theirs, mine);
    if (conflicts) {
      expect(result.conflicts).toEqual(conflicts);
      return;
    }
    expect(result.conflicts).toEqual([]);
    expect(names(result.merged)).toEqual(rules);
    for (const [name, payer] of Object.entries(payers ?? {}))
      expect(result.merged.rules.find((r) => r.name === name)!.event.params.returnShippingPayer).toBe(payer);
  });

  it("merges defaults field by field", () => {
    const before = def([a], { returnShippingPayer: "buyer", settlement: "none" });
    const theirs = def([a], { returnShippingPayer: "seller", settlement: "none" });
    const mine = def([a], { returnShippingPayer: "buyer", settlement: "deduct", extra: 1 });
    expect(mergeDrafts(before, theirs, mine)).toEqual({
      merged: def([a], { returnShippingPayer: "seller", settlement: "deduct", extra: 1 }),
      conflicts: [],
    });
    const clash = def([a], { returnShippingPayer: "platform", settlement: "none" });
    expect(mergeDrafts(before, theirs, clash).conflicts).toEqual([
      { default: "returnShippingPayer", theirs: "seller", mine: "platform" },
    ]);
  });

  it("merges shared conditions by name, a removal against a change being a conflict", () => {
    const open = { all: [{ fact: "order", path: "status", operator: "equal", value: "paid" }] };
    const closed = { all: [{ fact: "order", path: "status", operator: "equal", value: "closed" }] };
    const before = def([a], {}, { "is-paid": open, "is-open": open });
    const theirs = def([a], {}, { "is-paid": open, "is-open": closed, "theirs-new": open });
    const mine = def([a], {}, { "is-paid": open, "is-open": open, "mine-new": closed });
    expect(mergeDrafts(before, theirs, mine).merged.conditions).toEqual({
      "is-paid": open,
      "is-open": closed,
      "theirs-new": open,
      "mine-new": closed,
    });
    const removed = def([a], {}, { "is-paid": open });
    expect(mergeDrafts(before, theirs, removed).conflicts).toEqual([
      { condition: "is-open", theirs: closed, mine: null },
    ]);
  });

  it("keeps theirs in the merge for every conflict, and both sides' other changes", () => {
    const theirs = def([a, rule("b", "seller"), rule("c", "seller")]);
    const mine = def([rule("a", "platform"), rule("b", "platform"), c, rule("m")]);
    const { merged, conflicts } = mergeDrafts(base, theirs, mine);
    expect(conflicts.map((x) => "rule" in x && x.rule)).toEqual(["b"]);
    expect(merged.rules.map((r) => [r.name, r.event.params.returnShippingPayer])).toEqual([
      ["a", "platform"],
      ["b", "seller"],
      ["c", "seller"],
      ["m", "buyer"],
    ]);
  });
});

describe("mergeDrafts properties", () => {
  const payer = fc.constantFrom("buyer", "seller", "platform");
  const ruleNames = ["r1", "r2", "r3", "r4", "r5", "r6"];
  /** A definition over a few rule names, each present or not, in any order, with a payer and a priority. */
  const definition = fc
    .record({
      picked: fc.subarray(ruleNames),
      payers: fc.array(payer, { minLength: 6, maxLength: 6 }),
      priorities: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 6, maxLength: 6 }),
      defaults: fc.dictionary(fc.constantFrom("returnShippingPayer", "settlement", "note"), payer),
      conditions: fc.dictionary(
        fc.constantFrom("c-a", "c-b"),
        payer.map((value) => ({ all: [{ fact: "order", path: "status", operator: "equal", value }] })),
      ),
    })
    .chain((d) =>
      fc.shuffledSubarray(d.picked, { minLength: d.picked.length, maxLength: d.picked.length }).map((order) =>
        def(
          order.map((name) => {
            const i = ruleNames.indexOf(name);
            return rule(name, d.payers[i], d.priorities[i]);
          }),
          d.defaults,
          d.conditions,
        ),
      ),
    );
  const canonical = (d: RuleSetDefinition) => stringify(d);
  /** What a merge keeps, whatever the order: each rule's, default's and condition's content. */
  const kept = (d: RuleSetDefinition) =>
    stringify({
      rules: Object.fromEntries(d.rules.map((r) => [r.name, r])),
      defaults: d.defaults,
      conditions: d.conditions,
    });

  it("merging with an unchanged side gives the other side", () => {
    fc.assert(
      fc.property(definition, definition, (before, side) => {
        expect(canonical(mergeDrafts(before, before, side).merged)).toBe(canonical(side));
        expect(canonical(mergeDrafts(before, side, before).merged)).toBe(canonical(side));
        expect(mergeDrafts(before, before, side).conflicts).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps the same, and finds the same conflicts, whichever side is theirs", () => {
    fc.assert(
      fc.property(definition, definition, definition, (before, one, other) => {
        const forward = mergeDrafts(before, one, other);
        const backward = mergeDrafts(before, other, one);
        const swapped = backward.conflicts.map((c) => ({ ...c, theirs: c.mine, mine: c.theirs }));
        // the same conflicts, listed in either order
        const sorted = (list: unknown[]) => list.map((c) => stringify(c)).sort();
        expect(sorted(forward.conflicts)).toEqual(sorted(swapped));
        if (forward.conflicts.length === 0) expect(kept(forward.merged)).toBe(kept(backward.merged));
      }),
      { numRuns: 300 },
    );
  });

  it("keeps every change of a side that does not conflict, and lists each unit once", () => {
    fc.assert(
      fc.property(definition, definition, definition, (before, theirs, mine) => {
        const { merged, conflicts } = mergeDrafts(before, theirs, mine);
        expect(new Set(names(merged)).size).toBe(merged.rules.length);
        const conflicting = new Set(conflicts.flatMap((c) => ("rule" in c ? [c.rule] : [])));
        for (const r of mine.rules) {
          const was = before.rules.find((x) => x.name === r.name);
          if (conflicting.has(r.name) || stringify(was) === stringify(r)) continue;
          expect(merged.rules.find((x) => x.name === r.name)).toEqual(r);
        }
      }),
      { numRuns: 300 },
    );
  });
});
