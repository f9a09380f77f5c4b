/**
 * (h) The service and its decision log on PostgreSQL beside SQLite, in one run: the real service on a fresh PostgreSQL
 * database and on a fresh SQLite file, loaded in turn as in (b), then stopped (which flushes their logs) to check that
 * every decision answered became a row; and the log's write path alone on each database, as the writer thread runs it.
 * The PostgreSQL databases are created for the run on BENCH_POSTGRES_URL's server and dropped at its end.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { bootstrapDatabase } from "../server/bootstrap.ts";
import { connectDatabase, type Db, openDatabase } from "../server/db/database.ts";
import { closedLoop, type ClosedLoopOptions, type ClosedLoopResult, warmUp } from "./closed-loop.ts";
import { decidedRecords, recordBatches, ROWS_PER_TRANSACTION, writeBatches } from "./log-records.ts";
import { decisionLogCounts, processCpuSeconds, ROOT, startRealService, type ServerProcess } from "./servers.ts";

/** The server the section creates its databases on, unless BENCH_POSTGRES_URL names another (its database is the maintenance connection's). */
export const DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres";

export type DatabaseKind = "SQLite" | "PostgreSQL";

/**
 * A closed-loop run of the service on one database; on PostgreSQL, also the CPU its backends used (when readable here),
 * which `otherCpuPercent` then leaves out: the database is part of what is measured, not a disturbance.
 */
export type ServiceRun = ClosedLoopResult & {
  database: DatabaseKind;
  databaseCpuPercent?: number;
  databaseCpuMicrosPerRequest?: number;
};

/**
 * Whether the service's log kept up: decisions it answered and what its log had done with them when the load stopped
 * (its metrics), and the rows in decision_log once it stopped.
 */
export type LogKeptUp = {
  database: DatabaseKind;
  decided: number;
  rows: number;
  written: number;
  dropped: number;
  failed: number;
};

/** The log's write path alone: `rows` through writeRecords, ROWS_PER_TRANSACTION a transaction, on a fresh database. */
export type LogWriteRun = {
  database: DatabaseKind;
  run: number;
  rows: number;
  rowsPerSec: number;
  /** This process' CPU a row (on SQLite that is all of the work; on PostgreSQL the client's share). */
  clientCpuMicrosPerRow: number;
  /** The PostgreSQL backend's CPU a row, when readable here. */
  databaseCpuMicrosPerRow?: number;
};

export type PostgresBenchResult = { server: string; date: string } & (
  | { status: "unavailable"; reason: string }
  | {
      status: "measured";
      version: string;
      httpSeconds: number;
      connections: number;
      runs: ServiceRun[];
      logs: LogKeptUp[];
      writes: LogWriteRun[];
      totalSeconds: number;
    }
);

/** Distinct decided cases the log-write runs cycle through. */
const DISTINCT_RECORDS = 2_000;

/**
 * Runs section (h). PostgreSQL unreachable (or refusing to create a database) is a result, `status: "unavailable"` with
 * the reason, so that the rest of the bench goes on; a failure once it is running is thrown like any other section's.
 */
export async function benchPostgres(options: {
  serverUrl: string;
  http: Omit<ClosedLoopOptions, "seconds">;
  httpSeconds: number;
  httpRuns: number;
  logRecords: number;
  log: (line: string) => void;
}): Promise<PostgresBenchResult> {
  const { http, httpSeconds, httpRuns, logRecords, log } = options;
  const began = performance.now();
  const header = { server: shownUrl(options.serverUrl), date: new Date().toISOString() };
  const admin = new pg.Client({ connectionString: options.serverUrl, connectionTimeoutMillis: 5_000 });
  // a connection the server drops while idle must not crash the bench: the next query reports it
  admin.on("error", () => {});
  const databases = new Databases(admin, options.serverUrl);
  let serviceUrl: string;
  let version: string;
  try {
    await admin.connect();
    version = (await admin.query<{ server_version: string }>("show server_version")).rows[0]!.server_version;
    serviceUrl = await databases.create("service");
  } catch (error) {
    await admin.end().catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    log(`  PostgreSQL at ${header.server} is not usable, section (h) not measured: ${reason}`);
    return { ...header, status: "unavailable", reason };
  }

  const dir = mkdtempSync(join(tmpdir(), "aftersales-bench-postgres-"));
  const services: ServerProcess[] = [];
  try {
    const started = [];
    for (const { database, url } of [
      { database: "SQLite" as const, url: join(dir, "service.db") },
      { database: "PostgreSQL" as const, url: serviceUrl },
    ]) {
      const server = await startRealService({ databaseUrl: url });
      services.push(server);
      started.push({ database, url, server });
    }
    for (const { server } of started) await warmUp(server, http);
    const runs: ServiceRun[] = [];
    for (let run = 1; run <= httpRuns; run++) {
      for (const { database, server } of started) {
        const cpuBefore = database === "PostgreSQL" ? await databases.backendCpu("service") : undefined;
        const loadStarted = performance.now();
        const result = await closedLoop(`${database} #${run}`, server, { ...http, seconds: httpSeconds });
        const wall = (performance.now() - loadStarted) / 1000;
        const databaseCpu = cpuUsed(
          cpuBefore,
          database === "PostgreSQL" ? await databases.backendCpu("service") : undefined,
        );
        const measured: ServiceRun = { ...result, database };
        if (databaseCpu !== undefined) {
          measured.databaseCpuPercent = (databaseCpu / wall) * 100;
          measured.databaseCpuMicrosPerRequest = (databaseCpu / result.requests) * 1e6;
          measured.otherCpuPercent = Math.max(0, result.otherCpuPercent - measured.databaseCpuPercent);
        }
        runs.push(measured);
        log(`  ${describeRun(runs.at(-1)!)}`);
      }
    }
    const logs: LogKeptUp[] = [];
    for (const { database, url, server } of started) {
      const counts = await decisionLogCounts(server);
      // stopping writes what the log still queues: only then must every decision answered be a row
      await server.stop();
      const rows = await decisionLogRows(url);
      logs.push({ database, rows, ...counts });
      log(
        `  ${database}: ${counts.decided} decisions answered, ${rows} rows in decision_log after the service stopped (${counts.dropped} dropped, ${counts.failed} failed)`,
      );
    }

    const batches = recordBatches(await seededRecords(join(dir, "records.db")), {
      total: logRecords,
      idPrefix: "bench",
      firstAt: Date.now(),
      spacingMs: 1,
    });
    const writes: LogWriteRun[] = [];
    for (let run = 1; run <= httpRuns; run++) {
      for (const database of ["SQLite", "PostgreSQL"] as const) {
        const name = `log_${run}`;
        const url = database === "SQLite" ? join(dir, `${name}.db`) : await databases.create(name);
        await migratedAndSeeded(url);
        const writer = connectDatabase(url, "log-writer");
        try {
          // the writer's connection opened before the clock starts, as the writer thread's is
          await decisionLogRows(writer);
          const cpuBefore = database === "PostgreSQL" ? await databases.backendCpu(name) : undefined;
          const clientBefore = process.cpuUsage();
          const writeStarted = performance.now();
          const rows = await writeBatches(writer, batches);
          const wall = (performance.now() - writeStarted) / 1000;
          const client = process.cpuUsage(clientBefore);
          const databaseCpu = cpuUsed(
            cpuBefore,
            database === "PostgreSQL" ? await databases.backendCpu(name) : undefined,
          );
          writes.push({
            database,
            run,
            rows,
            rowsPerSec: rows / wall,
            clientCpuMicrosPerRow: (client.user + client.system) / rows,
            ...(databaseCpu === undefined ? {} : { databaseCpuMicrosPerRow: (databaseCpu / rows) * 1e6 }),
          });
        } finally {
          await writer.destroy();
        }
        const w = writes.at(-1)!;
        log(
          `  log writes on ${database} #${run}: ${Math.round(w.rowsPerSec)} rows/s (${w.rows} rows, ${ROWS_PER_TRANSACTION} a transaction)`,
        );
      }
    }
    return {
      ...header,
      status: "measured",
      version,
      httpSeconds,
      connections: http.connections,
      runs,
      logs,
      writes,
      totalSeconds: (performance.now() - began) / 1000,
    };
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    await databases.dropAll();
    await admin.end().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

const describeRun = (r: ServiceRun) =>
  `${r.label}: ${Math.round(r.reqPerSec)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, service CPU ${r.serverCpuMicrosPerRequest.toFixed(0)} µs/req` +
  (r.databaseCpuMicrosPerRequest === undefined
    ? ""
    : `, database CPU ${r.databaseCpuMicrosPerRequest.toFixed(0)} µs/req`) +
  (r.non2xx || r.errors ? `, ${r.non2xx} non-2xx, ${r.errors} errors` : "");

/** The URL as the report shows it: without its password. */
function shownUrl(url: string): string {
  const shown = new URL(url);
  if (shown.password) shown.password = "…";
  return shown.href;
}

/** The databases this run created on the server, each named after the process so that concurrent runs do not meet. */
class Databases {
  readonly #names = new Map<string, string>();
  /** Whether the server's processes are this machine's, so that /proc tells their CPU time. */
  readonly #local: boolean;

  constructor(
    readonly admin: pg.Client,
    readonly serverUrl: string,
  ) {
    this.#local = ["127.0.0.1", "localhost", "[::1]"].includes(new URL(serverUrl).hostname);
  }

  /** A fresh, empty database for `label`; its URL. Bytewise ordering (C collation), as SQLite compares text. */
  async create(label: string): Promise<string> {
    const name = `aftersales_bench_${process.pid}_${label}`;
    await this.admin.query(`drop database if exists ${name} with (force)`);
    await this.admin.query(`create database ${name} template template0 encoding 'UTF8' locale 'C.UTF-8'`);
    this.#names.set(label, name);
    const url = new URL(this.serverUrl);
    url.pathname = `/${name}`;
    return url.href;
  }

  /** CPU seconds of each backend connected to `label`'s database, by process id; undefined if /proc cannot tell. */
  async backendCpu(label: string): Promise<Map<number, number> | undefined> {
    if (!this.#local) return undefined;
    const { rows } = await this.admin.query<{ pid: number }>("select pid from pg_stat_activity where datname = $1", [
      this.#names.get(label),
    ]);
    try {
      return new Map(rows.map(({ pid }) => [pid, processCpuSeconds(pid)]));
    } catch {
      // a backend that ended meanwhile, or a server in another container: no figure rather than a wrong one
      return undefined;
    }
  }

  /** Drops every database created, whoever is still connected to it. */
  async dropAll(): Promise<void> {
    for (const name of this.#names.values()) await this.admin.query(`drop database if exists ${name} with (force)`);
    this.#names.clear();
  }
}

/** CPU seconds the backends used between two samples (a backend that connected meanwhile counts from zero). */
function cpuUsed(before?: Map<number, number>, after?: Map<number, number>): number | undefined {
  if (before === undefined || after === undefined) return undefined;
  let used = 0;
  for (const [pid, seconds] of after) used += seconds - (before.get(pid) ?? 0);
  return used;
}

/** Rows in decision_log, through a connection of its own or `db`. */
async function decisionLogRows(target: string | Db): Promise<number> {
  const db = typeof target === "string" ? connectDatabase(target, "reader") : target;
  try {
    const { rows } = await db
      .selectFrom("decision_log")
      .select((eb) => eb.fn.countAll<number>().as("rows"))
      .executeTakeFirstOrThrow();
    return Number(rows);
  } finally {
    if (typeof target === "string") await db.destroy();
  }
}

/** Migrates `url` and seeds it from rules/, as the service does at its first start. */
async function migratedAndSeeded(url: string): Promise<void> {
  const db = await openDatabase(url);
  try {
    await bootstrapDatabase(db, { rulesDir: join(ROOT, "rules"), now: new Date() });
  } finally {
    await db.destroy();
  }
}

/** DISTINCT_RECORDS decided records, by the shipped rules seeded into a SQLite file at `file`. */
async function seededRecords(file: string) {
  await migratedAndSeeded(file);
  const db = connectDatabase(file, "reader");
  try {
    return await decidedRecords(db, DISTINCT_RECORDS);
  } finally {
    await db.destroy();
  }
}
