/**
 * What the rule analytics' counts cost the decision log's write path (`npx tsx bench/decision-stats.ts`): real
 * decisions of refund-eligibility (bench/cases.ts' mix, decided by the shipped rules) written through `writeRecords` in
 * transactions of 500, as the writer thread does, on a fresh SQLite file with the writer's settings. Prints the rows
 * per second of wall clock and of CPU time, the median of five runs of 100 000 (each on a fresh file), and how many rows the counts' tables hold.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { bootstrapDatabase } from "../server/bootstrap.ts";
import { openDatabase } from "../server/db/database.ts";
import { decidedRecords, recordBatches, writeBatches } from "./log-records.ts";
import { median } from "./measure.ts";

const RECORDS = 100_000;
const RUNS = 5;
/** Decisions a second in the generated log: 100 000 of them span a little under three hours. */
const SPACING_MS = 100;

const start = new Date("2026-11-20T00:00:00Z");

/** A fresh database file, migrated and seeded, with the writer thread's `synchronous`. */
async function freshDatabase(dir: string) {
  const db = await openDatabase(join(dir, "bench.db"));
  await sql`pragma synchronous = NORMAL`.execute(db);
  await bootstrapDatabase(db, { rulesDir: "rules", now: start });
  return db;
}

let dir = mkdtempSync(join(tmpdir(), "decision-stats-bench-"));
let db = await freshDatabase(dir);
const records = await decidedRecords(db, 2_000);

const rates: number[] = [];
/** Rows per second of this process' CPU time: steadier than the wall clock on a machine others share. */
const cpuRates: number[] = [];
for (let run = 0; run < RUNS; run++) {
  // each run on a file of its own, so that a run does not pay for the rows of the ones before
  if (run > 0) {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(join(tmpdir(), "decision-stats-bench-"));
    db = await freshDatabase(dir);
  }
  const batches = recordBatches(records, {
    total: RECORDS,
    idPrefix: String(run),
    firstAt: start.getTime() + run * RECORDS * SPACING_MS,
    spacingMs: SPACING_MS,
  });
  const began = performance.now();
  const cpu = process.cpuUsage();
  await writeBatches(db, batches);
  rates.push(RECORDS / ((performance.now() - began) / 1000));
  const used = process.cpuUsage(cpu);
  cpuRates.push(RECORDS / ((used.user + used.system) / 1e6));
}
const counts = await sql<{ decisions: number; hits: number }>`select
  (select count(*) from decision_stats) as decisions, (select count(*) from rule_hit_stats) as hits`
  .execute(db)
  .catch(() => ({ rows: [{ decisions: 0, hits: 0 }] }));
console.log(
  `decision log writes: ${Math.round(median(rates))} rows/s, ${Math.round(median(cpuRates))} rows per CPU second ` +
    `(medians of ${RUNS} × ${RECORDS}; runs: ${rates.map(Math.round).join(", ")}); ` +
    `counts' rows: ${JSON.stringify(counts.rows[0])}`,
);
await db.destroy();
rmSync(dir, { recursive: true, force: true });
