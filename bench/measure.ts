/** Fixed-time measurement loops: a warm-up, then as many operations as fit in the window. */

/** `cpuPercent`: this process's CPU time over the window, % of one core (below ~95: it was kept waiting for a core). */
export type Throughput = { ops: number; seconds: number; opsPerSec: number; cpuPercent: number };

/** Keeps results alive so that the JIT cannot drop the work being measured. */
export let sink = 0;

/** Runs `op(i)` for `warmupSeconds`, then counts how many complete in `seconds`. */
export function measureSync(op: (i: number) => number, seconds: number, warmupSeconds: number): Throughput {
  loopSync(op, warmupSeconds, 0);
  return loopSync(op, seconds, 0);
}

function loopSync(op: (i: number) => number, seconds: number, minOps: number): Throughput {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const until = started + seconds * 1000;
  let ops = 0;
  let now = started;
  let acc = 0;
  for (;;) {
    // check the clock every 64 operations: reading it costs more than one compiled evaluation
    for (let k = 0; k < 64; k++) acc += op(ops++);
    now = performance.now();
    if (now >= until && ops >= minOps) break;
  }
  sink += acc;
  const elapsed = (now - started) / 1000;
  return { ops, seconds: elapsed, opsPerSec: ops / elapsed, cpuPercent: cpuPercentSince(cpu, elapsed) };
}

/** As measureSync, awaiting each operation in turn (one at a time, as a request handler would). */
export async function measureAsync(
  op: (i: number) => Promise<number>,
  seconds: number,
  warmupSeconds: number,
  minOps = 1,
): Promise<Throughput> {
  await loopAsync(op, warmupSeconds, 1);
  return loopAsync(op, seconds, minOps);
}

async function loopAsync(op: (i: number) => Promise<number>, seconds: number, minOps: number): Promise<Throughput> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const until = started + seconds * 1000;
  let ops = 0;
  let now = started;
  let acc = 0;
  for (;;) {
    acc += await op(ops++);
    now = performance.now();
    if (now >= until && ops >= minOps) break;
  }
  sink += acc;
  const elapsed = (now - started) / 1000;
  return { ops, seconds: elapsed, opsPerSec: ops / elapsed, cpuPercent: cpuPercentSince(cpu, elapsed) };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

/** The p-th percentile (0–100) of values already sorted ascending, nearest rank. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

function cpuPercentSince(before: NodeJS.CpuUsage, seconds: number): number {
  const used = process.cpuUsage(before);
  return ((used.user + used.system) / 1e6 / seconds) * 100;
}
