import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { DatabaseHealth } from "./db/health.ts";
import type { DecisionLog } from "./decision-log/decision-log.ts";

/** Prometheus metrics, one registry per app so that tests can build several. Cheap enough to leave on. */
export class Metrics {
  readonly registry = new Registry();
  readonly decisions = new Counter({
    name: "aftersales_decisions_total",
    help: "Decisions answered, by rule set and version",
    labelNames: ["rule_set", "version"] as const,
    registers: [this.registry],
  });
  readonly decisionSeconds = new Histogram({
    name: "aftersales_decision_seconds",
    help: "Time to decide one case (facts derived, rules run, decision folded), without HTTP",
    labelNames: ["rule_set"] as const,
    buckets: [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05],
    registers: [this.registry],
  });

  /**
   * The two series per rule set (and version) that decisions feed, looked up once: prom-client builds a key from the
   * labels on every `inc({...})` or `observe({...}, v)`, work no decision needs to repeat.
   */
  readonly #seconds = new Map<string, { observe(value: number): void }>();
  readonly #counts = new Map<string, { inc(): void }>();

  /** One decision of `ruleSet` `version` answered, which took `seconds` to decide. */
  decided(ruleSet: string, version: number, seconds: number): void {
    let timing = this.#seconds.get(ruleSet);
    if (timing === undefined) {
      timing = this.decisionSeconds.labels({ rule_set: ruleSet });
      this.#seconds.set(ruleSet, timing);
    }
    timing.observe(seconds);
    const key = `${ruleSet}\n${version}`;
    let count = this.#counts.get(key);
    if (count === undefined) {
      count = this.decisions.labels({ rule_set: ruleSet, version });
      this.#counts.set(key, count);
    }
    count.inc();
  }

  /** `nextYearMissing`: whether, from 1 December, the working-day calendar holds nothing for next year. */
  constructor(
    decisionLog?: DecisionLog,
    options: { processMetrics?: boolean; database?: DatabaseHealth; nextYearMissing?: () => boolean } = {},
  ) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
    const nextYearMissing = options.nextYearMissing;
    if (nextYearMissing) {
      new Gauge({
        name: "aftersales_calendar_next_year_missing",
        help: "1 from 1 December (business time zone) while the working-day calendar holds nothing for next year, else 0",
        registers: [this.registry],
        collect() {
          this.set(nextYearMissing() ? 1 : 0);
        },
      });
    }
    const database = options.database;
    if (database) {
      new Gauge({
        name: "aftersales_database_up",
        help: "1 when the database answered the latest look at it (a ping, /readyz, a decision log write), 0 when it did not",
        registers: [this.registry],
        collect() {
          this.set(database.up ? 1 : 0);
        },
      });
    }
    if (decisionLog) {
      const countedFrom = (name: string, help: string, read: () => number) =>
        new Counter({
          name,
          help,
          registers: [this.registry],
          collect() {
            this.reset();
            this.inc(read());
          },
        });
      countedFrom(
        "aftersales_decision_log_written_total",
        "Decisions written to the decision log",
        () => decisionLog.written,
      );
      countedFrom(
        "aftersales_decision_log_dropped_total",
        "Decisions dropped because the log queue was full",
        () => decisionLog.dropped,
      );
      countedFrom("aftersales_decision_log_failed_total", "Decisions whose log write failed", () => decisionLog.failed);
      countedFrom(
        "aftersales_decision_log_oversized_total",
        "Decisions logged without their facts, over DECISION_LOG_MAX_RECORD_BYTES",
        () => decisionLog.oversized,
      );
      countedFrom(
        "aftersales_decision_log_pruned_over_budget_total",
        "Oldest decisions deleted to keep the log within DECISION_LOG_MAX_ROWS",
        () => decisionLog.prunedOverBudget,
      );
      new Gauge({
        name: "aftersales_decision_log_queued",
        help: "Decisions recorded and not yet written to the decision log: it stays near zero unless the writer falls behind",
        registers: [this.registry],
        collect() {
          this.set(decisionLog.queued);
        },
      });
    }
  }
}
