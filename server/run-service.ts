import { CalendarHolder } from "./calendar/holder.ts";
import { nextYearMissing } from "./calendar/service.ts";
import { loadCalendarYears } from "./calendar/store.ts";
import { createApp } from "./app.ts";
import type { AppContext } from "./context.ts";
import { runDueSchedules, startScheduler } from "./rule-sets/schedules.ts";
import { pruneDecisionLog } from "./decision-log/store.ts";
import { stopImpactReplays } from "./impact/service.ts";
import { ApiKeyCache } from "./auth/api-keys.ts";
import { LoginThrottle } from "./auth/login-throttle.ts";
import { bootstrapDatabase, loadRegistry } from "./bootstrap.ts";
import type { Config } from "./config.ts";
import { openDatabase, redactedDatabaseUrl } from "./db/database.ts";
import { DatabaseHealth } from "./db/health.ts";
import { DecisionLog } from "./decision-log/decision-log.ts";
import { keyRateLimit } from "./http/rate-limit.ts";
import { Metrics } from "./metrics.ts";
import { serveWithDecisionFastPath } from "./decisions/fast-path.ts";
import { securityHeaderValues } from "./http/security-headers.ts";
import { httpLimits } from "./http/connection-limits.ts";
import { createLogger } from "./logger.ts";
import { startClusterSync } from "./cluster/sync.ts";

/** How often the database is pinged to tell whether it answers (DatabaseHealth). */
const DATABASE_PING_MS = 1_000;
/** SIGTERM's deadline: an orchestrator kills the process soon after (Kubernetes waits 30 s by default). */
const SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * The service as `npm start` runs it, from a parsed configuration: the database, the registry, the decision log, the
 * scheduler and the HTTP server, stopped cleanly on SIGTERM or SIGINT. `DecisionLog` replaces the log's class (the
 * benchmark's service without a log, bench/unlogged-server.ts).
 */
export async function runService(config: Config, options: { DecisionLog?: typeof DecisionLog } = {}): Promise<void> {
  const logger = createLogger({ level: config.LOG_LEVEL });
  const db = await openDatabase(config.DATABASE_URL);
  const boot = await bootstrapDatabase(db, {
    rulesDir: config.RULES_DIR,
    adminPassword: config.BOOTSTRAP_ADMIN_PASSWORD,
    apiKey: config.BOOTSTRAP_API_KEY,
    now: new Date(),
  });
  if (boot.imported.length > 0)
    logger.info({ ruleSets: boot.imported }, "imported and published the default rule sets");
  if (boot.calendarYears.length > 0)
    logger.info({ years: boot.calendarYears }, "saved the shipped years of the working-day calendar");
  // in the message, not in redacted fields: the operator must read them this once, and they exist nowhere else
  if (boot.adminPassword)
    logger.warn(`first start: admin user "admin" has the password ${boot.adminPassword} (shown once, keep it now)`);
  if (boot.apiKey) logger.warn(`first start: the API key with every scope is ${boot.apiKey} (shown once, keep it now)`);

  const apiKeys = new ApiKeyCache();
  await apiKeys.load(db);
  // when each key was last used: noted in memory, written once a minute and at shutdown
  apiKeys.trackUsage(db, {
    everyMs: 60_000,
    onError: (error) => logger.error({ err: error }, "writing API keys' last use failed"),
  });
  const registry = await loadRegistry(db, { compiledVersions: config.COMPILED_VERSIONS_CACHE });
  const decisionLogOptions = {
    maxQueue: config.DECISION_LOG_MAX_QUEUE,
    // fewer, larger batches cost the decisions less than smaller, more frequent ones
    flushEveryMs: 100,
    batchSize: 500,
    // written by a worker thread with its own connection, off the decisions' thread
    worker: { databaseUrl: config.DATABASE_URL },
    onError: (error: unknown) => logger.error({ err: error }, "decision log write failed"),
    maxRecordBytes: config.DECISION_LOG_MAX_RECORD_BYTES,
    maxRows: config.DECISION_LOG_MAX_ROWS,
  };
  const decisionLog = new (options.DecisionLog ?? DecisionLog)(db, decisionLogOptions);
  const database = new DatabaseHealth(db, { decisionLog, logger });
  // between /readyz's own checks, so that the gauge and the log notice an outage and its end with no one asking
  const stopWatching = database.watch(DATABASE_PING_MS);
  // every year as the database holds it: an administrator's edits, not only the shipped years
  const calendar = new CalendarHolder(await loadCalendarYears(db));
  const metrics = new Metrics(decisionLog, {
    processMetrics: true,
    database,
    nextYearMissing: () => nextYearMissing(calendar.current, new Date(), config.BUSINESS_TIME_ZONE) !== undefined,
  });
  const ctx: AppContext = {
    db,
    database,
    registry,
    apiKeys,
    now: () => new Date(),
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    decisionLog,
    metrics,
    trustProxy: config.TRUST_PROXY,
    loginThrottle: new LoginThrottle({ db }),
    keyRateLimit: keyRateLimit(config.RATE_LIMIT_PER_KEY),
    ...(config.METRICS_TOKEN === undefined ? {} : { metricsToken: config.METRICS_TOKEN }),
    logger,
    businessTimeZone: config.BUSINESS_TIME_ZONE,
    calendar,
    lifecycle: { stopping: false },
  };
  const app = createApp(ctx);
  // what other instances change reaches this one's memory (cluster/sync.ts)
  const clusterSync = startClusterSync(ctx, {
    databaseUrl: config.DATABASE_URL,
    intervalMs: config.CLUSTER_SYNC_INTERVAL_MS,
  });

  // scheduled policies: catch up on whatever fell due while the service was down, then keep watch
  await runDueSchedules(ctx);
  const stopScheduler = startScheduler(ctx, 1000);
  // the decision log keeps DECISION_LOG_RETENTION_DAYS days, and DECISION_LOG_MAX_ROWS rows at most (also checked as it grows)
  const prune = () => {
    void decisionLog.pruneOverBudget();
    return pruneDecisionLog(db, new Date(Date.now() - config.DECISION_LOG_RETENTION_DAYS * 86_400_000)).catch((error) =>
      logger.error({ err: error }, "decision log pruning failed"),
    );
  };
  void prune();
  const pruneTimer = setInterval(prune, 3_600_000);
  pruneTimer.unref();

  // decisions are answered straight off node:http (decisions/fast-path.ts); everything else by the Hono app
  const listen = {
    port: config.PORT,
    hostname: config.HOST,
    securityHeaders: await securityHeaderValues(),
    trustProxy: config.TRUST_PROXY,
    limits: httpLimits(config),
  };
  const server = serveWithDecisionFastPath(ctx, app.fetch, listen, (info) => {
    logger.info(
      {
        url: `http://${config.HOST === "0.0.0.0" ? "localhost" : config.HOST}:${info.port}`,
        database: redactedDatabaseUrl(config.DATABASE_URL),
      },
      "listening",
    );
  });

  /**
   * Stops cleanly: `/readyz` answers 503 at once, the server stops accepting connections and closes the idle ones while
   * the requests in flight are answered, then the queued decision log is written, the API keys' last use saved and the
   * database closed. Exits 0 when all of that is done, 1 if it is not done by the deadline.
   */
  function shutdown(signal: string) {
    if (ctx.lifecycle.stopping) return;
    ctx.lifecycle.stopping = true;
    logger.info({ signal }, "shutting down");
    setTimeout(() => {
      logger.error({ deadlineMs: SHUTDOWN_DEADLINE_MS }, "shutdown did not finish in time");
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    stopScheduler();
    stopWatching();
    clearInterval(pruneTimer);
    // a replay is cheap to start again: it stops now rather than hold the shutdown back
    void stopImpactReplays(ctx);
    // a keep-alive connection becomes idle once its request is answered: close it then, not at its idle timeout
    const closeIdle = setInterval(() => server.closeIdleConnections(), 50);
    server.close(() => {
      clearInterval(closeIdle);
      Promise.all([decisionLog.close(), apiKeys.close(), clusterSync.stop()])
        .then(() => db.destroy())
        .then(
          () => {
            logger.info("stopped");
            process.exit(0);
          },
          (error: unknown) => {
            logger.error({ err: error }, "shutdown failed");
            process.exit(1);
          },
        );
    });
  }
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}
