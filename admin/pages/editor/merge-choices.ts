import type { DraftConflict, DraftConflictMembers } from "../../../shared/api.ts";
import type { Invariant, RuleInput } from "../../../shared/rules.ts";

/** Per conflict (by its place in the server's list), whose version the person keeps. */
export type Choice = "mine" | "theirs";

/** What a conflict is about, and its name: a rule, a default field, a shared condition, an invariant or `decidedByRules`. */
export function conflictSubject(conflict: DraftConflict): {
  kind: "rule" | "default" | "condition" | "invariant" | "decidedByRules";
  name: string;
} {
  if ("rule" in conflict) return { kind: "rule", name: conflict.rule };
  if ("default" in conflict) return { kind: "default", name: conflict.default };
  if ("invariant" in conflict) return { kind: "invariant", name: conflict.invariant };
  if ("decidedByRules" in conflict) return { kind: "decidedByRules", name: "decidedByRules" };
  return { kind: "condition", name: conflict.condition };
}

export type ResolvedDraft = {
  rules: RuleInput[];
  defaults: Record<string, unknown>;
  conditions: Record<string, unknown>;
  invariants?: Invariant[];
  decidedByRules?: string[];
};

/**
 * The draft to save on the current revision: the server's merge (both sides' other changes, each conflict
 * as they saved it) with my version put back wherever the person chose to keep mine. A rule of mine they
 * removed goes back after the rule that precedes it in my list.
 */
export function applyChoices(
  members: Pick<DraftConflictMembers, "conflicts" | "mergedKeepingTheirs">,
  mineRules: readonly RuleInput[],
  choices: readonly Choice[],
): ResolvedDraft {
  const { mergedKeepingTheirs: merged } = members;
  const rules = merged.rules.map((rule) => structuredClone(rule) as RuleInput);
  const defaults: Record<string, unknown> = structuredClone(merged.defaults);
  const conditions: Record<string, unknown> = structuredClone(merged.conditions);
  const invariants = structuredClone(merged.invariants ?? []);
  let decidedByRules = [...(merged.decidedByRules ?? [])];
  members.conflicts.forEach((conflict, i) => {
    if (choices[i] !== "mine") return;
    if ("invariant" in conflict) {
      const at = invariants.findIndex((invariant) => invariant.name === conflict.invariant);
      if (conflict.mine === null) {
        if (at >= 0) invariants.splice(at, 1);
      } else if (at >= 0) invariants[at] = structuredClone(conflict.mine);
      else invariants.push(structuredClone(conflict.mine));
    } else if ("decidedByRules" in conflict) decidedByRules = [...(conflict.mine ?? [])];
    else if ("rule" in conflict) {
      const at = rules.findIndex((rule) => rule.name === conflict.rule);
      if (conflict.mine === null) {
        if (at >= 0) rules.splice(at, 1);
      } else if (at >= 0) rules[at] = structuredClone(conflict.mine);
      else rules.splice(placeAfterPredecessor(rules, mineRules, conflict.rule), 0, structuredClone(conflict.mine));
    } else {
      const target = "default" in conflict ? defaults : conditions;
      const name = "default" in conflict ? conflict.default : conflict.condition;
      if (conflict.mine === null) delete target[name];
      else target[name] = structuredClone(conflict.mine);
    }
  });
  return {
    rules,
    defaults,
    conditions,
    // absent when none, as the server leaves them out of a definition
    ...(invariants.length > 0 ? { invariants } : {}),
    ...(decidedByRules.length > 0 ? { decidedByRules } : {}),
  };
}

/** Where `name` goes in `rules`: right after the nearest rule before it in `mine` that `rules` has, else first. */
function placeAfterPredecessor(rules: readonly RuleInput[], mine: readonly RuleInput[], name: string): number {
  const own = mine.findIndex((rule) => rule.name === name);
  for (let j = own - 1; j >= 0; j--) {
    const at = rules.findIndex((rule) => rule.name === mine[j]!.name);
    if (at >= 0) return at + 1;
  }
  return 0;
}
