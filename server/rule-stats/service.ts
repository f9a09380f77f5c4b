import { fieldProblem } from "../../shared/problems.ts";
import type { Rule } from "../../shared/rules.ts";
import {
  DEFAULT_STATS_DAYS,
  MAX_STATS_BUCKETS,
  type NeverFiredRule,
  type RuleStats,
  type StatsBucketCount,
  type StatsQuery,
} from "../../shared/stats.ts";
import type { AppContext } from "../context.ts";
import { invalid } from "../errors.ts";
import { getRuleSet } from "../rule-sets/service.ts";
import { bucketIndex, bucketStarts } from "./buckets.ts";
import { decisionsByHour, hitsByRule } from "./store.ts";

const DAY_MS = 86_400_000;

/**
 * What the decision log counted for rule set `key` in the query's period, by bucket: decisions, outcomes, fires per rule,
 * and the enabled rules of the active version and the draft that never fired. Read from the counts kept as the log is
 * written (tally.ts), never from the log: the cost is the period's hours, not its decisions. The period is widened to
 * whole buckets; more than MAX_STATS_BUCKETS of them is refused (422) before anything is read.
 */
export async function ruleStats(ctx: AppContext, key: string, query: StatsQuery): Promise<RuleStats> {
  const ruleSet = await getRuleSet(ctx, key);
  const to = query.to === undefined ? ctx.now().getTime() : Date.parse(query.to);
  const from = query.from === undefined ? to - DEFAULT_STATS_DAYS * DAY_MS : Date.parse(query.from);
  if (from >= to) throw invalid("the period ends before it starts", [endsBeforeStart(query)]);
  const max = MAX_STATS_BUCKETS[query.bucket];
  const period = bucketStarts(from, to, query.bucket, ctx.businessTimeZone, max);
  if ("tooMany" in period)
    throw invalid(`the period holds more than ${max} buckets of a ${query.bucket}`, [
      fieldProblem(
        "bucket",
        "too_many_buckets",
        { maximum: max, count: period.tooMany, bucket: query.bucket },
        `the period holds ${period.tooMany} buckets of a ${query.bucket}, more than ${max}: shorten it`,
      ),
    ]);
  const { starts, end } = period;
  const fromIso = new Date(starts[0]!).toISOString();
  const toIso = new Date(end).toISOString();
  const [hours, byRule] = await Promise.all([
    decisionsByHour(ctx.db, key, fromIso, toIso),
    hitsByRule(ctx.db, key, fromIso, toIso),
  ]);

  const buckets: StatsBucketCount[] = starts.map((start) => ({
    start: new Date(start).toISOString(),
    total: 0,
    byOutcome: {},
  }));
  const byOutcome: Record<string, number> = {};
  let total = 0;
  for (const { hour, outcome, decisions } of hours) {
    // an hour belongs to the bucket it starts in (a day starting at a half hour takes the hour after it)
    const bucket = buckets[bucketIndex(starts, Date.parse(hour))]!;
    bucket.total += decisions;
    bucket.byOutcome[outcome] = (bucket.byOutcome[outcome] ?? 0) + decisions;
    byOutcome[outcome] = (byOutcome[outcome] ?? 0) + decisions;
    total += decisions;
  }
  return {
    ruleSet: key,
    from: fromIso,
    to: toIso,
    bucket: query.bucket,
    timeZone: ctx.businessTimeZone,
    total,
    byOutcome,
    byRule: Object.fromEntries([...byRule].sort(([a], [b]) => a.localeCompare(b))),
    buckets,
    neverFired: neverFired(ruleSet.active?.rules ?? [], ruleSet.draft.rules, byRule),
  };
}

/** The enabled rules of the active version and of the draft (in the draft's order, then the active's) that never fired. */
function neverFired(
  active: readonly Rule[],
  draft: readonly Rule[],
  fired: ReadonlyMap<string, number>,
): NeverFiredRule[] {
  const inActive = new Set(active.filter((rule) => rule.enabled).map((rule) => rule.name));
  const inDraft = new Set(draft.filter((rule) => rule.enabled).map((rule) => rule.name));
  const seen = new Set<string>();
  const rules: NeverFiredRule[] = [];
  for (const rule of [...draft, ...active]) {
    if (seen.has(rule.name) || !rule.enabled || (fired.get(rule.name) ?? 0) > 0) continue;
    seen.add(rule.name);
    rules.push({
      rule: rule.name,
      title: rule.title ?? null,
      inActive: inActive.has(rule.name),
      inDraft: inDraft.has(rule.name),
    });
  }
  return rules;
}

function endsBeforeStart(query: StatsQuery) {
  return fieldProblem(
    query.to === undefined ? "from" : "to",
    "ends_before_start",
    {},
    query.to === undefined ? "must be earlier than now" : "must be later than from",
  );
}
