import type { Firing } from "./fold.ts";
import type { ConditionTable, FactTable, LeafTable } from "./tables.ts";

/**
 * The values a condition needs facts to have for it to hold, by slot: `{ refund.state:
 * {waiting_seller} }` for `refund.state equal waiting_seller`. Only what is certain: an `all`
 * needs what any of its children needs, an `any` needs, of a fact every child constrains, one of
 * the values its children allow, and a `not` needs nothing that can be stated this way.
 */
export type Needs = Map<number, Set<unknown>>;

/** What the index knows of a rule, in evaluation order. */
export type IndexedRule = {
  needs: Needs;
  /** Leaves that must each hold for the rule to fire (those of its top-level `all`, nested `all`s and shared conditions). */
  conjuncts: readonly number[];
  /** Whether the conjuncts are the whole condition: when they all hold, the rule fires. */
  onlyConjuncts: boolean;
  /** The rule's condition, in the condition table. */
  condition: number;
  firing: Firing;
};

/** The rules to try for one indexed fact + path, by the value it has: positions in evaluation order. */
type Lookup = { slot: number; rules: Map<unknown, Int32Array> };

/**
 * Which rules an evaluation tries, and in which order: every rule that can fire, in evaluation
 * order, and as few others as cheaply as can be.
 *
 * Rules are filed under the value they need of one fact (see `fileRules`). An evaluation takes,
 * for each indexed fact, the rules filed under the value read. The lookup that holds the most
 * rules has the rules filed nowhere merged into each of its lists at compile time, so that a rule
 * set with at most one lookup (each default one) tries a single list; the lists other lookups give
 * are merged in by position.
 *
 * Trying a rule first checks its conjuncts and needs, narrowest first: most candidates that cannot
 * fire fail on the first fact their index did not look at. A rule that is nothing but conjuncts
 * (most are) fires when they hold; any other then has its whole condition evaluated, in the order
 * written.
 */
export class RuleIndex {
  readonly #leaves: LeafTable;
  readonly #conditions: ConditionTable;
  readonly #roots: Int32Array;
  /** One per rule, handed out by every evaluation that fires it: a firing is never changed. */
  readonly #firings: readonly Firing[];
  readonly #first: Lookup | undefined;
  /** The rules filed nowhere: all there is to try when the first lookup has no list for the value read. */
  readonly #unindexed: Int32Array;
  readonly #others: readonly Lookup[];
  /** Rule r checks leaves checks[checksFrom[r]] to checks[checksFrom[r + 1] − 1] first (see orderChecks). */
  readonly #checksFrom: Int32Array;
  readonly #checks: Int32Array;
  /** 1 when a rule's checks are its whole condition (onlyConjuncts). */
  readonly #onlyChecks: Uint8Array;
  /** Scratch space for one evaluation: the rules the other lookups list. */
  readonly #gathered: Int32Array;

  constructor(rules: readonly IndexedRule[], leaves: LeafTable, conditions: ConditionTable) {
    this.#leaves = leaves;
    this.#conditions = conditions;
    this.#roots = Int32Array.from(rules.map((rule) => rule.condition));
    this.#firings = rules.map((rule) => Object.freeze(rule.firing));
    const { filed, unindexed, chosen, share } = fileRules(rules.map((rule) => rule.needs));

    const lookups = [...filed].sort((a, b) => countRules(b[1]) - countRules(a[1]));
    const lookup = ([slot, byValue]: (typeof lookups)[number], mergedWith: readonly number[]): Lookup => ({
      slot,
      rules: new Map(
        [...byValue].map(([value, positions]) => [
          value,
          Int32Array.from([...positions, ...mergedWith].sort((a, b) => a - b)),
        ]),
      ),
    });
    this.#first = lookups.length === 0 ? undefined : lookup(lookups[0]!, unindexed);
    this.#unindexed = Int32Array.from(unindexed);
    this.#others = lookups.slice(1).map((entry) => lookup(entry, []));
    this.#gathered = new Int32Array(rules.length);

    const checks = rules.map((rule, position) => orderChecks(rule, chosen[position], leaves, share));
    this.#checksFrom = new Int32Array(rules.length + 1);
    checks.forEach((list, position) => {
      this.#checksFrom[position + 1] = this.#checksFrom[position]! + list.length;
    });
    this.#checks = Int32Array.from(checks.flat());
    this.#onlyChecks = Uint8Array.from(rules.map((rule) => (rule.onlyConjuncts ? 1 : 0)));
  }

  /** The rules that fire for the facts being evaluated, in evaluation order. */
  fire(facts: FactTable): Firing[] {
    const first =
      this.#first === undefined
        ? this.#unindexed
        : (this.#first.rules.get(facts.value(this.#first.slot)) ?? this.#unindexed);
    // the other lookups' lists are short: gathered and sorted, then merged with the first
    const others = this.#others.length === 0 ? undefined : this.#gatherOthers(facts);
    const fired: Firing[] = [];
    if (others === undefined) {
      for (let i = 0; i < first.length; i++) this.#try(first[i]!, facts, fired);
      return fired;
    }
    let i = 0;
    let j = 0;
    while (i < first.length || j < others.length) {
      if (j === others.length || (i < first.length && first[i]! < others[j]!)) this.#try(first[i++]!, facts, fired);
      else this.#try(others[j++]!, facts, fired);
    }
    return fired;
  }

  /** The rules the other lookups list for these facts, in evaluation order (a rule is in one lookup's lists at most), or undefined when none. */
  #gatherOthers(facts: FactTable): Int32Array | undefined {
    let count = 0;
    for (const lookup of this.#others) {
      const rules = lookup.rules.get(facts.value(lookup.slot));
      if (rules === undefined) continue;
      this.#gathered.set(rules, count);
      count += rules.length;
    }
    return count === 0 ? undefined : this.#gathered.subarray(0, count).sort();
  }

  #try(rule: number, facts: FactTable, fired: Firing[]): void {
    const to = this.#checksFrom[rule + 1]!;
    for (let check = this.#checksFrom[rule]!; check < to; check++)
      if (!this.#leaves.holds(this.#checks[check]!, facts)) return;
    if (this.#onlyChecks[rule] === 1 || this.#conditions.holds(this.#roots[rule]!, facts))
      fired.push(this.#firings[rule]!);
  }
}

function countRules(byValue: Map<unknown, number[]>): number {
  return new Set([...byValue.values()].flat()).size;
}

/**
 * What to check of a rule before evaluating it: its conjuncts, and for each fact it needs a value
 * of but has no conjunct on (an `any` of `equal`s) a leaf of its own for that need. Narrowest
 * first, then the others as written, and last those on the fact the rule is filed under, which
 * its lookup has mostly settled.
 */
function orderChecks(
  rule: IndexedRule,
  filedUnder: number | undefined,
  leaves: LeafTable,
  share: (slot: number, values: Set<unknown>) => number,
): number[] {
  const checked = new Set(rule.conjuncts.map((leaf) => leaves.slotOf(leaf)));
  const needed = [...rule.needs]
    .filter(([slot]) => slot !== filedUnder && !checked.has(slot))
    .map(([slot, values]) => leaves.need(slot, values));
  const narrowness = (leaf: number) => {
    const slot = leaves.slotOf(leaf);
    const values = rule.needs.get(slot);
    return slot === filedUnder ? 2 : values === undefined ? 1 : share(slot, values);
  };
  return [...new Set([...rule.conjuncts, ...needed])]
    .map((leaf) => ({ leaf, narrowness: narrowness(leaf) }))
    .sort((a, b) => a.narrowness - b.narrowness)
    .map(({ leaf }) => leaf);
}

/**
 * A lookup costs about what trying two or three small rules does (a read, a Map lookup, a merge),
 * so a fact is indexed only when the rules filed under it are expected to be skipped at least
 * this many times an evaluation.
 */
const MIN_RULES_SKIPPED = 3;

/**
 * Files each rule (by position) under one fact + path it needs a value of, or nowhere.
 *
 * A rule goes under the fact it needs most narrowly: the smallest share of that fact's values,
 * estimated as the values it accepts out of those the rule set compares the fact with, plus one
 * for any other (`equal paid` is 1/6 of five statuses, `equal true` 1/3); ties go to the fact
 * more rules need. A fact whose rules would not be skipped MIN_RULES_SKIPPED times an evaluation
 * (by that estimate) gets no lookup, and its rules are filed again among the facts left.
 */
function fileRules(needs: readonly Needs[]) {
  const valuesCompared = new Map<number, Set<unknown>>();
  const rulesNeeding = new Map<number, number>();
  for (const ruleNeeds of needs) {
    for (const [slot, values] of ruleNeeds) {
      const compared = valuesCompared.get(slot) ?? valuesCompared.set(slot, new Set()).get(slot)!;
      for (const value of values) compared.add(value);
      rulesNeeding.set(slot, (rulesNeeding.get(slot) ?? 0) + 1);
    }
  }
  const share = (slot: number, values: Set<unknown>) => values.size / (valuesCompared.get(slot)!.size + 1);
  const narrower = ([a, aValues]: [number, Set<unknown>], [b, bValues]: [number, Set<unknown>]) =>
    share(a, aValues) - share(b, bValues) || rulesNeeding.get(b)! - rulesNeeding.get(a)!;

  const indexable = new Set(valuesCompared.keys());
  let chosen: (number | undefined)[];
  for (;;) {
    chosen = needs.map((ruleNeeds) => [...ruleNeeds].filter(([slot]) => indexable.has(slot)).sort(narrower)[0]?.[0]);
    const skipped = new Map<number, number>();
    chosen.forEach((slot, position) => {
      if (slot !== undefined)
        skipped.set(slot, (skipped.get(slot) ?? 0) + 1 - share(slot, needs[position]!.get(slot)!));
    });
    const unworthy = [...skipped].filter(([, expected]) => expected < MIN_RULES_SKIPPED);
    if (unworthy.length === 0) break;
    for (const [slot] of unworthy) indexable.delete(slot);
  }

  const filed = new Map<number, Map<unknown, number[]>>();
  const unindexed: number[] = [];
  chosen.forEach((slot, position) => {
    if (slot === undefined) {
      unindexed.push(position);
      return;
    }
    const byValue = filed.get(slot) ?? filed.set(slot, new Map()).get(slot)!;
    for (const value of needs[position]!.get(slot)!)
      (byValue.get(value) ?? byValue.set(value, []).get(value)!).push(position);
  });
  return { filed, unindexed, chosen, share };
}
