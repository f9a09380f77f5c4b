/**
 * `npm run bench`: the decision service's performance targets, measured in one run on this
 * machine, printed and written to bench/results.md.
 *
 * (a) in-process rule evaluation: json-rules-engine vs the compiled closures, and Decider.decide,
 *     for the default rule sets and generated rule sets of 1 000 and 10 000 rules;
 * (b) HTTP throughput of the real service vs a bare Hono endpoint (autocannon, closed loop);
 * (c) latency at a fixed rate from an open-loop generator;
 * (d) the real service's RSS over a soak at that rate;
 * (e) what the decision log costs in throughput;
 * (f) the static analysis of the default rule sets and of a generated 1 000-rule set.
 * (g) replaying a million logged decisions against a draft, and the decision endpoint's latency meanwhile.
 * (h) the real service and its decision log's writes on a fresh PostgreSQL database beside a SQLite file.
 *
 * Knobs (environment): BENCH_SECONDS (in-process window, 2), BENCH_HTTP_SECONDS (10),
 * BENCH_HTTP_RUNS (runs per endpoint, alternating, 2), BENCH_OPEN_LOOP_SECONDS (15),
 * BENCH_SOAK_SECONDS (60), BENCH_RATE (1000 req/s), BENCH_CONNECTIONS (10), BENCH_REPLAY_RECORDS (1 000 000), BENCH_BASELINE (a git revision: its
 * service is measured in (b) too, alternating with this one, so that a change is compared with what it changed),
 * BENCH_POSTGRES_URL (the server (h) creates its databases on, postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_POSTGRES_LOG_RECORDS (rows a log-write run of (h), 25 000).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { benchAnalysis } from "./analysis.ts";
import { refundEligibilityBody } from "./cases.ts";
import { closedLoop, type ClosedLoopResult, warmUp } from "./closed-loop.ts";
import { benchDefaultRuleSets, benchGeneratedRuleSet } from "./in-process.ts";
import { openLoop, type OpenLoopResult } from "./open-loop.ts";
import { benchPostgres, DEFAULT_POSTGRES_URL } from "./postgres.ts";
import { renderReport, type BenchResults, type SoakResult } from "./report.ts";
import { benchReplay } from "./replay.ts";
import {
  BENCH_API_KEY,
  checkoutRevision,
  decisionLogCounts,
  machineCpuSeconds,
  startBareServer,
  startFloorServer,
  startRealService,
  type Checkout,
  type ServerProcess,
} from "./servers.ts";

function setting(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return process.env[name] !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

const config = {
  seconds: setting("BENCH_SECONDS", 2),
  warmupSeconds: 0.5,
  httpSeconds: setting("BENCH_HTTP_SECONDS", 10),
  httpRuns: Math.round(setting("BENCH_HTTP_RUNS", 2)),
  openLoopSeconds: setting("BENCH_OPEN_LOOP_SECONDS", 15),
  soakSeconds: setting("BENCH_SOAK_SECONDS", 60),
  rate: setting("BENCH_RATE", 1000),
  connections: Math.round(setting("BENCH_CONNECTIONS", 10)),
  cases: 200,
  jsonBudgetSeconds: 60,
  baseline: process.env.BENCH_BASELINE || undefined,
  replayRecords: setting("BENCH_REPLAY_RECORDS", 1_000_000),
  postgresUrl: process.env.BENCH_POSTGRES_URL || DEFAULT_POSTGRES_URL,
  postgresLogRecords: setting("BENCH_POSTGRES_LOG_RECORDS", 25_000),
};

const log = (line: string) => console.log(line);
const benchStarted = performance.now();

const machine = {
  cpu: /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ?? "unknown",
  cores: availableParallelism(),
  node: process.version,
  loadAtStart: loadavg()
    .map((v) => v.toFixed(2))
    .join(" "),
  date: new Date().toISOString(),
};
log(`machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load average ${machine.loadAtStart}`);

const path = "/api/v1/decisions/refund-eligibility";
const headers = { "content-type": "application/json", authorization: `Bearer ${BENCH_API_KEY}` };
const http = { path, body: refundEligibilityBody, headers, connections: config.connections };

log(`\n(a) in-process, ${config.seconds} s per measurement after ${config.warmupSeconds} s of warm-up`);
const inProcess = {
  seconds: config.seconds,
  warmupSeconds: config.warmupSeconds,
  cases: config.cases,
  jsonBudgetSeconds: config.jsonBudgetSeconds,
  log,
};
const inProcessCpu = startCpuWatch();
const defaults = await benchDefaultRuleSets(inProcess);
const generated = [await benchGeneratedRuleSet(1_000, inProcess), await benchGeneratedRuleSet(10_000, inProcess)];
const inProcessOtherCpuPercent = inProcessCpu.stop().otherCpuPercent;
log(`  (other processes used ${inProcessOtherCpuPercent.toFixed(0)} % of a core meanwhile)`);

log("\n(f) static analysis of a draft, in process");
const analysis = benchAnalysis(log);

const servers: ServerProcess[] = [];
const started = async (server: Promise<ServerProcess>) => {
  const s = await server;
  servers.push(s);
  return s;
};
const stopAll = async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
};
process.on("SIGINT", () => void stopAll().finally(() => process.exit(130)));

const printClosed = (r: ClosedLoopResult) =>
  log(
    `  ${r.label}: ${Math.round(r.reqPerSec)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, ` +
      `server CPU ${r.serverCpuPercent.toFixed(0)}% (${r.serverCpuMicrosPerRequest.toFixed(0)} µs/req), client ${r.clientCpuPercent.toFixed(0)}%, other ${r.otherCpuPercent.toFixed(0)}%` +
      (r.non2xx || r.errors ? `, ${r.non2xx} non-2xx, ${r.errors} errors` : ""),
  );
const printOpen = (label: string, r: OpenLoopResult & CpuShare) =>
  log(
    `  ${label}: ${r.achievedRate.toFixed(0)} req/s, p50 ${r.p50.toFixed(2)} ms, p90 ${r.p90.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, max ${r.max.toFixed(2)} ms` +
      ` (generator lag p99 ${r.sendLagP99.toFixed(2)} ms, server CPU ${r.serverCpuPercent.toFixed(0)}%, other ${r.otherCpuPercent.toFixed(0)}%)` +
      (r.non2xx || r.errors ? `, ${r.non2xx} non-2xx, ${r.errors} errors` : ""),
  );

let results: BenchResults;
let baselineCheckout: Checkout | undefined;
try {
  log(
    `\n(b) HTTP throughput: autocannon, ${config.connections} connections, pipelining 1, ${config.httpSeconds} s per run, alternating`,
  );
  const decision = await started(startRealService());
  const bare = await started(startBareServer());
  // not a target: node:http as the fast path uses it, answering a constant — how far HTTP alone is from bare Hono
  const floor = await started(startFloorServer());
  baselineCheckout = config.baseline === undefined ? undefined : checkoutRevision(config.baseline);
  const baseline = baselineCheckout && (await started(startRealService({ checkout: baselineCheckout })));
  await warmUp(decision, http);
  await warmUp(bare, http);
  await warmUp(floor, http);
  if (baseline) await warmUp(baseline, http);
  const decisionRuns: ClosedLoopResult[] = [];
  const bareRuns: ClosedLoopResult[] = [];
  const floorRuns: ClosedLoopResult[] = [];
  const baselineRuns: ClosedLoopResult[] = [];
  for (let run = 1; run <= config.httpRuns; run++) {
    decisionRuns.push(await closedLoop(`decision #${run}`, decision, { ...http, seconds: config.httpSeconds }));
    printClosed(decisionRuns.at(-1)!);
    if (baseline) {
      baselineRuns.push(
        await closedLoop(`decision at ${config.baseline} #${run}`, baseline, { ...http, seconds: config.httpSeconds }),
      );
      printClosed(baselineRuns.at(-1)!);
    }
    bareRuns.push(await closedLoop(`bare #${run}`, bare, { ...http, seconds: config.httpSeconds }));
    printClosed(bareRuns.at(-1)!);
    floorRuns.push(await closedLoop(`floor #${run}`, floor, { ...http, seconds: config.httpSeconds }));
    printClosed(floorRuns.at(-1)!);
  }
  await floor.stop();
  await baseline?.stop();

  const unlogged = await started(startRealService({ decisionLog: "off" }));
  await warmUp(unlogged, http);

  log(`\n(c) open loop at ${config.rate} req/s for ${config.openLoopSeconds} s`);
  const openOptions = {
    path,
    body: refundEligibilityBody,
    headers,
    rate: config.rate,
    seconds: config.openLoopSeconds,
  };
  const openDecision = await watched(decision, () => openLoop({ origin: decision.origin, ...openOptions }));
  printOpen("decision", openDecision);
  const openBare = await watched(bare, () => openLoop({ origin: bare.origin, ...openOptions }));
  printOpen("bare", openBare);
  // not a target: the same decision service without its log, to tell the log's flushes from the rest in the tail
  const openUnlogged = await watched(unlogged, () => openLoop({ origin: unlogged.origin, ...openOptions }));
  printOpen("decision, log off", openUnlogged);
  await bare.stop();

  log(`\n(e) decision log on vs off: ${config.httpSeconds} s per run, alternating`);
  const logOn: ClosedLoopResult[] = [];
  const logOff: ClosedLoopResult[] = [];
  for (let run = 1; run <= config.httpRuns; run++) {
    logOn.push(await closedLoop(`log on #${run}`, decision, { ...http, seconds: config.httpSeconds }));
    printClosed(logOn.at(-1)!);
    logOff.push(await closedLoop(`log off #${run}`, unlogged, { ...http, seconds: config.httpSeconds }));
    printClosed(logOff.at(-1)!);
  }
  // a log that cannot keep up drops records, which would make it look cheaper than it is
  const logCounts = await decisionLogCounts(decision);
  log(
    `  the logged service's decision log over (b), (c) and (e): ${logCounts.written} written, ${logCounts.dropped} dropped, ${logCounts.failed} failed`,
  );
  await stopAll();

  log(`\n(d) RSS of a fresh service over ${config.soakSeconds} s at ${config.rate} req/s (open loop)`);
  const soaked = await started(startRealService());
  const soak = await watched(soaked, () => runSoak(soaked, { ...openOptions, seconds: config.soakSeconds }));
  await stopAll();

  log(
    `\n(g) impact replay of ${config.replayRecords} logged decisions, the decision endpoint at ${config.rate} req/s meanwhile`,
  );
  const replay = await benchReplay({
    records: config.replayRecords,
    rate: config.rate,
    seconds: config.openLoopSeconds,
    log,
  });

  log(
    `\n(h) PostgreSQL beside SQLite: the service as in (b), ${config.httpRuns} × ${config.httpSeconds} s each, alternating; ${config.postgresLogRecords} log rows a write run`,
  );
  const postgres = await benchPostgres({
    serverUrl: config.postgresUrl,
    http,
    httpSeconds: config.httpSeconds,
    httpRuns: config.httpRuns,
    logRecords: config.postgresLogRecords,
    log,
  });

  results = {
    machine,
    config,
    inProcessOtherCpuPercent,
    defaults,
    generated,
    decisionRuns,
    bareRuns,
    floorRuns,
    baseline: config.baseline === undefined ? undefined : { revision: config.baseline, runs: baselineRuns },
    openDecision,
    openBare,
    openUnlogged,
    logOn,
    logOff,
    logCounts,
    soak,
    analysis,
    replay,
    postgres,
    totalSeconds: (performance.now() - benchStarted) / 1000,
    loadAtEnd: loadavg()
      .map((v) => v.toFixed(2))
      .join(" "),
  };
} finally {
  await stopAll();
  baselineCheckout?.remove();
}

const report = renderReport(results);
writeFileSync(new URL("./results.md", import.meta.url), report);
log(`\n${report}`);
log(`written to bench/results.md in ${results.totalSeconds.toFixed(0)} s`);
process.exit(0);

type CpuShare = { serverCpuPercent: number; otherCpuPercent: number };

/** CPU use while `run` runs: the server's, and everyone else's but ours (% of one core). */
async function watched<T extends object>(server: ServerProcess, run: () => Promise<T>): Promise<T & CpuShare> {
  const serverBefore = server.cpuSeconds();
  const watch = startCpuWatch();
  const result = await run();
  const serverCpu = server.cpuSeconds() - serverBefore;
  const { wall, otherCpuPercent } = watch.stop(serverCpu);
  return { ...result, serverCpuPercent: (serverCpu / wall) * 100, otherCpuPercent };
}

/** Machine CPU not used by this process (nor by `alsoOurs` seconds of a server), % of one core. */
function startCpuWatch() {
  const machineBefore = machineCpuSeconds().busy;
  const ownBefore = process.cpuUsage();
  const started = performance.now();
  return {
    stop(alsoOurs = 0) {
      const wall = (performance.now() - started) / 1000;
      const own = process.cpuUsage(ownBefore);
      const other = machineCpuSeconds().busy - machineBefore - (own.user + own.system) / 1e6 - alsoOurs;
      return { wall, otherCpuPercent: Math.max(0, (other / wall) * 100) };
    },
  };
}

/** Samples the server's RSS before and every second during an open-loop run. */
/** The slope of the least-squares line through `points`. */
function slope(points: [number, number][]): number {
  const n = points.length;
  const mx = points.reduce((sum, [x]) => sum + x, 0) / n;
  const my = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const sxy = points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0);
  const sxx = points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

async function runSoak(
  server: ServerProcess,
  options: Omit<Parameters<typeof openLoop>[0], "origin">,
): Promise<SoakResult> {
  const startBytes = server.rssBytes();
  const samples: { second: number; bytes: number }[] = [];
  const t0 = performance.now();
  const sampler = setInterval(() => {
    samples.push({ second: Math.round((performance.now() - t0) / 1000), bytes: server.rssBytes() });
  }, 1000);
  const load = await openLoop({ origin: server.origin, ...options });
  clearInterval(sampler);
  const bytes = samples.map((s) => s.bytes);
  const afterWarmup =
    samples.find((s) => s.second >= Math.min(10, Math.floor(options.seconds / 2)))?.bytes ?? bytes[0] ?? startBytes;
  const endBytes = bytes.at(-1) ?? startBytes;
  const warmupSecond = Math.min(10, Math.floor(options.seconds / 2));
  const settled = samples.filter((s) => s.second >= warmupSecond);
  const result: SoakResult = {
    seconds: options.seconds,
    rate: options.rate,
    startBytes,
    afterWarmupBytes: afterWarmup,
    warmupSecond,
    maxBytes: Math.max(startBytes, ...bytes),
    endBytes,
    drift: (endBytes - afterWarmup) / afterWarmup,
    trend:
      settled.length < 2
        ? 0
        : (slope(settled.map((s) => [s.second, s.bytes])) * (settled.at(-1)!.second - settled[0]!.second)) /
          afterWarmup,
    samples: samples.length,
    load,
  };
  const mb = (b: number) => (b / 1048576).toFixed(1);
  log(
    `  RSS start ${mb(startBytes)} MB, at ${result.warmupSecond} s ${mb(afterWarmup)} MB, max ${mb(result.maxBytes)} MB, end ${mb(endBytes)} MB ` +
      `(${(result.drift * 100).toFixed(1)}% since ${result.warmupSecond} s, trend ${(result.trend * 100).toFixed(1)}%); ${Math.round(load.achievedRate)} req/s, p99 ${load.p99.toFixed(2)} ms`,
  );
  return result;
}
