import type { Kysely } from "kysely";

// Frozen in time: uses Kysely<any> and imports nothing from the app. A person's name as the admin shows it (王芳), in
// any language; null for users created before it or without one, whom the admin names by their username.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").addColumn("display_name", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").dropColumn("display_name").execute();
}
