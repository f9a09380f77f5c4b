import type SQLite from "better-sqlite3";
import { CompiledQuery, DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, type Insertable, type Selectable } from "kysely";
import type { DecisionLogEntry } from "../../shared/logs.ts";
import type { Db } from "../db/database.ts";
import type { Database } from "../db/schema.ts";

export type DecisionRow = Insertable<Database["decision_log"]>;

/**
 * A stored row as the log answers it. Never throws: a column that is not the JSON it should be (a row written by hand,
 * a disk fault) comes back as its text in `unreadable`, so that one row cannot make a read of the log fail.
 */
export function entryOf(row: Selectable<Database["decision_log"]>): DecisionLogEntry {
  const unreadable: NonNullable<DecisionLogEntry["unreadable"]> = {};
  const facts = jsonColumn(row.facts, (value) => value !== undefined, unreadable, "facts", null);
  const decision = jsonColumn(row.decision, isPlainObject, unreadable, "decision", {}) as Record<string, unknown>;
  const firedRules = jsonColumn(row.fired_rules, isStringArray, unreadable, "firedRules", []) as string[];
  const entry: DecisionLogEntry = {
    decisionId: String(row.decision_id),
    at: String(row.at),
    ruleSet: String(row.rule_set),
    version: Number(row.version),
    keyName: String(row.key_name),
    outcome: String(row.outcome),
    facts,
    decision,
    firedRules,
  };
  if (unreadable.facts !== undefined || unreadable.decision !== undefined || unreadable.firedRules !== undefined) entry.unreadable = unreadable;
  return entry;
}

/** The column's JSON if it parses and has the expected shape; otherwise `fallback`, its text noted in `unreadable`. */
function jsonColumn(
  text: unknown,
  expected: (value: unknown) => boolean,
  unreadable: NonNullable<DecisionLogEntry["unreadable"]>,
  field: keyof NonNullable<DecisionLogEntry["unreadable"]>,
  fallback: unknown,
): unknown {
  const raw = typeof text === "string" ? text : Buffer.isBuffer(text) ? text.toString("utf8") : String(text);
  try {
    const value: unknown = JSON.parse(raw);
    if (expected(value)) return value;
  } catch {
    // not JSON: reported below as the text it is
  }
  unreadable[field] = raw;
  return fallback;
}

const isPlainObject = (value: unknown) => typeof value === "object" && value !== null && !Array.isArray(value);
const isStringArray = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === "string");

/**
 * Records as the writer reads them out of the log's ring (record-ring.ts): one flat array,
 * RECORD_VALUES values a record, in DecisionRecord's field order (decisionId, at, ruleSet,
 * version, keyName, factsJson, decisionJson, firedRulesJson, outcome) — no object per record.
 */
export type RecordValues = (string | number)[];

/** Values per record in RecordValues. */
export const RECORD_VALUES = 9;

/**
 * Rows per INSERT statement of `insertRows`. Measured on the 2-core benchmark machine with the
 * README case, in transactions of 250 to 1 000 rows: ~11 µs a row at 50 to 1 000 rows per
 * statement, ~26 µs at one row per statement (kysely's per-query overhead). 100 keeps each
 * statement at 900 parameters, far below SQLite's limit and PostgreSQL's.
 */
const ROWS_PER_INSERT = 100;

/** What a record that cannot become a row is rejected with: its decision id, and why. */
export type Reject = (error: Error) => void;

const unloggable = (decisionId: unknown, cause: unknown) => new Error(`decision ${String(decisionId)} cannot be logged`, { cause });

/**
 * The rows for the records in `values`. A record that cannot become a row (its time is not a
 * time) is left out and passed to `reject`, so that it does not fail its neighbours.
 */
export function toRows(values: RecordValues, reject: Reject): DecisionRow[] {
  const rows: DecisionRow[] = [];
  for (let i = 0; i < values.length; i += RECORD_VALUES) {
    try {
      rows.push(toRow(values, i));
    } catch (error) {
      reject(unloggable(values[i], error));
    }
  }
  return rows;
}

/**
 * Inserts `rows` in one transaction through kysely: all of them, or none and the error is thrown.
 * The log writes this way on the calling thread only (tests, ":memory:"); its writer thread uses
 * `batchWriter`. A full chunk reuses the statement kysely compiled for the first one (same
 * dialect, same columns), with the new rows' values: building and compiling a 900-parameter
 * insert was a third of the work per row.
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

/**
 * Writes the records in `values` on `sqlite` in one transaction, returns how many rows it
 * committed, and throws (committing none) if the transaction fails. A record that cannot become a
 * row is left out and passed to `reject`.
 *
 * One prepared single-row INSERT of better-sqlite3, run once a row: no row objects, no kysely
 * query per chunk, no promise per statement. Measured with bench/zz-writer.ts (300 000 rows of
 * the README case into a fresh file, fresh strings as the writer thread receives them, 2-core
 * benchmark machine): ~12 µs of the thread's CPU a row against ~16–18 µs for the objects and
 * kysely's 100-row inserts (`insertRows`) on the same connection; prepared 10-row and 100-row
 * statements took ~13.5–15 µs, their values copied into one array first. The writer thread as a
 * whole (receiving the batch included) went from ~15.5 µs to ~11.8 µs a row. About half of what
 * is left is the kernel's: writing the WAL and checkpointing it.
 */
export function batchWriter(sqlite: SQLite.Database): (values: RecordValues, reject: Reject) => number {
  const insert = sqlite.prepare(insertSql());
  return sqlite.transaction((values: RecordValues, reject: Reject): number => {
    let written = 0;
    for (let i = 0; i < values.length; i += RECORD_VALUES) {
      let at: string;
      try {
        at = isoTime(values[i + 1]);
      } catch (error) {
        reject(unloggable(values[i], error));
        continue;
      }
      insert.run(values[i], at, values[i + 2], values[i + 3], values[i + 4], values[i + 5], values[i + 6], values[i + 7], values[i + 8]);
      written++;
    }
    return written;
  });
}

/**
 * The single-row insert into decision_log as kysely compiles it for SQLite, its parameters in
 * `columns` order (checked here, once): the SQL stays kysely's, only its execution is
 * better-sqlite3's own. Compiled without a connection (DummyDriver), as kysely documents for
 * building queries it does not run.
 */
function insertSql(): string {
  const compiler = new Kysely<Database>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });
  // each value names its column, so that the parameters show the order kysely lists them in
  const row = { ...Object.fromEntries(columns.map((column) => [column, column])), version: -1 } as DecisionRow;
  const compiled = compiler.insertInto("decision_log").values(row).compile();
  const expected = columns.map((column) => row[column]);
  if (compiled.parameters.length !== expected.length || compiled.parameters.some((value, index) => value !== expected[index])) {
    throw new Error("the decision log's insert lists its values in another order than kysely compiled them");
  }
  return compiled.sql;
}

/** The SQL kysely compiled for a full chunk, per database (its dialect); every row has the same columns, in `columns` order. */
const fullChunkSql = new WeakMap<Db, string>();

const columns = ["decision_id", "at", "rule_set", "version", "key_name", "facts", "decision", "fired_rules", "outcome"] as const satisfies readonly (keyof DecisionRow)[];

/** A row's values in the order kysely lists its columns: the order of the row's keys, which `toRow` writes as `columns`. */
function valuesOf(row: DecisionRow): unknown[] {
  return columns.map((column) => row[column]);
}

/** The row of the record at `values[i]`; throws if its time is not a time. */
function toRow(values: RecordValues, i: number): DecisionRow {
  return {
    decision_id: values[i] as string,
    at: isoTime(values[i + 1]),
    rule_set: values[i + 2] as string,
    version: values[i + 3] as number,
    key_name: values[i + 4] as string,
    facts: values[i + 5] as string,
    decision: values[i + 6] as string,
    fired_rules: values[i + 7] as string,
    outcome: values[i + 8] as string,
  };
}

/** The second `isoTime` converted last (epoch seconds), and its ISO text up to the milliseconds: "2026-11-20T02:00:00.". */
let isoSecond = Number.NaN;
let isoPrefix = "";

/**
 * `new Date(at).toISOString()`, which throws a RangeError for a time that is not one. Records
 * come in time order, many within the same second, so the text up to the milliseconds is kept
 * from the last conversion: ~0.04 µs a row instead of ~0.35 µs (bench/zz-writer.ts iso). Times
 * that are not whole milliseconds or fall outside years 0000–9999 (other text) take the long way.
 */
function isoTime(at: unknown): string {
  const ms = at as number;
  const second = Math.floor(ms / 1000);
  if (second !== isoSecond || !Number.isInteger(ms)) {
    const text = new Date(ms).toISOString();
    if (Number.isInteger(ms) && text.length === 24) {
      isoSecond = second;
      isoPrefix = text.slice(0, 20);
    }
    return text;
  }
  const milli = ms - second * 1000;
  return isoPrefix + (milli < 10 ? "00" : milli < 100 ? "0" : "") + milli + "Z";
}
