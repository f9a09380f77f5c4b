import type { DecisionLogEntry, DecisionLogQuery } from "../../shared/logs.ts";
import { sql } from "kysely";
import type { Db } from "../db/database.ts";
import { entryOf } from "./log-rows.ts";

/** Past decisions matching `query`, newest first; with `within`, only decisions of those rule sets. */
export async function searchDecisionLog(
  db: Db,
  query: Partial<DecisionLogQuery>,
  within: ReadonlySet<string> | null = null,
): Promise<DecisionLogEntry[]> {
  let select = db.selectFrom("decision_log").selectAll();
  if (within !== null)
    select = within.size === 0 ? select.where(sql<boolean>`0 = 1`) : select.where("rule_set", "in", [...within]);
  if (query.decisionId) select = select.where("decision_id", "=", query.decisionId);
  if (query.ruleSet) select = select.where("rule_set", "=", query.ruleSet);
  if (query.outcome)
    select = select.where((eb) =>
      eb.or([
        eb("outcome", "=", query.outcome!),
        sql<boolean>`outcome like ${`${escapeLike(query.outcome!)}:%`} escape '\\'`,
      ]),
    );
  if (query.keyName) select = select.where("key_name", "=", query.keyName);
  if (query.orderId) select = select.where("order_id", "=", query.orderId);
  if (query.from) select = select.where("at", ">=", new Date(query.from).toISOString());
  if (query.to) select = select.where("at", "<=", new Date(query.to).toISOString());
  if (query.before) select = select.where("decision_id", "<", query.before);
  const rows = await select
    .orderBy("decision_id", "desc")
    .limit(query.limit ?? 100)
    .execute();
  return rows.map(entryOf);
}

/**
 * Deletes decisions older than `before`, a batch at a time, oldest first; returns how many. Each batch is a range of the
 * `at` index up to the batch's last time (ties on it go too), found by reading the index alone: no list of ids to send
 * back, and on PostgreSQL the delete is one index range scan. Instances pruning at once are harmless: a row another one
 * deleted first is skipped, not an error, and each counts only what it deleted.
 */
export async function pruneDecisionLog(db: Db, before: Date, batch = 5_000): Promise<number> {
  const cutoff = before.toISOString();
  let total = 0;
  for (;;) {
    const edge = await db
      .selectFrom("decision_log")
      .select("at")
      .where("at", "<", cutoff)
      .orderBy("at")
      .limit(1)
      .offset(batch - 1)
      .executeTakeFirst();
    let prune = db.deleteFrom("decision_log").where("at", "<", cutoff);
    // no edge: fewer than a batch left, all of them go
    if (edge !== undefined) prune = prune.where("at", "<=", edge.at);
    const { numDeletedRows } = await prune.executeTakeFirst();
    total += Number(numDeletedRows);
    if (edge === undefined) return total;
  }
}

/**
 * Deletes the oldest decisions beyond the newest `maxRows`, a batch at a time; returns how many. Oldest by decision id, a
 * ULID that grows with time: the edge is the primary key's entry `maxRows` from the newest, read off the index without
 * touching the rows, in SQL that every dialect speaks.
 */
export async function pruneDecisionLogOverBudget(db: Db, maxRows: number, batch = 5_000): Promise<number> {
  const edge = await db
    .selectFrom("decision_log")
    .select("decision_id")
    .orderBy("decision_id", "desc")
    .limit(1)
    .offset(maxRows)
    .executeTakeFirst();
  if (edge === undefined) return 0;
  let total = 0;
  for (;;) {
    const ids = await db
      .selectFrom("decision_log")
      .select("decision_id")
      .where("decision_id", "<=", edge.decision_id)
      .orderBy("decision_id")
      .limit(batch)
      .execute();
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
