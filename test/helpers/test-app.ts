import { CalendarHolder } from "../../server/calendar/holder.ts";
import { nextYearMissing } from "../../server/calendar/service.ts";
import { loadCalendarYears } from "../../server/calendar/store.ts";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Server } from "node:http";
import { DEFAULT_BUSINESS_TIME_ZONE } from "../../shared/business-time.ts";
import { createApp } from "../../server/app.ts";
import { ApiKeyCache } from "../../server/auth/api-keys.ts";
import { LoginThrottle } from "../../server/auth/login-throttle.ts";
import { bootstrapDatabase, loadRegistry } from "../../server/bootstrap.ts";
import type { AppContext } from "../../server/context.ts";
import { openDatabase } from "../../server/db/database.ts";
import { DatabaseHealth } from "../../server/db/health.ts";
import { DecisionLog, type DecisionLogOptions } from "../../server/decision-log/decision-log.ts";
import { keyRateLimit } from "../../server/http/rate-limit.ts";
import { Metrics } from "../../server/metrics.ts";
import { serveWithDecisionFastPath } from "../../server/decisions/fast-path.ts";
import { securityHeaderValues } from "../../server/http/security-headers.ts";
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from "../../server/http/connection-limits.ts";
import { createLogger, type Logger } from "../../server/logger.ts";
import { stopImpactReplays } from "../../server/impact/service.ts";
import { startClusterSync } from "../../server/cluster/sync.ts";
import { dropTestDatabase, testDatabaseUrl } from "./test-database.ts";

export const TEST_API_KEY = "asr_test_key_with_every_scope_000000";

export type TestApp = {
  /** The base URL of the real HTTP server, e.g. http://127.0.0.1:41234 */
  url: string;
  ctx: AppContext;
  dir: string;
  /** The service's `DATABASE_URL`: a SQLite file in `dir`, or a PostgreSQL database of its own (test-database.ts). */
  databaseUrl: string;
  /** Sets the clock the service reads when a case has no `now`. */
  setNow(date: Date): void;
  /** POST/PUT/GET with the test key; `body` is sent as JSON unless it is a string. */
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  decide(
    ruleSet: string,
    facts: unknown,
    extra?: Record<string, unknown>,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  /** The Hono app itself, in process (`app.request`): no socket, so no node:http fast path. */
  request(path: string, init: RequestInit): Promise<Response>;
  close(): Promise<void>;
};

/**
 * A real service for a test file: a fresh database (a SQLite file in a temp dir, or a PostgreSQL database of its own
 * when the run is on PostgreSQL: test-database.ts), migrated and seeded from `rules/`, served by the real HTTP server on
 * a free port.
 */
export async function createTestApp(
  options: {
    now?: Date /** reopen this folder's database, as after a restart */;
    dir?: string /** keep the folder at close */;
    keep?: boolean;
    /** `TRUST_PROXY` (default false) */ trustProxy?: boolean;
    /** `RATE_LIMIT_PER_KEY` (default 0, off: the suites send decisions as fast as they can) */ rateLimitPerKey?: number;
    /** the decision log's options to change (`worker: undefined` writes on the calling thread, through `ctx.db`) */ decisionLog?: Partial<DecisionLogOptions>;
    /** the `HTTP_*` limits to change from config.ts's defaults */ httpLimits?: Partial<HttpLimits>;
    /** `METRICS_TOKEN` (default none: `/metrics` open) */ metricsToken?: string;
    /** `COMPILED_VERSIONS_CACHE` (default 16) */ compiledVersions?: number;
    /** where the service logs (default silent: tests print nothing); see `capturedLogger` */ logger?: Logger;
    /** `BUSINESS_TIME_ZONE` (default Asia/Shanghai) */ businessTimeZone?: string;
    /** `CLUSTER_SYNC_INTERVAL_MS` (default 5000) */ clusterSyncMs?: number;
  } = {},
): Promise<TestApp> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "aftersales-test-"));
  const databaseUrl = await testDatabaseUrl(dir);
  const db = await openDatabase(databaseUrl);
  let now = options.now ?? new Date("2026-11-20T02:00:00Z");
  await bootstrapDatabase(db, { rulesDir: "rules", adminPassword: "test-admin-password", apiKey: TEST_API_KEY, now });
  const logger = options.logger ?? createLogger({ level: "silent" });
  const apiKeys = new ApiKeyCache();
  await apiKeys.load(db);
  // written only by flushUsage() or close(): tests decide when
  apiKeys.trackUsage(db, {
    everyMs: 3_600_000,
    onError: (error) => logger.error({ err: error }, "writing API keys' last use failed"),
  });
  const registry = await loadRegistry(db, { compiledVersions: options.compiledVersions ?? 16 });
  const decisionLog = new DecisionLog(db, {
    maxQueue: 10_000,
    flushEveryMs: 20,
    batchSize: 500,
    worker: { databaseUrl },
    ...options.decisionLog,
  });
  const database = new DatabaseHealth(db, { decisionLog, logger });
  const calendar = new CalendarHolder(await loadCalendarYears(db));
  const businessTimeZone = options.businessTimeZone ?? DEFAULT_BUSINESS_TIME_ZONE;
  const metrics = new Metrics(decisionLog, {
    database,
    nextYearMissing: () => nextYearMissing(calendar.current, now, businessTimeZone) !== undefined,
  });
  const ctx: AppContext = {
    db,
    database,
    registry,
    apiKeys,
    now: () => now,
    bodyLimitBytes: 64 * 1024,
    decisionLog,
    metrics,
    trustProxy: options.trustProxy ?? false,
    loginThrottle: new LoginThrottle({ db }),
    keyRateLimit: keyRateLimit(options.rateLimitPerKey ?? 0),
    ...(options.metricsToken === undefined ? {} : { metricsToken: options.metricsToken }),
    logger,
    businessTimeZone,
    calendar,
    lifecycle: { stopping: false },
  };
  const app = createApp(ctx);
  const clusterSync = startClusterSync(ctx, { databaseUrl, intervalMs: options.clusterSyncMs ?? 5_000 });
  // served as main.ts serves it: decisions through the node:http fast path, the rest through Hono
  const listen = {
    port: 0,
    hostname: "127.0.0.1",
    securityHeaders: await securityHeaderValues(),
    trustProxy: ctx.trustProxy,
    // every suite's requests come from 127.0.0.1, some of them 200 at once
    limits: { ...DEFAULT_HTTP_LIMITS, maxConnectionsPerAddress: 1000, ...options.httpLimits },
  };
  const server: Server = await new Promise((resolve) => {
    const s = serveWithDecisionFastPath(ctx, app.fetch, listen, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const call: TestApp["call"] = async (method, path, body, headers = {}) => {
    const init: RequestInit = {
      method,
      headers: {
        authorization: `Bearer ${TEST_API_KEY}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
    };
    if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
    const response = await fetch(url + path, init);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: the test sees the text
    }
    return { status: response.status, body: parsed, headers: response.headers };
  };

  return {
    url,
    ctx,
    dir,
    databaseUrl,
    setNow: (date) => {
      now = date;
    },
    call,
    request: async (path, init) => app.request(url + path, init),
    decide: (ruleSet, facts, extra = {}) => call("POST", `/api/v1/decisions/${ruleSet}`, { facts, ...extra }),
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stopImpactReplays(ctx);
      await clusterSync.stop();
      await decisionLog.close();
      await apiKeys.close();
      await db.destroy();
      if (!options.keep) {
        await dropTestDatabase(databaseUrl);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A logger that keeps its lines for the test to read (`lines`, each parsed), instead of printing them. */
export function capturedLogger(level: "info" | "debug" = "info"): {
  logger: Logger;
  lines: Record<string, any>[];
  text: string[];
} {
  const text: string[] = [];
  const lines: Record<string, any>[] = [];
  const logger = createLogger({
    level,
    destination: {
      write(line: string) {
        text.push(line);
        lines.push(JSON.parse(line) as Record<string, any>);
      },
    },
  });
  return { logger, lines, text };
}
