import { CompiledQuery, type Selectable } from "kysely";
import type { DecisionLogEntry } from "../../shared/logs.ts";
import type { Db } from "../db/database.ts";
import type { Database } from "../db/schema.ts";
import { DecisionTally, writeTally } from "../rule-stats/tally.ts";
import { RECORD_COLUMNS, RECORD_FIELDS, RECORD_VALUES, type RecordValues } from "./record-fields.ts";

export { RECORD_VALUES, type RecordValues } from "./record-fields.ts";

/**
 * A stored row as the log answers it. Never throws: a column that is not the JSON it should be (a row written by hand,
 * a disk fault) comes back as its text in `unreadable`, so that one row cannot make a read of the log fail.
 */
export function entryOf(row: Selectable<Database["decision_log"]>): DecisionLogEntry {
  const unreadable: NonNullable<DecisionLogEntry["unreadable"]> = {};
  const entry: Record<string, unknown> = {};
  for (const field of RECORD_FIELDS) {
    const value = row[field.column];
    if ("json" in field)
      entry[field.entry] = jsonColumn(
        value,
        JSON_SHAPES[field.json],
        unreadable,
        field.entry,
        JSON_FALLBACKS[field.json],
      );
    else if (field.kind === "uint32") entry[field.entry] = Number(value);
    else entry[field.entry] = "emptyIsNone" in field && value === "" ? null : String(value);
  }
  if (unreadable.facts !== undefined || unreadable.decision !== undefined || unreadable.firedRules !== undefined)
    entry.unreadable = unreadable;
  return entry as DecisionLogEntry;
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

/** What a JSON field's parsed value must be (RecordField's `json`), and what the entry holds when it is not. */
const JSON_SHAPES = {
  any: (value: unknown) => value !== undefined,
  object: isPlainObject,
  strings: isStringArray,
} as const;
const JSON_FALLBACKS = { any: null, object: {}, strings: [] } as const;

/**
 * Rows per INSERT statement: multi-row statements spread kysely's and the driver's per-statement work over many rows,
 * and on PostgreSQL each statement is a round trip. 500, the writer thread's transaction, makes it one statement a
 * transaction: 4 500 parameters, far below SQLite's limit (32 766) and PostgreSQL's (65 535).
 */
const ROWS_PER_INSERT = 500;

/** What a record that cannot become a row is rejected with: its decision id, and why. */
export type Reject = (error: Error) => void;

const unloggable = (decisionId: unknown, cause: unknown) =>
  new Error(`decision ${String(decisionId)} cannot be logged`, { cause });

/** The index in a record's values of each field stored as a time (ISO text), which the rows convert. */
const TIME_VALUES = Object.freeze(RECORD_FIELDS.flatMap((field, index) => (field.kind === "time" ? [index] : [])));

/**
 * The decision log's one write path, on the writer thread and on the calling thread alike: writes the records in
 * `values` (as the ring gives them back) in one transaction through `db`, returns how many rows it committed, and
 * throws (committing none) if the transaction fails. A record that cannot become a row (its time is not a time) is
 * left out and passed to `reject`, so that it does not fail its neighbours.
 *
 * No row objects: the parameters are the values in RECORD_FIELDS' order, times converted, run with the INSERT kysely
 * compiled for that many rows (`insertSql`). The same transaction adds the rows to the rule analytics' counts
 * (rule-stats/tally.ts), summed per key in memory first, so that the counts agree with what the log committed.
 */
export async function writeRecords(db: Db, values: RecordValues, reject: Reject): Promise<number> {
  const parameters: unknown[] = [];
  const tally = new DecisionTally();
  let rows = 0;
  for (let i = 0; i < values.length; i += RECORD_VALUES) {
    const times: string[] = [];
    try {
      for (const index of TIME_VALUES) times.push(isoTime(values[i + index]));
    } catch (error) {
      reject(unloggable(values[i], error));
      continue;
    }
    for (let field = 0, time = 0; field < RECORD_VALUES; field++) {
      parameters.push(TIME_VALUES[time] === field ? times[time++] : values[i + field]);
    }
    tally.addRecord(values, i);
    rows++;
  }
  if (rows === 0) return 0;
  await db.transaction().execute(async (tx) => {
    for (let row = 0; row < rows; row += ROWS_PER_INSERT) {
      const count = Math.min(ROWS_PER_INSERT, rows - row);
      const chunk = parameters.slice(row * RECORD_VALUES, (row + count) * RECORD_VALUES);
      await tx.executeQuery(CompiledQuery.raw(insertSql(db, count), chunk));
    }
    await writeTally(tx, tally);
  });
  return rows;
}

/** The INSERTs kysely compiled, per database (its dialect) and number of rows. */
const compiledInserts = new WeakMap<Db, Map<number, string>>();

/**
 * The INSERT of `rows` rows into decision_log as kysely compiles it for `db`'s dialect, its parameters in
 * RECORD_COLUMNS' order a row (checked here, once per size): compiled without being run, then run with each batch's
 * values.
 */
function insertSql(db: Db, rows: number): string {
  let bySize = compiledInserts.get(db);
  if (bySize === undefined) {
    bySize = new Map();
    compiledInserts.set(db, bySize);
  }
  let sql = bySize.get(rows);
  if (sql !== undefined) return sql;
  // each value names its row and column, so that the parameters show the order kysely lists them in
  const placeholders = Array.from({ length: rows }, (_, row) =>
    Object.fromEntries(RECORD_COLUMNS.map((column) => [column, `${row}:${column}`])),
  );
  const compiled = db
    .insertInto("decision_log")
    .values(placeholders as never)
    .compile();
  const expected = placeholders.flatMap((row) => RECORD_COLUMNS.map((column) => row[column]));
  if (
    compiled.parameters.length !== expected.length ||
    compiled.parameters.some((value, index) => value !== expected[index])
  ) {
    throw new Error("the decision log's insert lists its values in another order than kysely compiled them");
  }
  sql = compiled.sql;
  bySize.set(rows, sql);
  return sql;
}

/** The second `isoTime` converted last (epoch seconds), and its ISO text up to the milliseconds: "2026-11-20T02:00:00.". */
let isoSecond = Number.NaN;
let isoPrefix = "";

/**
 * `new Date(at).toISOString()`, which throws a RangeError for a time that is not one. Records
 * come in time order, many within the same second, so the text up to the milliseconds is kept
 * from the last conversion rather than converted again for each row. Times that are not whole
 * milliseconds or fall outside years 0000–9999 (other text) take the long way.
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
  return `${isoPrefix}${milli < 10 ? "00" : milli < 100 ? "0" : ""}${milli}Z`;
}
