import { periodBounds } from "../../shared/periods.ts";
import { type Cell, compare, countedAtom, representative } from "./cells.ts";
import { type Atom, all, any, FALSE as NO, type Formula, not, TRUE as YES } from "./formula.ts";

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
  /** Where the question under way must stop: one hard question may not take the whole budget from the others. */
  #questionEnds = Number.POSITIVE_INFINITY;

  /** Starts a question that may take at most `steps` of what is left. */
  begin(steps: number): void {
    this.#questionEnds = this.steps + steps;
  }

  step(): boolean {
    if (this.steps > this.maxSteps || this.steps >= this.#questionEnds) return false;
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
  /** Whether the last search stopped for the budget rather than by deciding. */
  cut = false;

  constructor(
    readonly cells: ReadonlyMap<string, readonly Cell[]>,
    readonly guarantees: Guarantees,
    readonly budget: Budget,
    /** Whether cells of several facts can hold together (derived facts that depend on each other). */
    readonly agree: (fact: string, cells: ReadonlyMap<string, Cell>) => boolean = () => true,
    readonly maxStepsPerSearch = Number.POSITIVE_INFINITY,
  ) {}

  /**
   * Looks for a region where `formula` holds and whose case `accept` confirms. `found` once one is; `none` when no case
   * satisfies the formula; `unknown` when the budget ran out, or regions were found but none could be confirmed.
   */
  search(formula: Formula, accept: (region: Region) => boolean, maxRejected = 8): Outcome {
    this.#region = { cells: new Map(), relations: new Map() };
    this.budget.begin(this.maxStepsPerSearch);
    let rejected = 0;
    let cut = false;
    let accepted = false;
    // each branch works on the formula its parent left, with what the branch fixed folded in: it shrinks as it descends
    const visit = (parent: Formula): boolean => {
      if (!this.budget.step()) {
        cut = true;
        return true;
      }
      const formula = this.#simplify(parent, new Map());
      if (formula.op === "false") return false;
      if (formula.op === "true") {
        if (accept(this.#region)) {
          accepted = true;
          return true;
        }
        rejected++;
        return rejected >= maxRejected;
      }
      const atom = firstAtom(formula);
      const { cells, relations } = this.#region;
      const fact = !cells.has(atom.fact)
        ? atom.fact
        : atom.other !== undefined && !cells.has(atom.other)
          ? atom.other
          : undefined;
      if (fact === undefined) {
        for (const outcome of [true, false]) {
          relations.set(atom, outcome);
          if (visit(formula)) return true;
        }
        relations.delete(atom);
        return false;
      }
      for (const cell of this.cells.get(fact)!) {
        cells.set(fact, cell);
        if (this.agree(fact, cells) && visit(formula)) return true;
      }
      cells.delete(fact);
      return false;
    };
    visit(formula);
    this.cut = cut;
    if (accepted) return "found";
    return cut || rejected > 0 ? "unknown" : "none";
  }

  /** The formula with every atom the region decides replaced by its value, folded; shared nodes simplified once. */
  #simplify(formula: Formula, memo: Map<Formula, Formula>): Formula {
    switch (formula.op) {
      case "true":
      case "false":
        return formula;
      case "atom": {
        const value = this.#atom(formula.atom);
        return value === OPEN ? formula : value === TRUE ? YES : NO;
      }
      case "not": {
        const inner = this.#simplify(formula.of, memo);
        return inner === formula.of ? formula : not(inner);
      }
      default: {
        const known = memo.get(formula);
        if (known) return known;
        const stop = formula.op === "all" ? "false" : "true";
        const kept: Formula[] = [];
        let changed = false;
        let result: Formula | undefined;
        for (const child of formula.of) {
          const simpler = this.#simplify(child, memo);
          if (simpler.op === stop) {
            result = simpler;
            break;
          }
          if (simpler !== child) changed = true;
          kept.push(simpler);
        }
        result ??= !changed ? formula : formula.op === "all" ? all(kept) : any(kept);
        memo.set(formula, result);
        return result;
      }
    }
  }

  #atom(atom: Atom): number {
    const { cells, relations } = this.#region;
    const cell = cells.get(atom.fact);
    if (cell === undefined) {
      return OPEN;
    }
    const counted = countedAtom(atom);
    if (counted !== undefined) {
      // decided by the cell outside the period's bounds; inside them, an outcome the search chooses (and the case confirms)
      const [least, most] = periodBounds(counted);
      const beyond = atom.operator === "beyondDuration";
      if (cell.is !== "range") return compare(atom.operator, representative(cell), atom.value) ? TRUE : FALSE;
      if (cell.hi <= least) return beyond ? FALSE : TRUE;
      if (cell.lo > most) return beyond ? TRUE : FALSE;
      const outcome = this.#countedOutcome(atom);
      return outcome === undefined ? OPEN : outcome ? TRUE : FALSE;
    }
    if (atom.other === undefined) return compare(atom.operator, representative(cell), atom.value) ? TRUE : FALSE;
    const other = cells.get(atom.other);
    if (other === undefined) {
      return OPEN;
    }
    const decided = this.#relation(atom, cell, other);
    if (decided !== OPEN) return decided;
    const outcome = relations.get(atom);
    if (outcome !== undefined) return outcome ? TRUE : FALSE;
    return OPEN;
  }

  /**
   * The outcome the region chose for a counted comparison, or for its twin: the same fact and period compared the other
   * way (within and beyond of a number are each other's negation), so that the two are never chosen to disagree.
   */
  #countedOutcome(atom: Atom): boolean | undefined {
    const own = this.#region.relations.get(atom);
    if (own !== undefined) return own;
    const key = countedKey(atom);
    for (const [other, outcome] of this.#region.relations) {
      if (other.other !== undefined || other.fact !== atom.fact || countedKey(other) !== key) continue;
      return other.operator === atom.operator ? outcome : !outcome;
    }
    return undefined;
  }

  /**
   * A fact-to-fact comparison decided by the two cells, the guarantees between the facts and the outcomes already fixed
   * for other comparisons of the same two facts (all read as bounds on the difference x − y), or open.
   */
  #relation(atom: Atom, left: Cell, right: Cell): number {
    const exact = () => (compare(atom.operator, representative(left), representative(right)) ? TRUE : FALSE);
    // a fact compared with itself: one value on both sides
    if (atom.fact === atom.other) return exact();
    // the duration operators read their value as a duration text: another fact's number never is one
    if (left.is !== "range" || right.is !== "range" || atom.operator.endsWith("Duration")) return exact();
    const x = atom.fact;
    const y = atom.other!;
    let lo = left.lo - right.hi;
    let hi = left.hi - right.lo;
    if (this.guarantees.has(`${x}<=${y}`)) hi = Math.min(hi, 0);
    if (this.guarantees.has(`${y}<=${x}`)) lo = Math.max(lo, 0);
    let zeroExcluded = false;
    for (const [other, outcome] of this.#region.relations) {
      if (other === atom) continue;
      const sign = other.fact === x && other.other === y ? 1 : other.fact === y && other.other === x ? -1 : 0;
      if (sign === 0) continue;
      // equal false, notEqual true: the two differ, a hole at zero rather than a bound
      if ((other.operator === "equal" && !outcome) || (other.operator === "notEqual" && outcome)) zeroExcluded = true;
      const bound = differenceBound(other.operator, outcome);
      if (!bound) continue;
      const [from, to] = sign === 1 ? bound : [-bound[1], -bound[0]];
      lo = Math.max(lo, from);
      hi = Math.min(hi, to);
    }
    if (zeroExcluded && lo === 0) lo = 1;
    if (zeroExcluded && hi === 0) hi = -1;
    const holds = differenceBound(atom.operator, true);
    const fails = differenceBound(atom.operator, false);
    if (holds && lo >= holds[0] && hi <= holds[1]) return TRUE;
    if (fails && lo >= fails[0] && hi <= fails[1]) return FALSE;
    if (atom.operator === "notEqual" && (lo > 0 || hi < 0 || zeroExcluded)) return TRUE;
    if (atom.operator === "equal" && (lo > 0 || hi < 0 || zeroExcluded)) return FALSE;
    return OPEN;
  }
}

/** What a comparison's outcome says of the difference x − y of whole numbers, as [least, most]; none when it is a hole. */
function differenceBound(operator: string, outcome: boolean): [number, number] | undefined {
  const any = Number.POSITIVE_INFINITY;
  switch (operator) {
    case "lessThan":
      return outcome ? [-any, -1] : [0, any];
    case "lessThanInclusive":
      return outcome ? [-any, 0] : [1, any];
    case "greaterThan":
      return outcome ? [1, any] : [-any, 0];
    case "greaterThanInclusive":
      return outcome ? [0, any] : [-any, -1];
    case "equal":
      return outcome ? [0, 0] : undefined;
    case "notEqual":
      return outcome ? undefined : [0, 0];
    default:
      return undefined;
  }
}

/** The first atom of a formula that is not a constant (every atom left in a simplified formula is open). */
function firstAtom(formula: Formula): Atom {
  let node = formula;
  for (;;) {
    if (node.op === "atom") return node.atom;
    if (node.op === "not") node = node.of;
    else if (node.op === "all" || node.op === "any") node = node.of[0]!;
    else throw new Error("a constant has no atom");
  }
}

const countedKeys = new WeakMap<Atom, string>();

/** A counted comparison's period as text: the same for every atom that counts the same period, whatever its operator. */
function countedKey(atom: Atom): string | undefined {
  const counted = countedAtom(atom);
  if (counted === undefined) return undefined;
  let key = countedKeys.get(atom);
  if (key === undefined) {
    key = `${counted.counting}|${counted.duration}|${counted.hours?.from ?? ""}|${counted.hours?.until ?? ""}`;
    countedKeys.set(atom, key);
  }
  return key;
}
