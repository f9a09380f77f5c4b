import {
  type Analysis,
  type AnalysisCheck,
  type AnalysisFinding,
  analysisChecks,
  MAX_ANALYSIS_MS,
  MAX_ANALYSIS_STEPS,
  type UncheckedCheck,
} from "../../shared/analysis.ts";
import { DEFAULT_BUSINESS_TIME_ZONE } from "../../shared/business-time.ts";
import { PeriodClock } from "../../shared/periods.ts";
import { type PortablePeriods, periodsFrom } from "../../shared/portable-periods.ts";
import { weekendsOnly } from "../../shared/working-calendar.ts";
import { findFact } from "../../shared/fact-catalog.ts";
import { factKey, isFactReference } from "../../shared/fact-ref.ts";
import { kindModule, type RuleSetKind } from "../../shared/kinds/index.ts";
import { entryKey } from "../../shared/kinds/kind.ts";
import type { InvariantExpectation, Rule, RuleSetDefinition } from "../../shared/rules.ts";
import { CompiledRuleSet } from "../engine/compile.ts";
import { type Decided, Decider } from "../engine/decider.ts";
import { deriveFacts } from "../engine/derive-facts.ts";
import { foldProvenance } from "../engine/fold.ts";
import { compileRead } from "../engine/tables.ts";
import { cellsOf, compare, NOW } from "./cells.ts";
import { all, any, FALSE, type Formula, FormulaBuilder, ite, not, TRUE } from "./formula.ts";
import { type Example, realise } from "./realise.ts";
import { Budget, type Outcome, Searcher } from "./search.ts";
import { amountGuarantees, cellsAgree, kindSemantics } from "./semantics.ts";

export type AnalyseOptions = {
  /** The analysis moment (default: the clock): cases are judged at any `now` from it on. */
  nowMs?: number;
  budget?: { steps?: number | undefined; ms?: number | undefined };
  /** The checks to run (default: all); a publish gate asks for `invariant` alone. */
  checks?: readonly AnalysisCheck[];
  /** Where counted durations are counted (default: the default business zone, weekends only). */
  periods?: PortablePeriods;
};

/** Default work bounds: a decision per step is cheap, so these bound time long before memory. */
const DEFAULT_STEPS = 500_000;
const DEFAULT_MS = 3_000;

/** Earlier rules tried, per overridden field, for one that fires whenever the overridden rule does. */
const MAX_COVERING_TRIES = 8;

type Found = { outcome: Outcome; example?: Example; decided?: Decided };

/** Decided cases kept to answer later questions without a search. */
const MAX_CASES_KEPT = 5_000;

const guarantees = new Set(amountGuarantees.map(([x, y]) => `${x}<=${y}`));

type Ordered = { rule: Rule; fires: Formula; conditions: Formula };

/**
 * Decides, over every case from `nowMs` on, which enabled rules never apply, which are overridden (every field, or
 * some, already set by earlier rules whenever they fire), which rules of equal priority conflict, which fields asked to
 * be decided by rules can fall to the default, and which invariants a case breaks. Each finding carries a case the real
 * Decider confirms. Work is bounded (`budget`); a check not decided is listed in `unchecked` and `complete` is false.
 * The definition must be valid (validateDefinition).
 */
export function analyseDefinition(
  kind: RuleSetKind,
  definition: RuleSetDefinition,
  options: AnalyseOptions = {},
): Analysis {
  const started = performance.now();
  const nowMs = options.nowMs ?? Date.now();
  const periods = options.periods
    ? periodsFrom(options.periods)
    : { zone: DEFAULT_BUSINESS_TIME_ZONE, calendar: weekendsOnly };
  const budget = new Budget(
    Math.min(options.budget?.steps ?? DEFAULT_STEPS, MAX_ANALYSIS_STEPS),
    started + Math.min(options.budget?.ms ?? DEFAULT_MS, MAX_ANALYSIS_MS),
  );
  const module = kindModule(kind);
  const semantics = kindSemantics[kind];
  const lists = module.lists;
  const builder = new FormulaBuilder(definition.conditions);
  const findings: AnalysisFinding[] = [];
  const unchecked: UncheckedCheck[] = [];

  // evaluation order, as the compiler sorts: priority high to low, then the list's order
  const ordered: Ordered[] = definition.rules
    .map((rule, index) => ({ rule, index }))
    .filter(({ rule }) => rule.enabled)
    .sort((a, b) => b.rule.priority - a.rule.priority || a.index - b.index)
    .map(({ rule }) => {
      const conditions = builder.formula(rule.conditions);
      const window = [
        ...(rule.validFrom ? [builder.atom(NOW, "greaterThanInclusive", Date.parse(rule.validFrom))] : []),
        ...(rule.validUntil ? [builder.atom(NOW, "lessThan", Date.parse(rule.validUntil))] : []),
      ];
      return { rule, conditions, fires: all([conditions, ...window]) };
    });

  const sets = (entry: Ordered, field: string) => {
    const params = entry.rule.event.params;
    if (!Object.hasOwn(params, field)) return false;
    return lists[field] === undefined || (params[field] as unknown[]).length > 0;
  };

  /** While the atoms are being made before the cells: `fieldMeets` only meets each value once, and builds nothing. */
  let registering = false;
  /** Whether the decision's plain `field` meets `meets` (a formula per value): the first firing rule's, else the default. */
  const fieldMeets = (field: string, meets: (value: unknown) => Formula): Formula => {
    if (registering) {
      const values = new Map(
        ordered
          .filter((e) => sets(e, field))
          .map((e) => [JSON.stringify(e.rule.event.params[field]), e.rule.event.params[field]]),
      );
      for (const value of values.values()) meets(value);
      return meets(definition.defaults[field]);
    }
    let formula = meets(definition.defaults[field]);
    // consecutive rules whose value meets it (or misses it) become one `any` (one `all`): a chain of thousands of
    // rules then nests as deep as its values alternate, not as long as it is
    let run: Formula[] = [];
    let runMeets = false;
    const flush = () => {
      if (run.length > 0) formula = runMeets ? any([...run.reverse(), formula]) : all([...run.reverse(), formula]);
      run = [];
    };
    for (let i = ordered.length - 1; i >= 0; i--) {
      const entry = ordered[i]!;
      if (!sets(entry, field)) continue;
      const value = meets(entry.rule.event.params[field]);
      if (value.op === "true" || value.op === "false") {
        if (run.length > 0 && runMeets !== (value.op === "true")) flush();
        runMeets = value.op === "true";
        run.push(runMeets ? entry.fires : not(entry.fires));
      } else {
        flush();
        formula = ite(entry.fires, value, formula);
      }
    }
    flush();
    return formula;
  };

  /** `earlier` rules take `field` from `entry`: a plain field when one of them fires; a list when each of its keys is given. */
  const takenFormula = (position: number, field: string): Formula => {
    const earlier = ordered.slice(0, position).filter((e) => sets(e, field));
    const key = lists[field];
    if (key === undefined) return any(earlier.map((e) => e.fires));
    const keyOf = (entry: unknown) => entryKey(entry, key);
    const keys = new Set((ordered[position]!.rule.event.params[field] as unknown[]).map(keyOf));
    return all(
      [...keys].map((k) =>
        any(
          earlier
            .filter((e) => (e.rule.event.params[field] as unknown[]).some((entry) => keyOf(entry) === k))
            .map((e) => e.fires),
        ),
      ),
    );
  };

  // every formula with atoms of its own is built before the cells: they are cut by every constant any formula compares
  // an invariant's formula lists every rule that sets its field: built when its check runs, one at a time (hundreds of
  // invariants over thousands of rules would not fit in memory at once); here only its atoms are made, for the cells
  registering = true;
  const invariantChecks = (definition.invariants ?? []).flatMap((invariant) => {
    const conditions = builder.formula(invariant.conditions);
    return Object.entries(invariant.expect).map(([field, expectation]) => ({
      invariant,
      field,
      expectation,
      conditions,
      analysable: breakFormula(field, expectation) !== undefined,
    }));
  });
  registering = false;

  /** Whether the decision's `field` fails `expectation`, as a formula; undefined for a field the analysis does not model. */
  function breakFormula(field: string, expectation: InvariantExpectation): Formula | undefined {
    const { operator, value } = asComparison(expectation);
    if (isFactReference(value) && (operator === "in" || operator === "notIn")) return undefined;
    // the field's value `v` meets the expectation: a constant, or a comparison of the other fact with v
    const meetsValue = (v: unknown): Formula => {
      if (!isFactReference(value)) return compare(operator, v, value) ? TRUE : FALSE;
      const other = findFact(value.fact, value.path);
      if (!other || v === undefined || v === null || typeof v === "object") return FALSE;
      return builder.atom(factKey(other.fact, other.path), mirrored[operator]!, v);
    };
    /** A derived fact meets the expectation. */
    const meetsFact = (fact: string): Formula => {
      if (!isFactReference(value)) return builder.atom(fact, operator, value);
      const other = findFact(value.fact, value.path)!;
      return builder.atom(fact, operator, undefined, factKey(other.fact, other.path));
    };
    const chosen = (byField: string, facts: Readonly<Record<string, string>>, meets: (fact: string) => Formula) =>
      any(
        Object.entries(facts).map(([choice, fact]) =>
          all([fieldMeets(byField, (v) => (v === choice ? TRUE : FALSE)), meets(fact)]),
        ),
      );

    const computed = semantics.computedAs[field];
    if (computed) return not(chosen(computed.byField, computed.facts, meetsFact));
    if (lists[field] !== undefined || module.computed.includes(field) || !Object.hasOwn(definition.defaults, field))
      return undefined;
    const present = semantics.presentWhen?.[field];
    // a field `complete` leaves out of some answers breaks an expectation there as a missing value would
    const folded = present
      ? ite(
          builder.atom(present.fact, "equal", present.value),
          not(fieldMeets(field, meetsValue)),
          not(meetsValue(undefined)),
        )
      : not(fieldMeets(field, meetsValue));
    const adjusted = semantics.adjusted[field];
    if (!adjusted) return folded;
    const happens = chosen(adjusted.byField, adjusted.facts, (fact) =>
      builder.atom(adjusted.fact, adjusted.operator, undefined, fact),
    );
    return ite(happens, not(meetsValue(adjusted.to)), folded);
  }

  const cells = cellsOf(builder.atoms, nowMs);
  let atomsInCells = builder.atoms.length;
  const searcher = new Searcher(cells, guarantees, budget, cellsAgree, Math.max(500, budget.maxSteps / 400));
  const decider = new Decider(kind, 0, definition);
  const invariantRules = invariantChecker(definition);

  // without the trace, which explains every rule: the fold's provenance says who took what, as the trace would
  const decide = (example: Example): Decided =>
    decider.decide(example.parsed, { trace: false, provenance: true, nowMs: example.nowMs, periods });
  const paramsOf = new Map(ordered.map((e) => [e.rule.name, e.rule.event.params]));
  const effects = new WeakMap<Decided, Map<string, Record<string, string>>>();
  /** What earlier rules took of a fired rule's fields in a decision (foldProvenance, which the trace reports). */
  const takenIn = (decided: Decided, rule: string): Record<string, string> | undefined => {
    let byRule = effects.get(decided);
    if (!byRule) {
      const firings = decided.firedRules.map((name) => ({ name, params: paramsOf.get(name)! }));
      const { effects: found } = foldProvenance(lists, definition.defaults, firings);
      byRule = new Map(firings.map((f, i) => [f.name, found[i]!.takenBy]));
      effects.set(decided, byRule);
    }
    return byRule.get(rule);
  };
  /** Every case decided so far, by the rules that fired in it: a case one question built may answer another. */
  const casesByRule = new Map<string, { example: Example; decided: Decided }[]>();
  let casesKept = 0;
  const remember = (example: Example, decided: Decided) => {
    if (casesKept >= MAX_CASES_KEPT) return;
    casesKept++;
    for (const rule of decided.firedRules)
      (casesByRule.get(rule) ?? casesByRule.set(rule, []).get(rule)!).push({ example, decided });
  };
  /** A case already decided where `rule` fired and `confirm` holds. */
  const seen = (rule: string, confirm: (decided: Decided) => boolean): Found | undefined => {
    const found = casesByRule.get(rule)?.find(({ decided }) => confirm(decided));
    return found && { outcome: "found", ...found };
  };
  /** A confirmed case of `formula`, or why there is none. */
  const find = (formula: Formula, confirm: (decided: Decided, example: Example) => boolean): Found => {
    // a formula built late with an atom of its own (none should be): the cells are cut again, never left without one
    if (builder.atoms.length !== atomsInCells) {
      for (const [fact, list] of cellsOf(builder.atoms, nowMs)) cells.set(fact, list);
      atomsInCells = builder.atoms.length;
    }
    let found: { example: Example; decided: Decided } | undefined;
    let outcome: Outcome;
    try {
      outcome = searcher.search(formula, (region) => {
        const example = realise(region, guarantees, nowMs, periods);
        if (!example) return false;
        const decided = decide(example);
        remember(example, decided);
        if (!confirm(decided, example)) return false;
        found = { example, decided };
        return true;
      });
    } catch (error) {
      // a formula nested past the stack (thousands of alternating rules on one field) is work beyond the budget
      if (!(error instanceof RangeError)) throw error;
      searcher.cut = true;
      outcome = "unknown";
    }
    return { outcome, ...found };
  };
  /** Why the last question was not decided: the budget stopped it, or the regions it found gave no confirmed case. */
  const cutShort = (): UncheckedCheck["reason"] => (searcher.cut ? "budget" : "unconfirmed");

  // the checks a publish most depends on first, so that a budget cut short leaves the cheapest and most asked answered:
  // which rules can fire at all, the invariants, the gaps, then overridden rules and conflicts between pairs
  const wants = new Set(options.checks ?? analysisChecks);
  const notReached: string[] = [];
  // which rules can fire: the never-applying ones, and the cases the overridden check starts from
  const firings = ordered.map((entry): Found => {
    const name = entry.rule.name;
    if (!wants.has("never_applies") && !wants.has("overridden")) return { outcome: "unknown" };
    if (budget.spent) {
      notReached.push(name);
      return { outcome: "unknown" };
    }
    const firing = find(entry.fires, (decided) => decided.firedRules.includes(name));
    if (!wants.has("never_applies")) return firing;
    if (firing.outcome === "unknown") unchecked.push({ check: "never_applies", reason: cutShort(), rule: name });
    if (firing.outcome === "none") findings.push(neverApplies(entry));
    return firing;
  });
  if (notReached.length > 0)
    unchecked.push({
      check: wants.has("never_applies") ? "never_applies" : "overridden",
      reason: "budget",
      rules: notReached,
    });
  if (wants.has("invariant")) checkInvariants();
  if (wants.has("gap")) checkGaps();
  if (wants.has("overridden")) checkOverridden();
  if (wants.has("conflict")) checkConflicts();

  /** Overridden rules, wholly or per field. Once the budget is spent, one entry names the rules left unchecked. */
  function checkOverridden(): void {
    for (let position = 0; position < ordered.length; position++) {
      if (budget.spent) {
        const rules = ordered.slice(position).map((e) => e.rule.name);
        unchecked.push({ check: "overridden", reason: "budget", rules });
        return;
      }
      checkOverriddenRule(position);
    }
  }

  function checkOverriddenRule(position: number): void {
    const entry = ordered[position]!;
    const name = entry.rule.name;
    const firing = firings[position]!;
    if (firing.outcome !== "found") return;
    const fields = Object.keys(entry.rule.event.params);
    if (fields.length === 0) return;
    const always: string[] = [];
    const covering = new Map<string, number>();
    for (const field of fields) {
      // built here, not before: a taken formula lists every earlier rule, and the budget may stop before it is needed
      const taken = takenFormula(position, field);
      if (taken.op === "false") continue;
      const untaken = (decided: Decided) => {
        const taken = takenIn(decided, name);
        return taken !== undefined && taken[field] === undefined;
      };
      // a case already decided may show the field given; else the cheap proof, one earlier rule that fires whenever
      // this one does; else the search
      if (seen(name, untaken)) continue;
      const cover = coveringSetter(position, field);
      if (cover !== undefined) {
        covering.set(field, cover);
        always.push(field);
        continue;
      }
      const free = find(all([entry.fires, not(taken)]), untaken);
      if (free.outcome === "none") always.push(field);
      else if (free.outcome === "unknown")
        unchecked.push({ check: "overridden", reason: cutShort(), rule: name, field });
    }
    if (always.length === 0) return;
    const shown = overriddenExample(position, always, covering, firing);
    if (!shown) {
      unchecked.push({ check: "overridden", reason: "unconfirmed", rule: name });
      return;
    }
    if (always.length === fields.length)
      findings.push({
        kind: "overridden",
        rule: name,
        rules: [...new Set(always.map((field) => shown.takenBy[field]!))],
        example: shown.example.facts,
      });
    else
      for (const field of always)
        findings.push({
          kind: "overridden",
          rule: name,
          field,
          rules: [shown.takenBy[field]!],
          example: shown.example.facts,
        });
  }

  /** An earlier rule setting the plain `field` that fires whenever the rule at `position` does, if one of the closest does. */
  function coveringSetter(position: number, field: string): number | undefined {
    if (lists[field] !== undefined) return undefined;
    const entry = ordered[position]!;
    const setters = ordered.slice(0, position).flatMap((e, i) => (sets(e, field) ? [i] : []));
    // the closest earlier setters first: a rule the new one refines usually sits just above it
    for (const setter of setters.slice(-MAX_COVERING_TRIES).reverse())
      if (searcher.search(all([entry.fires, not(ordered[setter]!.fires)]), () => true) === "none") return setter;
    return undefined;
  }

  /**
   * The example of an overridden rule, and who takes each field in it: where one earlier rule fires whenever this one
   * does (the manager's case: a rule at 190 under one at 300 that sets the same field), a case where that rule is the
   * one that takes the field, so the finding names the rule that always covers it; else the case that made it fire.
   */
  function overriddenExample(
    position: number,
    always: readonly string[],
    covering: ReadonlyMap<string, number>,
    firing: Found,
  ): { example: Example; takenBy: Record<string, string> } | undefined {
    const entry = ordered[position]!;
    const name = entry.rule.name;
    const takers = (decided: Decided) => takenIn(decided, name) ?? {};
    const expected = (field: string) => {
      const setter = covering.get(field);
      return setter === undefined ? undefined : ordered[setter]!.rule.name;
    };
    const confirms = (decided: Decided) =>
      always.every((field) => {
        const taker = takers(decided)[field];
        return taker !== undefined && (expected(field) === undefined || taker === expected(field));
      });
    if (covering.size > 0) {
      const before = [...covering].map(([field, setter]) =>
        all(
          ordered
            .slice(0, setter)
            .filter((e) => sets(e, field))
            .map((e) => not(e.fires)),
        ),
      );
      const shown = find(all([entry.fires, ...before]), confirms);
      if (shown.example) return { example: shown.example, takenBy: takers(shown.decided!) };
    }
    return firing.example && always.every((field) => takers(firing.decided!)[field] !== undefined)
      ? { example: firing.example, takenBy: takers(firing.decided!) }
      : undefined;
  }

  /** Never applies: its window is over, or no case satisfies its conditions; an example of the window passed shows it. */
  function neverApplies(entry: Ordered): AnalysisFinding {
    const name = entry.rule.name;
    const over = entry.rule.validUntil !== undefined && Date.parse(entry.rule.validUntil) <= nowMs;
    if (!over) return { kind: "never_applies", rule: name, reason: "contradictory" };
    const shown = find(entry.conditions, (_, example) => {
      const traced = decider.decide(example.parsed, { trace: true, nowMs: example.nowMs, periods });
      const trace = traced.trace!.find((e) => e.rule === name);
      return trace?.window === "over" && trace.conditions.result;
    });
    return {
      kind: "never_applies",
      rule: name,
      reason: "window_over",
      ...(shown.example ? { example: shown.example.facts } : {}),
    };
  }

  /** Conflicts: rules of equal priority that can fire together and set a plain field to different values. */
  function checkConflicts(): void {
    for (let i = 0; i < ordered.length; i++) {
      for (let j = i + 1; j < ordered.length && ordered[j]!.rule.priority === ordered[i]!.rule.priority; j++) {
        if (budget.spent) {
          unchecked.push({ check: "conflict", reason: "budget" });
          return;
        }
        const [a, b] = [ordered[i]!, ordered[j]!];
        const field = Object.keys(a.rule.event.params).find(
          (f) =>
            lists[f] === undefined &&
            Object.hasOwn(b.rule.event.params, f) &&
            JSON.stringify(a.rule.event.params[f]) !== JSON.stringify(b.rule.event.params[f]),
        );
        if (field === undefined) continue;
        const rules = [a.rule.name, b.rule.name];
        const both = (decided: Decided) => rules.every((r) => decided.firedRules.includes(r));
        const together = seen(a.rule.name, both) ?? find(all([a.fires, b.fires]), both);
        if (together.outcome === "found")
          findings.push({ kind: "conflict", rules, field, example: together.example!.facts });
        else if (together.outcome === "unknown")
          unchecked.push({ check: "conflict", reason: cutShort(), rules, field });
      }
    }
  }

  /** Gaps: a field the rule set asks rules to decide falls to the default. */
  function checkGaps(): void {
    for (const field of definition.decidedByRules ?? []) {
      if (!Object.hasOwn(definition.defaults, field)) {
        unchecked.push({ check: "gap", reason: "not_analysable", field });
        continue;
      }
      if (budget.spent) {
        unchecked.push({ check: "gap", reason: "budget", field });
        continue;
      }
      const formula = all(ordered.filter((e) => sets(e, field)).map((e) => not(e.fires)));
      const gap = find(formula, (decided) => decided.provenance![field] === "default");
      if (gap.outcome === "found") findings.push({ kind: "gap", field, example: gap.example!.facts });
      else if (gap.outcome === "unknown") unchecked.push({ check: "gap", reason: cutShort(), field });
    }
  }

  /** Invariants: a case where the conditions hold and the decision misses an expectation. */
  function checkInvariants(): void {
    for (const { invariant, field, expectation, conditions, analysable } of invariantChecks) {
      if (!analysable) {
        unchecked.push({ check: "invariant", reason: "not_analysable", invariant: invariant.name, field });
        continue;
      }
      if (budget.spent) {
        unchecked.push({ check: "invariant", reason: "budget", invariant: invariant.name, field });
        continue;
      }
      const broken = find(all([conditions, breakFormula(field, expectation)!]), (decided, example) => {
        const facts = deriveFacts(example.parsed, example.nowMs);
        return (
          invariantRules
            .fire(facts, example.nowMs, new PeriodClock(example.nowMs, periods))
            .some((f) => f.name === invariant.name) && !meets(expectation, decided.decision[field], facts)
        );
      });
      if (broken.outcome === "found")
        findings.push({ kind: "invariant_broken", invariant: invariant.name, field, example: broken.example!.facts });
      else if (broken.outcome === "unknown")
        unchecked.push({ check: "invariant", reason: cutShort(), invariant: invariant.name, field });
    }
  }

  return {
    findings,
    complete: unchecked.length === 0,
    unchecked,
    analysedAt: new Date(nowMs).toISOString(),
    ms: Math.round(performance.now() - started),
    steps: budget.steps,
  };
}

/** The comparison an expectation makes: a plain value means equal. */
function asComparison(expectation: InvariantExpectation): { operator: string; value: unknown } {
  return typeof expectation === "object" && expectation !== null && "operator" in expectation
    ? expectation
    : { operator: "equal", value: expectation };
}

/** `v op fact` read as `fact op' v`. */
const mirrored: Record<string, string> = {
  equal: "equal",
  notEqual: "notEqual",
  lessThanInclusive: "greaterThanInclusive",
  greaterThanInclusive: "lessThanInclusive",
};

/** Whether a decided value meets an expectation, a fact's value read from the case's derived facts. */
export function meets(expectation: InvariantExpectation, actual: unknown, facts: object): boolean {
  const { operator, value } = asComparison(expectation);
  const expected = isFactReference(value)
    ? compileRead(value.fact, value.path)(facts as Record<string, unknown>)
    : value;
  return compare(operator, actual, expected);
}

/** The invariants' conditions compiled as rules, to tell whether a case satisfies them as the engine reads conditions. */
function invariantChecker(definition: RuleSetDefinition): CompiledRuleSet {
  return new CompiledRuleSet({
    defaults: {},
    conditions: definition.conditions,
    rules: (definition.invariants ?? []).map((invariant) => ({
      name: invariant.name,
      description: "",
      priority: 1,
      enabled: true,
      conditions: invariant.conditions,
      event: { type: invariant.name, params: {} },
    })),
  });
}
