import { Worker } from "node:worker_threads";
import { isRuleSetKind, ruleSetKinds } from "../../shared/kinds/index.ts";
import type { Db } from "../db/database.ts";
import { drainRing, RetryPause } from "./drain-ring.ts";
import type { FromWriter, ToWriter, WriterData } from "./log-writer.ts";
import type { DecisionRecord } from "./record-fields.ts";
import { RecordRing, recordChars } from "./record-ring.ts";
import { pruneDecisionLogOverBudget } from "./store.ts";

export type { DecisionRecord } from "./record-fields.ts";

export type DecisionLogOptions = {
  /**
   * Records waiting to be written; when that many wait, new ones are dropped and counted in `dropped`. The queue's
   * shared memory is sized from it: RING_BYTES_PER_RECORD a record.
   */
  maxQueue: number;
  /** How long a record may wait in the queue before it is handed to the writer. */
  flushEveryMs: number;
  /**
   * Records after which the writer is told to write without waiting for the timer. (It writes up to
   * 500 rows a transaction, a hundred on the calling thread, whatever this is.)
   */
  batchSize: number;
  /**
   * Write from a worker thread with a connection of its own to this database (a `DATABASE_URL`: a SQLite file or
   * `postgres://…`), which the main thread has opened and migrated. Without it, or for ":memory:" (which another
   * connection cannot see), the log writes on the calling thread: fine for tests, but the time is the decisions' thread's.
   */
  worker?: { databaseUrl: string };
  /**
   * Called with every write failure; the records concerned are counted in `failed`. While the database does not answer
   * the records stay queued instead, and this is called once, when it first does not.
   */
  onError?: (error: unknown) => void;
  /**
   * A record whose strings take more than this many bytes in the queue (UTF-16: two a code unit) is kept with its facts
   * replaced by OMITTED_FACTS, and counted in `oversized`. Default 64 KiB.
   */
  maxRecordBytes?: number;
  /**
   * Rows the log keeps at most: the oldest beyond it are deleted (`pruneOverBudget`, also run after every tenth of it
   * written) and counted in `prunedOverBudget`. None by default.
   */
  maxRows?: number;
};

/** The facts of a record over `maxRecordBytes`, as stored instead: what was left out and why, as JSON. */
export const OMITTED_FACTS =
  '{"$omitted":"the facts were larger than the decision log keeps for one decision (DECISION_LOG_MAX_RECORD_BYTES)"}';

/** A short, searchable summary of a decision: the field a person filters by first, written by the kind's module. */
export function outcomeOf(ruleSet: string, decision: Record<string, unknown>): string {
  return isRuleSetKind(ruleSet) ? ruleSetKinds[ruleSet].outcome.write(decision) : "";
}

/**
 * Queue bytes per record of `maxQueue`: a README case takes ~1.9 KB in the ring (UTF-16), most decisions less; bigger
 * facts fill the ring before the count does, and are then dropped the same way.
 */
const RING_BYTES_PER_RECORD = 2_048;
/** Crashes of the writer thread in a row (no record written between them) after which the log stops restarting it and writes on the calling thread. */
const MAX_WRITER_CRASHES = 3;
/** Rows written on the calling thread before it yields to the event loop, so that requests wait a short slice at most. */
const INLINE_ROWS = 100;
/** How long close() waits for the writer thread to finish before terminating it. */
const WRITER_CLOSE_MS = 5_000;

/**
 * The decision log, kept off the decision path. `record` writes the record into a ring of shared memory
 * (record-ring.ts) and returns; a writer thread with its own connection reads the ring and inserts the records, one
 * transaction per few hundred rows, when a batch has gathered or the flush interval has passed. Without a writer
 * thread (":memory:", or one that cannot start or keeps crashing) the calling thread does the same between requests.
 *
 * Bounded: when `maxQueue` records wait, or the ring is full, a new record is dropped and counted, so a slow disk can
 * never slow decisions or grow memory. A record leaves the ring only once its transaction is over: a writer thread
 * that dies leaves what it had not committed to the next one, and while the database does not answer (a PostgreSQL
 * restart, a failover, SQLite's lock held past busy_timeout) the records wait in the ring and are written once it
 * answers again (drain-ring.ts), within the same budget.
 */
export class DecisionLog {
  readonly #ring: RecordRing;
  /** Records put into the ring, ever. */
  #pushed = 0;
  /** Records out of the ring again: written or failed. */
  #finished = 0;
  /** Records put into the ring since the writer was last told to write. */
  #untold = 0;
  #timer: NodeJS.Timeout | undefined;
  /** The writes on the calling thread, one after the other; never rejects. */
  #inline: Promise<void> = Promise.resolve();
  /** The database the writer thread connects to; undefined once the log writes on the calling thread. */
  #writerUrl: string | undefined;
  #writer: Worker | undefined;
  #writerReady = false;
  #writerCrashes = 0;
  /** flush() calls waiting for the records before theirs to be out of the ring. */
  #waiting: { upTo: number; done: () => void }[] = [];
  /** Rows written since the budget was last checked. */
  #sinceBudgetCheck = 0;
  /** The last budget check asked for (pruneOverBudget), until it is over: they run one at a time. */
  #pruning: Promise<void> | undefined;
  /** Whether #pruning has not started yet: a call then shares it rather than queueing another. */
  #pruneQueued = false;
  /** pruneOverBudget calls waiting for the writer thread's answer; a writer that dies answers them all. */
  #pruned: (() => void)[] = [];
  readonly #maxRecordBytes: number;
  /** The inline writes' wait for the database, cut short by close(). */
  readonly #pause = new RetryPause();
  #closing = false;
  #lastWrite: { databaseAnswered: boolean; atMs: number } | undefined;
  dropped = 0;
  written = 0;
  failed = 0;
  /** Records kept with their facts left out, for `maxRecordBytes`. */
  oversized = 0;
  /** Rows deleted, oldest first, to keep the log within `maxRows`. */
  prunedOverBudget = 0;

  constructor(
    readonly db: Db,
    readonly options: DecisionLogOptions = { maxQueue: 20_000, flushEveryMs: 250, batchSize: 1_000 },
  ) {
    const url = options.worker?.databaseUrl;
    this.#writerUrl = url && url !== ":memory:" ? url : undefined;
    this.#ring = RecordRing.create(options.maxQueue * RING_BYTES_PER_RECORD);
    this.#maxRecordBytes = options.maxRecordBytes ?? 64 * 1024;
  }

  /**
   * Whether the database answered the log's last write, and when it did or did not (Date.now(), on the thread that
   * wrote); undefined before the first. False while the records wait for the database to come back.
   */
  get lastWrite(): { readonly databaseAnswered: boolean; readonly atMs: number } | undefined {
    return this.#lastWrite;
  }

  /** Records not yet written: waiting in the ring or being written. */
  get queued(): number {
    return this.#pushed - this.#finished;
  }

  record(entry: DecisionRecord): void {
    if (recordChars(entry) * 2 > this.#maxRecordBytes) {
      this.oversized++;
      entry = { ...entry, factsJson: OMITTED_FACTS };
    }
    if (this.#pushed - this.#finished >= this.options.maxQueue || !this.#ring.push(entry)) {
      this.dropped++;
      return;
    }
    this.#pushed++;
    if (++this.#untold >= this.options.batchSize) this.#write();
    else this.#timer ??= setTimeout(this.#onTimer, this.options.flushEveryMs);
  }

  /**
   * Writes everything recorded so far; resolves when it is committed (or has failed, counted in `failed`), or when the
   * database does not answer the next try: the records then stay queued, and a caller reading the log reads without them.
   */
  async flush(): Promise<void> {
    const upTo = this.#pushed;
    if (this.#finished < upTo) {
      const done = new Promise<void>((resolve) => this.#waiting.push({ upTo, done: resolve }));
      this.#write();
      await done;
    }
    // an inline write waiting for the database is not waited for: its records are still queued
    if (this.#lastWrite?.databaseAnswered !== false) await this.#inline;
  }

  /**
   * Deletes the oldest rows beyond `maxRows`, on the writer thread when there is one; resolves when done (failures are
   * reported, never thrown). One check at a time: a call while one runs queues one more, which later calls share.
   */
  pruneOverBudget(): Promise<void> {
    const maxRows = this.options.maxRows;
    if (maxRows === undefined) return Promise.resolve();
    if (this.#pruneQueued) return this.#pruning!;
    this.#pruneQueued = true;
    this.#sinceBudgetCheck = 0;
    const next = (this.#pruning ?? Promise.resolve()).then(() => {
      this.#pruneQueued = false;
      return this.#prune(maxRows);
    });
    this.#pruning = next;
    void next.then(() => {
      if (this.#pruning === next) this.#pruning = undefined;
    });
    return next;
  }

  async #prune(maxRows: number): Promise<void> {
    const writer = this.#writerUrl === undefined ? undefined : (this.#writer ?? this.#startWriter(this.#writerUrl));
    if (writer === undefined) {
      // after the inline writes under way, and before the next ones: the same connection, one thing at a time
      const pruned = this.#inline.then(() => pruneDecisionLogOverBudget(this.db, maxRows));
      this.#inline = pruned.then(
        () => undefined,
        () => undefined,
      );
      try {
        this.prunedOverBudget += await pruned;
      } catch (error) {
        this.#report(error);
      }
      return;
    }
    const settled = new Promise<void>((resolve) => this.#pruned.push(resolve));
    writer.ref();
    writer.postMessage({ type: "prune", maxRows } satisfies ToWriter);
    await settled;
  }

  /**
   * Writes what is left and stops the writer thread. Records that still come write on the calling thread. From here on a
   * write the database does not answer is not tried again: its records are counted in `failed`.
   */
  async close(): Promise<void> {
    this.#closing = true;
    this.#pause.stop();
    this.#writer?.postMessage({ type: "closing" } satisfies ToWriter);
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#pruning;
    await this.flush();
    const writer = this.#writer;
    this.#writerUrl = undefined;
    this.#writer = undefined;
    if (writer) {
      // the ring has one reader at a time: writes on this thread wait for the writer thread to be gone
      const stopped = stop(writer);
      this.#inline = this.#inline.then(() => stopped);
      await stopped;
    }
    // recorded while the writer thread finished
    await this.flush();
  }

  readonly #onTimer = (): void => this.#write();

  /** Has the ring written: tells the writer thread, or writes on this thread when there is none. */
  #write(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#untold = 0;
    if (this.#pushed === this.#finished) return;
    if (this.#writerUrl === undefined) {
      this.#writeInline();
      return;
    }
    const writer = this.#writer ?? this.#startWriter(this.#writerUrl);
    // an idle writer thread does not keep the process alive; one with records to write does
    writer.ref();
    writer.postMessage({ type: "write" } satisfies ToWriter);
  }

  #startWriter(databaseUrl: string): Worker {
    // execArgv: [] — the thread needs none of the process's flags: log-writer.mjs loads tsx itself
    const writer = new Worker(new URL("./log-writer.mjs", import.meta.url), {
      workerData: { databaseUrl, ring: this.#ring.shared } satisfies WriterData,
      execArgv: [],
    });
    writer.unref();
    if (this.#closing) writer.postMessage({ type: "closing" } satisfies ToWriter);
    this.#writer = writer;
    this.#writerReady = false;
    writer.on("message", (message: FromWriter) => {
      if (message.type === "ready") this.#writerReady = true;
      else if (message.type === "pruned") this.#prunedByWriter(message.count, message.errors);
      else if (message.type === "unreachable") this.#unreachable(message.error, message.retryInMs, message.atMs);
      else this.#finish(message.count, message.written, message.errors, message.databaseAnswered, message.atMs);
    });
    writer.on("error", (error) => this.#report(error));
    writer.on("exit", (code) => this.#writerExited(writer, code));
    return writer;
  }

  /** `count` records are out of the ring, `written` of them committed; the others failed, for `errors`. */
  #finish(count: number, written: number, errors: unknown[], databaseAnswered: boolean, atMs = Date.now()): void {
    this.#lastWrite = { databaseAnswered, atMs };
    this.#finished += count;
    this.written += written;
    this.failed += count - written;
    if (written > 0) this.#writerCrashes = 0;
    for (const error of errors) this.#report(error);
    const maxRows = this.options.maxRows;
    if (maxRows !== undefined) {
      this.#sinceBudgetCheck += written;
      if (this.#sinceBudgetCheck >= Math.ceil(maxRows / 10)) void this.pruneOverBudget();
    }
    this.#unrefWhenIdle();
    if (this.#waiting.length > 0) {
      const finished = this.#finished;
      this.#waiting = this.#waiting.filter((waiting) => {
        if (waiting.upTo > finished) return true;
        waiting.done();
        return false;
      });
    }
  }

  /** The database did not answer a write: its records stay queued, tried again in `retryInMs`; flush() waits no longer. */
  #unreachable(error: unknown, retryInMs: number, atMs = Date.now()): void {
    if (this.#lastWrite?.databaseAnswered !== false) {
      this.#report(
        new Error(
          `the database does not answer the decision log: ${this.queued} decisions stay queued and are written when it is back (next try in ${retryInMs} ms)`,
          { cause: error },
        ),
      );
    }
    this.#lastWrite = { databaseAnswered: false, atMs };
    for (const waiting of this.#waiting.splice(0)) waiting.done();
  }

  #prunedByWriter(count: number, errors: unknown[]): void {
    this.prunedOverBudget += count;
    for (const error of errors) this.#report(error);
    for (const done of this.#pruned.splice(0)) done();
    this.#unrefWhenIdle();
  }

  /**
   * Lets the process exit without the writer thread once it has nothing to do: no record to write and no prune to
   * answer (a prune left unanswered would hold close() back in a process with nothing else to keep it alive).
   */
  #unrefWhenIdle(): void {
    if (this.#pushed === this.#finished && this.#pruned.length === 0) this.#writer?.unref();
  }

  #writerExited(writer: Worker, code: number): void {
    if (writer !== this.#writer) return; // stopped by close()
    this.#writer = undefined;
    // a check it had not answered is over: the next one runs on the next writer
    for (const done of this.#pruned.splice(0)) done();
    if (!this.#writerReady) {
      // it never opened the database: what it did not write is still in the ring, written here instead
      this.#writerUrl = undefined;
      this.#report(
        new Error(
          `the decision log's writer thread did not start (exit code ${code}): writing on the main thread instead`,
        ),
      );
    } else {
      if (++this.#writerCrashes >= MAX_WRITER_CRASHES) this.#writerUrl = undefined;
      const next = this.#writerUrl === undefined ? "writing on the main thread from now on" : "starting a new one";
      this.#report(
        new Error(
          `the decision log's writer thread stopped (exit code ${code}): ${next}; the decisions it had not committed are still queued`,
        ),
      );
    }
    this.#write();
  }

  /** Writes what is in the ring now on the calling thread, after the inline writes already under way. */
  #writeInline(): void {
    this.#inline = this.#inline.then(() =>
      drainRing(
        this.#ring,
        this.db,
        INLINE_ROWS,
        this.#pause,
        {
          settled: (count, written, errors, databaseAnswered) => this.#finish(count, written, errors, databaseAnswered),
          unreachable: (error, retryInMs) => this.#unreachable(error, retryInMs),
        },
        // each transaction is a millisecond or so of this thread's time: requests get their turn between them
        () => new Promise((resolve) => setImmediate(resolve)),
      ),
    );
  }

  #report(error: unknown): void {
    try {
      this.options.onError?.(error);
    } catch {
      // a failing error handler must not stop the log
    }
  }
}

/** Asks the writer thread to finish what it was told to write and close its connection; terminates it if it does not. */
async function stop(writer: Worker): Promise<void> {
  const exited = new Promise((resolve) => writer.once("exit", resolve));
  writer.ref();
  writer.postMessage({ type: "close" } satisfies ToWriter);
  const timeout = setTimeout(() => void writer.terminate(), WRITER_CLOSE_MS);
  await exited;
  clearTimeout(timeout);
}
