import { type Cell, compare, representative } from "./cells.ts";
import type { Atom, Formula } from "./formula.ts";

/**
 * The case-splitting search: a formula is decided by fixing facts one at a time to one of their cells (and, where two
 * facts are compared with each other and their cells do not decide it, the comparison's outcome), evaluating in three
 * values and dropping a branch as soon as the formula is false there. A branch where it is true is a region of cases;
 * the caller realises one case of it and confirms it with the real Decider.
 */

/** What the search has fixed: a cell per fact, and the outcome of fact-to-fact comparisons that cells leave open. */
export type Region = { readonly cells: Map<string, Cell>; readonly relations: Map<Atom, boolean> };

/** How much work the whole analysis may do: search steps and wall time. */
export class Budget {
  steps = 0;
  #checked = 0;
  constructor(
    readonly maxSteps: number,
    readonly deadline: number,
  ) {}

  /** Counts one step; false once the budget is spent. */
  step(): boolean {
    if (this.steps > this.maxSteps) return false;
    this.steps++;
    if (this.steps > this.maxSteps) return false;
    if (this.steps - this.#checked >= 256) {
      this.#checked = this.steps;
      if (performance.now() > this.deadline) {
        this.steps = this.maxSteps + 1;
        return false;
      }
    }
    return true;
  }

  get spent(): boolean {
    return this.steps > this.maxSteps;
  }
}

/** Known relations between derived facts (`amount.fullPriceFen` ≤ `amount.capFen`), as `x<=y` keys. */
export type Guarantees = ReadonlySet<string>;

export type Outcome = "found" | "none" | "unknown";

const FALSE = 0;
const TRUE = 1;
const OPEN = 2;

export class Searcher {
  #region: Region = { cells: new Map(), relations: new Map() };
  #pending: Atom | undefined;

  constructor(
    readonly cells: ReadonlyMap<string, readonly Cell[]>,
    readonly guarantees: Guarantees,
    readonly budget: Budget,
    /** Whether cells of several facts can hold together (derived facts that depend on each other). */
    readonly agree: (cells: ReadonlyMap<string, Cell>) => boolean = () => true,
  ) {}

  /**
   * Looks for a region where `formula` holds and whose case `accept` confirms. `found` once one is; `none` when no case
   * satisfies the formula; `unknown` when the budget ran out, or regions were found but none could be confirmed.
   */
  search(formula: Formula, accept: (region: Region) => boolean, maxRejected = 8): Outcome {
    this.#region = { cells: new Map(), relations: new Map() };
    let rejected = 0;
    let cut = false;
    let accepted = false;
    const visit = (): boolean => {
      if (!this.budget.step()) {
        cut = true;
        return true;
      }
      const value = this.#evaluate(formula, new Map());
      if (value === FALSE) return false;
      if (value === TRUE) {
        if (accept(this.#region)) {
          accepted = true;
          return true;
        }
        rejected++;
        return rejected >= maxRejected;
      }
      const atom = this.#pending!;
      const { cells, relations } = this.#region;
      const fact = !cells.has(atom.fact)
        ? atom.fact
        : atom.other !== undefined && !cells.has(atom.other)
          ? atom.other
          : undefined;
      if (fact === undefined) {
        for (const outcome of [true, false]) {
          relations.set(atom, outcome);
          if (visit()) return true;
        }
        relations.delete(atom);
        return false;
      }
      for (const cell of this.cells.get(fact)!) {
        cells.set(fact, cell);
        if (this.agree(cells) && visit()) return true;
      }
      cells.delete(fact);
      return false;
    };
    visit();
    if (accepted) return "found";
    return cut || rejected > 0 ? "unknown" : "none";
  }

  /** The formula's value in the region: false, true, or open (then `#pending` is an atom to decide next). */
  #evaluate(formula: Formula, memo: Map<Formula, number | Atom>): number {
    switch (formula.op) {
      case "true":
        return TRUE;
      case "false":
        return FALSE;
      case "atom":
        return this.#atom(formula.atom);
      case "not": {
        const value = this.#evaluate(formula.of, memo);
        return value === OPEN ? OPEN : 1 - value;
      }
      default: {
        // a shared condition is evaluated once a pass; an open one remembers the atom it waits for
        const known = memo.get(formula);
        if (typeof known === "number") return known;
        if (known !== undefined) {
          this.#pending = known;
          return OPEN;
        }
        const stop = formula.op === "all" ? FALSE : TRUE;
        let result = formula.op === "all" ? TRUE : FALSE;
        let pending: Atom | undefined;
        for (const child of formula.of) {
          const value = this.#evaluate(child, memo);
          if (value === stop) {
            result = stop;
            pending = undefined;
            break;
          }
          if (value === OPEN && pending === undefined) {
            result = OPEN;
            pending = this.#pending;
          }
        }
        if (pending !== undefined) this.#pending = pending;
        memo.set(formula, result === OPEN ? pending! : result);
        return result;
      }
    }
  }

  #atom(atom: Atom): number {
    const { cells, relations } = this.#region;
    const cell = cells.get(atom.fact);
    if (cell === undefined) {
      this.#pending = atom;
      return OPEN;
    }
    if (atom.other === undefined) return compare(atom.operator, representative(cell), atom.value) ? TRUE : FALSE;
    const other = cells.get(atom.other);
    if (other === undefined) {
      this.#pending = atom;
      return OPEN;
    }
    const decided = this.#relation(atom, cell, other);
    if (decided !== OPEN) return decided;
    const outcome = relations.get(atom);
    if (outcome !== undefined) return outcome ? TRUE : FALSE;
    this.#pending = atom;
    return OPEN;
  }

  /** A fact-to-fact comparison decided by the two cells, or by a guarantee between the facts, or open. */
  #relation(atom: Atom, left: Cell, right: Cell): number {
    const exact = () => (compare(atom.operator, representative(left), representative(right)) ? TRUE : FALSE);
    // the duration operators read their value as a duration text: another fact's number never is one
    if (left.is !== "range" || right.is !== "range" || atom.operator.endsWith("Duration")) return exact();
    const x = atom.fact;
    const y = atom.other!;
    const below = this.guarantees.has(`${x}<=${y}`);
    const above = this.guarantees.has(`${y}<=${x}`);
    switch (atom.operator) {
      case "lessThan":
        if (left.hi < right.lo) return TRUE;
        if (left.lo >= right.hi || above) return FALSE;
        return OPEN;
      case "lessThanInclusive":
        if (left.hi <= right.lo || below) return TRUE;
        if (left.lo > right.hi) return FALSE;
        return OPEN;
      case "greaterThan":
        if (left.lo > right.hi) return TRUE;
        if (left.hi <= right.lo || below) return FALSE;
        return OPEN;
      case "greaterThanInclusive":
        if (left.lo >= right.hi || above) return TRUE;
        if (left.hi < right.lo) return FALSE;
        return OPEN;
      case "equal":
      case "notEqual": {
        const same = left.lo === left.hi && right.lo === right.hi && left.lo === right.lo;
        const apart = left.hi < right.lo || right.hi < left.lo;
        if (!same && !apart) return OPEN;
        return same === (atom.operator === "equal") ? TRUE : FALSE;
      }
      default:
        return exact();
    }
  }
}
