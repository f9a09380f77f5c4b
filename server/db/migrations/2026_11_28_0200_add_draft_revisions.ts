import type { Kysely } from "kysely";

// Frozen in time: uses Kysely<any> and imports nothing from the app. Portable types only.

export async function up(db: Kysely<any>): Promise<void> {
  // every saved draft revision's content: a stale save is merged against the revision it was based on
  await db.schema
    .createTable("draft_revisions")
    .addColumn("rule_set_key", "text", (c) => c.notNull().references("rule_sets.key"))
    .addColumn("revision", "integer", (c) => c.notNull())
    .addColumn("definition", "text", (c) => c.notNull())
    .addColumn("saved_by", "text", (c) => c.notNull())
    .addColumn("saved_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("draft_revisions_pk", ["rule_set_key", "revision"])
    .execute();

  // the drafts as they stand are the first revisions known
  await db
    .insertInto("draft_revisions")
    .columns(["rule_set_key", "revision", "definition", "saved_by", "saved_at"])
    .expression(
      db.selectFrom("rule_sets").select(["key", "draft_revision", "draft", "draft_updated_by", "draft_updated_at"]),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("draft_revisions").execute();
}
