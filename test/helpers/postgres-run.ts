import pg from "pg";

/**
 * vitest's global setup for the node tests. In the PostgreSQL pass (TEST_DATABASE_URL=postgres://…) it checks that the
 * server answers before any test starts — one clear error rather than every test failing on its own — and gives the
 * run an id that prefixes each test's database (test-database.ts); at the end it drops whatever databases of this run
 * are left (a test that failed before its cleanup, a child process that was killed). Nothing to do on SQLite.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url?.match(/^postgres(ql)?:\/\//)) return undefined;
  process.env.TEST_RUN_ID ??= `${process.pid}${Date.now().toString(36)}`;
  const { RUN_PREFIX } = await import("./test-database.ts");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `TEST_DATABASE_URL=${url} does not answer (${error instanceof Error ? error.message : String(error)}): start PostgreSQL, or run without TEST_DATABASE_URL for SQLite only`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
  return async () => {
    const cleanup = new pg.Client({ connectionString: url });
    await cleanup.connect();
    try {
      const { rows } = await cleanup.query<{ datname: string }>(
        "select datname from pg_database where datname like $1",
        [`${RUN_PREFIX}\\_%`],
      );
      for (const { datname } of rows) await cleanup.query(`drop database if exists ${datname} with (force)`);
    } finally {
      await cleanup.end();
    }
  };
}
