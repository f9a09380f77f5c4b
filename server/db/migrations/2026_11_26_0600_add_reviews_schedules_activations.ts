import type { Kysely } from "kysely";

// Frozen in time: uses Kysely<any> and imports nothing from the app. Portable types only.

export async function up(db: Kysely<any>): Promise<void> {
  // four-eyes publishing is on by default for every rule set
  await db.schema
    .alterTable("rule_sets")
    .addColumn("four_eyes", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  // who edited the draft since it was last published: they may not approve it
  await db.schema
    .alterTable("rule_sets")
    .addColumn("draft_editors", "text", (c) => c.notNull().defaultTo("[]"))
    .execute();

  await db.schema
    .createTable("reviews")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("rule_set_key", "text", (c) => c.notNull().references("rule_sets.key"))
    .addColumn("draft_revision", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull())
    .addColumn("submitted_by", "text", (c) => c.notNull())
    .addColumn("submitted_at", "text", (c) => c.notNull())
    .addColumn("reviewed_by", "text")
    .addColumn("reviewed_at", "text")
    .addColumn("comment", "text")
    .execute();
  await db.schema.createIndex("reviews_rule_set_idx").on("reviews").columns(["rule_set_key", "submitted_at"]).execute();

  await db.schema
    .createTable("activations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("rule_set_key", "text", (c) => c.notNull().references("rule_sets.key"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("activated_at", "text", (c) => c.notNull())
    .addColumn("cause", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("activations_rule_set_idx")
    .on("activations")
    .columns(["rule_set_key", "activated_at"])
    .execute();

  await db.schema
    .createTable("schedules")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("rule_set_key", "text", (c) => c.notNull().references("rule_sets.key"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("starts_at", "text", (c) => c.notNull())
    .addColumn("ends_at", "text")
    .addColumn("hand_back_version", "integer")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("schedules_status_idx").on("schedules").columns(["status", "starts_at"]).execute();

  // what was active before this migration: its publish time is the best record of when it started
  const active = await db
    .selectFrom("rule_sets")
    .innerJoin("rule_set_versions", (join) =>
      join
        .onRef("rule_set_versions.rule_set_key", "=", "rule_sets.key")
        .onRef("rule_set_versions.version", "=", "rule_sets.active_version"),
    )
    .select(["rule_sets.key as key", "rule_set_versions.version as version", "rule_set_versions.published_at as at"])
    .execute();
  for (const row of active) {
    await db
      .insertInto("activations")
      .values({
        id: `migrated-${row.key}-${row.version}`,
        rule_set_key: row.key,
        version: row.version,
        activated_at: row.at,
        cause: "migration",
      })
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["schedules", "activations", "reviews"]) await db.schema.dropTable(table).execute();
  await db.schema.alterTable("rule_sets").dropColumn("draft_editors").execute();
  await db.schema.alterTable("rule_sets").dropColumn("four_eyes").execute();
}
