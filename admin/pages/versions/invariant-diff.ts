import stringify from "safe-stable-stringify";
import type { Invariant } from "../../../shared/rules.ts";

/** One invariant that differs between two definitions, by name; `changed` keeps both sides. */
export type InvariantDiff =
  | { status: "added"; name: string; after: Invariant }
  | { status: "removed"; name: string; before: Invariant }
  | { status: "changed"; name: string; before: Invariant; after: Invariant };

/** The invariants added, removed or changed, in the right side's order, each removed one after those. */
export function diffInvariants(before: readonly Invariant[] = [], after: readonly Invariant[] = []): InvariantDiff[] {
  const old = new Map(before.map((invariant) => [invariant.name, invariant]));
  const now = new Set(after.map((invariant) => invariant.name));
  const diffs: InvariantDiff[] = [];
  for (const invariant of after) {
    const was = old.get(invariant.name);
    if (!was) diffs.push({ status: "added", name: invariant.name, after: invariant });
    else if (stringify(was) !== stringify(invariant))
      diffs.push({ status: "changed", name: invariant.name, before: was, after: invariant });
  }
  for (const invariant of before)
    if (!now.has(invariant.name)) diffs.push({ status: "removed", name: invariant.name, before: invariant });
  return diffs;
}
