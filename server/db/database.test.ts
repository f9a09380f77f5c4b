import { describe, expect, it } from "vitest";
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
