import { createApp } from "./app.ts";
import type { AppContext } from "./context.ts";
import { runDueSchedules, startScheduler } from "./rule-sets/schedules.ts";
import { pruneDecisionLog } from "./decision-log/store.ts";
import { ApiKeyCache } from "./auth/api-keys.ts";
import { LoginThrottle } from "./auth/login-throttle.ts";
import { bootstrapDatabase, loadRegistry } from "./bootstrap.ts";
import { loadConfig } from "./config.ts";
import { openDatabase, sqliteFile } from "./db/database.ts";
import { DecisionLog } from "./decision-log/decision-log.ts";
import { keyRateLimit } from "./http/rate-limit.ts";
import { Metrics } from "./metrics.ts";
import { serveWithDecisionFastPath } from "./decisions/fast-path.ts";
import { securityHeaderValues } from "./http/security-headers.ts";
import { httpLimits } from "./http/connection-limits.ts";

const config = loadConfig();
const db = await openDatabase(config.DATABASE_URL);
const boot = await bootstrapDatabase(db, {
  rulesDir: config.RULES_DIR,
  adminPassword: config.BOOTSTRAP_ADMIN_PASSWORD,
  apiKey: config.BOOTSTRAP_API_KEY,
  now: new Date(),
});
if (boot.imported.length > 0) console.log(`imported and published rule sets: ${boot.imported.join(", ")}`);
if (boot.adminPassword || boot.apiKey) {
  console.log("\nFirst start: these credentials are shown once, keep them now.");
  if (boot.adminPassword) console.log(`  admin user: admin   password: ${boot.adminPassword}`);
  if (boot.apiKey) console.log(`  API key (every scope): ${boot.apiKey}`);
  console.log("");
}

const apiKeys = new ApiKeyCache();
await apiKeys.load(db);
// when each key was last used: noted in memory, written once a minute and at shutdown
apiKeys.trackUsage(db, { everyMs: 60_000 });
const registry = await loadRegistry(db, { compiledVersions: config.COMPILED_VERSIONS_CACHE });
const decisionLogOptions = {
  maxQueue: config.DECISION_LOG_MAX_QUEUE,
  // measured (npm run bench): batches of ~500 every 100 ms cost decisions less than smaller, more frequent ones
  flushEveryMs: 100,
  batchSize: 500,
  // written by a worker thread with its own connection, off the decisions' thread
  worker: { databaseFile: sqliteFile(config.DATABASE_URL) },
  onError: (error: unknown) => console.error("decision log write failed", error),
  maxRecordBytes: config.DECISION_LOG_MAX_RECORD_BYTES,
  maxRows: config.DECISION_LOG_MAX_ROWS,
};
/** DECISION_LOG=off: the same log, never fed, so that its cost can be measured (npm run bench). */
class UnrecordedDecisionLog extends DecisionLog {
  override record(): void {}
}
const decisionLog =
  config.DECISION_LOG === "off" ? new UnrecordedDecisionLog(db, decisionLogOptions) : new DecisionLog(db, decisionLogOptions);
const metrics = new Metrics(decisionLog, { processMetrics: true });
const ctx: AppContext = {
  db,
  registry,
  apiKeys,
  now: () => new Date(),
  bodyLimitBytes: config.BODY_LIMIT_BYTES,
  decisionLog,
  metrics,
  trustProxy: config.TRUST_PROXY,
  loginThrottle: new LoginThrottle(),
  keyRateLimit: keyRateLimit(config.RATE_LIMIT_PER_KEY),
  ...(config.METRICS_TOKEN === undefined ? {} : { metricsToken: config.METRICS_TOKEN }),
};
const app = createApp(ctx);

// scheduled policies: catch up on whatever fell due while the service was down, then keep watch
await runDueSchedules(ctx);
const stopScheduler = startScheduler(ctx, 1000, (error) => console.error("scheduled activation failed", error));
// the decision log keeps DECISION_LOG_RETENTION_DAYS days, and DECISION_LOG_MAX_ROWS rows at most (also checked as it grows)
const prune = () => {
  void decisionLog.pruneOverBudget();
  return pruneDecisionLog(db, new Date(Date.now() - config.DECISION_LOG_RETENTION_DAYS * 86_400_000)).catch((error) => console.error("decision log pruning failed", error));
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
  console.log(`aftersales-rules listening on http://${config.HOST === "0.0.0.0" ? "localhost" : config.HOST}:${info.port} (database ${config.DATABASE_URL})`);
});

let stopping = false;
function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: closing`);
  stopScheduler();
  clearInterval(pruneTimer);
  server.close(() => {
    Promise.all([decisionLog.close(), apiKeys.close()])
      .then(() => db.destroy())
      .finally(() => process.exit(0));
  });
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => shutdown("SIGTERM"));
