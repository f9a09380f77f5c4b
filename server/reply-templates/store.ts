import type { Selectable } from "kysely";
import type { TemplateVersion } from "../../shared/reply-templates.ts";
import type { Db } from "../db/database.ts";
import type { Database } from "../db/schema.ts";

/** A template's text in both languages, with its title. */
export type TemplateContent = { title: string; zh: string; en: string };

export type TemplateRow = TemplateContent & {
  key: string;
  draftRevision: number;
  draftUpdatedAt: string;
  draftUpdatedBy: string;
  /** The version a restore copied into the draft, until the draft is saved again. */
  restoredFrom: number | null;
  publishedVersion: number | null;
};

function toTemplate(row: Selectable<Database["reply_templates"]>): TemplateRow {
  return {
    key: row.key,
    title: row.title,
    zh: row.text_zh,
    en: row.text_en,
    draftRevision: Number(row.draft_revision),
    draftUpdatedAt: row.draft_updated_at,
    draftUpdatedBy: row.draft_updated_by,
    restoredFrom: row.restored_from === null ? null : Number(row.restored_from),
    publishedVersion: row.published_version === null ? null : Number(row.published_version),
  };
}

function toVersion(row: Selectable<Database["reply_template_versions"]>): TemplateVersion {
  return {
    version: Number(row.version),
    title: row.title,
    zh: row.text_zh,
    en: row.text_en,
    note: row.note,
    publishedAt: row.published_at,
    publishedBy: row.published_by,
    restoredFrom: row.restored_from === null ? null : Number(row.restored_from),
  };
}

/** Every template, by key. */
export async function listTemplateRows(db: Db): Promise<TemplateRow[]> {
  return (await db.selectFrom("reply_templates").selectAll().orderBy("key").execute()).map(toTemplate);
}

export async function findTemplateRow(db: Db, key: string): Promise<TemplateRow | undefined> {
  const row = await db.selectFrom("reply_templates").selectAll().where("key", "=", key).executeTakeFirst();
  return row && toTemplate(row);
}

export async function countTemplates(db: Db): Promise<number> {
  const { count } = await db
    .selectFrom("reply_templates")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .executeTakeFirstOrThrow();
  return Number(count);
}

/** A new template whose draft is `content` at revision 1, not yet published. */
export async function insertTemplate(
  db: Db,
  template: TemplateContent & { key: string; actor: string; at: string },
): Promise<void> {
  await db
    .insertInto("reply_templates")
    .values({
      key: template.key,
      title: template.title,
      text_zh: template.zh,
      text_en: template.en,
      draft_revision: 1,
      draft_updated_at: template.at,
      draft_updated_by: template.actor,
      restored_from: null,
      published_version: null,
      created_at: template.at,
    })
    .execute();
}

/** Replaces the draft and makes its revision `revision`. */
export async function updateDraft(
  db: Db,
  key: string,
  draft: TemplateContent & { revision: number; actor: string; at: string; restoredFrom: number | null },
): Promise<void> {
  await db
    .updateTable("reply_templates")
    .set({
      title: draft.title,
      text_zh: draft.zh,
      text_en: draft.en,
      draft_revision: draft.revision,
      draft_updated_at: draft.at,
      draft_updated_by: draft.actor,
      restored_from: draft.restoredFrom,
    })
    .where("key", "=", key)
    .execute();
}

/** Stores a published version and makes it the one renders read. */
export async function insertVersion(db: Db, key: string, version: TemplateVersion): Promise<void> {
  await db
    .insertInto("reply_template_versions")
    .values({
      template_key: key,
      version: version.version,
      title: version.title,
      text_zh: version.zh,
      text_en: version.en,
      note: version.note,
      published_at: version.publishedAt,
      published_by: version.publishedBy,
      restored_from: version.restoredFrom,
    })
    .execute();
  await db.updateTable("reply_templates").set({ published_version: version.version }).where("key", "=", key).execute();
}

export async function findVersion(db: Db, key: string, version: number): Promise<TemplateVersion | undefined> {
  const row = await db
    .selectFrom("reply_template_versions")
    .selectAll()
    .where("template_key", "=", key)
    .where("version", "=", version)
    .executeTakeFirst();
  return row && toVersion(row);
}

/** The template's versions, newest first, at most `limit`. */
export async function listVersions(db: Db, key: string, limit: number): Promise<TemplateVersion[]> {
  const rows = await db
    .selectFrom("reply_template_versions")
    .selectAll()
    .where("template_key", "=", key)
    .orderBy("version", "desc")
    .limit(limit)
    .execute();
  return rows.map(toVersion);
}

/** Each published template's text as renders read it, by key. */
export async function listPublished(db: Db): Promise<Map<string, TemplateContent>> {
  const rows = await db
    .selectFrom("reply_templates as t")
    .innerJoin("reply_template_versions as v", (join) =>
      join.onRef("v.template_key", "=", "t.key").onRef("v.version", "=", "t.published_version"),
    )
    .select(["t.key", "v.title", "v.text_zh", "v.text_en"])
    .execute();
  return new Map(rows.map((row) => [row.key, { title: row.title, zh: row.text_zh, en: row.text_en }]));
}
