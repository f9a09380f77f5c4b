import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import SQLite from "better-sqlite3";
import pg from "pg";
import {
  CompiledQuery,
  Kysely,
  Migrator,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Migration,
  type SqliteDatabase,
  type SqliteDialectConfig,
  type Transaction,
} from "kysely";
import * as createCoreTables from "./migrations/2026_11_26_0300_create_core_tables.ts";
import * as createDecisionLog from "./migrations/2026_11_26_0400_create_decision_log.ts";
import * as createSessions from "./migrations/2026_11_26_0500_create_sessions.ts";
import * as addUserStatus from "./migrations/2026_11_27_0100_add_user_status.ts";
import * as addApiKeyExpiryAndUse from "./migrations/2026_11_27_0110_add_api_key_expiry_and_use.ts";
import * as addReviewsSchedulesActivations from "./migrations/2026_11_26_0600_add_reviews_schedules_activations.ts";
import * as addDraftRevisions from "./migrations/2026_11_28_0200_add_draft_revisions.ts";
import * as addVersionTestCases from "./migrations/2026_11_28_0300_add_version_test_cases.ts";
import * as addDecisionLogOrderId from "./migrations/2026_11_28_0400_add_decision_log_order_id.ts";
import * as addUserDisplayName from "./migrations/2026_11_28_0500_add_user_display_name.ts";
import * as addDecisionStats from "./migrations/2026_12_07_0300_add_decision_stats.ts";
import * as createDraftPresence from "./migrations/2026_12_07_0600_create_draft_presence.ts";
import * as createImpactJobs from "./migrations/2026_12_07_0610_create_impact_jobs.ts";
import * as createLoginThrottle from "./migrations/2026_12_07_0620_create_login_throttle.ts";
import * as createReplyTemplates from "./migrations/2026_12_07_0710_create_reply_templates.ts";
import * as createWorkingCalendar from "./migrations/2026_12_07_0700_create_working_calendar.ts";
import type { Database } from "./schema.ts";

/** Every migration, by name; names sort in the order they apply. */
const migrations: Record<string, Migration> = {
  "2026_11_26_0300_create_core_tables": createCoreTables,
  "2026_11_26_0400_create_decision_log": createDecisionLog,
  "2026_11_26_0500_create_sessions": createSessions,
  "2026_11_27_0100_add_user_status": addUserStatus,
  "2026_11_27_0110_add_api_key_expiry_and_use": addApiKeyExpiryAndUse,
  "2026_11_26_0600_add_reviews_schedules_activations": addReviewsSchedulesActivations,
  "2026_11_28_0200_add_draft_revisions": addDraftRevisions,
  "2026_11_28_0300_add_version_test_cases": addVersionTestCases,
  "2026_11_28_0400_add_decision_log_order_id": addDecisionLogOrderId,
  "2026_11_28_0500_add_user_display_name": addUserDisplayName,
  "2026_12_07_0300_add_decision_stats": addDecisionStats,
  "2026_12_07_0600_create_draft_presence": createDraftPresence,
  "2026_12_07_0610_create_impact_jobs": createImpactJobs,
  "2026_12_07_0620_create_login_throttle": createLoginThrottle,
  "2026_12_07_0710_create_reply_templates": createReplyTemplates,
  "2026_12_07_0700_create_working_calendar": createWorkingCalendar,
};

export type Db = Kysely<Database>;

/** Whether a `DATABASE_URL` names PostgreSQL (`postgres://` or `postgresql://`) rather than a SQLite file. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** A `DATABASE_URL` as it may be logged: a PostgreSQL URL's password replaced by `***`. */
export function redactedDatabaseUrl(url: string): string {
  if (!isPostgresUrl(url)) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.href;
  } catch {
    return "postgres://…"; // not a URL the driver could use either; nothing of it is logged
  }
}

/** Whether `db` speaks to PostgreSQL. */
export function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Opens the database named by `DATABASE_URL` and applies pending migrations. SQLite runs in WAL
 * mode with foreign keys on; `synchronous=FULL` so that a committed rule change survives a crash.
 * PostgreSQL is reached through a pool; instances that start at once take turns migrating (kysely's
 * migrator holds an advisory lock while it runs).
 */
export async function openDatabase(url: string): Promise<Db> {
  const db = connectDatabase(url, "service");
  await migrate(db);
  return db;
}

/**
 * Who a connection is for: the service (migrations, rule changes, reads), the decision log's writer thread (appends
 * only, and a crash loses the queue anyway: SQLite's `synchronous=NORMAL`), or a replay's reader (read-only).
 */
export type ConnectionRole = "service" | "log-writer" | "reader";

/** Opens the database without migrating it: the service has done that before any thread connects. */
export function connectDatabase(url: string, role: ConnectionRole): Db {
  if (isPostgresUrl(url)) {
    // the writer and a reader use one connection at a time; the service's requests share a few
    const max = role === "service" ? POSTGRES_POOL_SIZE : 1;
    const pool = postgresPool(url, max);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    pools.set(db, pool);
    return db;
  }
  const file = sqliteFile(url);
  if (role === "service" && file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file, { readonly: role === "reader", fileMustExist: role !== "service" });
  if (role !== "reader") sqlite.pragma("journal_mode = WAL");
  sqlite.pragma(role === "log-writer" ? "synchronous = NORMAL" : "synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  return new Kysely<Database>({
    dialect:
      role === "service"
        ? new ImmediateSqliteDialect({ database: preparedOnce(sqlite) })
        : new SqliteDialect({ database: preparedOnce(sqlite) }),
  });
}

/** Each PostgreSQL database's pool, for a library that takes a pg pool rather than kysely (the sign-in throttle's store). */
const pools = new WeakMap<Db, pg.Pool>();

/** The pg pool under `db` (closed with it by `db.destroy()`); undefined on SQLite. */
export function postgresPoolOf(db: Db): pg.Pool | undefined {
  return pools.get(db);
}

/** Connections the service's pool opens at most, per instance. */
const POSTGRES_POOL_SIZE = 10;

/**
 * A pool for `url`. Counts come back as JavaScript numbers (PostgreSQL answers `count(*)` and `sum` as 64-bit
 * integers, which pg gives as text): every count here is far below 2^53. A connection that waits longer than
 * `connectionTimeoutMillis` fails instead of hanging a request while the database is unreachable.
 */
function postgresPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    types: {
      getTypeParser: ((id: number, format?: "text" | "binary") =>
        id === pg.types.builtins.INT8 || id === pg.types.builtins.NUMERIC
          ? Number
          : pg.types.getTypeParser(id, format)) as typeof pg.types.getTypeParser,
    },
  });
  // an idle connection the server closed (a restart, a failover) is an event, not a crash: the next query reconnects
  pool.on("error", () => {});
  // so is one checked out between two statements of a transaction (pg-pool listens only while a connection is idle):
  // the transaction's next statement fails, and the pool discards the connection when it comes back
  pool.on("connect", (client) => client.on("error", () => {}));
  return pool;
}

/** SQLSTATEs after which PostgreSQL asks the transaction to be run again: serialization failure, deadlock. */
const RETRY_STATES = new Set(["40001", "40P01"]);
/** Tries of a transaction that PostgreSQL keeps asking to run again before the failure is passed on. */
const TRANSACTION_TRIES = 8;

/**
 * Runs `body` in a transaction that behaves as if it were the only one: SQLite has one writer at a time (`BEGIN
 * IMMEDIATE`), and on PostgreSQL the transaction is SERIALIZABLE and run again when the database refuses it for a
 * conflict with another instance's. Every change of rules, users, keys and sessions goes through here, so that checks
 * made inside it (the last administrator, a revision, a schedule's status, the next version number) still hold at commit.
 * `body` must do nothing outside the database before it returns: it may run more than once.
 */
export async function inTransaction<T>(db: Db, body: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (!isPostgres(db)) return db.transaction().execute(body);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().setIsolationLevel("serializable").execute(body);
    } catch (error) {
      const state = (error as { code?: unknown }).code;
      if (attempt >= TRANSACTION_TRIES || typeof state !== "string" || !RETRY_STATES.has(state)) throw error;
      // a little longer each time, at random, so that the transactions that collided do not collide again
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** attempt));
    }
  }
}

/** Statements kept prepared at most, per connection: far more than the service's distinct queries. */
const MAX_PREPARED = 500;

/**
 * A better-sqlite3 connection as kysely's SQLite dialect uses it, preparing each distinct SQL text once: kysely prepares
 * a statement for every query it runs, and the decision log's multi-row INSERT costs more to prepare than to run. The
 * dialect runs one query at a time on a connection, so a statement is never used twice at once.
 */
export function preparedOnce(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (sql) => {
      let statement = statements.get(sql);
      if (statement === undefined) {
        if (statements.size >= MAX_PREPARED) statements.clear();
        statement = sqlite.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/**
 * SQLite with transactions that take the write lock when they begin (`BEGIN IMMEDIATE`). The decision log's writer
 * thread holds a second connection; a deferred transaction here that reads and then writes would fail at once with
 * SQLITE_BUSY_SNAPSHOT when the writer committed in between, and `busy_timeout` does not retry that. Taking the lock
 * first makes it wait its turn instead.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

/** The SQLite file a `DATABASE_URL` names: a plain path, or a `file:` URL relative to the working directory. */
export function sqliteFile(url: string): string {
  return url.startsWith("file:") ? fileURLToPath(new URL(url, `file://${process.cwd()}/`)) : url;
}

async function migrate(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    throw new Error(
      `database migration ${failed?.migrationName ?? ""} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
