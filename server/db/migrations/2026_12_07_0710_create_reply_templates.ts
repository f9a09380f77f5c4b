import type { Kysely } from "kysely";

// Frozen in time: uses Kysely<any> and imports nothing from the app. Reply templates (S19's scripts): a draft per
// template that editors save on its revision, and the published versions renders read. Times are ISO 8601 UTC text.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("reply_templates")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("text_zh", "text", (c) => c.notNull())
    .addColumn("text_en", "text", (c) => c.notNull())
    .addColumn("draft_revision", "integer", (c) => c.notNull())
    .addColumn("draft_updated_at", "text", (c) => c.notNull())
    .addColumn("draft_updated_by", "text", (c) => c.notNull())
    // the version a restore copied into the draft, until the draft is saved again
    .addColumn("restored_from", "integer")
    .addColumn("published_version", "integer")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("reply_template_versions")
    .addColumn("template_key", "text", (c) => c.notNull().references("reply_templates.key"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("text_zh", "text", (c) => c.notNull())
    .addColumn("text_en", "text", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull())
    .addColumn("published_at", "text", (c) => c.notNull())
    .addColumn("published_by", "text", (c) => c.notNull())
    .addColumn("restored_from", "integer")
    .addPrimaryKeyConstraint("reply_template_versions_pk", ["template_key", "version"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("reply_template_versions").execute();
  await db.schema.dropTable("reply_templates").execute();
}
