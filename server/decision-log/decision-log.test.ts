import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { dropTestDatabase, onPostgres, testDatabaseUrl } from "../../test/helpers/test-database.ts";
import { connectDatabase, openDatabase, type Db } from "../db/database.ts";
import type { Database } from "../db/schema.ts";
import { DecisionLog, type DecisionLogOptions, type DecisionRecord } from "./decision-log.ts";

/** Every writer thread the log starts, as started: the real Worker, only remembered, so that a test can stop one. */
const started = vi.hoisted(() => [] as Worker[]);
vi.mock("node:worker_threads", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:worker_threads")>();
  class RememberedWorker extends real.Worker {
    constructor(...args: ConstructorParameters<typeof real.Worker>) {
      super(...args);
      started.push(this);
    }
  }
  return { ...real, Worker: RememberedWorker };
});

let dir: string;
/** The log's database: a SQLite file, or a PostgreSQL database of its own in the PostgreSQL pass. */
let file: string;
let db: Db;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "decision-log-"));
  file = await testDatabaseUrl(dir, "log");
  db = await openDatabase(file);
});
afterEach(async () => {
  await db.destroy();
  await dropTestDatabase(file);
  rmSync(dir, { recursive: true, force: true });
});

const factsOf = (n: number) => ({ now: "2026-11-20T10:00:00+08:00", order: { status: "paid", note: "七天无理由" }, n });

const aRecord = (n: number, overrides: Partial<DecisionRecord> = {}): DecisionRecord => ({
  decisionId: `D${String(n).padStart(6, "0")}`,
  at: Date.UTC(2026, 10, 20, 2, 0, 0, n),
  ruleSet: "shipping-fee",
  version: 3,
  keyName: "test",
  // as a client sends it: spaced
  factsJson: JSON.stringify(factsOf(n), null, 1),
  decisionJson: JSON.stringify({ returnShippingPayer: "buyer" }),
  firedRulesJson: JSON.stringify(["no-free-shipping-buyer-pays-all-postage"]),
  outcome: "return:buyer",
  orderId: `E${n}`,
  ...overrides,
});

const loggedIds = async () =>
  (await db.selectFrom("decision_log").select("decision_id").orderBy("decision_id").execute()).map(
    (row) => row.decision_id,
  );

/** The log, writing from a worker thread or on the calling thread; closed after the test. */
const logs: DecisionLog[] = [];
afterEach(async () => {
  await Promise.all(logs.splice(0).map((log) => log.close()));
});
function aLog(mode: "worker" | "inline", options: Partial<DecisionLogOptions> = {}): DecisionLog {
  const log = new DecisionLog(db, {
    maxQueue: 10_000,
    flushEveryMs: 10_000,
    batchSize: 1_000,
    ...(mode === "worker" ? { worker: { databaseUrl: file } } : {}),
    ...options,
  });
  logs.push(log);
  return log;
}

describe.each(["worker", "inline"] as const)("DecisionLog writing %s", (mode) => {
  it("writes every recorded decision with the facts as sent, visible once flushed", async () => {
    const log = aLog(mode, { batchSize: 300 });
    for (let n = 0; n < 1_000; n++) log.record(aRecord(n));
    expect(log.queued).toBe(1_000);
    await log.flush();
    expect(log).toMatchObject({ written: 1_000, queued: 0, dropped: 0, failed: 0 });
    const rows = await db.selectFrom("decision_log").selectAll().orderBy("decision_id").execute();
    expect(rows).toHaveLength(1_000);
    expect(rows[7]).toEqual({
      decision_id: "D000007",
      at: "2026-11-20T02:00:00.007Z",
      rule_set: "shipping-fee",
      version: 3,
      key_name: "test",
      facts: JSON.stringify(factsOf(7), null, 1),
      decision: '{"returnShippingPayer":"buyer"}',
      fired_rules: '["no-free-shipping-buyer-pays-all-postage"]',
      outcome: "return:buyer",
      order_id: "E7",
    });
  });

  it("drops new entries and counts them while the queue is full", async () => {
    const log = aLog(mode, { maxQueue: 100 });
    for (let n = 0; n < 150; n++) log.record(aRecord(n));
    expect(log).toMatchObject({ dropped: 50, queued: 100 });
    await log.close();
    expect(await loggedIds()).toEqual(Array.from({ length: 100 }, (_, n) => aRecord(n).decisionId));
  });

  it("takes entries again once the queue has room, across batches, values in their columns", async () => {
    const log = aLog(mode, { maxQueue: 250, batchSize: 100 });
    for (let n = 0; n < 1_000; n++) log.record(aRecord(n));
    expect(log).toMatchObject({ dropped: 750, queued: 250 });
    await log.flush();
    for (let n = 1_000; n < 1_100; n++) log.record(aRecord(n));
    await log.flush();
    expect(log).toMatchObject({ written: 350, dropped: 750, failed: 0, queued: 0 });
    const ids = await loggedIds();
    expect(ids).toEqual([
      ...Array.from({ length: 250 }, (_, n) => aRecord(n).decisionId),
      ...Array.from({ length: 100 }, (_, n) => aRecord(1_000 + n).decisionId),
    ]);
    const row = await db
      .selectFrom("decision_log")
      .selectAll()
      .where("decision_id", "=", "D001050")
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      at: "2026-11-20T02:00:01.050Z",
      version: 3,
      facts: JSON.stringify(factsOf(1_050), null, 1),
      outcome: "return:buyer",
    });
  });

  it("drops an entry that does not fit in the queue's memory, whatever the count", async () => {
    // 100 records' worth of memory (~200 KB), and facts of ~250 KB, under the per-record limit
    const log = aLog(mode, { maxQueue: 100, maxRecordBytes: 1_000_000 });
    log.record(aRecord(1, { factsJson: JSON.stringify({ note: "x".repeat(250_000) }) }));
    log.record(aRecord(2));
    expect(log).toMatchObject({ dropped: 1, queued: 1 });
    await log.flush();
    expect(await loggedIds()).toEqual(["D000002"]);
  });

  it("keeps recording while a flush is under way", async () => {
    const log = aLog(mode, { batchSize: 300 });
    for (let n = 0; n < 150; n++) log.record(aRecord(n));
    const flushed = log.flush();
    for (let n = 150; n < 200; n++) log.record(aRecord(n));
    await flushed;
    await log.flush();
    expect(await loggedIds()).toEqual(Array.from({ length: 200 }, (_, n) => aRecord(n).decisionId));
    expect(log).toMatchObject({ written: 200, queued: 0 });
  });

  it("stores each time as its ISO 8601 text", async () => {
    const times = [
      Date.UTC(2026, 10, 20, 2, 0, 0, 5),
      Date.UTC(2026, 10, 20, 2, 0, 0, 42),
      Date.UTC(2026, 10, 20, 2, 0, 0, 999),
      Date.UTC(2026, 10, 20, 2, 0, 1, 0),
      Date.UTC(2026, 10, 20, 2, 0, 1, 0) + 0.5,
      Date.UTC(2026, 10, 20, 2, 0, 1, 70),
      -1,
      Date.UTC(10_000, 0, 1, 0, 0, 0, 1),
      Date.UTC(10_000, 0, 1, 0, 0, 0, 2),
    ];
    const log = aLog(mode);
    times.forEach((at, n) => {
      log.record(aRecord(n, { at }));
    });
    await log.flush();
    const rows = await db.selectFrom("decision_log").select("at").orderBy("decision_id").execute();
    expect(rows.map((row) => row.at)).toEqual(times.map((at) => new Date(at).toISOString()));
  });

  it("writes what is left on close, and what is recorded after it", async () => {
    const log = aLog(mode);
    for (let n = 0; n < 10; n++) log.record(aRecord(n));
    await log.close();
    expect(await loggedIds()).toHaveLength(10);
    log.record(aRecord(10));
    await log.flush();
    expect(await loggedIds()).toHaveLength(11);
  });

  it("flushes by itself after the interval", async () => {
    const log = aLog(mode, { flushEveryMs: 5 });
    log.record(aRecord(1));
    // the writer thread starts with the first batch: give it time to load
    await vi.waitFor(async () => expect(await loggedIds()).toEqual(["D000001"]), { timeout: 20_000, interval: 20 });
  });

  it("fails a record that cannot be logged on its own, and reports it", async () => {
    const errors: unknown[] = [];
    const log = aLog(mode, { onError: (error) => errors.push(error) });
    log.record(aRecord(1));
    log.record(aRecord(2, { at: Number.NaN }));
    log.record(aRecord(3));
    await log.flush();
    expect(await loggedIds()).toEqual(["D000001", "D000003"]);
    expect(log).toMatchObject({ written: 2, failed: 1 });
    expect(String(errors[0])).toContain("decision D000002 cannot be logged");
  });

  it("counts the records of a failed transaction and reports the error", async () => {
    const errors: unknown[] = [];
    const log = aLog(mode, { onError: (error) => errors.push(error) });
    log.record(aRecord(1));
    await log.flush();
    log.record(aRecord(1)); // the same decision id twice: the primary key refuses it
    await log.flush();
    expect(log).toMatchObject({ written: 1, failed: 1, queued: 0 });
    expect(String(errors[0])).toMatch(/UNIQUE constraint failed|duplicate key value violates unique constraint/);
  });

  it("writes the neighbours of a record the database refuses for its data, which fails alone", async () => {
    const errors: unknown[] = [];
    const log = aLog(mode, { onError: (error) => errors.push(error) });
    for (let n = 1; n <= 5; n++) log.record(aRecord(n));
    log.record(aRecord(3)); // the same decision id again, in the same transaction: the primary key refuses it
    for (let n = 6; n <= 9; n++) log.record(aRecord(n));
    await log.flush();
    expect(await loggedIds()).toEqual(Array.from({ length: 9 }, (_, i) => aRecord(i + 1).decisionId));
    expect(log).toMatchObject({ written: 9, failed: 1, queued: 0 });
    expect(errors.map(String)).toEqual([
      expect.stringMatching(/UNIQUE constraint failed|duplicate key value violates unique constraint/),
    ]);
  });
});

/**
 * SQLite's transient failure, for real: another connection holds the write lock past the writer's busy_timeout
 * (SQLITE_BUSY). The records stay queued, flush() does not hang on them, and they are written once the lock is free.
 */
// SQLite's lock, held by another connection; PostgreSQL's outage is test/postgres-outage.test.ts (a real server stopped)
describe.runIf(!onPostgres)("DecisionLog while the database does not answer", () => {
  /** A connection that takes the write lock and keeps it until `release`. */
  function holdWriteLock(): { release: () => void } {
    const holder = new SQLite(file);
    holder.pragma("busy_timeout = 5000");
    holder.exec("begin immediate");
    return {
      release: () => {
        holder.exec("rollback");
        holder.close();
      },
    };
  }

  /** The log writing on the calling thread through a connection that gives up waiting for the lock after 50 ms. */
  function impatientLog(options: Partial<DecisionLogOptions> = {}): { log: DecisionLog; close: () => Promise<void> } {
    const sqlite = new SQLite(file);
    sqlite.pragma("busy_timeout = 50");
    const impatient = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    const log = new DecisionLog(impatient, { maxQueue: 100, flushEveryMs: 10_000, batchSize: 1_000, ...options });
    return {
      log,
      close: async () => {
        await log.close();
        await impatient.destroy();
      },
    };
  }

  it("keeps the records queued, reports it once, and writes them when the lock is released (calling thread)", async () => {
    const errors: unknown[] = [];
    const { log, close } = impatientLog({ onError: (error) => errors.push(error) });
    const lock = holdWriteLock();
    try {
      for (let n = 1; n <= 3; n++) log.record(aRecord(n));
      await log.flush();
      expect(log).toMatchObject({ queued: 3, written: 0, failed: 0 });
      expect(log.lastWrite?.databaseAnswered).toBe(false);
      // tried again meanwhile, reported once
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(errors.map(String)).toEqual([
        expect.stringContaining("the database does not answer the decision log: 3 decisions stay queued"),
      ]);
      log.record(aRecord(4));
    } finally {
      lock.release();
    }
    await vi.waitFor(() => expect(log.queued).toBe(0), { timeout: 10_000, interval: 20 });
    expect(await loggedIds()).toEqual(["D000001", "D000002", "D000003", "D000004"]);
    expect(log).toMatchObject({ written: 4, failed: 0, dropped: 0 });
    expect(log.lastWrite?.databaseAnswered).toBe(true);
    await close();
  });

  it("drops new records beyond its budget while it waits, as when the writer is slow", async () => {
    const { log, close } = impatientLog({ maxQueue: 100 });
    const lock = holdWriteLock();
    try {
      for (let n = 0; n < 150; n++) log.record(aRecord(n));
      await log.flush();
      expect(log).toMatchObject({ queued: 100, dropped: 50, failed: 0 });
    } finally {
      lock.release();
    }
    await vi.waitFor(() => expect(log.queued).toBe(0), { timeout: 10_000, interval: 20 });
    expect(await loggedIds()).toHaveLength(100);
    await close();
  });

  it("gives up on close: what the database does not take then is counted as failed, and close returns", async () => {
    const { log, close } = impatientLog();
    const lock = holdWriteLock();
    try {
      for (let n = 1; n <= 3; n++) log.record(aRecord(n));
      await log.flush();
      await close();
      expect(log).toMatchObject({ queued: 0, written: 0, failed: 3 });
    } finally {
      lock.release();
    }
  });

  it("keeps the records queued past the writer thread's busy_timeout, and writes them when the lock is released", async () => {
    const log = aLog("worker");
    const lock = holdWriteLock();
    try {
      for (let n = 1; n <= 3; n++) log.record(aRecord(n));
      // the writer thread waits busy_timeout (5 s) for the lock, then says the database does not answer
      await log.flush();
      expect(log.lastWrite?.databaseAnswered).toBe(false);
      expect(log).toMatchObject({ queued: 3, written: 0, failed: 0 });
    } finally {
      lock.release();
    }
    await log.flush();
    expect(await loggedIds()).toEqual(["D000001", "D000002", "D000003"]);
    expect(log).toMatchObject({ queued: 0, written: 3, failed: 0 });
  }, 30_000);
});

describe("DecisionLog with a writer thread", () => {
  // busy for real only with SQLite's synchronous reads: a PostgreSQL read lets the event loop turn between queries
  it.runIf(!onPostgres)("writes while the main thread is busy", async () => {
    const log = aLog("worker", { batchSize: 500 });
    for (let n = 0; n < 500; n++) log.record(aRecord(n)); // a full batch: handed over at once
    // a connection of this thread's own, read in a loop of promises: no timer and no message from
    // the writer thread is handled until the loop ends, so whatever is written, is written elsewhere
    const reader = connectDatabase(file, "reader");
    const deadline = Date.now() + 20_000;
    let seen = 0;
    while (seen < 500 && Date.now() < deadline) {
      seen = Number(
        (
          await reader
            .selectFrom("decision_log")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    }
    await reader.destroy();
    expect(seen).toBe(500);
    expect(log.written).toBe(0); // the thread's report is still waiting in the event loop
    await log.flush();
    expect(log.written).toBe(500);
  });

  it("starts a new writer thread when one dies, which writes what the dead one left in the queue", async () => {
    const errors: unknown[] = [];
    // no timer comes to the rescue within the test
    const log = aLog("worker", { flushEveryMs: 60_000, onError: (error) => errors.push(error) });
    log.record(aRecord(0));
    await log.flush();
    const first = started.at(-1)!;
    // queued and not yet handed over (the batch is not full, the timer far away) when the thread dies
    for (let n = 1; n <= 300; n++) log.record(aRecord(n));
    await first.terminate();
    await vi.waitFor(() => expect(log.queued).toBe(0), { timeout: 20_000, interval: 20 });
    expect(started.at(-1)).not.toBe(first);
    expect(await loggedIds()).toEqual(Array.from({ length: 301 }, (_, n) => aRecord(n).decisionId));
    expect(log).toMatchObject({ written: 301, failed: 0, dropped: 0 });
    expect(errors.map(String).join("\n")).toContain("the decision log's writer thread stopped");
  });

  // the write-ahead log file is SQLite's; the PostgreSQL pass drops the database, which refuses while a connection is open
  it.runIf(!onPostgres)("closes its connection and its thread on close", async () => {
    const log = aLog("worker");
    log.record(aRecord(1));
    await log.close();
    await db.destroy();
    // SQLite removes the write-ahead log when its last connection closes: the writer's is closed too
    expect(existsSync(`${file}-wal`)).toBe(false);
    db = await openDatabase(file);
    expect(await loggedIds()).toEqual(["D000001"]);
  });

  // a SQLite file that is not there; a PostgreSQL writer that cannot connect keeps the records (the outage test)
  it.runIf(!onPostgres)(
    "writes on the calling thread when the writer thread cannot start, losing nothing",
    async () => {
      const errors: unknown[] = [];
      const log = aLog("worker", {
        worker: { databaseUrl: join(dir, "missing", "log.db") },
        batchSize: 100,
        onError: (error) => errors.push(error),
      });
      for (let n = 0; n < 250; n++) log.record(aRecord(n));
      await log.flush();
      expect(await loggedIds()).toHaveLength(250);
      expect(log).toMatchObject({ written: 250, failed: 0, queued: 0 });
      expect(errors.map(String).join("\n")).toContain("did not start");
      log.record(aRecord(250));
      await log.flush();
      expect(await loggedIds()).toHaveLength(251);
    },
  );

  it.runIf(!onPostgres)("writes on the calling thread for an in-memory database", async () => {
    const memory = await openDatabase(":memory:");
    const log = new DecisionLog(memory, {
      maxQueue: 100,
      flushEveryMs: 10_000,
      batchSize: 100,
      worker: { databaseUrl: ":memory:" },
    });
    log.record(aRecord(1));
    await log.close();
    expect(await memory.selectFrom("decision_log").select("decision_id").execute()).toEqual([
      { decision_id: "D000001" },
    ]);
    await memory.destroy();
  });
});
