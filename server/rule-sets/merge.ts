import stringify from "safe-stable-stringify";
import type { Invariant, Rule, RuleSetDefinition, TopLevelCondition } from "../../shared/rules.ts";

/**
 * Three-way merge of a draft saved on an older revision: `base` is the revision the save was based on,
 * `theirs` the draft as saved since, `mine` the save. Rules (by `name`), defaults (by field), shared
 * conditions (by name), invariants (by `name`) and the `decidedByRules` list (as a whole) are each merged as units: a unit only one side changed takes that side's
 * change, the same change on both sides is taken once, and different changes to one unit (including a
 * change on one side and a removal on the other) are a conflict. Pure: no I/O, no clock.
 */

/** How one side changed a unit against the base. */
export type UnitChange = "added" | "removed" | "changed" | "unchanged" | "absent";

/** One unit both sides changed differently, as each side has it (null: that side removed it or never had it). */
export type DraftConflict =
  | { rule: string; theirs: Rule | null; mine: Rule | null }
  | { default: string; theirs: unknown; mine: unknown }
  | { condition: string; theirs: TopLevelCondition | null; mine: TopLevelCondition | null }
  | { invariant: string; theirs: Invariant | null; mine: Invariant | null }
  | { decidedByRules: true; theirs: string[] | null; mine: string[] | null };

/**
 * The merge: `merged` keeps every change of both sides; where they conflict it holds theirs, so that a
 * client can apply the person's choice per conflict and save on the current revision.
 */
export type DraftMerge = { merged: RuleSetDefinition; conflicts: DraftConflict[] };

const same = (a: unknown, b: unknown) => stringify(a) === stringify(b);

/** How `side` changed a unit whose base content is `base` (undefined: absent on that side). */
export function unitChange(base: unknown, side: unknown): UnitChange {
  if (base === undefined) return side === undefined ? "absent" : "added";
  if (side === undefined) return "removed";
  return same(base, side) ? "unchanged" : "changed";
}

type Units<T> = ReadonlyMap<string, T>;

/** Per unit: the merged content (undefined: not in the result), or a conflict. */
function mergeUnits<T>(
  base: Units<T>,
  theirs: Units<T>,
  mine: Units<T>,
): { kept: Map<string, T>; conflicts: { name: string; theirs: T | undefined; mine: T | undefined }[] } {
  const kept = new Map<string, T>();
  const conflicts: { name: string; theirs: T | undefined; mine: T | undefined }[] = [];
  const names = new Set([...base.keys(), ...theirs.keys(), ...mine.keys()]);
  for (const name of names) {
    const b = base.get(name);
    const t = theirs.get(name);
    const m = mine.get(name);
    // `same` holds for two absent sides too: a side that neither has nor had the unit left it alone
    let result: T | undefined;
    if (same(t, m) || same(b, m)) result = t;
    else if (same(b, t)) result = m;
    else {
      conflicts.push({ name, theirs: t, mine: m });
      result = t;
    }
    if (result !== undefined) kept.set(name, result);
  }
  return { kept, conflicts };
}

/** Whether `side` lists the units it shares with `base` in another order than `base` does. */
function reordered(base: readonly string[], side: readonly string[]): boolean {
  const inBase = new Set(base);
  const inSide = new Set(side);
  const sideOrder = side.filter((name) => inBase.has(name));
  const baseOrder = base.filter((name) => inSide.has(name));
  return sideOrder.some((name, i) => name !== baseOrder[i]);
}

/**
 * The merged order: theirs (or mine, when only mine reordered the rules it shares with the base), with
 * each unit only the other side has placed right after the unit that precedes it in that side's list.
 */
function mergeOrder(
  base: readonly string[],
  theirs: readonly string[],
  mine: readonly string[],
  kept: ReadonlySet<string>,
): string[] {
  const [skeleton, other] = reordered(base, mine) && !reordered(base, theirs) ? [mine, theirs] : [theirs, mine];
  const result = skeleton.filter((name) => kept.has(name));
  const placed = new Set(result);
  other.forEach((name, i) => {
    if (!kept.has(name) || placed.has(name)) return;
    let at = 0;
    for (let j = i - 1; j >= 0; j--) {
      const before = result.indexOf(other[j]!);
      if (before >= 0) {
        at = before + 1;
        break;
      }
    }
    result.splice(at, 0, name);
    placed.add(name);
  });
  return result;
}

const byName = <T extends { name: string }>(units: readonly T[]) => new Map(units.map((unit) => [unit.name, unit]));
const entries = <T>(record: Readonly<Record<string, T>>) => new Map(Object.entries(record));

/** An object with `kept`'s entries in the merged order of the three records' keys. */
function mergedRecord<T>(
  base: Readonly<Record<string, T>>,
  theirs: Readonly<Record<string, T>>,
  mine: Readonly<Record<string, T>>,
  kept: ReadonlyMap<string, T>,
): Record<string, T> {
  const order = mergeOrder(Object.keys(base), Object.keys(theirs), Object.keys(mine), new Set(kept.keys()));
  return Object.fromEntries(order.map((name) => [name, kept.get(name)!]));
}

const DECIDED = "decidedByRules";
/** `decidedByRules` as a single unit; absent and empty are the same list. */
const unitOf = (list: readonly string[] | undefined) =>
  new Map<string, string[]>(list && list.length > 0 ? [[DECIDED, [...list]]] : []);

/**
 * Merges `mine` (saved on `base`) with `theirs` (the draft as it is now). The rule names of each side
 * must be unique, as a valid definition's are.
 */
export function mergeDrafts(base: RuleSetDefinition, theirs: RuleSetDefinition, mine: RuleSetDefinition): DraftMerge {
  const rules = mergeUnits(byName(base.rules), byName(theirs.rules), byName(mine.rules));
  const defaults = mergeUnits(entries(base.defaults), entries(theirs.defaults), entries(mine.defaults));
  const conditions = mergeUnits(entries(base.conditions), entries(theirs.conditions), entries(mine.conditions));
  const invariantsOf = (definition: RuleSetDefinition) => definition.invariants ?? [];
  const invariants = mergeUnits(byName(invariantsOf(base)), byName(invariantsOf(theirs)), byName(invariantsOf(mine)));
  // the list is one unit: which fields must be decided by a rule is one choice, not one per field
  const decided = mergeUnits(unitOf(base.decidedByRules), unitOf(theirs.decidedByRules), unitOf(mine.decidedByRules));
  const names = (list: readonly { name: string }[]) => list.map((unit) => unit.name);
  const order = mergeOrder(names(base.rules), names(theirs.rules), names(mine.rules), new Set(rules.kept.keys()));
  const invariantOrder = mergeOrder(
    names(invariantsOf(base)),
    names(invariantsOf(theirs)),
    names(invariantsOf(mine)),
    new Set(invariants.kept.keys()),
  );
  const decidedByRules = decided.kept.get(DECIDED) ?? [];
  return {
    merged: {
      defaults: mergedRecord(base.defaults, theirs.defaults, mine.defaults, defaults.kept),
      conditions: mergedRecord(base.conditions, theirs.conditions, mine.conditions, conditions.kept),
      rules: order.map((name) => rules.kept.get(name)!),
      // absent rather than empty, as a definition without them is stored
      ...(invariantOrder.length > 0 ? { invariants: invariantOrder.map((name) => invariants.kept.get(name)!) } : {}),
      ...(decidedByRules.length > 0 ? { decidedByRules } : {}),
    },
    conflicts: [
      ...rules.conflicts.map((c) => ({ rule: c.name, theirs: c.theirs ?? null, mine: c.mine ?? null })),
      ...defaults.conflicts.map((c) => ({ default: c.name, theirs: c.theirs ?? null, mine: c.mine ?? null })),
      ...conditions.conflicts.map((c) => ({ condition: c.name, theirs: c.theirs ?? null, mine: c.mine ?? null })),
      ...invariants.conflicts.map((c) => ({ invariant: c.name, theirs: c.theirs ?? null, mine: c.mine ?? null })),
      ...decided.conflicts.map((c) => ({
        decidedByRules: true as const,
        theirs: c.theirs ?? null,
        mine: c.mine ?? null,
      })),
    ],
  };
}
