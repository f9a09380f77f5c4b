import type { DecisionLogEntry, DecisionLogQuery } from "../../shared/logs.ts";
import { sql } from "kysely";
import type { Db } from "../db/database.ts";

export async function searchDecisionLog(db: Db, query: Partial<DecisionLogQuery>): Promise<DecisionLogEntry[]> {
  let select = db.selectFrom("decision_log").selectAll();
  if (query.decisionId) select = select.where("decision_id", "=", query.decisionId);
  if (query.ruleSet) select = select.where("rule_set", "=", query.ruleSet);
  if (query.outcome) select = select.where((eb) => eb.or([eb("outcome", "=", query.outcome!), sql<boolean>`outcome like ${`${escapeLike(query.outcome!)}:%`} escape '\\'`]));
  if (query.keyName) select = select.where("key_name", "=", query.keyName);
  if (query.from) select = select.where("at", ">=", new Date(query.from).toISOString());
  if (query.to) select = select.where("at", "<=", new Date(query.to).toISOString());
  if (query.before) select = select.where("decision_id", "<", query.before);
  const rows = await select.orderBy("decision_id", "desc").limit(query.limit ?? 100).execute();
  return rows.map((row) => ({
    decisionId: row.decision_id,
    at: row.at,
    ruleSet: row.rule_set,
    version: Number(row.version),
    keyName: row.key_name,
    outcome: row.outcome,
    facts: JSON.parse(row.facts) as unknown,
    decision: JSON.parse(row.decision) as Record<string, unknown>,
    firedRules: JSON.parse(row.fired_rules) as string[],
  }));
}

/** Deletes decisions older than `before`, a batch at a time; returns how many. */
export async function pruneDecisionLog(db: Db, before: Date, batch = 5_000): Promise<number> {
  let total = 0;
  for (;;) {
    const ids = await db.selectFrom("decision_log").select("decision_id").where("at", "<", before.toISOString()).limit(batch).execute();
    if (ids.length === 0) return total;
    await db
      .deleteFrom("decision_log")
      .where(
        "decision_id",
        "in",
        ids.map((r) => r.decision_id),
      )
      .execute();
    total += ids.length;
  }
}

/** `%` and `_` are wildcards in LIKE: a caller's outcome is matched literally. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
