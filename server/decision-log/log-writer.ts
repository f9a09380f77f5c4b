/**
 * The decision log's writer thread (started by DecisionLog through log-writer.mjs): it owns a
 * connection of its own, turns the records it is sent into rows and inserts them, so that none
 * of that work runs on the thread that answers requests.
 */
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import type { Db } from "../db/database.ts";
import type { Database } from "../db/schema.ts";
import type { DecisionRecord } from "./decision-log.ts";
import { insertRows, toRows } from "./log-rows.ts";

export type WriterData = { databaseFile: string };

export type ToWriter = { type: "write"; seq: number; records: DecisionRecord[] } | { type: "close" };

export type FromWriter =
  | { type: "ready" }
  /** Batch `seq` is settled: `written` of its records committed, the others not, for the reasons in `errors`. */
  | { type: "settled"; seq: number; written: number; errors: unknown[] };

/**
 * Rows per transaction. Each holds SQLite's write lock, which a write on the main thread waits for
 * (busy_timeout, sleeping 1, 2, 5, 10… ms between tries): 100 rows hold it ~1.3 ms on the
 * benchmark machine, 500 rows (main.ts's batch) a few ms — a wait a rule change does not notice —
 * for less work per row and one commit per batch.
 */
const ROWS_PER_TRANSACTION = 500;

yieldToRequests();

const port = parentPort;
if (!port) throw new Error("log-writer.ts runs in a worker thread: DecisionLog starts it");
const { databaseFile } = workerData as WriterData;
const db = openConnection(databaseFile);

// one message at a time, in order: the main thread reads the settled messages as a sequence
let chain = Promise.resolve();
port.on("message", (message: ToWriter) => {
  chain = chain.then(() => (message.type === "close" ? close() : write(message.seq, message.records)));
});
port.postMessage({ type: "ready" } satisfies FromWriter);

/**
 * Opens the file the main thread has opened and migrated, with openDatabase's settings
 * (server/db/database.ts) but no migrations, and one difference: `synchronous = NORMAL`. In WAL
 * mode that is still safe from corruption; a power cut may lose the last commits. The log's own
 * queue already holds up to a flush interval of decisions in memory, which a crash loses anyway,
 * so waiting for the disk on every commit (FULL) would buy the log no durability it can keep —
 * while rule changes, on the main connection, keep FULL.
 */
function openConnection(file: string): Db {
  const sqlite = new SQLite(file, { fileMustExist: true });
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

async function write(seq: number, records: DecisionRecord[]): Promise<void> {
  const errors: unknown[] = [];
  const rows = toRows(records, (record, error) => errors.push(new Error(`decision ${record.decisionId} cannot be logged`, { cause: error })));
  let written = 0;
  for (let i = 0; i < rows.length; i += ROWS_PER_TRANSACTION) {
    const slice = rows.slice(i, i + ROWS_PER_TRANSACTION);
    try {
      await insertRows(db, slice);
      written += slice.length;
    } catch (error) {
      errors.push(error);
    }
  }
  port!.postMessage({ type: "settled", seq, written, errors: errors.map(cloneable) } satisfies FromWriter);
}

async function close(): Promise<void> {
  await db.destroy();
  port!.close();
}

/**
 * Lowers this thread's scheduling priority (nice 10) where the OS allows a thread its own (Linux):
 * when the cores are busy, answering decisions goes first and the log catches up after — its
 * bounded queue is there for that. Elsewhere, or without the rights, the thread keeps the default.
 */
function yieldToRequests(): void {
  try {
    // "/proc/thread-self" names this thread: <pid>/task/<tid>; setpriority on a tid sets that thread's nice value
    const tid = Number(readlinkSync("/proc/thread-self").split("/").at(-1));
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 10);
  } catch {
    // not Linux, or not allowed: the default priority is correct, only less polite
  }
}

/** An error as postMessage can carry it: an Error's own extra fields (SQLite's `code`) would not survive cloning. */
function cloneable(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const copy = new Error(error.message + ("code" in error ? ` (${String(error.code)})` : ""));
  copy.stack = error.stack;
  if (error.cause !== undefined) copy.cause = cloneable(error.cause);
  return copy;
}
