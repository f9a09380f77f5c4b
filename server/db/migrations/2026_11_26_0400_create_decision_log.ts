import type { Kysely } from "kysely";

// Frozen in time: uses Kysely<any> and imports nothing from the app.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("decision_log")
    .addColumn("decision_id", "text", (c) => c.primaryKey())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("rule_set", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("key_name", "text", (c) => c.notNull())
    .addColumn("facts", "text", (c) => c.notNull())
    .addColumn("decision", "text", (c) => c.notNull())
    .addColumn("fired_rules", "text", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("decision_log_rule_set_at_idx").on("decision_log").columns(["rule_set", "at"]).execute();
  await db.schema.createIndex("decision_log_at_idx").on("decision_log").column("at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("decision_log").execute();
}
