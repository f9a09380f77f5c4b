import { CompiledQuery, type Insertable } from "kysely";
import type { Db } from "../db/database.ts";
import type { Database } from "../db/schema.ts";
import type { DecisionRecord } from "./decision-log.ts";

export type DecisionRow = Insertable<Database["decision_log"]>;

/**
 * Rows per INSERT statement. Measured on the 2-core benchmark machine with the README case, in
 * transactions of 250 to 1 000 rows: ~11 µs a row at 50 to 1 000 rows per statement, ~26 µs at
 * one row per statement (kysely's per-query overhead). 100 keeps each statement at 900
 * parameters, far below SQLite's limit and PostgreSQL's.
 */
const ROWS_PER_INSERT = 100;

/**
 * The rows for `records`. A record that cannot become a row (its time is not a time) is left out and passed to `reject`, so that it does not fail its neighbours.
 */
export function toRows(records: readonly DecisionRecord[], reject: (record: DecisionRecord, error: unknown) => void): DecisionRow[] {
  const rows: DecisionRow[] = [];
  for (const record of records) {
    try {
      rows.push(toRow(record));
    } catch (error) {
      reject(record, error);
    }
  }
  return rows;
}

/**
 * Inserts `rows` in one transaction: all of them, or none and the error is thrown. A full chunk
 * reuses the statement kysely compiled for the first one (same dialect, same columns), with the
 * new rows' values: building and compiling a 900-parameter insert was a third of the writer's
 * work per row.
 */
export async function insertRows(db: Db, rows: readonly DecisionRow[]): Promise<void> {
  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      const chunk = rows.slice(i, i + ROWS_PER_INSERT);
      if (chunk.length < ROWS_PER_INSERT) {
        await tx.insertInto("decision_log").values(chunk).execute();
        continue;
      }
      const values = chunk.flatMap(valuesOf);
      let sql = fullChunkSql.get(db);
      if (sql === undefined) {
        const compiled = tx.insertInto("decision_log").values(chunk).compile();
        // the values must line up with kysely's own: checked once, on the chunk it compiled
        if (compiled.parameters.length !== values.length || compiled.parameters.some((value, index) => value !== values[index])) {
          throw new Error("the decision log's insert lists its values in another order than kysely compiled them");
        }
        sql = compiled.sql;
        fullChunkSql.set(db, sql);
      }
      await tx.executeQuery(CompiledQuery.raw(sql, values));
    }
  });
}

/** The SQL kysely compiled for a full chunk, per database (its dialect); every row has the same columns, in `columns` order. */
const fullChunkSql = new WeakMap<Db, string>();

const columns = ["decision_id", "at", "rule_set", "version", "key_name", "facts", "decision", "fired_rules", "outcome"] as const satisfies readonly (keyof DecisionRow)[];

/** A row's values in the order kysely lists its columns: the order of the row's keys, which `toRow` writes as `columns`. */
function valuesOf(row: DecisionRow): unknown[] {
  return columns.map((column) => row[column]);
}

function toRow(record: DecisionRecord): DecisionRow {
  return {
    decision_id: record.decisionId,
    at: new Date(record.at).toISOString(),
    rule_set: record.ruleSet,
    version: record.version,
    key_name: record.keyName,
    facts: record.factsJson,
    decision: record.decisionJson,
    fired_rules: record.firedRulesJson,
    outcome: record.outcome,
  };
}
