import autocannon from "autocannon";
import { percentile } from "./measure.ts";
import { machineCpuSeconds, type ServerProcess } from "./servers.ts";

export type ClosedLoopResult = {
  label: string;
  requests: number;
  reqPerSec: number;
  /** Milliseconds, from autocannon's per-response times (fractional, not its whole-ms histogram). */
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** The server's CPU use over the run, in % of one core, and per request. */
  serverCpuPercent: number;
  serverCpuMicrosPerRequest: number;
  /** This process (the load generator), % of one core: near 100 means the client, not the server, was the limit. */
  clientCpuPercent: number;
  /** Everything else on the machine, % of one core: anything but a few % means the numbers are disturbed. */
  otherCpuPercent: number;
};

export type ClosedLoopOptions = {
  path: string;
  body: string;
  headers: Record<string, string>;
  seconds: number;
  connections: number;
};

/** autocannon against `server`: `connections` sockets, pipelining 1, for `seconds`. */
export async function closedLoop(
  label: string,
  server: ServerProcess,
  options: ClosedLoopOptions,
): Promise<ClosedLoopResult> {
  const latencies: number[] = [];
  const serverCpuBefore = server.cpuSeconds();
  const clientCpuBefore = process.cpuUsage();
  const machineBefore = machineCpuSeconds();
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: server.origin + options.path,
        method: "POST",
        headers: options.headers,
        body: options.body,
        connections: options.connections,
        pipelining: 1,
        duration: options.seconds,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
  const wall = (performance.now() - started) / 1000;
  const serverCpu = server.cpuSeconds() - serverCpuBefore;
  const clientUsage = process.cpuUsage(clientCpuBefore);
  const clientCpu = (clientUsage.user + clientUsage.system) / 1e6;
  const machineAfter = machineCpuSeconds();
  const machineBusy = machineAfter.busy - machineBefore.busy;
  const sorted = Float64Array.from(latencies).sort();
  const ok = result["2xx"];
  return {
    label,
    requests: ok,
    reqPerSec: ok / result.duration,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    non2xx: result.non2xx,
    errors: result.errors,
    serverCpuPercent: (serverCpu / wall) * 100,
    serverCpuMicrosPerRequest: ok === 0 ? Number.NaN : (serverCpu / ok) * 1e6,
    clientCpuPercent: (clientCpu / wall) * 100,
    otherCpuPercent: Math.max(0, ((machineBusy - serverCpu - clientCpu) / wall) * 100),
  };
}

/**
 * Warms a server up until its JIT has settled: at least 5 s and 20 000 requests (at most 20 s),
 * unreported. A decision server reaches its speed only after thousands of decisions.
 */
export async function warmUp(server: ServerProcess, options: Omit<ClosedLoopOptions, "seconds">): Promise<void> {
  const started = performance.now();
  let requests = 0;
  while ((performance.now() - started < 5_000 || requests < 20_000) && performance.now() - started < 20_000) {
    requests += (await closedLoop("warm-up", server, { ...options, seconds: 2 })).requests;
  }
}
