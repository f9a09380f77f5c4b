import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import SQLite from "better-sqlite3";
import {
  CompiledQuery,
  Kysely,
  Migrator,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Migration,
  type SqliteDatabase,
  type SqliteDialectConfig,
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
};

export type Db = Kysely<Database>;

/**
 * Opens the database named by `DATABASE_URL` and applies pending migrations. SQLite runs in WAL
 * mode with foreign keys on; `synchronous=FULL` so that a committed rule change survives a crash.
 */
export async function openDatabase(url: string): Promise<Db> {
  if (/^postgres(ql)?:\/\//.test(url)) {
    throw new Error("DATABASE_URL names PostgreSQL, which this build does not support yet: use a SQLite file path");
  }
  const file = sqliteFile(url);
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: preparedOnce(sqlite) }) });
  await migrate(db);
  return db;
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
