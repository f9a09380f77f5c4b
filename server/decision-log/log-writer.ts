/**
 * The decision log's writer thread (started by DecisionLog through log-writer.mjs): it owns a
 * connection of its own, reads the records from the log's ring of shared memory (record-ring.ts)
 * and inserts them, so that none of that work runs on the thread that answers requests.
 */
import { parentPort, workerData } from "node:worker_threads";
import { connectDatabase } from "../db/database.ts";
import { drainRing, RetryPause } from "./drain-ring.ts";
import { RecordRing } from "./record-ring.ts";
import { pruneDecisionLogOverBudget } from "./store.ts";
import { yieldToRequests } from "../worker-priority.ts";

/** The database to connect to (`DATABASE_URL`), and the log's ring (RecordRing.shared). */
export type WriterData = { databaseUrl: string; ring: SharedArrayBuffer };

export type ToWriter =
  /** Write what is in the ring. */
  | { type: "write" }
  /** Delete the oldest rows beyond `maxRows`. */
  | { type: "prune"; maxRows: number }
  /** The log is closing: a write the database does not answer is not tried again (handled at once, not in turn). */
  | { type: "closing" }
  /** Close the connection and end the thread (after the messages before this one). */
  | { type: "close" };

export type FromWriter =
  | { type: "ready" }
  /**
   * `count` records are out of the ring: `written` of them committed, the others not, for the reasons in `errors`;
   * `databaseAnswered` false when the database did not answer (the log was closing).
   */
  | { type: "settled"; count: number; written: number; errors: unknown[]; databaseAnswered: boolean; atMs: number }
  /** The database did not answer at `atMs` (Date.now()): the records stay in the ring, tried again in `retryInMs`. */
  | { type: "unreachable"; error: unknown; retryInMs: number; atMs: number }
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
const { databaseUrl, ring: shared } = workerData as WriterData;
const ring = new RecordRing(shared);
/**
 * Connected here, before "ready": a thread that cannot open a SQLite file leaves the ring to the main thread. Through
 * kysely, as the main thread writes: one write path (writeRecords), and the store's pruning. The database is the one the
 * main thread opened and migrated, with one difference on SQLite: `synchronous = NORMAL` (connectDatabase's
 * "log-writer"). In WAL mode that is still safe from corruption; a power cut may lose the last commits, as a crash loses
 * the queue's flush interval anyway, while rule changes on the main connection keep FULL.
 */
const db = connectDatabase(databaseUrl, "log-writer");
/** The messages' work, one after the other: writes, prunes, then the close. */
let work: Promise<void> = Promise.resolve();
const then = (next: () => Promise<void> | void) => {
  work = work.then(next);
};

/** Cut short when the log closes, so that a write waiting for the database does not hold the close back. */
const pause = new RetryPause();

port.on("message", (message: ToWriter) => {
  if (message.type === "closing") pause.stop();
  else if (message.type === "close") then(close);
  else if (message.type === "prune") then(() => prune(message.maxRows));
  else then(write);
});
port.postMessage({ type: "ready" } satisfies FromWriter);
// what a thread before this one left in the ring
then(write);

/** Writes what is in the ring, a transaction at a time, releasing each part once its transaction is over. */
function write(): Promise<void> {
  return drainRing(ring, db, ROWS_PER_TRANSACTION, pause, {
    settled: (count, written, errors, databaseAnswered) =>
      port!.postMessage({
        type: "settled",
        count,
        written,
        errors: errors.map(cloneable),
        databaseAnswered,
        atMs: Date.now(),
      } satisfies FromWriter),
    unreachable: (error, retryInMs) =>
      port!.postMessage({
        type: "unreachable",
        error: cloneable(error),
        retryInMs,
        atMs: Date.now(),
      } satisfies FromWriter),
  });
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

async function close(): Promise<void> {
  await db.destroy();
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
