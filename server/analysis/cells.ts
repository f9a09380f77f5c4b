import { LAST_YEAR, MAX_FEN, MAX_ORDER_FEN, FIRST_YEAR } from "../../shared/case-facts.ts";
import { durationMs } from "../../shared/duration.ts";
import { type CountedDurationObject, countedValue, type PeriodClock, periodBounds } from "../../shared/periods.ts";
import { findFactByKey, type FactType } from "../../shared/fact-catalog.ts";
import { operators } from "../engine/tables.ts";
import type { Atom } from "./formula.ts";

/**
 * Each fact's domain cut into cells by the constants the conditions compare it with: an enum or boolean value each, a
 * numeric fact's whole numbers between two consecutive thresholds, and `absent` for a fact a case may leave out. Every
 * comparison of the fact with a constant has one result over a whole cell, so deciding the cells decides the atoms.
 */

export type Cell =
  | { readonly is: "value"; readonly value: string | boolean }
  | { readonly is: "absent" }
  /** The whole numbers from `lo` to `hi`, both included. */
  | { readonly is: "range"; readonly lo: number; readonly hi: number };

/** The pseudo-fact of a case's `now`, which rules' validity windows compare. */
export const NOW = "now";

/** Facts a case may leave out: they then read as undefined. */
const optional = new Set([
  "order.paidFen",
  "refund.requestedFen",
  "refund.state",
  "problem.kind",
  "problem.daysLate",
  "problem.firstComplaint",
  "elapsed.sinceShipped",
  "elapsed.sinceDelivered",
  "elapsed.sinceCompleted",
  "elapsed.sinceApplied",
  "elapsed.inState",
]);

/** The moment a case's timestamps may go back to, and the last one its `now` may be. */
export const FIRST_MOMENT_MS = Date.UTC(FIRST_YEAR, 0, 1);
export const LAST_MOMENT_MS = Date.UTC(LAST_YEAR, 11, 31, 23, 59, 59, 999);

export function factType(fact: string): FactType | { kind: "now" } {
  if (fact === NOW) return { kind: "now" };
  return findFactByKey(fact)!.type;
}

export function isOptional(fact: string): boolean {
  return optional.has(fact);
}

/** The whole numbers a numeric fact can take: money a caller sends up to MAX_FEN, sums the engine derives beyond. */
function numericDomain(fact: string, kind: string, nowMs: number): [number, number] {
  if (kind === "now") return [nowMs, LAST_MOMENT_MS];
  if (kind === "duration") return [0, LAST_MOMENT_MS - FIRST_MOMENT_MS];
  if (kind === "count") return [0, findFactByKey(fact)?.maximum ?? 2];
  return [0, findFactByKey(fact)?.derived ? MAX_ORDER_FEN : MAX_FEN];
}

/** Where a comparison with `value` may change its result along the whole numbers. */
function thresholds(operator: string, value: unknown): number[] {
  const counted = operator.endsWith("Duration") ? countedValue(value) : undefined;
  if (counted !== undefined) {
    // a counted period's end depends on the moment and the calendar: within up to `least`, beyond past `most`
    const [least, most] = periodBounds(counted);
    return [...new Set([Math.floor(least), Math.floor(least) + 1, Math.floor(most) + 1])];
  }
  const number = typeof value === "string" && operator.endsWith("Duration") ? durationMs(value) : value;
  if (typeof number !== "number" || !Number.isFinite(number)) return [];
  const floor = Math.floor(number);
  return [floor, floor + 1];
}

/** The cells of every fact the atoms read. */
export function cellsOf(atoms: readonly Atom[], nowMs: number): Map<string, Cell[]> {
  const cuts = new Map<string, Set<number>>();
  const facts = new Set<string>();
  for (const atom of atoms) {
    facts.add(atom.fact);
    if (atom.other !== undefined) facts.add(atom.other);
    else {
      const at = cuts.get(atom.fact) ?? cuts.set(atom.fact, new Set()).get(atom.fact)!;
      const values = Array.isArray(atom.value) ? atom.value : [atom.value];
      for (const value of values) for (const cut of thresholds(atom.operator, value)) at.add(cut);
    }
  }
  const cells = new Map<string, Cell[]>();
  for (const fact of facts) {
    const type = factType(fact);
    const list: Cell[] = [];
    if (type.kind === "enum") for (const value of type.values) list.push({ is: "value", value });
    else if (type.kind === "boolean") list.push({ is: "value", value: true }, { is: "value", value: false });
    else {
      const [lo, hi] = numericDomain(fact, type.kind, nowMs);
      const points = [...(cuts.get(fact) ?? [])].filter((p) => p > lo && p <= hi).sort((a, b) => a - b);
      let from = lo;
      for (const point of points) {
        list.push({ is: "range", lo: from, hi: point - 1 });
        from = point;
      }
      list.push({ is: "range", lo: from, hi });
    }
    if (isOptional(fact)) list.push({ is: "absent" });
    cells.set(fact, list);
  }
  return cells;
}

/** A value of the cell that every comparison with a constant treats as it treats the whole cell. */
export function representative(cell: Cell): unknown {
  return cell.is === "value" ? cell.value : cell.is === "absent" ? undefined : cell.lo;
}

/**
 * The engine's own operator on `factValue` and `value` (the validator first), so the analysis reads atoms as it does;
 * `clock` for a duration counted in days or business hours.
 */
export function compare(operator: string, factValue: unknown, value: unknown, clock?: PeriodClock): boolean {
  const { validate, evaluate } = operators[operator]!;
  return validate(factValue) && evaluate(factValue, value, clock);
}

/**
 * A comparison with a duration counted in days or business hours (not elapsed time): its result depends on the moment
 * and the calendar as well as the fact, so a cell decides it only outside the period's bounds (periodBounds).
 */
export function countedAtom(atom: Atom): CountedDurationObject | undefined {
  if (atom.other !== undefined || !atom.operator.endsWith("Duration")) return undefined;
  const counted = countedValue(atom.value);
  return counted === undefined || counted.counting === "elapsed" ? undefined : counted;
}
