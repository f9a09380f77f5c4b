/**
 * The decision log's writer thread (started by DecisionLog through log-writer.mjs): it owns a
 * connection of its own, reads the records from the log's ring of shared memory (record-ring.ts)
 * and inserts them, so that none of that work runs on the thread that answers requests.
 */
import { parentPort, workerData } from "node:worker_threads";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { preparedOnce } from "../db/database.ts";
import type { Database } from "../db/schema.ts";
import { writeRecords } from "./log-rows.ts";
import { RecordRing } from "./record-ring.ts";
import { pruneDecisionLogOverBudget } from "./store.ts";
import { yieldToRequests } from "../worker-priority.ts";

/** The database file to open, and the log's ring (RecordRing.shared). */
export type WriterData = { databaseFile: string; ring: SharedArrayBuffer };

export type ToWriter =
  /** Write what is in the ring. */
  | { type: "write" }
  /** Delete the oldest rows beyond `maxRows`. */
  | { type: "prune"; maxRows: number }
  /** Close the connection and end the thread (after the messages before this one). */
  | { type: "close" };

export type FromWriter =
  | { type: "ready" }
  /** `count` records are out of the ring: `written` of them committed, the others not, for the reasons in `errors`. */
  | { type: "settled"; count: number; written: number; errors: unknown[] }
  /** A prune is over: `count` rows deleted, and what failed. */
  | { type: "pruned"; count: number; errors: unknown[] };

/**
 * Rows per transaction: few enough that a rule change waiting for SQLite's write lock (busy_timeout)
 * does not notice, enough for little work per row and one commit per batch.
 */
const ROWS_PER_TRANSACTION = 500;

yieldToRequests();

const port = parentPort;
if (!port) throw new Error("log-writer.ts runs in a worker thread: DecisionLog starts it");
const { databaseFile, ring: shared } = workerData as WriterData;
const ring = new RecordRing(shared);
// opened here, before "ready": a thread that cannot open the file leaves the ring to the main thread
const sqlite = openConnection(databaseFile);
// through kysely, as the main thread writes: one write path (writeRecords), and the store's pruning
const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: preparedOnce(sqlite) }) });
/** The messages' work, one after the other: writes, prunes, then the close. */
let work: Promise<void> = Promise.resolve();
const then = (next: () => Promise<void> | void) => {
  work = work.then(next);
};

port.on("message", (message: ToWriter) => {
  if (message.type === "close") then(close);
  else if (message.type === "prune") then(() => prune(message.maxRows));
  else then(write);
});
port.postMessage({ type: "ready" } satisfies FromWriter);
// what a thread before this one left in the ring
then(write);

/**
 * Opens the file the main thread has opened and migrated, with openDatabase's settings
 * (server/db/database.ts) but no migrations, and one difference: `synchronous = NORMAL`. In WAL
 * mode that is still safe from corruption; a power cut may lose the last commits. The log's own
 * queue already holds up to a flush interval of decisions in memory, which a crash loses anyway,
 * so waiting for the disk on every commit (FULL) would buy the log no durability it can keep —
 * while rule changes, on the main connection, keep FULL.
 *
 * Nothing else is tuned: the log only appends and its hot pages fit the default cache, and rarer
 * checkpoints would let a power cut lose more commits (with NORMAL the WAL is synced at a checkpoint).
 */
function openConnection(file: string): SQLite.Database {
  const sqlite = new SQLite(file, { fileMustExist: true });
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  return sqlite;
}

/** Writes what is in the ring, a transaction at a time, releasing each part once its transaction is over. */
async function write(): Promise<void> {
  for (;;) {
    const { values, count, next } = ring.read(ROWS_PER_TRANSACTION);
    if (count === 0) return;
    const errors: unknown[] = [];
    let written = 0;
    try {
      written = await writeRecords(db, values, (error) => errors.push(error));
    } catch (error) {
      errors.push(error);
    }
    ring.release(next);
    port!.postMessage({ type: "settled", count, written, errors: errors.map(cloneable) } satisfies FromWriter);
  }
}

/** Deletes the oldest rows beyond `maxRows` and reports how many; a failure is reported, not thrown. */
async function prune(maxRows: number): Promise<void> {
  let count = 0;
  const errors: unknown[] = [];
  try {
    count = await pruneDecisionLogOverBudget(db, maxRows);
  } catch (error) {
    errors.push(error);
  }
  port!.postMessage({ type: "pruned", count, errors: errors.map(cloneable) } satisfies FromWriter);
}

function close(): void {
  sqlite.close();
  port!.close();
}

/** An error as postMessage can carry it: an Error's own extra fields (SQLite's `code`) would not survive cloning. */
function cloneable(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const copy = new Error(error.message + ("code" in error ? ` (${String(error.code)})` : ""));
  copy.stack = error.stack;
  if (error.cause !== undefined) copy.cause = cloneable(error.cause);
  return copy;
}
