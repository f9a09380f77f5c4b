import type { Db } from "../db/database.ts";

/**
 * Decisions of `ruleSet` per hour and outcome in [from, to) (ISO 8601 UTC; an hour is in when it starts in the period),
 * every version summed.
 */
export async function decisionsByHour(
  db: Db,
  ruleSet: string,
  from: string,
  to: string,
): Promise<{ hour: string; outcome: string; decisions: number }[]> {
  const rows = await db
    .selectFrom("decision_stats")
    .select(["hour", "outcome", (eb) => eb.fn.sum<number | string>("decisions").as("decisions")])
    .where("rule_set", "=", ruleSet)
    .where("hour", ">=", from)
    .where("hour", "<", to)
    .groupBy(["hour", "outcome"])
    .execute();
  // PostgreSQL's sum of integers is a bigint, which its driver answers as text
  return rows.map((row) => ({ hour: row.hour, outcome: row.outcome, decisions: Number(row.decisions) }));
}

/** Times each rule of `ruleSet` fired in the hours that start in [from, to), every version summed. */
export async function hitsByRule(db: Db, ruleSet: string, from: string, to: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("rule_hit_stats")
    .select(["rule", (eb) => eb.fn.sum<number | string>("hits").as("hits")])
    .where("rule_set", "=", ruleSet)
    .where("hour", ">=", from)
    .where("hour", "<", to)
    .groupBy("rule")
    .execute();
  return new Map(rows.map((row) => [row.rule, Number(row.hits)]));
}
