import { Pool } from "undici";
import { percentile } from "./measure.ts";

export type OpenLoopOptions = {
  origin: string;
  path: string;
  body: string;
  headers: Record<string, string>;
  /** Requests per second, evenly spaced. */
  rate: number;
  seconds: number;
  /** Sockets in the pool; a request waits for a free one, and that wait counts as latency. */
  connections?: number;
};

export type OpenLoopResult = {
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** Completed requests per second over the run. */
  achievedRate: number;
  /** Milliseconds from each request's scheduled time to its whole response. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** How late the generator itself sent requests, p99 (ms): its own jitter, part of the latencies above. */
  sendLagP99: number;
};

/**
 * An open-loop load generator: request i is due at t0 + i / rate, whether or not earlier
 * requests have been answered, and its latency is measured from that due time to the end of
 * its response — so a stall in the server shows up in every request it delays (no coordinated
 * omission), unlike a closed loop or autocannon's fixed rate, which send in bursts per second.
 */
export async function openLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const pool = new Pool(options.origin, { connections: options.connections ?? 32, pipelining: 1 });
  const total = Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const latencies = new Float64Array(total).fill(Number.NaN);
  const lags = new Float64Array(total);
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let done = 0;
  let next = 0;
  let finished!: () => void;
  const allDone = new Promise<void>((resolve) => (finished = resolve));

  const complete = () => {
    if (++done === total) finished();
  };
  const send = (i: number, due: number, now: number) => {
    lags[i] = now - due;
    pool.request({ path: options.path, method: "POST", headers: options.headers, body: options.body }).then(
      async (response) => {
        await response.body.text();
        latencies[i] = performance.now() - due;
        if (response.statusCode >= 200 && response.statusCode < 300) ok++;
        else non2xx++;
        complete();
      },
      () => {
        errors++;
        complete();
      },
    );
  };

  const t0 = performance.now() + 20;
  const tick = () => {
    const now = performance.now();
    // send everything due by now: a late timer makes a small catch-up, never a skipped request
    while (next < total && t0 + next * interval <= now) {
      send(next, t0 + next * interval, now);
      next++;
    }
    if (next < total) setTimeout(tick, Math.max(0, t0 + next * interval - performance.now()));
  };
  setTimeout(tick, 20);
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, (options.seconds + 30) * 1000).unref());
  await Promise.race([allDone, timeout]);
  const elapsed = (performance.now() - t0) / 1000;
  await pool.close();

  const measured = Float64Array.from(latencies.filter((v) => !Number.isNaN(v))).sort();
  const sortedLags = Float64Array.from(lags.subarray(0, next)).sort();
  return {
    sent: next,
    ok,
    non2xx,
    errors: errors + (total - done),
    achievedRate: done / elapsed,
    p50: percentile(measured, 50),
    p90: percentile(measured, 90),
    p99: percentile(measured, 99),
    max: measured.length === 0 ? Number.NaN : measured[measured.length - 1]!,
    sendLagP99: percentile(sortedLags, 99),
  };
}
