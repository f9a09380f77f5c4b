import stringify from "safe-stable-stringify";
import type { RuleSetDefinition } from "../../shared/rules.ts";
import { unitChange, type UnitChange } from "../rule-sets/merge.ts";

/** Which invariants a change added, removed or changed (by name) and whether `decidedByRules` changed; only what did. */
export function invariantChanges(
  before: RuleSetDefinition,
  after: RuleSetDefinition,
): {
  invariantsAdded?: string[];
  invariantsRemoved?: string[];
  invariantsChanged?: string[];
  decidedByRulesChanged?: true;
} {
  const old = new Map((before.invariants ?? []).map((invariant) => [invariant.name, invariant]));
  const now = new Map((after.invariants ?? []).map((invariant) => [invariant.name, invariant]));
  const names = [...new Set([...now.keys(), ...old.keys()])];
  const withChange = (change: UnitChange) =>
    names.filter((name) => unitChange(old.get(name), now.get(name)) === change);
  const [added, removed, changed] = [withChange("added"), withChange("removed"), withChange("changed")];
  return {
    ...(added.length > 0 ? { invariantsAdded: added } : {}),
    ...(removed.length > 0 ? { invariantsRemoved: removed } : {}),
    ...(changed.length > 0 ? { invariantsChanged: changed } : {}),
    ...(stringify(before.decidedByRules ?? []) !== stringify(after.decidedByRules ?? [])
      ? { decidedByRulesChanged: true as const }
      : {}),
  };
}
