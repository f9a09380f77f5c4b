import { findFact } from "../../shared/fact-catalog.ts";
import { factKey, readsAsFactReference } from "../../shared/fact-ref.ts";
import type { Condition, LeafCondition, RuleSetDefinition, TopLevelCondition } from "../../shared/rules.ts";
import { operators } from "../engine/tables.ts";

/**
 * Conditions as formulas over atoms, for the analysis: shared conditions expanded (once each, so a formula is a graph
 * that shares them, never a tree that copies them) and every leaf interned as an atom, so that a fact's comparisons are
 * known before the search splits its domain.
 */

/** A comparison of a fact (`order.paidFen`) with a constant, or with another fact (`other`). */
export type Atom = {
  readonly id: number;
  readonly fact: string;
  readonly operator: string;
  readonly value: unknown;
  readonly other?: string;
};

export type Formula =
  | { readonly op: "true" }
  | { readonly op: "false" }
  | { readonly op: "atom"; readonly atom: Atom }
  | { readonly op: "all" | "any"; readonly of: readonly Formula[] }
  | { readonly op: "not"; readonly of: Formula };

export const TRUE: Formula = { op: "true" };
export const FALSE: Formula = { op: "false" };

export function all(of: readonly Formula[]): Formula {
  const kept: Formula[] = [];
  for (const f of of) {
    if (f.op === "false") return FALSE;
    if (f.op === "all") kept.push(...f.of);
    else if (f.op !== "true") kept.push(f);
  }
  return kept.length === 0 ? TRUE : kept.length === 1 ? kept[0]! : { op: "all", of: kept };
}

export function any(of: readonly Formula[]): Formula {
  const kept: Formula[] = [];
  for (const f of of) {
    if (f.op === "true") return TRUE;
    if (f.op === "any") kept.push(...f.of);
    else if (f.op !== "false") kept.push(f);
  }
  return kept.length === 0 ? FALSE : kept.length === 1 ? kept[0]! : { op: "any", of: kept };
}

export function not(f: Formula): Formula {
  if (f.op === "true") return FALSE;
  if (f.op === "false") return TRUE;
  if (f.op === "not") return f.of;
  return { op: "not", of: f };
}

/** `condition ? then : otherwise`, without a node where a branch is a constant. */
export function ite(condition: Formula, then: Formula, otherwise: Formula): Formula {
  if (then.op === "true") return any([condition, otherwise]);
  if (then.op === "false") return all([not(condition), otherwise]);
  return any([all([condition, then]), all([not(condition), otherwise])]);
}

/** Raised for a condition the analysis cannot read (a fact outside the catalog, an unknown operator or reference). */
export class NotAnalysable extends Error {}

/** Interns atoms and turns a definition's conditions into formulas, each shared condition once. */
export class FormulaBuilder {
  readonly atoms: Atom[] = [];
  readonly #byKey = new Map<string, Atom>();
  readonly #shared = new Map<string, Formula>();
  readonly #open = new Set<string>();

  constructor(readonly conditions: RuleSetDefinition["conditions"]) {}

  /** The atom comparing `fact` (a fact key) with `value`, or with the fact `other`. */
  atom(fact: string, operator: string, value: unknown, other?: string): Formula {
    const key = JSON.stringify([fact, operator, other === undefined ? value : null, other ?? null]);
    let atom = this.#byKey.get(key);
    if (!atom) {
      atom = { id: this.atoms.length, fact, operator, value, ...(other === undefined ? {} : { other }) };
      this.atoms.push(atom);
      this.#byKey.set(key, atom);
    }
    return { op: "atom", atom };
  }

  /** A rule's (or an invariant's) condition as a formula; NotAnalysable when it reads something outside the catalog. */
  formula(condition: Condition | TopLevelCondition): Formula {
    if ("all" in condition) return all(condition.all.map((c) => this.formula(c)));
    if ("any" in condition) return any(condition.any.map((c) => this.formula(c)));
    if ("not" in condition) return not(this.formula(condition.not));
    if ("condition" in condition) return this.#reference(condition.condition);
    return this.#leaf(condition);
  }

  #reference(name: string): Formula {
    const known = this.#shared.get(name);
    if (known) return known;
    if (!Object.hasOwn(this.conditions, name) || this.#open.has(name))
      throw new NotAnalysable(`the shared condition "${name}" is unknown or refers to itself`);
    this.#open.add(name);
    const formula = this.formula(this.conditions[name]!);
    this.#open.delete(name);
    this.#shared.set(name, formula);
    return formula;
  }

  #leaf(leaf: LeafCondition): Formula {
    const entry = findFact(leaf.fact, leaf.path);
    if (!entry || !Object.hasOwn(operators, leaf.operator))
      throw new NotAnalysable(`${factKey(leaf.fact, leaf.path)} ${leaf.operator} is not in the fact catalog`);
    if (readsAsFactReference(leaf.value)) {
      const other = findFact(leaf.value.fact, leaf.value.path);
      if (!other) throw new NotAnalysable(`the value refers to an unknown fact`);
      return this.atom(factKey(entry.fact, entry.path), leaf.operator, undefined, factKey(other.fact, other.path));
    }
    return this.atom(factKey(entry.fact, entry.path), leaf.operator, leaf.value);
  }
}
