import type { Kysely } from "kysely";

// Frozen in time: uses Kysely<any> and imports nothing from the app. Portable types only.

export async function up(db: Kysely<any>): Promise<void> {
  // the test cases a version was published with, as JSON text; null for versions published before this column
  await db.schema.alterTable("rule_set_versions").addColumn("test_cases", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("rule_set_versions").dropColumn("test_cases").execute();
}
