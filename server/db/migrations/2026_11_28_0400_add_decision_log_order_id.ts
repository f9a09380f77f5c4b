import type { Kysely } from "kysely";

// Frozen in time: uses Kysely<any> and imports nothing from the app. The caller's order number, '' when the case
// named none (rows logged before this migration too), indexed for the decision log's search by order.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("decision_log")
    .addColumn("order_id", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema.createIndex("decision_log_order_id").on("decision_log").column("order_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("decision_log_order_id").execute();
  await db.schema.alterTable("decision_log").dropColumn("order_id").execute();
}
