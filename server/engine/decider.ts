import type { CaseFacts } from "../../shared/case-facts.ts";
import { kindModule, type RuleSetKind, type RuleSetKindModule } from "../../shared/kinds/index.ts";
import type { RuleSetDefinition } from "../../shared/rules.ts";
import { CompiledRuleSet, type TraceEntry } from "./compile.ts";
import { deriveFacts } from "./derive-facts.ts";
import { fold } from "./fold.ts";

export type Decided = {
  decision: Record<string, unknown>;
  firedRules: string[];
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

  decide(facts: CaseFacts, options: { trace: boolean; nowMs: number }): Decided {
    const ruleFacts = deriveFacts(facts, options.nowMs);
    const firings = this.#compiled.fire(ruleFacts);
    const folded = fold(this.#kind.lists, this.definition.defaults, firings);
    const decided: Decided = {
      decision: this.#kind.complete(folded, facts, ruleFacts, options.nowMs),
      firedRules: firings.map((f) => f.name),
    };
    if (options.trace) decided.trace = this.#compiled.explain(ruleFacts);
    return decided;
  }
}

export type { TraceEntry };
