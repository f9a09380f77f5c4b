import type { Kysely } from "kysely";

// Frozen in time: uses Kysely<any> and imports nothing from the app. The working-day calendar, one row per saved version
// of a year's arrangement (never updated: a restore is a new version); a year's current arrangement is its highest
// version. `holidays` and `workdays` are JSON text (`[{ "date": "2026-10-01", "name": "国庆节" }]`), times ISO 8601 UTC.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("calendar_versions")
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("holidays", "text", (c) => c.notNull())
    .addColumn("workdays", "text", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull())
    .addColumn("saved_at", "text", (c) => c.notNull())
    .addColumn("saved_by", "text", (c) => c.notNull())
    .addColumn("restored_from", "integer")
    .addPrimaryKeyConstraint("calendar_versions_pk", ["year", "version"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("calendar_versions").execute();
}
