import { type AnalysisBenchResult, renderAnalysis } from "./analysis.ts";
import type { ClosedLoopResult } from "./closed-loop.ts";
import type { DefaultRuleSetResult, GeneratedRuleSetResult } from "./in-process.ts";
import { mean } from "./measure.ts";
import type { OpenLoopResult } from "./open-loop.ts";

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
${MEASUREMENTS_SECTION}
`;
}
