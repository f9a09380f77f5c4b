import { readsAsFactReference } from "../../shared/fact-ref.ts";
import { countedValue, PeriodClock, periodEnd } from "../../shared/periods.ts";
import type { Condition, LeafCondition, RuleSetDefinition, TopLevelCondition } from "../../shared/rules.ts";
import { invalid } from "../errors.ts";
import { MAX_COMPILE_DEPTH, measureExpansion } from "./expansion.ts";
import type { Firing } from "./fold.ts";
import { RuleIndex, type Needs } from "./rule-index.ts";
import { compileRead, ConditionTable, DEFAULT_PERIODS, FactTable, LeafTable, operators, type Facts } from "./tables.ts";
import { fieldProblem } from "../../shared/problems.ts";

/**
 * Compiles a rule set's json-rules-engine rules, once, at publish or start: into flat tables of
 * the facts they read, the leaves they compare and the groups over those (tables.ts), an index of
 * the rules an evaluation need try (rule-index.ts), and closures that explain a decision for its
 * trace. Evaluation follows json-rules-engine's semantics exactly (the differential test holds it
 * to them): facts are read by plain dotted path, a missing fact reads as undefined, an operator
 * whose fact value fails its validator is false, `all` is every, `any` is some, both true when
 * empty, `not` negates, and a condition reference evaluates the named shared condition (once
 * an evaluation: its result is the same wherever it is referenced). Nothing is evaluated from
 * strings: everything is built from the validated rule tree.
 */

/**
 * A condition as a trace shows it: leaves with the value seen and the result, groups with theirs.
 *
 * A shared condition is shown in full once a trace: the first time the trace reaches it (rules in
 * evaluation order, each depth first), as its root's node carrying its name in `condition`. Every
 * later reference to it is `{ condition, result, ref: true }`, so a trace grows with the rule set as
 * written, never with the number of paths through its references. A shared condition that is only
 * a reference to another is shown under the other's name.
 */
export type TraceNode =
  | { all: TraceNode[]; result: boolean; condition?: string }
  | { any: TraceNode[]; result: boolean; condition?: string }
  | { not: TraceNode; result: boolean; condition?: string }
  | { condition: string; result: boolean; ref: true }
  | {
      fact: string;
      path?: string;
      operator: string;
      value: unknown;
      factValue?: unknown;
      valueSeen?: unknown;
      /** A duration counted in days or business hours: when the period counted from the fact's moment ends. */
      periodEnd?: string;
      result: boolean;
      condition?: string;
    };
/**
 * Explains a condition; `shown` holds the result of each shared condition this trace has shown in full, `clock` is the
 * evaluation's (counted durations).
 */
type Explain = (facts: Facts, shown: Map<string, boolean>, clock: PeriodClock) => TraceNode;

/**
 * A rule as a trace shows it. `window` is there when the rule's validity window does not hold the case's now: the rule
 * is not applicable (`upcoming`: before `validFrom`; `over`: at or after `validUntil`), so it does not fire, whatever
 * its conditions, which are still shown. `takenBy` and `overridden` are the Decider's, from the fold.
 */
export type TraceEntry = {
  rule: string;
  /** The rule's display name, when it has one. */
  title?: string;
  priority: number;
  fired: boolean;
  window?: WindowState;
  /** A fired rule's fields that earlier rules had already set, each with the rule that set it (see foldProvenance). */
  takenBy?: Record<string, string>;
  /** A fired rule whose every field earlier rules had already set: it changed nothing. */
  overridden?: true;
  conditions: TraceNode;
};
export type WindowState = "upcoming" | "over";

/** A value a Map finds exactly when `===` does: a primitive, but not NaN (`NaN !== NaN`, yet a Map finds it). */
function isIndexable(value: unknown): boolean {
  return value === null || (typeof value !== "object" && typeof value !== "function" && !Number.isNaN(value));
}

const nothingNeeded: Needs = new Map();

type Compiled = { node: number; explain: Explain };

/** Leaves that must all hold for a condition to hold, and whether they are the whole condition. */
type Conjuncts = { leaves: readonly number[]; whole: boolean };
const noConjuncts: Conjuncts = { leaves: [], whole: false };

class ConditionCompiler {
  readonly facts = new FactTable();
  readonly leaves = new LeafTable();
  readonly conditions = new ConditionTable(this.leaves);
  /** How a trace reads each slot, in slot order. */
  readonly #reads: ((facts: Facts) => unknown)[] = [];
  readonly #leafNumbers = new Map<LeafCondition, number>();
  readonly #shared = new Map<string, Compiled>();
  /** Shared conditions that do not compile: evaluating them throws, as in json-rules-engine. */
  readonly #broken = new Set<string>();
  readonly #sharedNeeds = new Map<string, Needs>();
  readonly #sharedConjuncts = new Map<string, Conjuncts>();

  constructor(readonly definitions: RuleSetDefinition["conditions"]) {}

  /** A condition's node in the condition table, and how to explain it. */
  compile(condition: Condition | TopLevelCondition): Compiled {
    if ("all" in condition) return this.#group("all", condition.all);
    if ("any" in condition) return this.#group("any", condition.any);
    if ("not" in condition) {
      const inner = this.compile(condition.not);
      return {
        node: this.conditions.not(inner.node),
        explain: (facts, shown, clock) => {
          const node = inner.explain(facts, shown, clock);
          return { not: node, result: !node.result };
        },
      };
    }
    if ("condition" in condition) return this.#reference(condition.condition);
    return this.#leaf(condition);
  }

  /** What `condition`, compiled, needs of the facts (see Needs); a reference to a condition being analysed needs nothing more. */
  needs(condition: Condition | TopLevelCondition, open = new Set<string>()): Needs {
    if ("all" in condition) {
      const needs: Needs = new Map();
      for (const child of condition.all) {
        for (const [slot, values] of this.needs(child, open)) {
          const before = needs.get(slot);
          needs.set(slot, before === undefined ? values : new Set([...before].filter((value) => values.has(value))));
        }
      }
      return needs;
    }
    if ("any" in condition) {
      if (condition.any.length === 0) return nothingNeeded;
      const [first, ...rest] = condition.any.map((child) => this.needs(child, open));
      const needs: Needs = new Map();
      for (const [slot, values] of first!) {
        if (rest.every((other) => other.has(slot)))
          needs.set(slot, new Set([values, ...rest.map((other) => other.get(slot)!)].flatMap((set) => [...set])));
      }
      return needs;
    }
    if ("not" in condition) return nothingNeeded;
    // a shared condition that does not compile needs nothing: its rules are tried, and throw
    if ("condition" in condition)
      return this.#ofShared(condition.condition, open, this.#sharedNeeds, (c) => this.needs(c, open), nothingNeeded);
    if (readsAsFactReference(condition.value)) return nothingNeeded;
    if (condition.operator === "equal" && isIndexable(condition.value)) {
      return new Map([[this.facts.slot(condition.fact, condition.path), new Set([condition.value])]]);
    }
    if (condition.operator === "in" && Array.isArray(condition.value) && condition.value.every(isIndexable)) {
      return new Map([[this.facts.slot(condition.fact, condition.path), new Set(condition.value)]]);
    }
    return nothingNeeded;
  }

  /**
   * `analyse` of the shared condition `name`, remembered in `cache`; `none` for one that is unknown,
   * does not compile, or is already being analysed (a cycle, which validation refuses anyway).
   */
  #ofShared<T>(
    name: string,
    open: Set<string>,
    cache: Map<string, T>,
    analyse: (condition: TopLevelCondition) => T,
    none: T,
  ): T {
    const known = cache.get(name);
    if (known) return known;
    if (!this.#shared.has(name) || this.#broken.has(name) || open.has(name)) return none;
    open.add(name);
    const result = analyse(this.definitions[name]!);
    open.delete(name);
    cache.set(name, result);
    return result;
  }

  /**
   * The leaves that must all hold for `condition`, compiled, to hold: a leaf itself, an `all`'s
   * children's, an `any` of one child's, a shared condition's. Whole when nothing else is left
   * (no `not`, no `any` of several); an empty `all` or `any` is whole and true.
   */
  conjuncts(condition: Condition | TopLevelCondition, open = new Set<string>()): Conjuncts {
    if ("all" in condition) {
      const children = condition.all.map((child) => this.conjuncts(child, open));
      // each leaf once: a shared condition referenced twice would otherwise double its leaves at every level
      return {
        leaves: [...new Set(children.flatMap((child) => child.leaves))],
        whole: children.every((child) => child.whole),
      };
    }
    if ("any" in condition) {
      if (condition.any.length === 0) return { leaves: [], whole: true };
      return condition.any.length === 1 ? this.conjuncts(condition.any[0]!, open) : noConjuncts;
    }
    if ("not" in condition) return noConjuncts;
    if ("condition" in condition)
      return this.#ofShared(
        condition.condition,
        open,
        this.#sharedConjuncts,
        (c) => this.conjuncts(c, open),
        noConjuncts,
      );
    const leaf = this.#leafNumbers.get(condition);
    return leaf === undefined ? noConjuncts : { leaves: [leaf], whole: true };
  }

  #group(kind: "all" | "any", children: readonly Condition[]): Compiled {
    const compiled = children.map((child) => this.compile(child));
    const explain: Explain = (facts, shown, clock) => {
      const nodes = compiled.map((c) => c.explain(facts, shown, clock));
      // json-rules-engine: an empty all / any is true; otherwise every / some
      const result =
        nodes.length === 0 || (kind === "all" ? nodes.every((n) => n.result) : nodes.some((n) => n.result));
      return kind === "all" ? { all: nodes, result } : { any: nodes, result };
    };
    return {
      node: this.conditions.group(
        kind,
        compiled.map((c) => c.node),
      ),
      explain,
    };
  }

  #reference(name: string): Compiled {
    const known = this.#shared.get(name);
    if (known) return known;
    if (!Object.hasOwn(this.definitions, name)) throw new Error(`No condition ${name} exists`);
    // resolved once compiled, so that the shared condition is known by name while its own
    // references are compiled (a circle never gets here: the constructor refuses it)
    const node = this.conditions.reference();
    let target: Compiled | undefined;
    const explain: Explain = (facts, shown, clock) => {
      const result = shown.get(name);
      if (result !== undefined) return { condition: name, result, ref: true };
      const node = target!.explain(facts, shown, clock);
      // a shared condition that is only a reference to another: that one's node, under its own name
      if (node.condition !== undefined) return node;
      shown.set(name, node.result);
      return { ...node, condition: name };
    };
    const compiled: Compiled = { node, explain };
    this.#shared.set(name, compiled);
    try {
      target = this.compile(this.definitions[name]!);
      this.conditions.resolve(node, target.node);
    } catch (error) {
      // json-rules-engine finds a shared condition's mistakes (an unknown operator) only when it
      // evaluates it, and so do these: at compile time only the rules' own conditions are checked
      this.conditions.break(node, error);
      const fail = () => {
        throw error;
      };
      target = { node, explain: fail };
      this.#broken.add(name);
    }
    return compiled;
  }

  #leaf(condition: LeafCondition): Compiled {
    // own keys only: `toString` or `constructor` is no operator, as json-rules-engine's map says
    const operator = Object.hasOwn(operators, condition.operator) ? operators[condition.operator] : undefined;
    if (!operator) throw new Error(`Unknown operator: ${condition.operator}`);
    // a private copy, as json-rules-engine compares against a fresh clone of the rule on every run:
    // a list or object value is never the very object a fact holds
    const value =
      typeof condition.value === "object" && condition.value !== null
        ? structuredClone(condition.value)
        : condition.value;
    const slot = this.#slot(condition.fact, condition.path);
    const valueSlot = readsAsFactReference(value) ? this.#slot(value.fact, value.path) : undefined;
    const leaf = this.leaves.add(condition, slot, value, valueSlot);
    this.#leafNumbers.set(condition, leaf);

    const read = this.#reads[slot]!;
    const readValue = valueSlot === undefined ? undefined : this.#reads[valueSlot]!;
    const { validate, evaluate } = operator;
    const counted = condition.operator.endsWith("Duration") ? countedValue(value) : undefined;
    const explain: Explain = (facts, _shown, clock) => {
      const factValue = read(facts);
      const seen = readValue ? readValue(facts) : value;
      const result = validate(factValue) && evaluate(factValue, seen, clock);
      const end =
        counted !== undefined && counted.counting !== "elapsed" && validate(factValue)
          ? periodEnd(clock.nowMs - (factValue as number), counted, clock.settings).endMs
          : Number.NaN;
      return {
        fact: condition.fact,
        ...(condition.path === undefined ? {} : { path: condition.path }),
        operator: condition.operator,
        value,
        ...(factValue === undefined ? {} : { factValue }),
        ...(readValue ? { valueSeen: seen } : {}),
        ...(Number.isFinite(end) ? { periodEnd: new Date(end).toISOString() } : {}),
        result,
      };
    };
    return { node: this.conditions.leaf(leaf), explain };
  }

  #slot(fact: string, path: string | undefined): number {
    const slot = this.facts.slot(fact, path);
    this.#reads[slot] ??= compileRead(fact, path);
    return slot;
  }
}

export type CompiledRule = {
  name: string;
  title: string | undefined;
  priority: number;
  params: Record<string, unknown>;
  explain: Explain;
  /** The validity window in epoch milliseconds: from inclusive, until exclusive (±Infinity when open). */
  from: number;
  until: number;
};

/** Whether a rule's window holds `nowMs`, and if not, why. */
export function windowState(rule: { from: number; until: number }, nowMs: number): WindowState | undefined {
  if (nowMs < rule.from) return "upcoming";
  if (nowMs >= rule.until) return "over";
  return undefined;
}

/** Indexes of the rules applicable between two window boundaries kept at once; older ones are built again when needed. */
const WINDOW_INDEXES_KEPT = 8;

/**
 * The rule set's window boundaries, sorted: between two consecutive ones the same rules are applicable, so each such
 * interval gets its own index of just those rules, built when a decision first falls in it.
 */
class WindowedIndexes {
  readonly #bounds: Float64Array;
  readonly #built = new Map<number, RuleIndex>();

  constructor(
    readonly rules: readonly CompiledRule[],
    readonly build: (applicable: (position: number) => boolean) => RuleIndex,
  ) {
    const bounds = new Set<number>();
    for (const rule of rules) {
      if (Number.isFinite(rule.from)) bounds.add(rule.from);
      if (Number.isFinite(rule.until)) bounds.add(rule.until);
    }
    this.#bounds = Float64Array.from(bounds).sort();
  }

  /** The index of the rules applicable at `nowMs`. */
  at(nowMs: number): RuleIndex {
    // the interval: how many boundaries are at or before now
    let low = 0;
    let high = this.#bounds.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#bounds[middle]! <= nowMs) low = middle + 1;
      else high = middle;
    }
    const known = this.#built.get(low);
    if (known) return known;
    const index = this.build((position) => windowState(this.rules[position]!, nowMs) === undefined);
    if (this.#built.size >= WINDOW_INDEXES_KEPT) this.#built.delete(this.#built.keys().next().value!);
    this.#built.set(low, index);
    return index;
  }
}

/** An instant of a rule's window in epoch milliseconds, or `open` when the rule leaves that end open. */
function instantMs(instant: string | undefined, open: number): number {
  return instant === undefined ? open : Date.parse(instant);
}

/**
 * A rule set compiled: its enabled rules in evaluation order (priority high to low, then list order).
 * A rule whose condition nests deeper than MAX_COMPILE_DEPTH with its references expanded (or
 * reaches a circle of them) is refused with a 422 naming it, before any recursion could overflow.
 *
 * A rule with a validity window is considered only when `validFrom <= now < validUntil`. A rule set
 * without any window has one index of every rule, as before; one with windows has an index per
 * interval between window boundaries, of the rules applicable there (see WindowedIndexes), so a
 * rule outside its window is never even tried.
 */
export class CompiledRuleSet {
  readonly rules: readonly CompiledRule[];
  readonly #facts: FactTable;
  readonly #index: RuleIndex;
  /** Undefined when no rule has a window: then `#index` decides at every moment. */
  readonly #windowed: WindowedIndexes | undefined;

  constructor(definition: RuleSetDefinition) {
    const compiler = new ConditionCompiler(definition.conditions);
    const enabled = definition.rules.map((rule, index) => ({ rule, index })).filter(({ rule }) => rule.enabled);
    assertCompilable(definition, enabled);
    enabled.sort((a, b) => b.rule.priority - a.rule.priority || a.index - b.index);
    const compiled = enabled.map(({ rule }) => compiler.compile(rule.conditions));
    this.rules = enabled.map(({ rule }, position) => ({
      name: rule.name,
      title: rule.title,
      priority: rule.priority,
      params: rule.event.params,
      explain: compiled[position]!.explain,
      from: instantMs(rule.validFrom, Number.NEGATIVE_INFINITY),
      until: instantMs(rule.validUntil, Number.POSITIVE_INFINITY),
    }));
    const indexed = enabled.map(({ rule }, position) => {
      const conjuncts = compiler.conjuncts(rule.conditions);
      return {
        needs: compiler.needs(rule.conditions),
        conjuncts: conjuncts.leaves,
        onlyConjuncts: conjuncts.whole,
        condition: compiled[position]!.node,
        firing: { name: rule.name, params: rule.event.params },
      };
    });
    this.#index = new RuleIndex(indexed, compiler.leaves, compiler.conditions);
    this.#windowed = enabled.some(({ rule }) => rule.validFrom !== undefined || rule.validUntil !== undefined)
      ? new WindowedIndexes(
          this.rules,
          (applicable) =>
            new RuleIndex(
              indexed.filter((_, position) => applicable(position)),
              compiler.leaves,
              compiler.conditions,
            ),
        )
      : undefined;
    this.#facts = compiler.facts;
  }

  /** Whether any rule has a validity window (so that what fires depends on `nowMs`). */
  get windowed(): boolean {
    return this.#windowed !== undefined;
  }

  /**
   * The rules that fire for these facts at `nowMs` (default: the server's clock), in evaluation order; durations counted
   * in days or business hours are counted with `periods` (default: Beijing, weekends only), and `clock`, when given, is
   * the evaluation's (it collects the calendar years the counting lacked).
   */
  fire(facts: Facts, nowMs?: number, clock?: PeriodClock): Firing[] {
    this.#facts.begin(facts, clock, nowMs);
    if (this.#windowed === undefined) return this.#index.fire(this.#facts);
    return this.#windowed.at(clock?.nowMs ?? nowMs ?? Date.now()).fire(this.#facts);
  }

  /**
   * Every rule with each condition's value seen and result, each shared condition shown in full once (see TraceNode),
   * and, for a rule whose window does not hold `nowMs` (default: the server's clock), which side of it now is.
   */
  explain(facts: Facts, nowMs?: number, clock?: PeriodClock): TraceEntry[] {
    const shown = new Map<string, boolean>();
    const now = clock?.nowMs ?? nowMs ?? Date.now();
    const at = this.#windowed === undefined ? 0 : now;
    // the trace's own clock: what it counts is shown, never added to the decision's unknown years
    const traceClock = new PeriodClock(now, clock?.settings ?? DEFAULT_PERIODS);
    return this.rules.map((rule): TraceEntry => {
      const conditions = rule.explain(facts, shown, traceClock);
      const window = this.#windowed === undefined ? undefined : windowState(rule, at);
      return {
        rule: rule.name,
        ...(rule.title === undefined ? {} : { title: rule.title }),
        priority: rule.priority,
        fired: window === undefined && conditions.result,
        ...(window === undefined ? {} : { window }),
        conditions,
      };
    });
  }
}

/** Refuses (422) an enabled rule too deep to compile and evaluate safely; see CompiledRuleSet. */
function assertCompilable(
  definition: RuleSetDefinition,
  enabled: readonly { rule: RuleSetDefinition["rules"][number]; index: number }[],
): void {
  const { roots } = measureExpansion(
    definition.conditions,
    enabled.map(({ rule }) => rule.conditions),
  );
  const problems = enabled
    .filter((_, position) => roots[position]!.depth > MAX_COMPILE_DEPTH)
    .map(({ index }) =>
      fieldProblem(
        `rules.${index}.conditions`,
        "too_deep",
        { maximum: MAX_COMPILE_DEPTH },
        `the condition nests deeper than ${MAX_COMPILE_DEPTH} levels with its shared conditions expanded, or they refer to each other in a circle`,
      ),
    );
  if (problems.length > 0) throw invalid(`the rules cannot be compiled: ${problems.length} nest too deep`, problems);
}
