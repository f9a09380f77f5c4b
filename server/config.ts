import { z } from "zod";
import { canonicalTimeZone, DEFAULT_BUSINESS_TIME_ZONE } from "../shared/business-time.ts";
import { LOG_LEVELS } from "./logger.ts";

const Config = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default("0.0.0.0"),
  /** A plain file path or `file:` URL (SQLite), or `postgres://…` once PostgreSQL is supported. */
  DATABASE_URL: z.string().min(1).default("./data/aftersales-rules.db"),
  BOOTSTRAP_ADMIN_PASSWORD: z.string().min(12, "BOOTSTRAP_ADMIN_PASSWORD must be at least 12 characters").optional(),
  BOOTSTRAP_API_KEY: z.string().min(24, "BOOTSTRAP_API_KEY must be at least 24 characters").optional(),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(64 * 1024),
  /** Decisions waiting to be written to the decision log; while this many wait, new ones are dropped and counted. */
  DECISION_LOG_MAX_QUEUE: z.coerce.number().int().min(100).max(200_000).default(20_000),
  /** Decisions older than this many days are deleted from the decision log (checked hourly). */
  DECISION_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Where the default rule sets are read from on first start. */
  RULES_DIR: z.string().default("rules"),
  /**
   * `true` only behind a reverse proxy that sets `X-Forwarded-For` and `X-Forwarded-Proto` itself:
   * then the client's address is X-Forwarded-For's first entry (sign-in throttling, audit) and
   * `X-Forwarded-Proto: https` marks the connection as TLS (Secure cookie, HSTS). Otherwise a caller
   * could forge both, so the socket's address and the server's own protocol are used.
   */
  TRUST_PROXY: z.stringbool().default(false),
  /**
   * Decisions per second per API key, a batch's items each counted; 0 (the default) turns the limit off. It contains a
   * runaway or stolen key: set it well above the key's real peak. Counted per instance, on purpose (the decision's hot
   * path must not wait on the database): behind a load balancer, divide by the number of instances.
   */
  RATE_LIMIT_PER_KEY: z.coerce.number().int().min(0).max(10_000_000).default(0),
  /** A decision log record larger than this (its strings as the queue holds them, UTF-16) is kept with its facts left out. */
  DECISION_LOG_MAX_RECORD_BYTES: z.coerce
    .number()
    .int()
    .min(4096)
    .max(16 * 1024 * 1024)
    .default(64 * 1024),
  /** Rows the decision log keeps at most; beyond it the oldest are deleted first. */
  DECISION_LOG_MAX_ROWS: z.coerce.number().int().min(1000).max(1_000_000_000).default(5_000_000),
  /** A request's headers must arrive within this many ms, or the connection is closed (408). */
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** A whole request, body included, must arrive within this many ms (at least the headers timeout). */
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** An idle keep-alive connection is closed after this many ms. */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /** Requests one connection may carry before it is closed; 0 is no limit. */
  HTTP_MAX_REQUESTS_PER_SOCKET: z.coerce.number().int().min(0).max(1_000_000).default(0),
  /** Header lines read from one request; the rest are ignored. */
  HTTP_MAX_HEADERS_COUNT: z.coerce.number().int().min(20).max(2000).default(100),
  /** Open connections in total; new ones beyond it are closed at once. */
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** Open connections from one client address; new ones beyond it are closed at once. Not applied with TRUST_PROXY. */
  HTTP_MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(100),
  /** When set, `/metrics` answers only `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().min(16, "METRICS_TOKEN must be at least 16 characters").optional(),
  /** Published versions other than the active ones kept compiled in memory (least recently used leave first). */
  COMPILED_VERSIONS_CACHE: z.coerce.number().int().min(1).max(10_000).default(16),
  /**
   * Every this many ms, each instance compares the rule sets and API keys it holds with the database and reloads what
   * another instance changed: the safety net under PostgreSQL's notifications (which bring a change at once), and on
   * SQLite the only way a change made by another process arrives.
   */
  CLUSTER_SYNC_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(5_000),
  /** The least severe log lines written (JSON lines on stdout); `debug` adds one line per request. */
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  /**
   * The IANA time zone the shop trades in (`Asia/Shanghai`, `America/New_York`): every time the admin shows or takes is
   * its wall clock, whatever the browser's zone. Stored instants do not depend on it.
   */
  BUSINESS_TIME_ZONE: z
    .string()
    .default(DEFAULT_BUSINESS_TIME_ZONE)
    .transform((zone, context) => {
      const canonical = canonicalTimeZone(zone);
      if (canonical === undefined)
        context.addIssue({
          code: "custom",
          message: `BUSINESS_TIME_ZONE must be an IANA time zone such as Asia/Shanghai or America/New_York, not "${zone}"`,
        });
      return canonical ?? zone;
    }),
});
export type Config = Readonly<z.infer<typeof Config>>;

/** Parses the environment once at start; a bad value stops the service with a message naming it. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = Config.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`invalid configuration:\n${lines.join("\n")}`);
  }
  return Object.freeze(parsed.data);
}
