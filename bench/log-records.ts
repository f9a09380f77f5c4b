/**
 * Decision-log records as the service logs them, for measuring the log's write path on its own (bench/decision-stats.ts,
 * bench/postgres.ts): real decisions of refund-eligibility (bench/cases.ts' mix, decided by the shipped rules), packed
 * by position in the batches the writer thread hands to `writeRecords`.
 */
import { TEST_PERIODS } from "../test/helpers/periods.ts";
import { loadRegistry } from "../server/bootstrap.ts";
import type { Db } from "../server/db/database.ts";
import { outcomeOf } from "../server/decision-log/decision-log.ts";
import { writeRecords } from "../server/decision-log/log-rows.ts";
import { type DecisionRecord, RECORD_FIELDS, type RecordValues } from "../server/decision-log/record-fields.ts";
import { caseMix, nowOf } from "./cases.ts";

/** Rows per transaction, as the writer thread writes them (server/decision-log/log-writer.ts). */
export const ROWS_PER_TRANSACTION = 500;

/** `count` distinct decisions of refund-eligibility by the version active in `db` (migrated and seeded), ids and times left blank. */
export async function decidedRecords(db: Db, count: number): Promise<DecisionRecord[]> {
  const decider = (await loadRegistry(db)).active("refund-eligibility");
  if (!decider) throw new Error("refund-eligibility has no active version to decide the records with");
  return caseMix("refund-eligibility", count).map((facts, i) => {
    const decided = decider.decide(facts, { trace: false, nowMs: nowOf(facts), periods: TEST_PERIODS });
    return {
      decisionId: "",
      at: 0,
      ruleSet: "refund-eligibility",
      version: decider.version,
      keyName: "bench",
      factsJson: JSON.stringify(facts),
      decisionJson: JSON.stringify(decided.decision),
      firedRulesJson: JSON.stringify(decided.firedRules),
      outcome: outcomeOf("refund-eligibility", decided.decision),
      orderId: `order-${i}`,
    };
  });
}

/**
 * `total` records cycling through `records`, in batches of ROWS_PER_TRANSACTION packed as the ring gives them back: ids
 * `<idPrefix>-<n>`, times from `firstAt` (ms) `spacingMs` apart. Built before the clock starts, so that packing is not timed.
 */
export function recordBatches(
  records: readonly DecisionRecord[],
  options: { total: number; idPrefix: string; firstAt: number; spacingMs: number },
): RecordValues[] {
  const batches: RecordValues[] = [];
  for (let first = 0; first < options.total; first += ROWS_PER_TRANSACTION) {
    const values: RecordValues = [];
    for (let i = first; i < Math.min(first + ROWS_PER_TRANSACTION, options.total); i++) {
      const record = {
        ...records[i % records.length]!,
        decisionId: `${options.idPrefix}-${String(i).padStart(8, "0")}`,
        at: options.firstAt + i * options.spacingMs,
      };
      for (const field of RECORD_FIELDS) values.push(record[field.property]);
    }
    batches.push(values);
  }
  return batches;
}

/** Writes the batches one transaction each through `writeRecords`, in turn as the writer thread does; returns the rows written. */
export async function writeBatches(db: Db, batches: readonly RecordValues[]): Promise<number> {
  let rows = 0;
  for (const values of batches)
    rows += await writeRecords(db, values, (error) => {
      throw error;
    });
  return rows;
}
