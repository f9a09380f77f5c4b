import { durationMs } from "../../shared/duration.ts";
import type { Condition, LeafCondition, RuleSetDefinition, TopLevelCondition } from "../../shared/rules.ts";
import type { Firing } from "./fold.ts";

/**
 * Compiles a rule set's json-rules-engine rules into plain closures, once, at publish or start.
 * The closures follow json-rules-engine's semantics exactly (the differential test holds them to
 * it): facts are read by plain dotted path, a missing fact reads as undefined, an operator whose
 * fact value fails its validator is false, `all` is every, `any` is some, both true when empty,
 * `not` negates, and a condition reference evaluates the named shared condition. Nothing is
 * evaluated from strings: each closure is built from the validated rule tree.
 */

type Facts = Record<string, unknown>;
type Test = (facts: Facts) => boolean;

/** A condition as a trace shows it: leaves with the value seen and the result, groups with theirs. */
export type TraceNode =
  | { all: TraceNode[]; result: boolean; condition?: string }
  | { any: TraceNode[]; result: boolean; condition?: string }
  | { not: TraceNode; result: boolean; condition?: string }
  | {
      fact: string;
      path?: string;
      operator: string;
      value: unknown;
      factValue?: unknown;
      valueSeen?: unknown;
      result: boolean;
      condition?: string;
    };
type Explain = (facts: Facts) => TraceNode;

export type TraceEntry = { rule: string; priority: number; fired: boolean; conditions: TraceNode };

type Operator = { validate: (factValue: unknown) => boolean; evaluate: (factValue: any, value: any) => boolean };

const always = () => true;
const isNumeric = (v: unknown) => (typeof v === "number" ? !Number.isNaN(v) : Number.parseFloat(v as string).toString() !== "NaN");
const isFiniteNumber = (v: unknown) => typeof v === "number" && Number.isFinite(v);

/** json-rules-engine's default operators and the product's duration operators, with their validators. */
export const operators: Record<string, Operator> = {
  equal: { validate: always, evaluate: (a, b) => a === b },
  notEqual: { validate: always, evaluate: (a, b) => a !== b },
  in: { validate: always, evaluate: (a, b) => b.indexOf(a) > -1 },
  notIn: { validate: always, evaluate: (a, b) => b.indexOf(a) === -1 },
  contains: { validate: Array.isArray, evaluate: (a, b) => a.indexOf(b) > -1 },
  doesNotContain: { validate: Array.isArray, evaluate: (a, b) => a.indexOf(b) === -1 },
  lessThan: { validate: isNumeric, evaluate: (a, b) => a < b },
  lessThanInclusive: { validate: isNumeric, evaluate: (a, b) => a <= b },
  greaterThan: { validate: isNumeric, evaluate: (a, b) => a > b },
  greaterThanInclusive: { validate: isNumeric, evaluate: (a, b) => a >= b },
  withinDuration: { validate: isFiniteNumber, evaluate: (a, b) => a <= (durationMs(b) ?? Number.NaN) },
  beyondDuration: { validate: isFiniteNumber, evaluate: (a, b) => a > (durationMs(b) ?? Number.NaN) },
};

/** Reads `fact` then the dotted `path`, as json-rules-engine does with the product's path resolver. */
function compileRead(fact: string, path: string | undefined): (facts: Facts) => unknown {
  if (!path) return (facts) => (Object.hasOwn(facts, fact) ? facts[fact] : undefined);
  const keys = path.split(".");
  if (keys.length === 1) {
    const key = keys[0]!;
    return (facts) => {
      const value = Object.hasOwn(facts, fact) ? facts[fact] : undefined;
      if (value === null || typeof value !== "object") return value;
      return Object.hasOwn(value, key) ? (value as Facts)[key] : undefined;
    };
  }
  return (facts) => {
    const value = Object.hasOwn(facts, fact) ? facts[fact] : undefined;
    if (value === null || typeof value !== "object") return value;
    let current: unknown = value;
    for (const key of keys) {
      if (current === null || typeof current !== "object" || !Object.hasOwn(current, key)) return undefined;
      current = (current as Facts)[key];
    }
    return current;
  };
}

function isFactReference(value: unknown): value is { fact: string; path?: string } {
  return typeof value === "object" && value !== null && Object.hasOwn(value, "fact");
}

class ConditionCompiler {
  readonly #shared = new Map<string, { test: Test; explain: Explain }>();
  constructor(readonly definitions: RuleSetDefinition["conditions"]) {}

  compile(condition: Condition | TopLevelCondition): { test: Test; explain: Explain } {
    if ("all" in condition) return this.#group("all", condition.all);
    if ("any" in condition) return this.#group("any", condition.any);
    if ("not" in condition) {
      const inner = this.compile(condition.not);
      return {
        test: (facts) => !inner.test(facts),
        explain: (facts) => {
          const node = inner.explain(facts);
          return { not: node, result: !node.result };
        },
      };
    }
    if ("condition" in condition) return this.#reference(condition.condition);
    return this.#leaf(condition);
  }

  #group(kind: "all" | "any", children: readonly Condition[]): { test: Test; explain: Explain } {
    const compiled = children.map((child) => this.compile(child));
    const tests = compiled.map((c) => c.test);
    // json-rules-engine: an empty all / any is true; otherwise every / some
    let test: Test;
    if (tests.length === 0) test = always;
    else if (tests.length === 1) test = tests[0]!;
    else if (kind === "all") test = (facts) => tests.every((t) => t(facts));
    else test = (facts) => tests.some((t) => t(facts));
    const explain: Explain = (facts) => {
      const nodes = compiled.map((c) => c.explain(facts));
      const result = nodes.length === 0 || (kind === "all" ? nodes.every((n) => n.result) : nodes.some((n) => n.result));
      return kind === "all" ? { all: nodes, result } : { any: nodes, result };
    };
    return { test, explain };
  }

  #reference(name: string): { test: Test; explain: Explain } {
    const known = this.#shared.get(name);
    if (known) return known;
    const definition = this.definitions[name];
    if (!definition) throw new Error(`No condition ${name} exists`);
    // late-bound, so a reference compiles before the condition it names
    let target: { test: Test; explain: Explain } | undefined;
    const resolve = () => (target ??= this.compile(definition));
    const compiled = {
      test: (facts: Facts) => resolve().test(facts),
      explain: (facts: Facts) => ({ ...resolve().explain(facts), condition: name }),
    };
    this.#shared.set(name, compiled);
    return compiled;
  }

  #leaf(condition: LeafCondition): { test: Test; explain: Explain } {
    // own keys only: `toString` or `constructor` is no operator, as json-rules-engine's map says
    const operator = Object.hasOwn(operators, condition.operator) ? operators[condition.operator] : undefined;
    if (!operator) throw new Error(`Unknown operator: ${condition.operator}`);
    const read = compileRead(condition.fact, condition.path);
    const { validate, evaluate } = operator;
    // a private copy, as json-rules-engine compares against a fresh clone of the rule on every run:
    // a list or object value is never the very object a fact holds
    const value = typeof condition.value === "object" && condition.value !== null ? structuredClone(condition.value) : condition.value;
    const readValue = isFactReference(value) ? compileRead(value.fact, value.path) : undefined;

    let test: Test;
    if (readValue) test = (facts) => { const a = read(facts); return validate(a) && evaluate(a, readValue(facts)); };
    else if (condition.operator === "equal") test = (facts) => read(facts) === value;
    else if (condition.operator === "notEqual") test = (facts) => read(facts) !== value;
    else if ((condition.operator === "in" || condition.operator === "notIn") && Array.isArray(value) && value.every((v) => typeof v === "string")) {
      const set = new Set(value as string[]);
      test = condition.operator === "in" ? (facts) => set.has(read(facts) as string) : (facts) => !set.has(read(facts) as string);
    } else test = (facts) => { const a = read(facts); return validate(a) && evaluate(a, value); };

    const explain: Explain = (facts) => {
      const factValue = read(facts);
      const seen = readValue ? readValue(facts) : value;
      const result = validate(factValue) && evaluate(factValue, seen);
      return {
        fact: condition.fact,
        ...(condition.path === undefined ? {} : { path: condition.path }),
        operator: condition.operator,
        value,
        ...(factValue === undefined ? {} : { factValue }),
        ...(readValue ? { valueSeen: seen } : {}),
        result,
      };
    };
    return { test, explain };
  }
}

export type CompiledRule = { name: string; priority: number; params: Record<string, unknown>; test: Test; explain: Explain };

/** A rule set compiled: its enabled rules in evaluation order (priority high to low, then list order). */
export class CompiledRuleSet {
  readonly rules: readonly CompiledRule[];

  constructor(definition: RuleSetDefinition) {
    const compiler = new ConditionCompiler(definition.conditions);
    const enabled = definition.rules.map((rule, index) => ({ rule, index })).filter(({ rule }) => rule.enabled);
    enabled.sort((a, b) => b.rule.priority - a.rule.priority || a.index - b.index);
    this.rules = enabled.map(({ rule }) => ({
      name: rule.name,
      priority: rule.priority,
      params: rule.event.params,
      ...compiler.compile(rule.conditions),
    }));
  }

  /** The rules that fire for these facts, in evaluation order. */
  fire(facts: Facts): Firing[] {
    const fired: Firing[] = [];
    for (const rule of this.rules) if (rule.test(facts)) fired.push({ name: rule.name, params: rule.params });
    return fired;
  }

  /** Every rule with each condition's value seen and result. */
  explain(facts: Facts): TraceEntry[] {
    return this.rules.map((rule) => {
      const conditions = rule.explain(facts);
      return { rule: rule.name, priority: rule.priority, fired: conditions.result, conditions };
    });
  }
}
