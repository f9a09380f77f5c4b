import { z } from "zod";
import { Invariant, MAX_DECIDED_BY_RULES, MAX_INVARIANTS, Rule, TopLevelCondition } from "./rules.ts";

/**
 * The static analysis of a draft over every possible case (`POST /rule-sets/{key}/analysis`): what it found, each
 * finding with a complete case that shows it when simulated, and which checks it could not finish.
 */

export const findingKinds = ["never_applies", "overridden", "conflict", "gap", "invariant_broken"] as const;
export type FindingKind = (typeof findingKinds)[number];

/** Why a rule never applies: no case satisfies its conditions, or its validity window ended before the analysis. */
export const neverAppliesReasons = ["contradictory", "window_over"] as const;

export const AnalysisFinding = z
  .object({
    kind: z.enum(findingKinds),
    /** The rule found (never_applies, overridden). */
    rule: z.string().optional(),
    /** overridden: the rules that take its fields in the example; conflict: the two rules. */
    rules: z.array(z.string()).optional(),
    /** The field concerned: one field overridden (absent: all of them), the conflicting field, the gap, the broken expectation. */
    field: z.string().optional(),
    invariant: z.string().optional(),
    reason: z.enum(neverAppliesReasons).optional(),
    /** A case (with its `now`) the decision endpoint accepts and the simulator shows the finding with. */
    example: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: "AnalysisFinding" });
export type AnalysisFinding = z.infer<typeof AnalysisFinding>;

export const analysisChecks = ["never_applies", "overridden", "conflict", "gap", "invariant"] as const;
export type AnalysisCheck = (typeof analysisChecks)[number];
/**
 * Why a check was not decided: the work budget ran out (`budget`), no case of a region the search found could be built
 * and confirmed (`unconfirmed`), or the analysis cannot reason about it (`not_analysable`: a list field, a field the
 * kind computes from facts it does not model).
 */
export const uncheckedReasons = ["budget", "unconfirmed", "not_analysable"] as const;

export const UncheckedCheck = z
  .object({
    check: z.enum(analysisChecks),
    reason: z.enum(uncheckedReasons),
    rule: z.string().optional(),
    rules: z.array(z.string()).optional(),
    field: z.string().optional(),
    invariant: z.string().optional(),
  })
  .meta({ id: "AnalysisUncheckedCheck" });
export type UncheckedCheck = z.infer<typeof UncheckedCheck>;

export const Analysis = z
  .object({
    findings: z.array(AnalysisFinding),
    /** Every check decided: the findings are all there are. */
    complete: z.boolean(),
    unchecked: z.array(UncheckedCheck),
    /** The analysis moment: cases are judged from it on (a rule's window already over never applies). */
    analysedAt: z.string(),
    ms: z.number(),
    /** Search steps taken (each evaluates one formula over one region). */
    steps: z.number().int(),
  })
  .meta({ id: "Analysis" });
export type Analysis = z.infer<typeof Analysis>;

/** Work an analysis may do at most; the endpoint's caller may ask for less. */
export const MAX_ANALYSIS_STEPS = 2_000_000;
export const MAX_ANALYSIS_MS = 10_000;

export const AnalysisInput = z.strictObject({
  /** Analyse this published version instead of the draft. */
  version: z.number().int().min(1).max(1_000_000_000).optional(),
  /** Analyse these rules (an unsaved edit) instead of the saved draft, checked as the simulator checks them. */
  draft: z
    .strictObject({
      rules: z.array(Rule).max(20_000),
      /** Omitted: the saved draft's. */
      defaults: z.record(z.string(), z.unknown()).optional(),
      conditions: z.record(z.string(), TopLevelCondition).optional(),
      invariants: z.array(Invariant).max(MAX_INVARIANTS).optional(),
      decidedByRules: z.array(z.string().min(1).max(60)).max(MAX_DECIDED_BY_RULES).optional(),
    })
    .optional(),
  /** The checks to run; absent: all. */
  checks: z.array(z.enum(analysisChecks)).min(1).max(analysisChecks.length).optional(),
  budget: z
    .strictObject({
      steps: z.number().int().min(1).max(MAX_ANALYSIS_STEPS).optional(),
      ms: z.number().int().min(1).max(MAX_ANALYSIS_MS).optional(),
    })
    .optional(),
});
export type AnalysisInput = z.infer<typeof AnalysisInput>;
