import type { Kysely } from "kysely";

// Frozen in time: uses Kysely<any> and imports nothing from the app. Impact replays, in the database so that any
// instance answers a replay's GET, and the limits (one running per rule set, a few in all) hold across instances. The
// instance running one writes `replayed` and `heartbeat_at` as it goes, and its end; a running replay whose heartbeat
// stopped is one whose instance stopped. `result` is the ImpactResult's JSON. Times are ISO 8601 UTC text.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("impact_jobs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("rule_set_key", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("draft_revision", "integer", (c) => c.notNull())
    .addColumn("period_from", "text", (c) => c.notNull())
    .addColumn("period_to", "text", (c) => c.notNull())
    .addColumn("record_limit", "integer", (c) => c.notNull())
    .addColumn("total", "integer", (c) => c.notNull())
    .addColumn("replayed", "integer", (c) => c.notNull())
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("heartbeat_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .addColumn("error", "text")
    .addColumn("result", "text")
    .execute();
  // the running ones are looked up at every start; a rule set's finished ones when they are pruned
  await db.schema.createIndex("impact_jobs_status").on("impact_jobs").columns(["status", "rule_set_key"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("impact_jobs").execute();
}
