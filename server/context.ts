import type { Db } from "./db/database.ts";
import type { DatabaseHealth } from "./db/health.ts";
import type { Logger } from "./logger.ts";
import type { ApiKeyCache } from "./auth/api-keys.ts";
import type { CalendarHolder } from "./calendar/holder.ts";
import type { LoginThrottle } from "./auth/login-throttle.ts";
import type { DecisionLog } from "./decision-log/decision-log.ts";
import type { KeyRateLimit } from "./http/rate-limit.ts";
import type { Metrics } from "./metrics.ts";
import type { DeciderRegistry } from "./rule-sets/registry.ts";

/** What the services need, built once in `main.ts` (or a test) and handed to `createApp`. */
export type AppContext = {
  db: Db;
  /** Whether the database answers (`/readyz`'s body, `aftersales_database_up`): the service decides either way. */
  database: DatabaseHealth;
  registry: DeciderRegistry;
  apiKeys: ApiKeyCache;
  /** The clock: decisions without `now`, audit times, publish times. Tests may pin it. */
  now: () => Date;
  bodyLimitBytes: number;
  decisionLog: DecisionLog;
  metrics: Metrics;
  /** `TRUST_PROXY`: believe X-Forwarded-For / X-Forwarded-Proto (client IP, TLS). */
  trustProxy: boolean;
  /** Failed sign-ins per account and per IP. */
  loginThrottle: LoginThrottle;
  /** Decision requests per second per API key; null when `RATE_LIMIT_PER_KEY` is 0. */
  keyRateLimit: KeyRateLimit | null;
  /** `METRICS_TOKEN`: when set, `/metrics` answers only `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** JSON lines (logger.ts); silent in tests unless a test reads them. */
  logger: Logger;
  /** `BUSINESS_TIME_ZONE`: the IANA zone whose wall clock the admin shows and takes every time in. */
  businessTimeZone: string;
  /** The working-day calendar periods are counted with (in `businessTimeZone`). */
  calendar: CalendarHolder;
  /** `stopping` is set when shutdown begins: `/readyz` answers 503 from then on. */
  lifecycle: { stopping: boolean };
};
