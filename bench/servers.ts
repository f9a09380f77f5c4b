import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const BENCH_API_KEY = "asr_bench_key_with_every_scope_0000000";

/** A server under test, in its own process, so that its CPU and memory are its own. */
export type ServerProcess = {
  name: string;
  origin: string;
  pid: number;
  /** CPU time of the whole process (every thread), in seconds. */
  cpuSeconds(): number;
  /** Resident set size, in bytes. */
  rssBytes(): number;
  stop(): Promise<void>;
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** utime + stime of a process from /proc/<pid>/stat, in seconds. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** VmRSS of a process from /proc/<pid>/status, in bytes. */
export function processRssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** Busy and total CPU time of the whole machine (every core), in seconds, from /proc/stat. */
export function machineCpuSeconds(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!;
  const values = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = values.reduce((sum, v) => sum + v, 0);
  const idle = values[3]! + values[4]!;
  return { busy: (total - idle) / CLOCK_TICKS, total: total / CLOCK_TICKS };
}

async function spawnServer(
  name: string,
  args: string[],
  env: Record<string, string>,
  dir?: string,
  cwd = ROOT,
): Promise<ServerProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, HOST: "127.0.0.1", PORT: String(port), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-4000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let running = true;
  void exited.then(() => {
    running = false;
  });

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (!running) throw new Error(`${name} exited before it was healthy:\n${output}`);
    try {
      const response = await fetch(`${origin}/healthz`);
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${name} was not healthy within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const pid = child.pid!;
  return {
    name,
    origin,
    pid,
    cpuSeconds: () => processCpuSeconds(pid),
    rssBytes: () => processRssBytes(pid),
    stop: async () => {
      if (running) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await exited;
        clearTimeout(timer);
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The real service, as `npm start` runs it (auth, validation, decision log, metrics), on a fresh
 * SQLite file in a temp dir seeded from rules/, or on `databaseUrl`. `nodeArgs` go before the script (e.g. --cpu-prof).
 * `decisionLog: "off"` runs bench/unlogged-server.ts instead: the same service, its log never fed.
 */
export async function startRealService(
  options: {
    decisionLog?: "on" | "off";
    nodeArgs?: string[] /** another revision's checkout to run instead (checkoutRevision) */;
    checkout?: Checkout /** a database prepared beforehand (the replay's filled log, a PostgreSQL database) instead of a fresh SQLite file */;
    databaseUrl?: string;
  } = {},
): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), "aftersales-bench-"));
  return spawnServer(
    `decision service (log ${options.decisionLog ?? "on"})${options.checkout ? ` at ${options.checkout.revision}` : ""}`,
    [
      ...(options.nodeArgs ?? []),
      "--import",
      "tsx",
      options.decisionLog === "off" ? "bench/unlogged-server.ts" : "server/main.ts",
    ],
    {
      DATABASE_URL: options.databaseUrl ?? join(dir, "bench.db"),
      BOOTSTRAP_API_KEY: BENCH_API_KEY,
      BOOTSTRAP_ADMIN_PASSWORD: "bench-admin-password",
      // the per-key limiter stays on (its cost is part of a decision) but must not refuse the
      // benchmark's one key: the default (1 000/s) would turn the load into 429s
      RATE_LIMIT_PER_KEY: "10000000",
    },
    dir,
    options.checkout?.dir ?? ROOT,
  );
}

/**
 * A detached git worktree of `revision` (BENCH_BASELINE) sharing this checkout's node_modules, so that the service as it
 * was can be measured in the same run, on the same machine, as the service as it is. `remove` deletes the worktree.
 */
export type Checkout = { revision: string; dir: string; remove(): void };

export function checkoutRevision(revision: string): Checkout {
  const dir = mkdtempSync(join(tmpdir(), "aftersales-baseline-"));
  execFileSync("git", ["worktree", "add", "--detach", "--force", dir, revision], { cwd: ROOT, stdio: "ignore" });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  return {
    revision,
    dir,
    remove: () => {
      execFileSync("git", ["worktree", "remove", "--force", dir], { cwd: ROOT, stdio: "ignore" });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The HTTP floor under the decision endpoint (bench/floor-server.ts): node:http with the service's headers, a constant answer. */
export async function startFloorServer(): Promise<ServerProcess> {
  return spawnServer("node:http floor", ["--import", "tsx", "bench/floor-server.ts"], {});
}

/** The bare Hono endpoint (bench/bare-server.ts). */
export async function startBareServer(nodeArgs: string[] = []): Promise<ServerProcess> {
  return spawnServer("bare Hono", [...nodeArgs, "--import", "tsx", "bench/bare-server.ts"], {});
}

/**
 * Decisions the service answered and what its decision log did with them, from its Prometheus metrics: a log that
 * cannot keep up drops records, which would make it look cheaper than it is.
 */
export async function decisionLogCounts(
  server: ServerProcess,
): Promise<{ decided: number; written: number; dropped: number; failed: number }> {
  const text = await (await fetch(`${server.origin}/metrics`)).text();
  const counter = (name: string) => {
    const match = new RegExp(`^aftersales_decision_log_${name}_total (\\S+)$`, "m").exec(text);
    if (!match) throw new Error(`the service's /metrics has no aftersales_decision_log_${name}_total`);
    return Number(match[1]);
  };
  // one series per rule set and version
  const decided = [...text.matchAll(/^aftersales_decisions_total\{[^}]*\} (\S+)$/gm)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
  return { decided, written: counter("written"), dropped: counter("dropped"), failed: counter("failed") };
}
