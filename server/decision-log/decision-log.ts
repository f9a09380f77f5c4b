import { Worker } from "node:worker_threads";
import Denque from "denque";
import type { Db } from "../db/database.ts";
import { insertRows, toRows } from "./log-rows.ts";
import type { FromWriter, ToWriter, WriterData } from "./log-writer.ts";

/**
 * One decision as logged: what was asked, what was answered, and by which version. Strings and
 * numbers only, so that it is cheap to build on the decision path and to copy to the writer thread;
 * the writer does the parsing and serialising.
 */
export type DecisionRecord = {
  decisionId: string;
  /** When it was decided, in epoch milliseconds. */
  at: number;
  ruleSet: string;
  version: number;
  keyName: string;
  /** The facts as sent: JSON text of the request's `facts` member. */
  factsJson: string;
  /** `JSON.stringify(decision)` */
  decisionJson: string;
  /** `JSON.stringify(firedRules)` */
  firedRulesJson: string;
  /** `outcomeOf(ruleSet, decision)` */
  outcome: string;
};

export type DecisionLogOptions = {
  /** Records waiting to be written; when it is full the oldest is dropped and counted in `dropped`. */
  maxQueue: number;
  /** How long a record may wait in the queue before it is handed to the writer. */
  flushEveryMs: number;
  /**
   * Records per message to the writer thread; a full batch is handed over without waiting for the
   * timer. (Writing on the calling thread, the log writes a hundred rows at a time whatever it is.)
   */
  batchSize: number;
  /**
   * Write from a worker thread with a connection of its own to this SQLite file, which the main
   * thread has opened and migrated. Without it, or for ":memory:" (which another connection cannot
   * see), the log writes on the calling thread: fine for tests, ~25 µs of its time per record.
   */
  worker?: { databaseFile: string };
  /** Called with every write failure; the records concerned are counted in `failed`. */
  onError?: (error: unknown) => void;
};

/** A short, searchable summary of a decision: the field a person filters by first. */
export function outcomeOf(ruleSet: string, decision: Record<string, unknown>): string {
  switch (ruleSet) {
    case "refund-eligibility":
      return `${decision.eligible ? "eligible" : "not_eligible"}:${String(decision.channel)}`;
    case "shipping-fee":
      return `return:${String(decision.returnShippingPayer)}`;
    default:
      return `timers:${Array.isArray(decision.timers) ? decision.timers.length : 0}`;
  }
}

/**
 * Records handed to the writer thread and not yet settled. The records themselves are kept only
 * until the thread is ready, in case it never is: holding them longer would only give the garbage
 * collector more to copy.
 */
type Batch = { count: number; records: DecisionRecord[] | undefined; settle: () => void; settled: Promise<void> };

/** Batches the writer thread may hold at once; beyond them records wait in the queue, where its bound applies. */
const MAX_BATCHES_IN_FLIGHT = 4;
/** Crashes of the writer thread in a row (no batch written between them) after which the log stops restarting it and writes on the calling thread. */
const MAX_WRITER_CRASHES = 3;
/** Rows written on the calling thread before it yields to the event loop: ~1 ms of work. */
const INLINE_ROWS = 100;
/** How long close() waits for the writer thread to finish before terminating it. */
const WRITER_CLOSE_MS = 5_000;

/**
 * The decision log, kept off the decision path: `record` only queues the record; a timer hands the
 * queue to a writer thread (or writes it on the calling thread when there is none), one
 * transaction per few hundred rows. The queue is bounded: when it is full the oldest entry is
 * dropped and counted, so a slow disk can never slow decisions or grow memory.
 */
export class DecisionLog {
  readonly #queue = new Denque<DecisionRecord>();
  #timer: NodeJS.Timeout | undefined;
  /** The writes on the calling thread, one after the other; never rejects. */
  #inline: Promise<void> = Promise.resolve();
  /** The SQLite file the writer thread opens; undefined once the log writes on the calling thread. */
  #writerFile: string | undefined;
  #writer: Worker | undefined;
  #writerReady = false;
  #writerCrashes = 0;
  readonly #inFlight = new Map<number, Batch>();
  #inFlightRecords = 0;
  #seq = 0;
  dropped = 0;
  written = 0;
  failed = 0;

  constructor(
    readonly db: Db,
    readonly options: DecisionLogOptions = { maxQueue: 50_000, flushEveryMs: 250, batchSize: 1_000 },
  ) {
    const file = options.worker?.databaseFile;
    this.#writerFile = file && file !== ":memory:" ? file : undefined;
  }

  /** Records not yet written: waiting in the queue or being written. */
  get queued(): number {
    return this.#queue.length + this.#inFlightRecords;
  }

  record(entry: DecisionRecord): void {
    if (this.#queue.length >= this.options.maxQueue) {
      this.#queue.shift();
      this.dropped++;
    }
    this.#queue.push(entry);
    if (this.#writerFile !== undefined && this.#queue.length >= this.options.batchSize) this.#handOver({ partial: false, bounded: true });
    else this.#timer ??= setTimeout(this.#onTimer, this.options.flushEveryMs);
  }

  /** Writes everything recorded so far; resolves when it is committed (or has failed, counted in `failed`). */
  async flush(): Promise<void> {
    if (this.#writerFile !== undefined) this.#handOver({ partial: true, bounded: false });
    else this.#writeQueueInline();
    // a writer thread that fails to start hands its batches to the inline writer before settling them
    await Promise.all([this.#inline, ...Array.from(this.#inFlight.values(), (batch) => batch.settled)]);
  }

  /** Writes what is left and stops the writer thread. Records that still come write on the calling thread. */
  async close(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.flush();
    this.#writerFile = undefined;
    const writer = this.#writer;
    this.#writer = undefined;
    if (writer) {
      await stop(writer);
      const lost = this.#abandonInFlight();
      if (lost > 0) this.#report(new Error(`the decision log's writer thread stopped before settling ${lost} decisions`));
    }
    // recorded while the writer thread finished
    await this.flush();
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    if (this.#writerFile !== undefined) this.#handOver({ partial: true, bounded: true });
    else this.#writeQueueInline();
  };

  /**
   * Posts the queue to the writer thread, a batch per message: only full batches unless `partial`,
   * and no more than MAX_BATCHES_IN_FLIGHT if `bounded`. What stays in the queue waits for the timer.
   */
  #handOver({ partial, bounded }: { partial: boolean; bounded: boolean }): void {
    const { batchSize } = this.options;
    while (this.#queue.length >= (partial ? 1 : batchSize) && !(bounded && this.#inFlight.size >= MAX_BATCHES_IN_FLIGHT)) {
      this.#send(this.#queue.remove(0, Math.min(batchSize, this.#queue.length)) ?? []);
    }
    if (this.#queue.length > 0) this.#timer ??= setTimeout(this.#onTimer, this.options.flushEveryMs);
  }

  #send(records: DecisionRecord[]): void {
    const writer = this.#writer ?? this.#startWriter(this.#writerFile!);
    const seq = ++this.#seq;
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    this.#inFlight.set(seq, { count: records.length, records: this.#writerReady ? undefined : records, settle, settled });
    this.#inFlightRecords += records.length;
    // an idle writer thread does not keep the process alive; one with work to finish does
    if (this.#inFlight.size === 1) writer.ref();
    try {
      writer.postMessage({ type: "write", seq, records } satisfies ToWriter);
    } catch (error) {
      this.#settle(seq, 0, [error]);
    }
  }

  #startWriter(databaseFile: string): Worker {
    // execArgv: [] — the thread needs none of the process's flags: log-writer.mjs loads tsx itself
    const writer = new Worker(new URL("./log-writer.mjs", import.meta.url), { workerData: { databaseFile } satisfies WriterData, execArgv: [] });
    writer.unref();
    this.#writer = writer;
    this.#writerReady = false;
    writer.on("message", (message: FromWriter) => {
      if (message.type === "ready") {
        if (writer !== this.#writer) return;
        this.#writerReady = true;
        for (const batch of this.#inFlight.values()) batch.records = undefined;
        return;
      }
      this.#settle(message.seq, message.written, message.errors);
      if (this.#writerFile !== undefined) this.#handOver({ partial: false, bounded: true });
    });
    writer.on("error", (error) => this.#report(error));
    writer.on("exit", (code) => this.#writerExited(writer, code));
    return writer;
  }

  #settle(seq: number, written: number, errors: unknown[]): void {
    const batch = this.#inFlight.get(seq);
    if (!batch) return;
    this.#inFlight.delete(seq);
    this.#inFlightRecords -= batch.count;
    this.written += written;
    this.failed += batch.count - written;
    if (written > 0) this.#writerCrashes = 0;
    for (const error of errors) this.#report(error);
    if (this.#inFlight.size === 0) this.#writer?.unref();
    batch.settle();
  }

  #writerExited(writer: Worker, code: number): void {
    if (writer !== this.#writer) return; // stopped by close()
    this.#writer = undefined;
    if (!this.#writerReady) {
      // it never opened the database, so it wrote none of its batches: they are written here instead
      this.#writerFile = undefined;
      this.#report(new Error(`the decision log's writer thread did not start (exit code ${code}): writing on the main thread instead`));
      for (const batch of this.#inFlight.values()) this.#inline = this.#inline.then(() => this.#writeInline(batch.records ?? [])).then(batch.settle);
      this.#inFlight.clear();
      this.#inFlightRecords = 0;
    } else {
      const lost = this.#abandonInFlight();
      if (++this.#writerCrashes >= MAX_WRITER_CRASHES) this.#writerFile = undefined;
      const next = this.#writerFile === undefined ? "writing on the main thread from now on" : "starting a new one";
      this.#report(new Error(`the decision log's writer thread stopped (exit code ${code}, ${lost} decisions not logged): ${next}`));
    }
    if (this.#queue.length > 0) this.#timer ??= setTimeout(this.#onTimer, this.options.flushEveryMs);
  }

  /**
   * Settles the batches of a writer thread that is gone as failed, and returns how many records
   * they held. It may have committed part of them: writing them again could log a decision twice.
   */
  #abandonInFlight(): number {
    let lost = 0;
    for (const batch of this.#inFlight.values()) {
      lost += batch.count;
      batch.settle();
    }
    this.failed += lost;
    this.#inFlight.clear();
    this.#inFlightRecords = 0;
    return lost;
  }

  /** Writes the records queued now on the calling thread, after the inline writes already under way. */
  #writeQueueInline(): void {
    let count = this.#queue.length;
    if (count === 0) return;
    this.#inline = this.#inline.then(async () => {
      while (count > 0 && this.#queue.length > 0) {
        const records = this.#queue.remove(0, Math.min(INLINE_ROWS, count, this.#queue.length)) ?? [];
        count -= records.length;
        await this.#writeInline(records);
      }
    });
  }

  async #writeInline(records: DecisionRecord[]): Promise<void> {
    const rows = toRows(records, (record, error) => {
      this.failed++;
      this.#report(new Error(`decision ${record.decisionId} cannot be logged`, { cause: error }));
    });
    for (let i = 0; i < rows.length; i += INLINE_ROWS) {
      const slice = rows.slice(i, i + INLINE_ROWS);
      try {
        await insertRows(this.db, slice);
        this.written += slice.length;
      } catch (error) {
        this.failed += slice.length;
        this.#report(error);
      }
      // each transaction is a millisecond or so of this thread's time: requests get their turn between them
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  #report(error: unknown): void {
    try {
      this.options.onError?.(error);
    } catch {
      // a failing error handler must not stop the log
    }
  }
}

/** Asks the writer thread to finish its batches and close its connection; terminates it if it does not. */
async function stop(writer: Worker): Promise<void> {
  const exited = new Promise((resolve) => writer.once("exit", resolve));
  writer.ref();
  writer.postMessage({ type: "close" } satisfies ToWriter);
  const timeout = setTimeout(() => void writer.terminate(), WRITER_CLOSE_MS);
  await exited;
  clearTimeout(timeout);
}
