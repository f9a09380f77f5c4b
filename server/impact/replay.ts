import type { PeriodSettings } from "../../shared/periods.ts";
import { IMPACT_SAMPLES_PER_TRANSITION, type ImpactResult, type ImpactSample } from "../../shared/impact.ts";
import { OMITTED_FACTS } from "../decision-log/decision-log.ts";
import { parseCase } from "../decisions/case-validator.ts";
import type { Decider } from "../engine/decider.ts";

/** A logged decision as the replay reads it: the log's columns, JSON still as text. */
export type LoggedDecision = { decisionId: string; at: string; facts: string; decision: string; firedRules: string };

/**
 * Distinct transitions tallied with their samples; the others are only counted (`otherTransitions`). A field with many
 * values (an amount) would otherwise grow the tally, and the answer, with every record.
 */
const MAX_TRANSITIONS = 100;
/** Characters of sampled facts kept at most: a sample carries its case, and a logged case may be up to 64 KiB. */
const MAX_SAMPLE_CHARS = 2_000_000;

type Transition = { field: string; from: unknown; to: unknown; count: number; samples: ImpactSample[] };

/**
 * The replay's arithmetic: each logged decision decided again by the draft, at its own evaluation time (the case's `now`,
 * else when it was logged: what the decision endpoint decided it at), compared field by field with the decision as
 * logged, and added up. Memory stays bounded whatever the number of records: counts, at most MAX_TRANSITIONS
 * transitions and their samples.
 */
export class ImpactTally {
  replayed = 0;
  changed = 0;
  moneyMovedFen = 0;
  turnedEligible = 0;
  turnedIneligible = 0;
  oversized = 0;
  invalid = 0;
  otherTransitions = 0;
  readonly #transitions = new Map<string, Transition>();
  readonly #byRule = new Map<string, number>();
  readonly #ruleNames: ReadonlySet<string>;
  #sampleChars = 0;

  constructor(
    readonly decider: Decider,
    readonly periods: PeriodSettings,
  ) {
    this.#ruleNames = new Set(decider.definition.rules.map((rule) => rule.name));
  }

  /** Decides one logged decision again and counts what changed. */
  add(logged: LoggedDecision): void {
    // the log kept a marker instead of facts too large for it: nothing to decide
    if (logged.facts === OMITTED_FACTS) {
      this.oversized++;
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(logged.facts);
    } catch {
      this.invalid++;
      return;
    }
    const parsed = parseCase(raw);
    // a case the schema has since stopped accepting is reported, not guessed at
    if (!parsed.success) {
      this.invalid++;
      return;
    }
    const facts = parsed.data;
    const nowMs = facts.now === undefined ? Date.parse(logged.at) : Date.parse(facts.now);
    const after = this.decider.decide(facts, { trace: false, nowMs, periods: this.periods }).decision;
    this.replayed++;
    // most decisions do not change, and the kind builds its fields in one order: the same text is the same decision
    if (JSON.stringify(after) === logged.decision) return;
    const before = JSON.parse(logged.decision) as Record<string, unknown>;
    const fields = changedFields(before, after);
    if (fields.length === 0) return;
    this.changed++;
    // provenance only for the few that changed: it costs a second fold
    const traced = this.decider.decide(facts, { trace: false, nowMs, provenance: true, periods: this.periods });
    const rules = this.#causes(fields, traced.provenance ?? {}, logged.firedRules, traced.firedRules);
    for (const rule of rules) this.#byRule.set(rule, (this.#byRule.get(rule) ?? 0) + 1);
    if (typeof before.maxRefundableFen === "number" && typeof after.maxRefundableFen === "number")
      this.moneyMovedFen += after.maxRefundableFen - before.maxRefundableFen;
    if (before.eligible === false && after.eligible === true) this.turnedEligible++;
    if (before.eligible === true && after.eligible === false) this.turnedIneligible++;
    let sample: ImpactSample | undefined;
    for (const field of fields) {
      const transition = this.#transition(field, before[field], after[field]);
      if (transition === undefined) {
        this.otherTransitions++;
        continue;
      }
      transition.count++;
      if (transition.samples.length >= IMPACT_SAMPLES_PER_TRANSITION) continue;
      sample ??= this.#sample(logged, nowMs, before, after, fields, rules);
      if (sample === undefined) continue;
      transition.samples.push(sample);
    }
  }

  /** What the replay found: transitions and rules most frequent first, each sample once. */
  result(): ImpactResult {
    const transitions = [...this.#transitions.values()].sort((a, b) => b.count - a.count);
    const samples = new Map<string, ImpactSample>();
    for (const transition of transitions)
      for (const sample of transition.samples) samples.set(sample.decisionId, sample);
    return {
      replayed: this.replayed,
      changed: this.changed,
      transitions: transitions.map(({ field, from, to, count }) => ({ field, from, to, count })),
      byRule: [...this.#byRule]
        .map(([rule, changed]) => ({ rule, changed }))
        .sort((a, b) => b.changed - a.changed || a.rule.localeCompare(b.rule)),
      samples: [...samples.values()],
      moneyMovedFen: this.moneyMovedFen,
      turnedEligible: this.turnedEligible,
      turnedIneligible: this.turnedIneligible,
      skipped: { oversized: this.oversized, invalid: this.invalid },
      otherTransitions: this.otherTransitions,
    };
  }

  /**
   * The rules behind a changed decision: the draft's rule that now sets a changed field; and when a changed field is now
   * left to the defaults (or computed), the rules that fired as logged and no longer do.
   */
  #causes(fields: string[], provenance: Record<string, string>, firedBefore: string, firedAfter: string[]): string[] {
    const causes = new Set<string>();
    let unsetByRule = false;
    for (const field of fields) {
      const setBy = provenance[field];
      if (setBy !== undefined && this.#ruleNames.has(setBy)) causes.add(setBy);
      else unsetByRule = true;
    }
    if (unsetByRule) {
      const still = new Set(firedAfter);
      for (const rule of parseNames(firedBefore)) if (!still.has(rule)) causes.add(rule);
    }
    return [...causes].sort();
  }

  #transition(field: string, from: unknown, to: unknown): Transition | undefined {
    const key = `${field}\u0000${JSON.stringify(from) ?? ""}\u0000${JSON.stringify(to) ?? ""}`;
    const known = this.#transitions.get(key);
    if (known !== undefined || this.#transitions.size >= MAX_TRANSITIONS) return known;
    const transition: Transition = { field, from: from ?? null, to: to ?? null, count: 0, samples: [] };
    this.#transitions.set(key, transition);
    return transition;
  }

  /**
   * The case as logged (before its defaults were filled in), with `now` set to the time it was decided at, so that the
   * simulator decides it as the replay did; undefined once the samples hold MAX_SAMPLE_CHARS of facts.
   */
  #sample(
    logged: LoggedDecision,
    nowMs: number,
    before: Record<string, unknown>,
    after: Record<string, unknown>,
    fields: string[],
    rules: string[],
  ): ImpactSample | undefined {
    if (this.#sampleChars + logged.facts.length > MAX_SAMPLE_CHARS) return undefined;
    this.#sampleChars += logged.facts.length;
    const facts = JSON.parse(logged.facts) as Record<string, unknown>;
    if (facts.now === undefined) facts.now = new Date(nowMs).toISOString();
    return { decisionId: logged.decisionId, at: logged.at, facts, before, after, fields, rules };
  }
}

/** The fields whose values differ, in either decision: values compared as JSON (lists, objects). */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const fields: string[] = [];
  for (const field of Object.keys(after)) if (!sameValue(before[field], after[field])) fields.push(field);
  for (const field of Object.keys(before)) if (!(field in after)) fields.push(field);
  return fields;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function parseNames(json: string): string[] {
  try {
    const names: unknown = JSON.parse(json);
    return Array.isArray(names) ? names.filter((name): name is string => typeof name === "string") : [];
  } catch {
    return [];
  }
}
