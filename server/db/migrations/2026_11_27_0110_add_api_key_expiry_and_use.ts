import type { Kysely } from "kysely";

// Frozen in time: uses Kysely<any> and imports nothing from the app.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("api_keys").addColumn("expires_at", "text").execute();
  await db.schema.alterTable("api_keys").addColumn("last_used_at", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("api_keys").dropColumn("last_used_at").execute();
  await db.schema.alterTable("api_keys").dropColumn("expires_at").execute();
}
