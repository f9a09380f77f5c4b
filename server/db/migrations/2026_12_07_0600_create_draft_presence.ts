import type { Kysely } from "kysely";

// Frozen in time: uses Kysely<any> and imports nothing from the app. Who has each draft open, in the database so that
// every instance behind a load balancer sees every editor: one row per (rule set, actor), upserted on each heartbeat
// (the primary key is the conflict target), `since` kept from the first one. Times are ISO 8601 UTC text.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("draft_presence")
    .addColumn("rule_set_key", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("since", "text", (c) => c.notNull())
    .addColumn("seen_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("draft_presence_pk", ["rule_set_key", "actor"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("draft_presence").execute();
}
