import type { CaseFacts } from "../../shared/case-facts.ts";
import type { PeriodClock } from "../../shared/periods.ts";
import { kindModule, type RuleSetKind } from "../../shared/kinds/index.ts";
import { entryKey } from "../../shared/kinds/kind.ts";
import type { RuleFacts } from "./derive-facts.ts";

/** A fired rule's contribution: its name and the partial decision in its event params. */
export type Firing = { name: string; params: Record<string, unknown> };

/**
 * Folds the fired rules into one decision. Rules are taken in evaluation order (priority high to
 * low; among equal priorities, the order of the rule list):
 * - a plain field takes the value of the first rule that sets it (first match wins per field);
 * - a list field (`reasons`, `timers`, `actions`) concatenates every rule's entries, the first entry with a
 *   given key (reason code, timer key, the action code itself) winning;
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
      for (const entry of value as unknown[]) {
        const unique = entryKey(entry, key);
        if (keys.has(unique)) continue;
        keys.add(unique);
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

/** Where a decision field's value came from: the name of the rule that set it, the rule set's default, or the contract's computation. */
export type Provenance = Record<string, string>;

/** What the fold did with one fired rule: the fields it gave, and those earlier rules had already taken (field → earlier rule). */
export type FiringEffect = { takenBy: Record<string, string>; overridden: boolean };

/**
 * Who gave each field of the fold that `fold` makes of the same firings, and what became of each
 * fired rule's fields. A plain field comes from the first rule that sets it; a list field from the
 * first rule that added an entry to it (later rules may add more), or from the default when the
 * rules added none. A rule's field is taken when an earlier rule set it first (a list field: when
 * every entry it lists has a key an earlier rule already gave); a rule whose every field was taken
 * is overridden: it fired, and changed nothing. Only for traces: the decision path folds with `fold`.
 */
export function foldProvenance(
  lists: Readonly<Record<string, string>>,
  defaults: Record<string, unknown>,
  firings: readonly Firing[],
): { provenance: Provenance; effects: FiringEffect[] } {
  const provenance: Provenance = {};
  /** By list field: which rule gave each entry key. */
  const keysGiven = new Map<string, Map<unknown, string>>();
  const effects = firings.map(({ name, params }): FiringEffect => {
    const takenBy: Record<string, string> = {};
    const fields = Object.keys(params);
    for (const field of fields) {
      const key = lists[field];
      if (key === undefined) {
        if (field in provenance) takenBy[field] = provenance[field]!;
        else provenance[field] = name;
        continue;
      }
      const given = keysGiven.get(field) ?? keysGiven.set(field, new Map()).get(field)!;
      const entries = params[field] as unknown[];
      let added = false;
      for (const entry of entries) {
        const unique = entryKey(entry, key);
        if (given.has(unique)) continue;
        given.set(unique, name);
        added = true;
      }
      if (added) provenance[field] ??= name;
      else if (entries.length > 0) takenBy[field] = given.get(entryKey(entries[0], key))!;
    }
    const taken = Object.keys(takenBy).length;
    return { takenBy, overridden: taken > 0 && taken === fields.length };
  });
  for (const field of Object.keys(defaults)) {
    if (!(field in provenance)) provenance[field] = "default";
  }
  return { provenance, effects };
}

/**
 * The provenance of a whole decision: the fields the kind computes (and any field the computation changed from the
 * fold) are `computed`, the others come from the fold (foldProvenance).
 */
export function decisionProvenance(
  computed: readonly string[],
  folded: Record<string, unknown>,
  decision: Record<string, unknown>,
  fromFold: Provenance,
): Provenance {
  const provenance: Provenance = {};
  for (const field of Object.keys(decision)) {
    const value = decision[field];
    const changed = typeof value !== "object" && !Object.is(value, folded[field]);
    provenance[field] = computed.includes(field) || changed ? "computed" : (fromFold[field] ?? "computed");
  }
  return provenance;
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
  periods?: PeriodClock,
): Record<string, unknown> {
  return kindModule(kind).complete(decision, facts, ruleFacts, nowMs, periods);
}

export { AMOUNT_EXCEEDS_MAX } from "../../shared/kinds/refund-eligibility.ts";
