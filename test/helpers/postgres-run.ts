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
  // imported once the run's id is set: the prefix is read from it
  const { RUN_PREFIX, maintenance } = await import("./test-database.ts");
  try {
    await maintenance(async () => undefined);
  } catch (error) {
    throw new Error(
      `TEST_DATABASE_URL=${url} does not answer (${error instanceof Error ? error.message : String(error)}): start PostgreSQL, or run without TEST_DATABASE_URL for SQLite only`,
    );
  }
  return () =>
    maintenance(async (client) => {
      const { rows } = await client.query<{ datname: string }>(
        "select datname from pg_database where datname like $1",
        [`${RUN_PREFIX}\\_%`],
      );
      for (const { datname } of rows) await client.query(`drop database if exists ${datname} with (force)`);
    });
}
