import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { type Db, openDatabase } from "../../server/db/database.ts";

/**
 * Which database the suite runs against. `TEST_DATABASE_URL=postgres://…` (test/run-all.sh's second pass) gives every
 * test service a fresh database of its own on that server, created from the URL's database as the maintenance
 * connection and dropped when the test is done; otherwise each gets a fresh SQLite file in its folder.
 */
export const POSTGRES_SERVER_URL = process.env.TEST_DATABASE_URL?.match(/^postgres(ql)?:\/\//)
  ? process.env.TEST_DATABASE_URL
  : undefined;

/**
 * The start of the name of every database this run creates: `asr_t_<TEST_RUN_ID>` (postgres-run.ts sets the id once per
 * run), so that a run can drop what a test killed midway left behind, and only its own.
 */
export const RUN_PREFIX = `asr_t_${(process.env.TEST_RUN_ID ?? "local").replace(/[^a-z0-9]/gi, "").toLowerCase()}`;

/** Whether this run's databases are PostgreSQL. */
export const onPostgres = POSTGRES_SERVER_URL !== undefined;

/** The file, in a test's folder, that names its PostgreSQL database, so that a service reopened on the folder finds it. */
const URL_FILE = "database-url";

let created = 0;

/**
 * The `DATABASE_URL` of a fresh, empty database for a test whose files live in `dir`: `dir/<name>.db`, or a new
 * PostgreSQL database. Asked again for the same folder (a service reopened after a restart), the same database.
 */
export async function testDatabaseUrl(dir: string, name = "test"): Promise<string> {
  if (POSTGRES_SERVER_URL === undefined) return join(dir, `${name}.db`);
  const file = join(dir, `${URL_FILE}-${name}`);
  if (existsSync(file)) return readFileSync(file, "utf8");
  // unique across the run's vitest workers and runs that share the server; the run's prefix lets its end drop leftovers
  const database = `${RUN_PREFIX}_${process.pid}_${++created}_${Math.random().toString(36).slice(2, 8)}`;
  await maintenance(async (client) => {
    // bytewise ordering (C collation), as SQLite compares text: keys and ISO times sort the same on both
    await client.query(`create database ${database} template template0 encoding 'UTF8' locale 'C.UTF-8'`);
  });
  const url = new URL(POSTGRES_SERVER_URL);
  url.pathname = `/${database}`;
  writeFileSync(file, url.href);
  return url.href;
}

/** Drops a database `testDatabaseUrl` created (nothing to do for a SQLite file: its folder goes with the test). */
export async function dropTestDatabase(databaseUrl: string): Promise<void> {
  if (POSTGRES_SERVER_URL === undefined || !databaseUrl.startsWith("postgres")) return;
  const database = new URL(databaseUrl).pathname.slice(1);
  // a service that did not close (a crashed child process) must not keep the database: its connections go first
  await maintenance((client) => client.query(`drop database if exists ${database} with (force)`));
}

/** Runs `work` on a connection to the server's maintenance database (the one TEST_DATABASE_URL names). */
export async function maintenance<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  // a server that drops packets rather than refusing fails within seconds, not at the test's timeout
  const client = new pg.Client({ connectionString: POSTGRES_SERVER_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, migrated database for a unit test that needs no service: SQLite in memory, or a PostgreSQL database of its
 * own in the PostgreSQL pass. `close` destroys the connection and drops it.
 */
export async function freshTestDatabase(): Promise<{ db: Db; url: string; close: () => Promise<void> }> {
  const url =
    POSTGRES_SERVER_URL === undefined ? ":memory:" : await testDatabaseUrl(mkdtempSync(join(tmpdir(), "asr-db-")));
  const db = await openDatabase(url);
  return {
    db,
    url,
    close: async () => {
      await db.destroy();
      await dropTestDatabase(url);
    },
  };
}
