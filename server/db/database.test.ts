import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { freshTestDatabase, maintenance, onPostgres } from "../../test/helpers/test-database.ts";
import { isPostgresUrl, redactedDatabaseUrl } from "./database.ts";

describe("a DATABASE_URL in the service's log", () => {
  it("keeps a PostgreSQL URL's user, host and database, and never its password", () => {
    const logged = redactedDatabaseUrl("postgres://rules:s3cr%40t-pass@db.internal:5432/aftersales?sslmode=require");
    expect(logged).toBe("postgres://rules:***@db.internal:5432/aftersales?sslmode=require");
    expect(logged).not.toContain("s3cr");
    expect(redactedDatabaseUrl("postgresql://postgres@127.0.0.1/x")).toBe("postgresql://postgres@127.0.0.1/x");
  });

  it("leaves a SQLite path as it is, and logs nothing of a PostgreSQL URL it cannot read", () => {
    expect(redactedDatabaseUrl("./data/aftersales-rules.db")).toBe("./data/aftersales-rules.db");
    expect(redactedDatabaseUrl("postgres://user:pa ss@[bad")).toBe("postgres://…");
    expect([isPostgresUrl("postgres://h/db"), isPostgresUrl("postgresql://h/db"), isPostgresUrl("file:x.db")]).toEqual([
      true,
      true,
      false,
    ]);
  });
});

describe.runIf(onPostgres)("a PostgreSQL connection the server closes", () => {
  it("fails the transaction that held it between two statements, without an unhandled error, and the pool answers on", async () => {
    const { db, close } = await freshTestDatabase();
    try {
      const failure = await db
        .transaction()
        .execute(async (tx) => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx);
          // what a restart or a failover does to every connection: the server ends it while the transaction waits
          await maintenance((client) => client.query("select pg_terminate_backend($1)", [rows[0]!.pid]));
          await new Promise((resolve) => setTimeout(resolve, 200));
          await sql`select 1`.execute(tx);
        })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(failure).toBeInstanceOf(Error);
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await close();
    }
  });
});
