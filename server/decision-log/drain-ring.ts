import type { Db } from "../db/database.ts";
import { isDatabaseUnreachable, isRefusedForItsData } from "../db/unreachable.ts";
import { writeRecords } from "./log-rows.ts";
import type { RecordRing } from "./record-ring.ts";

/** What draining the ring tells the log, as it goes. */
export type DrainReport = {
  /**
   * `count` records are out of the ring, `written` of them committed, the others failed for `errors`;
   * `databaseAnswered` is false when they failed because the database did not answer (the log was closing).
   */
  settled(count: number, written: number, errors: unknown[], databaseAnswered: boolean): void;
  /** The database did not answer: the records stay in the ring and are tried again in `retryInMs`. */
  unreachable(error: unknown, retryInMs: number): void;
};

/** The wait after the database first does not answer, doubled at each try that fails, up to the last. */
const FIRST_RETRY_MS = 250;
const LAST_RETRY_MS = 5_000;

/** The wait between two tries while the database does not answer, which `stop` cuts short when the log closes. */
export class RetryPause {
  #stopped = false;
  #wake: (() => void) | undefined;

  /** Whether the log is closing: a try that fails for the database is then the last. */
  get stopped(): boolean {
    return this.#stopped;
  }

  wait(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  stop(): void {
    this.#stopped = true;
    this.#wake?.();
  }
}

/**
 * Writes what is in `ring`, `rowsPerTransaction` records a transaction (writeRecords), releasing records only once they
 * are done with, on the writer thread and on the calling thread alike. Three ways a transaction can fail:
 * - the database does not answer (db/unreachable.ts): the records stay in the ring and the same ones are tried again,
 *   250 ms later, then twice as long each time up to 5 s, until it answers (or, once `pause` is stopped, they fail);
 * - the database refuses a record's data (a NUL character in a PostgreSQL text, a constraint): fewer records a
 *   transaction, half as many each time, until the one at fault is alone and fails alone;
 * - anything else: the records of that transaction fail.
 * `between` runs after each transaction (the calling thread yields there to the requests waiting).
 */
export async function drainRing(
  ring: RecordRing,
  db: Db,
  rowsPerTransaction: number,
  pause: RetryPause,
  report: DrainReport,
  between?: () => Promise<void>,
): Promise<void> {
  let limit = rowsPerTransaction;
  let retryMs = FIRST_RETRY_MS;
  for (;;) {
    const { values, count, next } = ring.read(limit);
    if (count === 0) return;
    const errors: unknown[] = [];
    let written = 0;
    let answered = true;
    try {
      written = await writeRecords(db, values, (error) => errors.push(error));
    } catch (error) {
      if (isDatabaseUnreachable(error)) {
        if (!pause.stopped) {
          report.unreachable(error, retryMs);
          await pause.wait(retryMs);
          retryMs = Math.min(retryMs * 2, LAST_RETRY_MS);
          continue;
        }
        answered = false;
      } else if (count > 1 && isRefusedForItsData(error)) {
        limit = Math.ceil(count / 2);
        continue;
      }
      errors.push(error);
      // the record that failed alone is out: the ones after it go in full transactions again
      if (count === 1) limit = rowsPerTransaction;
    }
    ring.release(next);
    retryMs = FIRST_RETRY_MS;
    report.settled(count, written, errors, answered);
    await between?.();
  }
}
