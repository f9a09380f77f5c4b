/**
 * `tsx bench/run-postgres.ts`: only `npm run bench`'s (h), PostgreSQL beside SQLite, printed with its section of the
 * report. BENCH_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/postgres), BENCH_HTTP_SECONDS (10), BENCH_HTTP_RUNS (2),
 * BENCH_CONNECTIONS (10), BENCH_POSTGRES_LOG_RECORDS (25 000) as in bench/run.ts.
 */
import { refundEligibilityBody } from "./cases.ts";
import { benchPostgres, DEFAULT_POSTGRES_URL } from "./postgres.ts";
import { renderPostgresSection } from "./report.ts";
import { BENCH_API_KEY } from "./servers.ts";

const setting = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const result = await benchPostgres({
  serverUrl: process.env.BENCH_POSTGRES_URL || DEFAULT_POSTGRES_URL,
  http: {
    path: "/api/v1/decisions/refund-eligibility",
    body: refundEligibilityBody,
    headers: { "content-type": "application/json", authorization: `Bearer ${BENCH_API_KEY}` },
    connections: setting("BENCH_CONNECTIONS", 10),
  },
  httpSeconds: setting("BENCH_HTTP_SECONDS", 10),
  httpRuns: setting("BENCH_HTTP_RUNS", 2),
  logRecords: setting("BENCH_POSTGRES_LOG_RECORDS", 25_000),
  log: (line) => console.log(line),
});
console.log(`\n${renderPostgresSection(result)}`);
process.exit(0);
