import type { Analysis, AnalysisInput } from "../../shared/analysis.ts";
import { portablePeriods } from "../../shared/portable-periods.ts";
import { fieldProblem } from "../../shared/problems.ts";
import type { RuleSetKind } from "../../shared/kinds/index.ts";
import { RuleSetDefinition } from "../../shared/rules.ts";
import type { AppContext } from "../context.ts";
import { invalid, notFound } from "../errors.ts";
import { fieldProblems } from "../http/validation.ts";
import { assertValidDefinition, kindOf, requireRuleSet } from "../rule-sets/service.ts";
import type { AnalyseOptions } from "./analyse.ts";
import { AnalysisWorker } from "./analysis-worker.ts";

/** The analysis thread of each service (one per app context: the tests run several in one process). */
const workers = new WeakMap<AppContext, AnalysisWorker>();

/**
 * The static analysis of a rule set's saved draft, of an unsaved `draft` (checked as a save checks it: 422 when
 * invalid; what it leaves out is the saved draft's), or of a published `version`, over every case from the service's
 * now on; run on the analysis thread.
 */
export async function analyseRuleSet(ctx: AppContext, key: string, input: AnalysisInput): Promise<Analysis> {
  const kind = kindOf(key);
  const row = await requireRuleSet(ctx, key);
  if (input.version !== undefined && input.draft !== undefined)
    throw invalid("analyse either a version or a draft", [
      fieldProblem("version", "not_combinable", { other: "draft" }, "a version and a draft cannot be analysed at once"),
    ]);
  let definition: RuleSetDefinition;
  if (input.version !== undefined) {
    const decider = await ctx.registry.version(key, input.version);
    if (!decider) throw notFound(`rule set "${key}" has no version ${input.version}`);
    definition = decider.definition;
  } else if (input.draft !== undefined) {
    const { draft } = input;
    const parsed = RuleSetDefinition.safeParse({
      defaults: draft.defaults ?? row.draft.defaults,
      conditions: draft.conditions ?? row.draft.conditions,
      rules: draft.rules,
      ...optional("invariants", draft.invariants ?? row.draft.invariants),
      ...optional("decidedByRules", draft.decidedByRules ?? row.draft.decidedByRules),
    });
    if (!parsed.success) throw invalid("the rules break the rule set schema", fieldProblems(parsed.error.issues));
    definition = parsed.data;
  } else definition = row.draft;
  assertValidDefinition(kind, definition);
  return analyseInThread(ctx, kind, definition, {
    budget: input.budget ?? {},
    ...(input.checks ? { checks: input.checks } : {}),
  });
}

/**
 * analyseDefinition on the service's analysis thread, at the service's now unless told another moment: what a caller on the request path (the
 * publish gate: `{ checks: ["invariant"] }`) uses so that an analysis never holds up the decisions. A valid definition.
 */
export function analyseInThread(
  ctx: AppContext,
  kind: RuleSetKind,
  definition: RuleSetDefinition,
  options: Omit<AnalyseOptions, "nowMs"> & { nowMs?: number } = {},
): Promise<Analysis> {
  const worker = workers.get(ctx) ?? workers.set(ctx, new AnalysisWorker()).get(ctx)!;
  const periods = portablePeriods({ zone: ctx.businessTimeZone, calendar: ctx.calendar.current });
  return worker.analyse(kind, definition, { nowMs: ctx.now().getTime(), periods, ...options });
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
