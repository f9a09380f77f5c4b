import type { Kysely } from "kysely";

// Frozen in time: uses Kysely<any> and imports nothing from the app. Portable types only
// (text, integer), so the same migration runs on SQLite and PostgreSQL.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("rule_sets")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("draft", "text", (c) => c.notNull())
    .addColumn("draft_revision", "integer", (c) => c.notNull())
    .addColumn("draft_updated_at", "text", (c) => c.notNull())
    .addColumn("draft_updated_by", "text", (c) => c.notNull())
    .addColumn("active_version", "integer")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("rule_set_versions")
    .addColumn("rule_set_key", "text", (c) => c.notNull().references("rule_sets.key"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("definition", "text", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull())
    .addColumn("published_at", "text", (c) => c.notNull())
    .addColumn("published_by", "text", (c) => c.notNull())
    .addColumn("rolled_back_from", "integer")
    .addPrimaryKeyConstraint("rule_set_versions_pk", ["rule_set_key", "version"])
    .execute();

  await db.schema
    .createTable("test_cases")
    .addColumn("rule_set_key", "text", (c) => c.notNull().references("rule_sets.key"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("facts", "text", (c) => c.notNull())
    .addColumn("expect", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("test_cases_pk", ["rule_set_key", "position"])
    .execute();

  await db.schema
    .createTable("api_keys")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("secret_hash", "text", (c) => c.notNull())
    .addColumn("scopes", "text", (c) => c.notNull())
    .addColumn("rule_sets", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("revoked_at", "text")
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("username", "text", (c) => c.notNull().unique())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("entity", "text", (c) => c.notNull())
    .addColumn("entity_key", "text", (c) => c.notNull())
    .addColumn("detail", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("audit_log_entity_idx").on("audit_log").columns(["entity", "entity_key", "at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["audit_log", "users", "api_keys", "test_cases", "rule_set_versions", "rule_sets"]) {
    await db.schema.dropTable(table).execute();
  }
}
