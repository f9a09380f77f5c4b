import { describe, expect, it } from "vitest";
import { RuleSetDefinition, type RuleSetDefinitionInput, type TopLevelCondition } from "../../shared/rules.ts";
import { DomainError } from "../errors.ts";
import { CompiledRuleSet, type TraceNode } from "./compile.ts";
import { MAX_COMPILE_DEPTH } from "./expansion.ts";

/**
 * A fact value that counts its comparisons: `lessThan` converts it to a number exactly once each
 * time the leaf is evaluated (its validator converts it to a string), so the count of numeric
 * conversions is the count of evaluations, with no spy on the engine.
 */
function probe(value: number) {
  const counter = { evaluations: 0 };
  const fact = {
    [Symbol.toPrimitive](hint: string) {
      if (hint === "number") counter.evaluations++;
      return value;
    },
  };
  return { counter, fact };
}

const probedLeaf = { fact: "probe", operator: "lessThan", value: 10 };
const rule = (name: string, conditions: TopLevelCondition) => ({
  name,
  conditions,
  event: { type: name, params: { tag: name } },
});
const compile = (input: RuleSetDefinitionInput) => new CompiledRuleSet(RuleSetDefinition.parse(input));

/** c-0 … c-(depth − 1) each refer to the next twice, c-(depth) is a leaf: 2^depth paths. */
function diamond(depth: number): Record<string, TopLevelCondition> {
  const conditions: Record<string, TopLevelCondition> = {};
  for (let i = 0; i < depth; i++)
    conditions[`c-${i}`] = { any: [{ condition: `c-${i + 1}` }, { condition: `c-${i + 1}` }] };
  conditions[`c-${depth}`] = { any: [probedLeaf, { fact: "other", operator: "equal", value: 1 }] };
  return conditions;
}

/** c-0 … c-(length − 1) each an `all` of a reference to the next. */
function chain(length: number): Record<string, TopLevelCondition> {
  const conditions: Record<string, TopLevelCondition> = {};
  for (let i = 0; i < length; i++) conditions[`c-${i}`] = { all: [{ condition: `c-${i + 1}` }] };
  conditions[`c-${length}`] = { all: [probedLeaf] };
  return conditions;
}

function countNodes(node: TraceNode): number {
  if ("all" in node) return 1 + node.all.reduce((sum, child) => sum + countNodes(child), 0);
  if ("any" in node) return 1 + node.any.reduce((sum, child) => sum + countNodes(child), 0);
  if ("not" in node) return 1 + countNodes(node.not);
  return 1;
}

describe("shared conditions are evaluated once a decision", () => {
  // any of two leaves: not a conjunct the index checks first, so only the condition table evaluates it
  const shared = { any: [probedLeaf, { fact: "other", operator: "equal", value: 1 }] };
  const compiled = compile({
    defaults: {},
    conditions: { probed: shared },
    rules: [
      rule("twice-in-an-all", { all: [{ condition: "probed" }, { condition: "probed" }] }),
      rule("negated-and-plain", { any: [{ not: { condition: "probed" } }, { condition: "probed" }] }),
      rule("alone", { condition: "probed" }),
      rule("nested", {
        all: [{ any: [{ all: [{ condition: "probed" }] }] }, { not: { not: { condition: "probed" } } }],
      }),
    ],
  });

  it("referenced seven times in four rules, evaluated once per decision", () => {
    const { counter, fact } = probe(3);
    const fired = compiled.fire({ probe: fact });
    expect(fired.map((firing) => firing.name)).toEqual(["twice-in-an-all", "negated-and-plain", "alone", "nested"]);
    expect(counter.evaluations).toBe(1);
    compiled.fire({ probe: fact });
    expect(counter.evaluations).toBe(2);
  });

  it("gives every reference the result of this decision, not of the one before", () => {
    const small = probe(3);
    const large = probe(30);
    expect(compiled.fire({ probe: small.fact }).length).toBe(4);
    // the shared condition fails now, so only the rule that negates it fires
    expect(compiled.fire({ probe: large.fact }).map((firing) => firing.name)).toEqual(["negated-and-plain"]);
    expect(compiled.fire({ probe: small.fact }).length).toBe(4);
    expect(large.counter.evaluations).toBe(1);
  });

  it("is shown in full once in a trace, each later reference with its name and result", () => {
    const { counter, fact } = probe(3);
    const trace = compiled.explain({ probe: fact });
    expect(counter.evaluations).toBe(1);
    expect(trace[0]!.conditions).toEqual({
      all: [
        {
          any: [
            { fact: "probe", operator: "lessThan", value: 10, factValue: fact, result: true },
            { fact: "other", operator: "equal", value: 1, result: false },
          ],
          result: true,
          condition: "probed",
        },
        { condition: "probed", result: true, ref: true },
      ],
      result: true,
    });
    expect(trace[2]!.conditions).toEqual({ condition: "probed", result: true, ref: true });
    expect(trace.map((entry) => entry.fired)).toEqual([true, true, true, true]);
  });
});

describe("a diamond of references", () => {
  it("60 levels deep (2^60 paths) compiles, decides and traces in linear work", () => {
    const compiled = compile({ defaults: {}, conditions: diamond(60), rules: [rule("diamond", { condition: "c-0" })] });
    const { counter, fact } = probe(3);
    expect(compiled.fire({ probe: fact }).map((firing) => firing.name)).toEqual(["diamond"]);
    expect(counter.evaluations).toBe(1);
    const trace = compiled.explain({ probe: fact });
    expect(trace[0]!.fired).toBe(true);
    // each level shows its first reference in full and refers to it the second time
    expect(countNodes(trace[0]!.conditions)).toBe(2 * 60 + 3);
    expect(JSON.stringify(trace).length).toBeLessThan(20_000);
  });

  it("60 levels deep, when it fails and every `any` must try both references, still evaluates its leaf once", () => {
    const compiled = compile({ defaults: {}, conditions: diamond(60), rules: [rule("diamond", { condition: "c-0" })] });
    const { counter, fact } = probe(30);
    expect(compiled.fire({ probe: fact })).toEqual([]);
    expect(counter.evaluations).toBe(1);
    const trace = compiled.explain({ probe: fact });
    expect(trace[0]!.fired).toBe(false);
    expect(countNodes(trace[0]!.conditions)).toBe(2 * 60 + 3);
  });
});

describe("a diamond of `all`s", () => {
  it("60 levels deep compiles with each of its leaves checked once, not once per path", () => {
    const conditions: Record<string, TopLevelCondition> = {};
    for (let i = 0; i < 60; i++)
      conditions[`c-${i}`] = { all: [{ condition: `c-${i + 1}` }, { condition: `c-${i + 1}` }] };
    conditions["c-60"] = { all: [probedLeaf] };
    const compiled = compile({ defaults: {}, conditions, rules: [rule("diamond", { condition: "c-0" })] });
    const held = probe(3);
    expect(compiled.fire({ probe: held.fact }).map((firing) => firing.name)).toEqual(["diamond"]);
    expect(held.counter.evaluations).toBe(1);
    const failed = probe(30);
    expect(compiled.fire({ probe: failed.fact })).toEqual([]);
    expect(failed.counter.evaluations).toBe(1);
  });
});

describe("deep chains of references", () => {
  // a chain of n: the rule's reference, then per link an `all` and a reference, then the last `all` and its leaf
  const depthOf = (length: number) => 3 + 2 * length;

  it(`compiles, decides and traces a chain ${MAX_COMPILE_DEPTH} levels deep without running out of stack`, () => {
    const length = Math.floor((MAX_COMPILE_DEPTH - 3) / 2);
    expect(depthOf(length)).toBeLessThanOrEqual(MAX_COMPILE_DEPTH);
    const compiled = compile({ defaults: {}, conditions: chain(length), rules: [rule("chain", { condition: "c-0" })] });
    const { fact } = probe(3);
    expect(compiled.fire({ probe: fact }).map((firing) => firing.name)).toEqual(["chain"]);
    expect(compiled.explain({ probe: fact })[0]!.fired).toBe(true);
  });

  it.each([Math.floor((MAX_COMPILE_DEPTH - 3) / 2) + 1, 1000, 20_000])(
    "refuses a chain of %i with a 422 naming the rule, not a stack overflow",
    (length) => {
      // as a version published before validation bounded chains would be: not parsed again, so not capped
      const definition = {
        ...RuleSetDefinition.parse({
          defaults: {},
          rules: [rule("fine", { all: [probedLeaf] }), rule("chain", { condition: "c-0" })],
        }),
        conditions: chain(length),
      };
      let error: unknown;
      try {
        new CompiledRuleSet(definition);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).status).toBe(422);
      expect((error as DomainError).errors).toEqual([
        {
          path: "rules.1.conditions",
          code: "too_deep",
          params: { maximum: MAX_COMPILE_DEPTH },
          message: expect.stringContaining(`deeper than ${MAX_COMPILE_DEPTH}`),
        },
      ]);
    },
  );

  it("still throws a broken shared condition's error when it is evaluated, as json-rules-engine does", () => {
    const compiled = compile({
      defaults: {},
      conditions: { broken: { all: [{ fact: "probe", operator: "noSuchOperator", value: 1 }] } },
      rules: [rule("uses-broken", { any: [{ condition: "broken" }, { condition: "broken" }] })],
    });
    expect(() => compiled.fire({ probe: 1 })).toThrow("Unknown operator: noSuchOperator");
    expect(() => compiled.explain({ probe: 1 })).toThrow("Unknown operator: noSuchOperator");
  });
});

describe("validity windows", () => {
  const start = Date.parse("2026-11-01T00:00:00+08:00");
  const day = 86_400_000;
  const status = (value: string) => ({ all: [{ fact: "order", path: "status", operator: "equal", value }] });
  /** Twelve rules filed by the index, rule n applicable on day n only: more intervals than the indexes kept at once. */
  const daily = compile({
    defaults: {},
    rules: Array.from({ length: 12 }, (_, n) => ({
      ...rule(`day-${n}`, status(n % 2 === 0 ? "paid" : "shipped")),
      validFrom: new Date(start + n * day).toISOString(),
      validUntil: new Date(start + (n + 1) * day).toISOString(),
    })),
  });

  it("fires a rule from validFrom to one millisecond before validUntil, in every interval, as often as the moments come back", () => {
    for (let round = 0; round < 3; round++) {
      for (let n = 0; n < 12; n++) {
        const facts = { order: { status: n % 2 === 0 ? "paid" : "shipped" } };
        expect(daily.fire(facts, start + n * day).map((f) => f.name)).toEqual([`day-${n}`]);
        expect(daily.fire(facts, start + (n + 1) * day - 1).map((f) => f.name)).toEqual([`day-${n}`]);
        expect(daily.fire(facts, start + n * day - 1).map((f) => f.name)).toEqual([]);
        expect(daily.fire(facts, start + (n + 1) * day).map((f) => f.name)).toEqual([]);
      }
    }
  });

  it("traces a rule outside its window as upcoming or over, not fired, with its conditions", () => {
    const trace = daily.explain({ order: { status: "paid" } }, start + 2 * day);
    expect(trace.slice(0, 4).map((entry) => [entry.rule, entry.fired, entry.window, entry.conditions.result])).toEqual([
      ["day-0", false, "over", true],
      ["day-1", false, "over", false],
      ["day-2", true, undefined, true],
      ["day-3", false, "upcoming", false],
    ]);
    expect("window" in trace[2]!).toBe(false);
  });

  it("has no window state in a rule set without windows, whatever the moment", () => {
    const plain = compile({ defaults: {}, rules: [rule("always", { all: [] })] });
    expect(plain.windowed).toBe(false);
    expect(daily.windowed).toBe(true);
    expect(plain.fire({}, 0).map((f) => f.name)).toEqual(["always"]);
    expect(plain.explain({}, 0)).toEqual([
      { rule: "always", priority: 1, fired: true, conditions: { all: [], result: true } },
    ]);
  });
});
