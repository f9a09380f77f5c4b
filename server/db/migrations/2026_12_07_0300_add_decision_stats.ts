import type { Kysely } from "kysely";

// Frozen in time: uses Kysely<any> and imports nothing from the app. Counts kept as the decision log is written, per
// rule set, hour (its start, ISO 8601 UTC text) and version: decisions per outcome, and fires per rule. The primary key
// is the upsert's conflict target (`on conflict … do update`, in SQLite and PostgreSQL alike), and serves the reads by
// rule set and period.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("decision_stats")
    .addColumn("rule_set", "text", (c) => c.notNull())
    .addColumn("hour", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("decisions", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("decision_stats_pk", ["rule_set", "hour", "version", "outcome"])
    .execute();
  await db.schema
    .createTable("rule_hit_stats")
    .addColumn("rule_set", "text", (c) => c.notNull())
    .addColumn("hour", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("rule", "text", (c) => c.notNull())
    .addColumn("hits", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("rule_hit_stats_pk", ["rule_set", "hour", "version", "rule"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("rule_hit_stats").execute();
  await db.schema.dropTable("decision_stats").execute();
}
