import type { Kysely } from "kysely";

// Frozen in time: uses Kysely<any> and imports nothing from the app. Failed sign-ins counted across instances on
// PostgreSQL: rate-limiter-flexible's RateLimiterPostgres table (`tableCreated: true`, so the library does not create it
// itself). Its columns, in this order, are the library's: it inserts by position (`values ($1, $2, $3)`). `expire` is
// epoch milliseconds, past 2^31: bigint (SQLite takes the name as an integer). On SQLite, one instance, the throttle
// counts in memory and this table stays empty.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("login_throttle")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("points", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("expire", "bigint")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("login_throttle").execute();
}
