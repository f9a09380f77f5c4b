import type { Kysely } from "kysely";

// Frozen in time: uses Kysely<any> and imports nothing from the app. `disabled` is an integer
// 0/1, which SQLite and PostgreSQL store alike.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("users")
    .addColumn("disabled", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("users").addColumn("last_sign_in_at", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").dropColumn("last_sign_in_at").execute();
  await db.schema.alterTable("users").dropColumn("disabled").execute();
}
