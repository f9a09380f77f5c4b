/**
 * (f) The impact replay: a decision log of `records` realistic decisions of refund-eligibility spread over the last 29
 * days, replayed against a changed draft by the real service (POST …/impact, its worker thread), timed from the POST to
 * `done`; and the decision endpoint's latency (open loop) before the replay and while it runs.
 */
import { TEST_PERIODS } from "../test/helpers/periods.ts";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { monotonicFactory } from "ulid";
import { bootstrapDatabase, loadRegistry } from "../server/bootstrap.ts";
import { openDatabase } from "../server/db/database.ts";
import { outcomeOf } from "../server/decision-log/decision-log.ts";
import { RECORD_COLUMNS } from "../server/decision-log/record-fields.ts";
import { caseMix, nowOf, refundEligibilityBody } from "./cases.ts";
import { openLoop, type OpenLoopResult } from "./open-loop.ts";
import { BENCH_API_KEY, machineCpuSeconds, startRealService } from "./servers.ts";
import type { RuleSetDetail } from "../shared/api.ts";
import type { ImpactJob } from "../shared/impact.ts";

export type ReplayBenchResult = {
  records: number;
  /** Distinct cases among them (each logged many times, at different times and ids). */
  distinctCases: number;
  fillSeconds: number;
  databaseBytes: number;
  replaySeconds: number;
  replayed: number;
  changed: number;
  /** CPU seconds the replay's thread used (it starts at nice 19), and with the log writer's (also nice 19). */
  replayCpuSeconds: number;
  lowPriorityCpuSeconds: number;
  /** CPU the whole machine used meanwhile besides the replay, in cores (of the machine's), and its load average. */
  otherBusyCores: number;
  loadAverage: number;
  /** The decision endpoint at `rate`, before the replay and while it runs. */
  idle: OpenLoopResult;
  during: OpenLoopResult;
  rate: number;
};

const RULE_SET = "refund-eligibility";
const DAY = 86_400_000;
const DISTINCT_CASES = 5_000;
/** Rows per INSERT, and rows per transaction. */
const ROWS_PER_INSERT = 100;
const ROWS_PER_TRANSACTION = 20_000;

export async function benchReplay(options: {
  records: number;
  rate: number;
  seconds: number;
  log: (line: string) => void;
}): Promise<ReplayBenchResult> {
  const { records, rate, seconds, log } = options;
  const dir = mkdtempSync(join(tmpdir(), "aftersales-replay-"));
  const file = join(dir, "bench.db");
  try {
    const filled = performance.now();
    await fillLog(file, records);
    const fillSeconds = (performance.now() - filled) / 1000;
    const databaseBytes = statSync(file).size;
    log(
      `  filled a log of ${records.toLocaleString("en-US")} decisions in ${fillSeconds.toFixed(1)} s (${(databaseBytes / 1048576).toFixed(0)} MB)`,
    );

    const service = await startRealService({ databaseUrl: file });
    try {
      const headers = { "content-type": "application/json", authorization: `Bearer ${BENCH_API_KEY}` };
      const api = (method: string, path: string, body?: unknown) =>
        fetch(`${service.origin}/api/v1${path}`, {
          method,
          headers,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }).then(async (response) => ({ status: response.status, body: (await response.json()) as unknown }));
      await changeDraft(api);
      const load = {
        origin: service.origin,
        path: `/api/v1/decisions/${RULE_SET}`,
        body: refundEligibilityBody,
        headers,
        rate,
      };
      // warm-up, unreported: the decision path reaches its speed after thousands of decisions
      await openLoop({ ...load, seconds: 5 });
      const idle = await openLoop({ ...load, seconds });
      log(
        `  decision endpoint idle: p50 ${idle.p50.toFixed(2)} ms, p99 ${idle.p99.toFixed(2)} ms at ${idle.achievedRate.toFixed(0)} req/s`,
      );

      const started = performance.now();
      const machineBefore = machineCpuSeconds().busy;
      const threads = new LowPriorityCpu(service.pid);
      const job = await api("POST", `/rule-sets/${RULE_SET}/impact`, { limit: records });
      if (job.status !== 202) throw new Error(`the replay did not start: ${JSON.stringify(job.body)}`);
      const during = openLoop({ ...load, seconds });
      const id = (job.body as ImpactJob).id;
      let polled = job.body as ImpactJob;
      while (polled.status === "running") {
        await new Promise((resolve) => setTimeout(resolve, 100));
        threads.sample();
        polled = (await api("GET", `/rule-sets/${RULE_SET}/impact/${id}`)).body as ImpactJob;
      }
      const replaySeconds = (performance.now() - started) / 1000;
      const { all: lowPriorityCpuSeconds, started: replayCpuSeconds } = threads.used();
      const otherBusyCores = (machineCpuSeconds().busy - machineBefore - lowPriorityCpuSeconds) / replaySeconds;
      const loadAverage = loadavg()[0]!;
      if (polled.result === null) throw new Error(`the replay failed: ${polled.error}`);
      const result = polled.result;
      const duringLoad = await during;
      log(
        `  replayed ${result.replayed.toLocaleString("en-US")} decisions in ${replaySeconds.toFixed(1)} s ` +
          `(${Math.round(result.replayed / replaySeconds).toLocaleString("en-US")}/s), ${result.changed.toLocaleString("en-US")} changed; ` +
          `the replay's thread ${replayCpuSeconds.toFixed(1)} s of CPU (${((replayCpuSeconds / result.replayed) * 1e6).toFixed(1)} µs a decision), with the log writer's ${lowPriorityCpuSeconds.toFixed(1)} s; ` +
          `the rest of the machine ${otherBusyCores.toFixed(2)} cores busy meanwhile, load average ${loadAverage.toFixed(1)}`,
      );
      log(
        `  decision endpoint during the replay: p50 ${duringLoad.p50.toFixed(2)} ms, p99 ${duringLoad.p99.toFixed(2)} ms at ${duringLoad.achievedRate.toFixed(0)} req/s`,
      );
      return {
        records,
        distinctCases: Math.min(records, DISTINCT_CASES),
        fillSeconds,
        databaseBytes,
        replaySeconds,
        replayed: result.replayed,
        changed: result.changed,
        replayCpuSeconds,
        lowPriorityCpuSeconds,
        otherBusyCores,
        loadAverage,
        idle,
        during: duringLoad,
        rate,
      };
    } finally {
      await service.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A migrated, seeded database whose log holds `records` decisions of refund-eligibility: DISTINCT_CASES cases of the
 * bench's realistic mix decided by the active version, each logged over and over at times spread evenly over the last
 * 29 days (inside the service's 30-day retention), with ULIDs of those times, written by multi-row INSERTs.
 */
async function fillLog(file: string, records: number): Promise<void> {
  if (records % ROWS_PER_INSERT !== 0) throw new Error(`the replay's records must be a multiple of ${ROWS_PER_INSERT}`);
  const db = await openDatabase(file);
  await bootstrapDatabase(db, {
    rulesDir: "rules",
    adminPassword: "bench-admin-password",
    apiKey: BENCH_API_KEY,
    now: new Date(),
  });
  const active = (await loadRegistry(db)).active(RULE_SET)!;
  await db.destroy();
  const decided = caseMix(RULE_SET, Math.min(records, DISTINCT_CASES)).map((facts) => {
    const factsJson = JSON.stringify(facts);
    const { decision, firedRules } = active.decide(facts, { trace: false, nowMs: nowOf(facts), periods: TEST_PERIODS });
    return {
      factsJson,
      decision: JSON.stringify(decision),
      firedRules: JSON.stringify(firedRules),
      outcome: outcomeOf(RULE_SET, decision),
    };
  });
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = OFF");
  const row = `(${RECORD_COLUMNS.map(() => "?").join(", ")})`;
  const insert = sqlite.prepare(
    `insert into decision_log (${RECORD_COLUMNS.join(", ")}) values ${Array(ROWS_PER_INSERT).fill(row).join(", ")}`,
  );
  const nextId = monotonicFactory();
  const endMs = Date.now() - 60_000;
  const startMs = endMs - 29 * DAY;
  const step = (endMs - startMs) / records;
  const fill = sqlite.transaction((from: number, to: number) => {
    for (let first = from; first < to; first += ROWS_PER_INSERT) {
      const values: (string | number)[] = [];
      for (let i = first; i < first + ROWS_PER_INSERT; i++) {
        const atMs = Math.floor(startMs + i * step);
        const logged = decided[i % decided.length]!;
        // RECORD_COLUMNS' order: decision_id, at, rule_set, version, key_name, facts, decision, fired_rules, outcome, order_id
        values.push(
          nextId(atMs),
          new Date(atMs).toISOString(),
          RULE_SET,
          1,
          "bench",
          logged.factsJson,
          logged.decision,
          logged.firedRules,
          logged.outcome,
          "",
        );
      }
      insert.run(values);
    }
  });
  for (let from = 0; from < records; from += ROWS_PER_TRANSACTION)
    fill(from, Math.min(records, from + ROWS_PER_TRANSACTION));
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  sqlite.close();
}

/**
 * The draft the replay decides with: seven-day returns asked for within 10 days rather than 7, and a shop coupon's
 * refund at the full price rather than prorated — two changes that touch a share of the mix, as a real edit would.
 */
async function changeDraft(
  api: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: unknown }>,
) {
  const detail = (await api("GET", `/rule-sets/${RULE_SET}`)).body as RuleSetDetail;
  const rules = detail.draft.rules.map((rule) => {
    if (rule.name === "seven-day-return-within-7-days-of-delivery")
      return JSON.parse(JSON.stringify(rule).replace('"P7D"', '"P10D"'));
    if (rule.name === "shop-coupon-is-prorated-over-the-order")
      return { ...rule, event: { ...rule.event, params: { ...rule.event.params, formula: "full_price" } } };
    return rule;
  });
  const saved = await api("PUT", `/rule-sets/${RULE_SET}/draft`, { revision: detail.draft.revision, rules });
  if (saved.status !== 200) throw new Error(`the draft was not saved: ${JSON.stringify(saved.body)}`);
}

/**
 * CPU time of a process's threads at nice 19 (the replay's worker and the decision log's writer), from
 * /proc/<pid>/task. A thread's time leaves /proc when it ends, so each thread's latest figure is kept as it is sampled.
 */
class LowPriorityCpu {
  readonly #first = new Map<string, number>();
  readonly #last = new Map<string, number>();

  constructor(readonly pid: number) {
    for (const [tid, seconds] of this.#read()) this.#first.set(tid, seconds);
  }

  sample(): void {
    for (const [tid, seconds] of this.#read()) this.#last.set(tid, seconds);
  }

  /** Seconds used since the constructor: by every such thread, and by those started since (the replay's). */
  used(): { all: number; started: number } {
    this.sample();
    let all = 0;
    let started = 0;
    for (const [tid, seconds] of this.#last) {
      all += seconds - (this.#first.get(tid) ?? 0);
      if (!this.#first.has(tid)) started += seconds;
    }
    return { all, started };
  }

  #read(): [string, number][] {
    const threads: [string, number][] = [];
    for (const tid of readdirSync(`/proc/${this.pid}/task`)) {
      try {
        const stat = readFileSync(`/proc/${this.pid}/task/${tid}/stat`, "utf8");
        // after "(name) ": state is field 3, so field n is at n − 3: utime 14, stime 15, nice 19
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        if (Number(fields[16]) === 19) threads.push([tid, (Number(fields[11]) + Number(fields[12])) / 100]);
      } catch {
        // the thread ended between the listing and the read
      }
    }
    return threads;
  }
}
