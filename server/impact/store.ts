import type { Db } from "../db/database.ts";
import type { LoggedDecision } from "./replay.ts";

/** A rule set's logged decisions in a period (ISO 8601 bounds, both included). */
export type LoggedPeriod = { ruleSet: string; from: string; to: string };

/** Where the previous page ended: the last record's time and id. */
export type PageEnd = { at: string; decisionId: string };

/** How many logged decisions the period holds, counting `limit` at most (the rest would not be replayed). */
export async function countLoggedDecisions(db: Db, period: LoggedPeriod, limit: number): Promise<number> {
  const row = await db
    .selectFrom(
      db
        .selectFrom("decision_log")
        .select("decision_id")
        .where("rule_set", "=", period.ruleSet)
        .where("at", ">=", period.from)
        .where("at", "<=", period.to)
        .limit(limit)
        .as("period"),
    )
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * The next `size` logged decisions of the period after `end`, newest first, by keyset on (at, decision_id): each page
 * is a range read of the (rule_set, at) index, ties on `at` sorted by id as they come, never an OFFSET over the pages
 * already read nor the whole period in memory.
 */
export async function loggedDecisionsPage(
  db: Db,
  period: LoggedPeriod,
  end: PageEnd | null,
  size: number,
): Promise<LoggedDecision[]> {
  let select = db
    .selectFrom("decision_log")
    .select(["decision_id as decisionId", "at", "facts", "decision", "fired_rules as firedRules"])
    .where("rule_set", "=", period.ruleSet)
    .where("at", ">=", period.from)
    // one upper bound on `at`, the tighter: SQLite bounds the index range by one plain comparison, not by the row value
    // below, and without it every page would walk the index down past all the rows read before
    .where("at", "<=", end === null ? period.to : end.at);
  if (end !== null)
    select = select.where((eb) => eb(eb.refTuple("at", "decision_id"), "<", eb.tuple(end.at, end.decisionId)));
  return select.orderBy("at", "desc").orderBy("decision_id", "desc").limit(size).execute();
}
