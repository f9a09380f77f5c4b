import type { CaseFacts } from "../../shared/case-facts.ts";
import { kindModule, type RuleSetKind } from "../../shared/kinds/index.ts";
import type { RuleFacts } from "./derive-facts.ts";

/** A fired rule's contribution: its name and the partial decision in its event params. */
export type Firing = { name: string; params: Record<string, unknown> };

/**
 * Folds the fired rules into one decision. Rules are taken in evaluation order (priority high to
 * low; among equal priorities, the order of the rule list):
 * - a plain field takes the value of the first rule that sets it (first match wins per field);
 * - a list field (`reasons`, `timers`) concatenates every rule's entries, the first entry with a
 *   given key (reason code, timer key) winning;
 * - a field no fired rule sets takes the rule set's default.
 * The list fields are the kind's (`lists` in shared/kinds/). Then the fields that follow from the others and the case
 * are computed (`completeDecision`).
 */
export function foldFirings(
  kind: RuleSetKind,
  defaults: Record<string, unknown>,
  firings: readonly Firing[],
): Record<string, unknown> {
  return fold(kindModule(kind).lists, defaults, firings);
}

/** `foldFirings` with the kind's list fields already looked up, as a Decider holds them. */
export function fold(
  lists: Readonly<Record<string, string>>,
  defaults: Record<string, unknown>,
  firings: readonly Firing[],
): Record<string, unknown> {
  const decision: Record<string, unknown> = {};
  let seen: Map<string, Set<unknown>> | undefined;
  // indexed loops over Object.keys: Object.entries would allocate a pair per field on every decision
  for (let i = 0; i < firings.length; i++) {
    const params = firings[i]!.params;
    const fields = Object.keys(params);
    for (let f = 0; f < fields.length; f++) {
      const field = fields[f]!;
      const value = params[field];
      const key = lists[field];
      if (key === undefined) {
        if (!(field in decision)) decision[field] = value;
        continue;
      }
      decision[field] ??= [];
      const entries = decision[field] as unknown[];
      seen ??= new Map();
      const keys = seen.get(field) ?? seen.set(field, new Set()).get(field)!;
      for (const entry of value as Record<string, unknown>[]) {
        if (keys.has(entry[key])) continue;
        keys.add(entry[key]);
        entries.push(entry);
      }
    }
  }
  const fields = Object.keys(defaults);
  for (let f = 0; f < fields.length; f++) {
    const field = fields[f]!;
    const value = defaults[field];
    if (!(field in decision)) decision[field] = value;
    else if (field in lists && Array.isArray(value) && (decision[field] as unknown[]).length === 0)
      decision[field] = value;
  }
  return decision;
}

/**
 * The fields the contract computes from the others and the case, never edited as rules: each kind's `complete`
 * (shared/kinds/). `nowMs`, the moment `ruleFacts` were derived at, lets a timer's start be read back from the elapsed
 * time since it rather than parsed again.
 */
export function completeDecision(
  kind: RuleSetKind,
  decision: Record<string, unknown>,
  facts: CaseFacts,
  ruleFacts: RuleFacts,
  nowMs?: number,
): Record<string, unknown> {
  return kindModule(kind).complete(decision, facts, ruleFacts, nowMs);
}

export { AMOUNT_EXCEEDS_MAX } from "../../shared/kinds/refund-eligibility.ts";
