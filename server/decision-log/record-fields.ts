import type { DecisionLogEntry } from "../../shared/logs.ts";

/**
 * The decision log's record, declared once. Its order is the order of everything packed by position: the values the
 * ring gives back (RecordValues), the strings in the ring, the columns and parameters of the INSERT. The ring's encoder
 * and decoder (record-ring.ts), the decision_log table's type (db/schema.ts), the insert and the row → entry mapping
 * (log-rows.ts) are derived from it, so that the compiler keeps them in step.
 *
 * - `property`: the DecisionRecord field the decision path fills.
 * - `column`: the decision_log column it is stored in.
 * - `entry`: the DecisionLogEntry field the log answers it as.
 * - `kind`: `string` (UTF-16 in the ring, text in its column), `uint32`, or `time` (epoch milliseconds as a float64 in
 *   the ring, ISO 8601 text in its column, so that the SQL stays portable).
 * - `emptyIsNone`: '' in the ring and the column, null in the entry (an optional value, such as the case's order id).
 * - `json`: the field is JSON text, answered parsed when it has this shape (`any`, `object`, `strings`: an array of
 *   strings), or else as its text in the entry's `unreadable`.
 */
export const RECORD_FIELDS = [
  { property: "decisionId", column: "decision_id", entry: "decisionId", kind: "string" },
  { property: "at", column: "at", entry: "at", kind: "time" },
  { property: "ruleSet", column: "rule_set", entry: "ruleSet", kind: "string" },
  { property: "version", column: "version", entry: "version", kind: "uint32" },
  { property: "keyName", column: "key_name", entry: "keyName", kind: "string" },
  { property: "factsJson", column: "facts", entry: "facts", kind: "string", json: "any" },
  { property: "decisionJson", column: "decision", entry: "decision", kind: "string", json: "object" },
  { property: "firedRulesJson", column: "fired_rules", entry: "firedRules", kind: "string", json: "strings" },
  { property: "outcome", column: "outcome", entry: "outcome", kind: "string" },
  { property: "orderId", column: "order_id", entry: "orderId", kind: "string", emptyIsNone: true },
] as const satisfies readonly RecordField[];

export type RecordField = {
  readonly property: string;
  readonly column: string;
  readonly entry: keyof DecisionLogEntry;
  readonly kind: "string" | "uint32" | "time";
  readonly json?: "any" | "object" | "strings";
  /** The empty string stands for "none" in the ring and the column, and the entry answers it as null. */
  readonly emptyIsNone?: true;
};

type Field = (typeof RECORD_FIELDS)[number];

/**
 * One decision as logged: what was asked, what was answered, and by which version. Strings and numbers only, so that it
 * is cheap to build on the decision path and to write into the log's queue (record-ring.ts). `at` is when it was
 * decided (epoch ms); `factsJson` the case as decided (canonical JSON of the facts as parsed from the request);
 * `decisionJson` and `firedRulesJson` the answer as JSON; `outcome` its summary (`outcomeOf`); `orderId` the case's `order.id`, or ''.
 */
export type DecisionRecord = { [F in Field as F["property"]]: F["kind"] extends "string" ? string : number };

/** A decision_log row as stored: times as ISO 8601 text, JSON as text. */
export type DecisionLogColumns = { [F in Field as F["column"]]: F["kind"] extends "uint32" ? number : string };

/**
 * Records as the ring gives them back: one flat array, RECORD_VALUES values a record in RECORD_FIELDS' order, no object
 * per record.
 */
export type RecordValues = (string | number)[];

/** Values per record in RecordValues. */
export const RECORD_VALUES = RECORD_FIELDS.length;

/** The decision_log columns, in RECORD_FIELDS' order. */
export const RECORD_COLUMNS = RECORD_FIELDS.map((field) => field.column) as readonly Field["column"][];

// the table names every field of the entry the log answers, and nothing else
type EntryFields = Exclude<keyof DecisionLogEntry, "unreadable">;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
true satisfies Same<Field["entry"], EntryFields>;
