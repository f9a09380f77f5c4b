import { sql } from "kysely";
import type { Logger } from "../logger.ts";
import type { Db } from "./database.ts";

/** How long a ping may take before the database counts as not answering: a lost network drops packets, it does not refuse. */
const PING_TIMEOUT_MS = 2_000;

/** Who else finds out whether the database answers: the decision log, at each write (DecisionLog.lastWrite). */
export type WriteObserver = {
  readonly lastWrite: { readonly databaseAnswered: boolean; readonly atMs: number } | undefined;
};

/**
 * Whether the database answers, as last seen by whoever looked last: a ping (`/readyz`, the periodic `watch`) or the
 * decision log's last write. The service keeps deciding either way; this is what `/readyz`'s body and the
 * `aftersales_database_up` gauge report. It starts as answering: the service has just opened and migrated it.
 */
export class DatabaseHealth {
  /** The last ping's answer, and when it came (Date.now(), as the log's writer thread stamps its writes). */
  #pinged = { up: true, atMs: Date.now() };
  #pinging: Promise<boolean> | undefined;
  /** What the log last said changed `up`, so that the change is logged once. */
  #reported = true;

  constructor(
    readonly db: Db,
    readonly options: { decisionLog?: WriteObserver; logger?: Logger } = {},
  ) {}

  /** Whether the database answered the latest look at it. */
  get up(): boolean {
    const written = this.options.decisionLog?.lastWrite;
    return written !== undefined && written.atMs > this.#pinged.atMs ? written.databaseAnswered : this.#pinged.up;
  }

  /** Asks the database `select 1` (within PING_TIMEOUT_MS); pings asked for while one is under way share it. */
  ping(): Promise<boolean> {
    this.#pinging ??= this.#ping().finally(() => {
      this.#pinging = undefined;
    });
    return this.#pinging;
  }

  /** Pings every `everyMs` (off the event loop's keep-alive); returns the function that stops it. */
  watch(everyMs: number): () => void {
    const timer = setInterval(() => void this.ping(), everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  async #ping(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    let failure: unknown;
    const up = await Promise.race([
      sql`select 1`.execute(this.db).then(
        () => true,
        (error: unknown) => {
          failure = error;
          return false;
        },
      ),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => {
          failure = new Error(`no answer within ${PING_TIMEOUT_MS} ms`);
          resolve(false);
        }, PING_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    this.#pinged = { up, atMs: Date.now() };
    if (up !== this.#reported) {
      this.#reported = up;
      if (up) this.options.logger?.info("the database answers again");
      else
        this.options.logger?.warn({ err: failure }, "the database does not answer: deciding on the rule sets loaded");
    }
    return up;
  }
}
