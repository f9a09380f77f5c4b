import Denque from "denque";
import type { Db } from "../db/database.ts";

/** One decision as logged: what was asked (the facts as sent), what was answered, and by which version. */
export type DecisionRecord = {
  decisionId: string;
  at: number;
  ruleSet: string;
  version: number;
  keyName: string;
  facts: unknown;
  decision: Record<string, unknown>;
  firedRules: string[];
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
 * The decision log, kept off the decision path: `record` only queues a reference; a timer writes
 * the queue in batches, one transaction per batch. The queue is bounded: when it is full the
 * oldest entry is dropped and counted, so a slow disk can never slow decisions or grow memory.
 */
export class DecisionLog {
  readonly #queue = new Denque<DecisionRecord>();
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;
  dropped = 0;
  written = 0;
  failed = 0;

  constructor(
    readonly db: Db,
    readonly options: { maxQueue: number; flushEveryMs: number; batchSize: number; onError?: (error: unknown) => void } = {
      maxQueue: 50_000,
      flushEveryMs: 250,
      batchSize: 1_000,
    },
  ) {}

  get queued(): number {
    return this.#queue.length;
  }

  record(entry: DecisionRecord): void {
    if (this.#queue.length >= this.options.maxQueue) {
      this.#queue.shift();
      this.dropped++;
    }
    this.#queue.push(entry);
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, this.options.flushEveryMs);
  }

  /** Writes everything queued so far; resolves when it is on disk. */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    if (this.#queue.length === 0) return;
    this.#flushing = this.#writeAll().finally(() => {
      this.#flushing = undefined;
    });
    await this.#flushing;
  }

  async #writeAll(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.options.batchSize) ?? [];
      try {
        await this.db.transaction().execute(async (tx) => {
          // SQLite allows 32 766 bound values per statement: 9 columns × 1 000 rows stays under it
          for (let i = 0; i < batch.length; i += 1_000) {
            await tx.insertInto("decision_log").values(batch.slice(i, i + 1_000).map(toRow)).execute();
          }
        });
        this.written += batch.length;
      } catch (error) {
        this.failed += batch.length;
        this.options.onError?.(error);
      }
    }
  }

  /** Stops the timer and writes what is left. */
  async close(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }
}

function toRow(entry: DecisionRecord) {
  return {
    decision_id: entry.decisionId,
    at: new Date(entry.at).toISOString(),
    rule_set: entry.ruleSet,
    version: entry.version,
    key_name: entry.keyName,
    facts: JSON.stringify(entry.facts),
    decision: JSON.stringify(entry.decision),
    fired_rules: JSON.stringify(entry.firedRules),
    outcome: outcomeOf(entry.ruleSet, entry.decision),
  };
}
