import type { CaseFacts } from "../../shared/case-facts.ts";
import { kindModule, type RuleSetKind, type RuleSetKindModule } from "../../shared/kinds/index.ts";
import { PeriodClock, type PeriodSettings } from "../../shared/periods.ts";
import type { RuleSetDefinition } from "../../shared/rules.ts";
import { CompiledRuleSet, type TraceEntry } from "./compile.ts";
import { deriveFacts } from "./derive-facts.ts";
import { decisionProvenance, fold, foldProvenance, type Provenance } from "./fold.ts";

export type Decided = {
  decision: Record<string, unknown>;
  firedRules: string[];
  /** With the trace: which rule set each field of the decision, or `default`, or `computed`. */
  provenance?: Provenance;
  trace?: TraceEntry[];
};

/**
 * A published (or draft) rule set made ready to decide: its rules are compiled once, and every
 * decision only derives facts, runs the closures and folds. Nothing here touches the database,
 * and nothing is shared between decisions but the immutable compiled rules.
 */
export class Decider {
  readonly #compiled: CompiledRuleSet;
  /** The kind's module, looked up once here rather than per decision. */
  readonly #kind: RuleSetKindModule<RuleSetKind>;

  constructor(
    readonly kind: RuleSetKind,
    readonly version: number,
    readonly definition: RuleSetDefinition,
  ) {
    this.#compiled = new CompiledRuleSet(definition);
    this.#kind = kindModule(kind);
  }

  /**
   * Decides a case at `nowMs` (the case's `now`, else the server's clock): the moment elapsed times are measured at and
   * rules' validity windows are judged at. With `trace`, also every rule's trace (which fired rules were overridden, and
   * by which rules) and each field's provenance; with `provenance` alone, the provenance only. Durations counted in days
   * or business hours are counted in `periods` (the business zone, the working-day calendar of the moment).
   */
  decide(
    facts: CaseFacts,
    options: { trace: boolean; nowMs: number; provenance?: boolean; periods: PeriodSettings },
  ): Decided {
    const ruleFacts = deriveFacts(facts, options.nowMs);
    const clock = new PeriodClock(options.nowMs, options.periods);
    const firings = this.#compiled.fire(ruleFacts, options.nowMs, clock);
    const folded = fold(this.#kind.lists, this.definition.defaults, firings);
    const decided: Decided = {
      decision: this.#kind.complete(folded, facts, ruleFacts, options.nowMs, clock),
      firedRules: firings.map((f) => f.name),
    };
    if (options.trace || options.provenance) {
      const { provenance, effects } = foldProvenance(this.#kind.lists, this.definition.defaults, firings);
      decided.provenance = decisionProvenance(this.#kind.computed, folded, decided.decision, provenance);
      if (!options.trace) return decided;
      decided.trace = this.#compiled.explain(ruleFacts, options.nowMs, clock);
      const effectOf = new Map(firings.map((firing, position) => [firing.name, effects[position]!]));
      for (const entry of decided.trace) {
        const effect = entry.fired ? effectOf.get(entry.rule) : undefined;
        if (effect === undefined || Object.keys(effect.takenBy).length === 0) continue;
        entry.takenBy = effect.takenBy;
        if (effect.overridden) entry.overridden = true;
      }
    }
    return decided;
  }
}

export type { TraceEntry };
