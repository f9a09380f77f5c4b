import { type AnalysisBenchResult, renderAnalysis } from "./analysis.ts";
import type { ClosedLoopResult } from "./closed-loop.ts";
import type { DefaultRuleSetResult, GeneratedRuleSetResult } from "./in-process.ts";
import { mean } from "./measure.ts";
import type { OpenLoopResult } from "./open-loop.ts";
import type { LogKeptUp, PostgresBenchResult, ServiceRun } from "./postgres.ts";
import type { ReplayBenchResult } from "./replay.ts";

export type SoakResult = {
  seconds: number;
  rate: number;
  startBytes: number;
  afterWarmupBytes: number;
  warmupSecond: number;
  maxBytes: number;
  endBytes: number;
  /** (end − after warm-up) ÷ after warm-up. */
  drift: number;
  /** The least-squares line through the samples from warm-up on: its rise over that span ÷ RSS after warm-up. */
  trend: number;
  samples: number;
  load: OpenLoopResult;
};

/**
 * Memory is flat when it does not grow: neither the end of the run nor the trend line after warm-up rises more than
 * 10 % above the RSS after warm-up. A heap that settles lower (the collector giving pages back) is no leak.
 */
export const isFlat = (soak: SoakResult) => soak.drift <= 0.1 && soak.trend <= 0.1;

type CpuShare = { serverCpuPercent: number; otherCpuPercent: number };

export type BenchResults = {
  machine: { cpu: string; cores: number; node: string; loadAtStart: string; date: string };
  inProcessOtherCpuPercent: number;
  config: {
    seconds: number;
    httpSeconds: number;
    httpRuns: number;
    openLoopSeconds: number;
    soakSeconds: number;
    rate: number;
    connections: number;
    cases: number;
  };
  defaults: DefaultRuleSetResult[];
  generated: GeneratedRuleSetResult[];
  decisionRuns: ClosedLoopResult[];
  bareRuns: ClosedLoopResult[];
  /** node:http as the fast path uses it, answering a constant (bench/floor-server.ts): diagnosis, not a target. */
  floorRuns: ClosedLoopResult[];
  /** BENCH_BASELINE: the service at another revision, run alternating with the decision runs in (b). */
  baseline?: { revision: string; runs: ClosedLoopResult[] };
  openDecision: OpenLoopResult & CpuShare;
  openBare: OpenLoopResult & CpuShare;
  /** The decision service with its log off (bench/unlogged-server.ts), for diagnosis (not a target). */
  openUnlogged: OpenLoopResult & CpuShare;
  logOn: ClosedLoopResult[];
  logOff: ClosedLoopResult[];
  /** The logged decision service's log at the end of (e): a record dropped or failed makes the log look cheaper than it is. */
  logCounts: { written: number; dropped: number; failed: number };
  soak: SoakResult & CpuShare;
  /** (f) the static analysis (bench/analysis.ts). */
  analysis?: AnalysisBenchResult[];
  /** (g) the impact replay of a filled decision log, and the decision endpoint's latency while it runs. */
  replay: ReplayBenchResult;
  /** (h) the service and its decision log on PostgreSQL beside SQLite. */
  postgres: PostgresBenchResult;
  totalSeconds: number;
  loadAtEnd: string;
};

const int = (v: number) => Math.round(v).toLocaleString("en-US");
const ms = (v: number) => `${v.toFixed(2)} ms`;
const us = (opsPerSec: number) => `${(1e6 / opsPerSec).toFixed(1)} µs`;
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
const signed = (v: number) => `${v >= 0 ? "+" : ""}${pct(v)}`;
const verdict = (pass: boolean) => (pass ? "**PASS**" : "**FAIL**");

function table(head: string[], rows: (string | number)[][]): string {
  return [
    `| ${head.join(" | ")} |`,
    `|${head.map(() => "---").join("|")}|`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ].join("\n");
}

/** The last section of every report: where the measurements behind the code's comments are kept, which this run does not repeat. */
const MEASUREMENTS_SECTION = `## Why the code is shaped this way (measurements behind code comments)

Measured once each, when the choice was made, not by this run: [measurements.md](measurements.md) lists them by file.`;

/** The whole report as markdown: the targets with PASS/FAIL first, then each measurement. */
export function renderReport(r: BenchResults): string {
  const minRatio = Math.min(...r.defaults.map((d) => d.ratio));
  const decisionRps = mean(r.decisionRuns.map((x) => x.reqPerSec));
  const bareRps = mean(r.bareRuns.map((x) => x.reqPerSec));
  const floorRps = mean(r.floorRuns.map((x) => x.reqPerSec));
  const baselineRps = r.baseline && mean(r.baseline.runs.map((x) => x.reqPerSec));
  const throughputRatio = decisionRps / bareRps;
  const p99Ratio = r.openDecision.p99 / r.openBare.p99;
  const onRps = mean(r.logOn.map((x) => x.reqPerSec));
  const offRps = mean(r.logOff.map((x) => x.reqPerSec));
  const logCost = 1 - onRps / offRps;
  const onCpu = mean(r.logOn.map((x) => x.serverCpuMicrosPerRequest));
  const offCpu = mean(r.logOff.map((x) => x.serverCpuMicrosPerRequest));
  const big = r.generated.find((g) => g.rules === 10_000)!;
  const bigDecideMs = 1e3 / big.decide.opsPerSec;
  const otherCpu = Math.max(
    ...[
      ...r.decisionRuns,
      ...r.bareRuns,
      ...r.floorRuns,
      ...r.logOn,
      ...r.logOff,
      r.openDecision,
      r.openBare,
      r.openUnlogged,
      r.soak,
    ].map((x) => x.otherCpuPercent),
  );
  const disturbed = otherCpu > 20 || r.inProcessOtherCpuPercent > 20;
  const openErrors = r.openDecision.errors + r.openDecision.non2xx + r.openBare.errors + r.openBare.non2xx;

  const targets = table(
    ["target", "measured", "result"],
    [
      [
        "compiled ≥ 100× json-rules-engine on every default rule set",
        r.defaults.map((d) => `${d.ruleSet} ${d.ratio.toFixed(0)}×`).join(", "),
        verdict(minRatio >= 100),
      ],
      [
        "decision endpoint ≥ 80 % of bare Hono throughput",
        `${int(decisionRps)} / ${int(bareRps)} req/s = ${pct(throughputRatio)}`,
        verdict(throughputRatio >= 0.8),
      ],
      ...(r.baseline && baselineRps
        ? [
            [
              `decision endpoint no slower than at ${r.baseline.revision} (same run; ≥ 95 %, the runs' spread)`,
              `${int(decisionRps)} / ${int(baselineRps)} req/s = ${pct(decisionRps / baselineRps)}`,
              verdict(decisionRps / baselineRps >= 0.95),
            ],
          ]
        : []),
      [
        `at ${int(r.config.rate)} req/s (open loop), decision p99 ≤ 1.5× bare p99`,
        `${ms(r.openDecision.p99)} / ${ms(r.openBare.p99)} = ${p99Ratio.toFixed(2)}×`,
        verdict(p99Ratio <= 1.5 && openErrors === 0),
      ],
      [
        "decision logging costs ≤ 10 % of throughput",
        `${int(onRps)} on / ${int(offRps)} off req/s: costs ${pct(logCost)}; ${int(r.logCounts.written)} logged, ${int(r.logCounts.dropped)} dropped, ${int(r.logCounts.failed)} failed`,
        verdict(logCost <= 0.1 && r.logCounts.dropped === 0 && r.logCounts.failed === 0),
      ],
      [
        `memory flat over ${r.soak.seconds} s at ${int(r.soak.rate)} req/s`,
        `RSS ${mb(r.soak.afterWarmupBytes)} at ${r.soak.warmupSecond} s → ${mb(r.soak.endBytes)} at end (${signed(r.soak.drift)}), trend ${signed(r.soak.trend)}, max ${mb(r.soak.maxBytes)}`,
        verdict(isFlat(r.soak)),
      ],
      [
        "1 000 000 logged decisions replayed against a draft in under 60 s",
        `${int(r.replay.replayed)} in ${r.replay.replaySeconds.toFixed(1)} s (replay thread ${((r.replay.replayCpuSeconds / r.replay.replayed) * 1e6).toFixed(1)} µs CPU a decision); decision p99 ${ms(r.replay.idle.p99)} idle, ${ms(r.replay.during.p99)} during`,
        verdict(r.replay.replayed >= 1_000_000 && r.replay.replaySeconds < 60),
      ],
      postgresTarget(r.postgres),
      [
        "10 000-rule set compiles < 2 s and decides < 1 ms",
        `compile ${big.compileColdMs.toFixed(0)} ms (cold), Decider.decide ${bigDecideMs.toFixed(3)} ms`,
        verdict(big.compileColdMs < 2000 && bigDecideMs < 1),
      ],
    ],
  );

  const defaults = table(
    [
      "rule set",
      "rules",
      "json-rules-engine eval/s",
      "compiled eval/s",
      "compiled / json-rules-engine",
      "Decider.decide/s",
      "Decider.decide",
    ],
    r.defaults.map((d) => [
      d.ruleSet,
      d.rules,
      int(d.json.opsPerSec),
      int(d.compiled.opsPerSec),
      `${d.ratio.toFixed(0)}×`,
      int(d.decide.opsPerSec),
      us(d.decide.opsPerSec),
    ]),
  );

  const generated = table(
    [
      "generated rules (enabled)",
      "fired per decision",
      "compile (cold / median of 5)",
      "compiled fire",
      "Decider.decide",
      "json-rules-engine",
      "compiled / json-rules-engine",
    ],
    r.generated.map((g) => [
      `${int(g.rules)} (${int(g.enabledRules)})`,
      int(g.meanFired),
      `${g.compileColdMs.toFixed(1)} / ${g.compileMedianMs.toFixed(1)} ms`,
      `${us(g.compiled.opsPerSec)} (${int(g.compiled.opsPerSec)}/s)`,
      `${us(g.decide.opsPerSec)} (${int(g.decide.opsPerSec)}/s)`,
      "opsPerSec" in g.json
        ? `${(1e3 / g.json.opsPerSec).toFixed(2)} ms (${g.json.opsPerSec.toFixed(1)}/s)`
        : `skipped: ${g.json.skipped}`,
      g.ratio === undefined ? "—" : `${g.ratio.toFixed(0)}×`,
    ]),
  );

  const closedRow = (x: ClosedLoopResult) => [
    x.label,
    int(x.reqPerSec),
    ms(x.p50),
    ms(x.p99),
    `${x.serverCpuPercent.toFixed(0)} %`,
    x.serverCpuMicrosPerRequest.toFixed(0),
    `${x.clientCpuPercent.toFixed(0)} %`,
    `${x.otherCpuPercent.toFixed(0)} %`,
    x.non2xx + x.errors,
  ];
  const closedHead = [
    "run",
    "req/s",
    "p50",
    "p99",
    "server CPU",
    "server CPU µs/req",
    "client CPU",
    "other CPU",
    "non-2xx + errors",
  ];
  const throughput = table(closedHead, [
    ...r.decisionRuns.flatMap((d, i) => [
      closedRow(d),
      ...(r.baseline ? [closedRow(r.baseline.runs[i]!)] : []),
      closedRow(r.bareRuns[i]!),
      closedRow(r.floorRuns[i]!),
    ]),
    [
      "**mean decision / bare**",
      `${int(decisionRps)} / ${int(bareRps)} = ${pct(throughputRatio)}`,
      "",
      "",
      "",
      "",
      "",
      "",
      "",
    ],
    ...(r.baseline && baselineRps
      ? [
          [
            `**mean decision / decision at ${r.baseline.revision}**`,
            `${int(decisionRps)} / ${int(baselineRps)} = ${pct(decisionRps / baselineRps)}`,
            "",
            "",
            "",
            "",
            "",
            "",
            "",
          ],
        ]
      : []),
    [
      "mean floor / bare (diagnosis)",
      `${int(floorRps)} / ${int(bareRps)} = ${pct(floorRps / bareRps)}`,
      "",
      "",
      "",
      "",
      "",
      "",
      "",
    ],
  ]);

  const openRow = (label: string, o: OpenLoopResult & CpuShare) => [
    label,
    int(o.achievedRate),
    ms(o.p50),
    ms(o.p90),
    ms(o.p99),
    ms(o.max),
    ms(o.sendLagP99),
    `${o.serverCpuPercent.toFixed(0)} %`,
    `${o.otherCpuPercent.toFixed(0)} %`,
    o.non2xx + o.errors,
  ];
  const open = table(
    [
      "endpoint",
      "req/s",
      "p50",
      "p90",
      "p99",
      "max",
      "generator lag p99",
      "server CPU",
      "other CPU",
      "non-2xx + errors",
    ],
    [
      openRow("decision", r.openDecision),
      openRow("bare Hono", r.openBare),
      ["**p99 decision / bare**", "", "", "", `${p99Ratio.toFixed(2)}×`, "", "", "", "", ""],
      openRow("decision, log off (diagnosis, not a target)", r.openUnlogged),
    ],
  );

  const soak = table(
    [
      "RSS at start (idle)",
      `after ${r.soak.warmupSecond} s`,
      "max",
      "end",
      "end vs after warm-up",
      "trend from warm-up on",
      "flat (no growth > 10 %)",
      "load",
      "p99 under load",
      "other CPU",
    ],
    [
      [
        mb(r.soak.startBytes),
        mb(r.soak.afterWarmupBytes),
        mb(r.soak.maxBytes),
        mb(r.soak.endBytes),
        signed(r.soak.drift),
        signed(r.soak.trend),
        isFlat(r.soak) ? "yes" : "no",
        `${int(r.soak.load.achievedRate)} req/s × ${r.soak.seconds} s, ${r.soak.samples} samples`,
        ms(r.soak.load.p99),
        `${r.soak.otherCpuPercent.toFixed(0)} %`,
      ],
    ],
  );

  const logging = table(closedHead, [
    ...r.logOn.flatMap((on, i) => [closedRow(on), closedRow(r.logOff[i]!)]),
    [
      "**mean on / off**",
      `${int(onRps)} / ${int(offRps)} = ${pct(onRps / offRps)} (costs ${pct(logCost)})`,
      "",
      "",
      "",
      `${onCpu.toFixed(0)} / ${offCpu.toFixed(0)} (+${pct(onCpu / offCpu - 1)})`,
      "",
      "",
      "",
    ],
  ]);

  const c = r.config;
  return `# aftersales-rules benchmark

Machine: **${r.machine.cpu}**, ${r.machine.cores} cores, Node ${r.machine.node}; ${r.machine.date}; load average at start ${r.machine.loadAtStart}, at end ${r.loadAtEnd}; ${r.totalSeconds.toFixed(0)} s in all.
Load generator and servers share the machine: each server is one Node process; "client CPU" is the load generator (this process), "other CPU" everything else on the machine, in % of one core (should be ≈ 0; max seen: ${otherCpu.toFixed(0)} % during the HTTP runs, ${r.inProcessOtherCpuPercent.toFixed(0)} % during (a)).
${disturbed ? `\n> ⚠ **Other processes were busy during this run** (up to ${Math.round(Math.max(otherCpu, r.inProcessOtherCpuPercent))} % of a core on a 2-core machine): the absolute numbers are low and noisy, and the ratios less reliable. Rerun on a quiet machine before judging a target.\n` : ""}
## Targets

${targets}

## (a) In-process evaluation (${c.cases} cases per rule set, ${c.seconds} s per measurement after warm-up)

The bench process had ${Math.round(Math.min(...r.defaults.flatMap((d) => [d.json.cpuPercent, d.compiled.cpuPercent, d.decide.cpuPercent])))}–${Math.round(Math.max(...r.defaults.flatMap((d) => [d.json.cpuPercent, d.compiled.cpuPercent, d.decide.cpuPercent])))} % of a core during these measurements (GC threads count too). Rule facts are derived once per case; json-rules-engine is \`await runEngine(engine, facts)\`, compiled is \`compiled.fire(facts)\`, Decider.decide is the whole compiled decision (derive facts, fire, fold, complete).

${defaults}

Generated refund-eligibility rule sets (selective like real policy rules: most name a situation — order status, refund reason, refund state, product type — and narrow it with 2–4 more leaves; some any / not / shared-condition rules; validated like a publish), over the refund-eligibility case mix:

${generated}

## (b) HTTP throughput (autocannon, ${c.connections} connections, pipelining 1, ${c.httpSeconds} s per run, alternating)

POST /api/v1/decisions/refund-eligibility with the README's 满就减 case; the real service (\`node --import tsx server/main.ts\` on a fresh SQLite file: body limit, API-key auth, per-key rate limiter (set to 10 000 000/s so that it counts but never refuses), security headers, validation, decision log, metrics) vs bench/bare-server.ts (same body parsed with c.req.json(), small JSON reply). The "floor" rows (diagnosis, not a target) are bench/floor-server.ts: node:http as the service's fast path uses it — the body read and parsed, the service's security headers — answering the real decision's text as a constant, so decision / floor is what deciding costs and floor / bare what the HTTP layer does. Each server is warmed up first (≥ 5 s and ≥ 20 000 requests).${r.baseline ? ` The "decision at ${r.baseline.revision}" rows are the same service built from that revision (BENCH_BASELINE, a git worktree sharing node_modules), run alternating with this one.` : ""}

${throughput}

## (c) Latency at a fixed ${int(c.rate)} req/s, open loop (${c.openLoopSeconds} s; latency from each request's scheduled time)

${open}

## (d) RSS of the real service (fresh process, open loop at ${int(c.rate)} req/s for ${c.soakSeconds} s, sampled every second)

${soak}

## (e) Decision log on vs off (bench/unlogged-server.ts; autocannon as in (b), alternating)

${logging}

The logged service's decision log over (b), (c) and (e): ${int(r.logCounts.written)} decisions written, ${int(r.logCounts.dropped)} dropped (queue full), ${int(r.logCounts.failed)} failed.

${r.analysis ? renderAnalysis(r.analysis) : ""}
${renderReplaySection(r.replay)}
${renderPostgresSection(r.postgres)}

${MEASUREMENTS_SECTION}
`;
}

/** (g): the replay's rate against its target, and the decision endpoint's latency before and during it. */
export function renderReplaySection(r: ReplayBenchResult): string {
  const perSecond = r.replayed / r.replaySeconds;
  const load = (label: string, x: OpenLoopResult) => [
    label,
    `${int(x.achievedRate)} req/s`,
    ms(x.p50),
    ms(x.p99),
    ms(x.max),
    x.errors + x.non2xx === 0 ? "0" : `${x.errors + x.non2xx}`,
  ];
  return `## (g) Impact replay (bench/replay.ts; \`tsx bench/run-replay.ts\` runs only this)

A decision log of ${int(r.records)} refund-eligibility decisions (${int(r.distinctCases)} distinct cases of the bench's mix, each logged many times over the last 29 days; ${mb(r.databaseBytes)} of SQLite, filled in ${r.fillSeconds.toFixed(1)} s) replayed by the real service against a draft that widens the seven-day window to 10 days and refunds coupon orders at the full price: POST …/impact to \`done\`, the worker thread at nice 19 reading 2 000 rows a page.

${table(
  ["target", "measured", "result"],
  [
    [
      "1 000 000 logged decisions replayed in under 60 s",
      `${int(r.replayed)} in ${r.replaySeconds.toFixed(1)} s = ${int(perSecond)}/s (${int(r.changed)} changed)`,
      verdict(r.replayed >= 1_000_000 && r.replaySeconds < 60),
    ],
  ],
)}

The replay's own cost, whatever else runs: its thread used ${r.replayCpuSeconds.toFixed(1)} s of CPU, ${((r.replayCpuSeconds / r.replayed) * 1e6).toFixed(1)} µs a decision (starting the thread and loading its code included), so ${int(r.replayed / r.replayCpuSeconds)}/s on a core of its own; with the decision log's writer, the other nice-19 thread, ${r.lowPriorityCpuSeconds.toFixed(1)} s. Meanwhile the rest of the machine kept ${r.otherBusyCores.toFixed(2)} cores busy (load average ${r.loadAverage.toFixed(1)} at the end): at nice 19 the replay gets only what they leave, by design.

The decision endpoint at ${int(r.rate)} req/s (open loop, the case of (c)), before the replay and while it runs:

${table(["", "achieved", "p50", "p99", "max", "errors"], [load("idle", r.idle), load("during the replay", r.during)])}
`;
}

/** A log kept up when every decision the service answered is a row once it stopped, none dropped or failed. */
const keptUp = (l: LogKeptUp) => l.rows === l.decided && l.dropped === 0 && l.failed === 0;

/** (h)'s line among the targets: the decision log keeps up with the service on PostgreSQL as on SQLite. */
function postgresTarget(r: PostgresBenchResult): string[] {
  const target = "decision log on PostgreSQL keeps up: every decision answered is a row (h)";
  if (r.status === "unavailable")
    return [target, `PostgreSQL at ${r.server} not usable: ${r.reason}`, "**NOT MEASURED**"];
  return [
    target,
    r.logs.map((l) => `${l.database} ${int(l.decided)} answered, ${int(l.rows)} rows`).join("; "),
    verdict(r.logs.every(keptUp)),
  ];
}

/** (h): decisions/s and decision-log rows/s on PostgreSQL beside SQLite, or why they were not measured. */
export function renderPostgresSection(r: PostgresBenchResult): string {
  const title = "## (h) PostgreSQL beside SQLite (bench/postgres.ts; `tsx bench/run-postgres.ts` runs only this)";
  if (r.status === "unavailable")
    return `${title}

> ⚠ **Not measured: PostgreSQL at ${r.server} was not usable** (${r.reason}); ${r.date}. Start it, or point BENCH_POSTGRES_URL at a server, and run \`tsx bench/run-postgres.ts\`.
`;
  const on = (database: ServiceRun["database"]) => r.runs.filter((x) => x.database === database);
  const meanOf = (runs: readonly ServiceRun[], value: (x: ServiceRun) => number) => mean(runs.map(value));
  const [sqlite, postgres] = [on("SQLite"), on("PostgreSQL")];
  const ratio = (value: (x: ServiceRun) => number) =>
    `${(meanOf(postgres, value) / meanOf(sqlite, value)).toFixed(2)}×`;
  const cpu = (percent: number | undefined, micros: number | undefined) =>
    percent === undefined || micros === undefined ? "—" : `${percent.toFixed(0)} % (${micros.toFixed(0)} µs/req)`;
  const service = table(
    ["run", "req/s", "p50", "p99", "service CPU", "database CPU", "client CPU", "other CPU", "non-2xx + errors"],
    [
      ...r.runs.map((x) => [
        x.label,
        int(x.reqPerSec),
        ms(x.p50),
        ms(x.p99),
        cpu(x.serverCpuPercent, x.serverCpuMicrosPerRequest),
        x.database === "SQLite" ? "in the service" : cpu(x.databaseCpuPercent, x.databaseCpuMicrosPerRequest),
        `${x.clientCpuPercent.toFixed(0)} %`,
        `${x.otherCpuPercent.toFixed(0)} %`,
        x.non2xx + x.errors,
      ]),
      [
        "**mean PostgreSQL / SQLite**",
        `${int(meanOf(postgres, (x) => x.reqPerSec))} / ${int(meanOf(sqlite, (x) => x.reqPerSec))} = ${ratio((x) => x.reqPerSec)}`,
        ratio((x) => x.p50),
        ratio((x) => x.p99),
        ratio((x) => x.serverCpuMicrosPerRequest),
        "",
        "",
        "",
        "",
      ],
    ],
  );
  const logs = table(
    [
      "database",
      "decisions answered",
      "written when the load stopped",
      "still queued then",
      "dropped (queue full)",
      "failed",
      "rows in decision_log after the stop",
      "kept up",
    ],
    r.logs.map((l) => [
      l.database,
      int(l.decided),
      int(l.written),
      int(l.decided - l.written - l.dropped - l.failed),
      int(l.dropped),
      int(l.failed),
      int(l.rows),
      keptUp(l) ? "yes" : "**no**",
    ]),
  );
  const writesOn = (database: ServiceRun["database"]) => r.writes.filter((w) => w.database === database);
  const rowsPerSec = (database: ServiceRun["database"]) => mean(writesOn(database).map((w) => w.rowsPerSec));
  const writes = table(
    ["run", "rows/s", "bench process CPU a row", "database CPU a row"],
    [
      ...r.writes.map((w) => [
        `${w.database} #${w.run}`,
        int(w.rowsPerSec),
        `${w.clientCpuMicrosPerRow.toFixed(1)} µs`,
        w.database === "SQLite"
          ? "in the bench process"
          : w.databaseCpuMicrosPerRow === undefined
            ? "—"
            : `${w.databaseCpuMicrosPerRow.toFixed(1)} µs`,
      ]),
      [
        "**mean PostgreSQL / SQLite**",
        `${int(rowsPerSec("PostgreSQL"))} / ${int(rowsPerSec("SQLite"))} = ${(rowsPerSec("PostgreSQL") / rowsPerSec("SQLite")).toFixed(2)}×`,
        "",
        "",
      ],
    ],
  );
  const rows = r.writes[0]?.rows ?? 0;
  const otherCpu = Math.max(...r.runs.map((x) => x.otherCpuPercent));
  return `${title}
${otherCpu > 20 ? `\n> ⚠ **Other processes were busy during this section** (up to ${Math.round(otherCpu)} % of a core besides the service, its database and the load generator): the absolute numbers are low and noisy. Rerun \`tsx bench/run-postgres.ts\` on a quiet machine before comparing them.\n` : ""}
PostgreSQL ${r.version} at ${r.server} on this machine, a fresh database for each use below (template0, C.UTF-8 collation), dropped at the end; ${r.date}, ${r.totalSeconds.toFixed(0)} s. "Database CPU" is what the PostgreSQL backends connected to that database used (from /proc), left out of "other CPU"; on SQLite the same work is inside the service (or the bench process).

The real service (\`server/main.ts\`, decision log on) with \`DATABASE_URL\` a fresh SQLite file or a fresh PostgreSQL database, each warmed up as in (b), then autocannon as in (b) (${r.connections} connections, pipelining 1, ${r.httpSeconds} s a run), alternating:

${service}

Whether each service's log kept up: its decisions answered (\`aftersales_decisions_total\`) and its log's counters once the load stopped, then the rows in decision_log after the service was stopped (SIGTERM writes what the log still queues). A log that falls behind fills its queue and drops what does not fit:

${logs}

The log's write path alone: ${int(rows)} decided records (the bench's refund-eligibility mix) through \`writeRecords\`, 500 rows a transaction one after the other, as the writer thread writes them, on a freshly migrated and seeded database through \`connectDatabase(url, "log-writer")\` (SQLite \`synchronous=NORMAL\`; PostgreSQL one connection), alternating:

${writes}
`;
}
