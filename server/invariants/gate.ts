import type { Analysis } from "../../shared/analysis.ts";
import type { BrokenInvariant, InvariantBrokenMembers } from "../../shared/invariants.ts";
import type { RuleSetKind } from "../../shared/kinds/index.ts";
import type { Invariant, RuleSetDefinition } from "../../shared/rules.ts";
import { type AnalyseOptions, analyseDefinition } from "../analysis/analyse.ts";
import { analyseInThread } from "../analysis/service.ts";
import type { AppContext } from "../context.ts";
import { DomainError } from "../errors.ts";

/** What the check found: nothing broken (else it throws), and the invariants it could not decide within its budget. */
export type InvariantCheck = { unchecked: string[] };

/** Runs the static analysis: on the calling thread (the default), or the service's analysis thread. */
export type Analyse = (
  kind: RuleSetKind,
  definition: RuleSetDefinition,
  options: AnalyseOptions,
) => Analysis | Promise<Analysis>;

/**
 * Throws 422 `invariant_broken` when some case makes `definition`'s rules break one of `invariants` (default: the
 * definition's own), with the first invariant broken and its counterexample, and every one broken, in the problem.
 * Every case from `nowMs` on is considered (the static analysis, server/analysis). An invariant the analysis could not
 * decide within its budget does not refuse: it is answered in `unchecked`, for the audit row.
 */
export async function assertInvariantsHold(
  kind: RuleSetKind,
  definition: RuleSetDefinition,
  options: {
    nowMs: number;
    what: string;
    invariants?: readonly Invariant[];
    /** The shared conditions to analyse with (a rollback's, which the active version's invariants may refer to). */
    conditions?: RuleSetDefinition["conditions"];
    /** Less work than the analysis's default bound. */
    budget?: { steps?: number; ms?: number };
    analyse?: Analyse;
  },
): Promise<InvariantCheck> {
  const invariants = options.invariants ?? definition.invariants ?? [];
  if (invariants.length === 0) return { unchecked: [] };
  // only the invariants are asked of the analysis: no gap is a reason to refuse a publish
  const analysed = {
    ...definition,
    conditions: options.conditions ?? definition.conditions,
    invariants: [...invariants],
    decidedByRules: [],
  };
  const analysis = await (options.analyse ?? analyseDefinition)(kind, analysed, {
    nowMs: options.nowMs,
    checks: ["invariant"],
    ...(options.budget ? { budget: options.budget } : {}),
  });
  const byName = new Map(invariants.map((invariant) => [invariant.name, invariant]));
  const broken: BrokenInvariant[] = analysis.findings
    .filter((f) => f.kind === "invariant_broken" && f.invariant !== undefined && byName.has(f.invariant) && f.example)
    .map((finding) => ({
      invariant: byName.get(finding.invariant!)!,
      ...(finding.field ? { field: finding.field } : {}),
      example: finding.example!,
    }));
  if (broken.length > 0) {
    const [first] = broken as [BrokenInvariant];
    const members: InvariantBrokenMembers = { ...first, broken };
    const names = broken.map((b) => `"${b.invariant.name}"`).join(", ");
    throw new DomainError({
      code: "invariant_broken",
      detail: `a case breaks the invariant(s) ${names}; ${options.what} waits until the rules keep them: simulate the example to see it`,
      extra: members,
    });
  }
  const unchecked = analysis.unchecked.filter((u) => u.check === "invariant" && u.invariant).map((u) => u.invariant!);
  return { unchecked: [...new Set(unchecked)] };
}

/**
 * What a rollback must keep: the target version's invariants and those of the version active now (the policy in
 * force), the active version's winning where both have one of a name; with the shared conditions the active version's
 * invariants may refer to, the target's own winning (its rules refer only to those).
 */
export function invariantsForRollback(
  target: RuleSetDefinition,
  active: RuleSetDefinition | undefined,
): { invariants: Invariant[]; conditions: RuleSetDefinition["conditions"] } {
  const merged = new Map((target.invariants ?? []).map((invariant) => [invariant.name, invariant]));
  for (const invariant of active?.invariants ?? []) merged.set(invariant.name, invariant);
  return { invariants: [...merged.values()], conditions: { ...active?.conditions, ...target.conditions } };
}

/**
 * The analysis on the service's analysis thread (server/analysis/service.ts), as `POST …/analysis` runs it: a publish
 * that searches for seconds does not hold up the decisions answered meanwhile, and waits in the same bounded queue
 * (429 when full).
 */
export function onAnalysisThread(ctx: AppContext): Analyse {
  return (kind, definition, options) => analyseInThread(ctx, kind, definition, options);
}
