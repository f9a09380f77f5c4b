import type { z } from "zod";
import type { FieldProblem } from "../../shared/api.ts";
import { fieldProblem } from "../../shared/problems.ts";
import {
  MAX_TEMPLATES,
  parseTemplate,
  placeholderNames,
  templateFields,
  templateLanguages,
  type TemplateDetail,
  type TemplateDraftInput,
  type TemplateSummary,
  type TemplateVersion,
} from "../../shared/reply-templates.ts";
import type { RuleSetDefinition } from "../../shared/rules.ts";
import { appendAudit } from "../audit/store.ts";
import type { AppContext } from "../context.ts";
import { inTransaction, type Db } from "../db/database.ts";
import { conflict, DomainError, invalid, notFound } from "../errors.ts";
import { startingTemplates } from "./starting-templates.ts";
import * as store from "./store.ts";

/** Versions a history answers at most, newest first. */
export const MAX_LISTED_VERSIONS = 100;

const sameContent = (a: store.TemplateContent, b: store.TemplateContent | undefined) =>
  b !== undefined && a.title === b.title && a.zh === b.zh && a.en === b.en;

function detailOf(row: store.TemplateRow, published: TemplateVersion | undefined): TemplateDetail {
  return {
    key: row.key,
    draft: {
      title: row.title,
      zh: row.zh,
      en: row.en,
      revision: row.draftRevision,
      updatedAt: row.draftUpdatedAt,
      updatedBy: row.draftUpdatedBy,
    },
    published: published ?? null,
    changed: !sameContent(row, published),
  };
}

async function requireTemplate(db: Db, key: string): Promise<store.TemplateRow> {
  const row = await store.findTemplateRow(db, key);
  if (row === undefined) throw notFound(`no reply template "${key}"`);
  return row;
}

async function detail(db: Db, row: store.TemplateRow): Promise<TemplateDetail> {
  const published =
    row.publishedVersion === null ? undefined : await store.findVersion(db, row.key, row.publishedVersion);
  return detailOf(row, published);
}

/** Every template with whether its draft waits to be published. */
export async function listTemplates(ctx: AppContext): Promise<TemplateSummary[]> {
  const rows = await store.listTemplateRows(ctx.db);
  const published = await store.listPublished(ctx.db);
  return rows.map((row) => ({
    key: row.key,
    title: row.title,
    publishedVersion: row.publishedVersion,
    changed: !sameContent(row, published.get(row.key)),
    draftUpdatedAt: row.draftUpdatedAt,
    draftUpdatedBy: row.draftUpdatedBy,
  }));
}

/** One template: its draft and the version renders use. */
export async function getTemplate(ctx: AppContext, key: string): Promise<TemplateDetail> {
  return detail(ctx.db, await requireTemplate(ctx.db, key));
}

/**
 * The problems of a template's texts: 422 `invalid` naming every unpaired brace, else 422 `unknown_placeholder`
 * naming every placeholder not in the closed list, with its language and position.
 */
export function assertValidTexts(texts: { zh: string; en: string }): void {
  const problems: FieldProblem[] = [];
  for (const language of templateLanguages) {
    for (const flaw of parseTemplate(texts[language]).flaws) {
      problems.push(
        flaw.kind === "unknown_placeholder"
          ? fieldProblem(
              language,
              "unknown_placeholder",
              { name: flaw.name, language, position: flaw.position, names: placeholderNames },
              `unknown placeholder {${flaw.name}} at ${flaw.position}; known: ${placeholderNames.join(", ")}`,
            )
          : fieldProblem(
              language,
              "unbalanced_braces",
              { language, position: flaw.position },
              `a brace without its pair at ${flaw.position}: braces are for placeholders; write two to get one`,
            ),
      );
    }
  }
  if (problems.length === 0) return;
  if (problems.some((problem) => problem.code === "unbalanced_braces"))
    throw invalid("the template's text has braces without their pair", problems);
  throw new DomainError({
    code: "unknown_placeholder",
    detail: `the template uses placeholders that do not exist: ${problems.map((p) => `{${p.params.name}}`).join(", ")}`,
    errors: problems,
  });
}

/**
 * Saves the draft on its current revision (409 `conflict` with `currentRevision` otherwise); revision 0 creates the
 * template, while fewer than MAX_TEMPLATES exist. Audited in the same transaction.
 */
export async function saveDraft(
  ctx: AppContext,
  key: string,
  input: TemplateDraftInput,
  actor: string,
): Promise<TemplateDetail> {
  assertValidTexts(input);
  const at = ctx.now();
  return inTransaction(ctx.db, async (tx) => {
    const row = await store.findTemplateRow(tx, key);
    const content = { title: input.title, zh: input.zh, en: input.en };
    if (row === undefined) {
      if (input.revision !== 0) throw notFound(`no reply template "${key}" (revision 0 creates one)`);
      const count = await store.countTemplates(tx);
      if (count >= MAX_TEMPLATES)
        throw invalid(`there are already ${count} reply templates, the most kept`, [
          fieldProblem(
            "revision",
            "too_large",
            { maximum: MAX_TEMPLATES, count },
            `at most ${MAX_TEMPLATES} templates`,
          ),
        ]);
      await store.insertTemplate(tx, { key, ...content, actor, at: at.toISOString() });
      await appendAudit(tx, { actor, action: "reply-template.create", entity: "reply-template", entityKey: key }, at);
      return detail(tx, await requireTemplate(tx, key));
    }
    if (input.revision !== row.draftRevision)
      throw conflict(`the draft is at revision ${row.draftRevision}, not ${input.revision}: someone saved meanwhile`, {
        currentRevision: row.draftRevision,
      });
    const revision = row.draftRevision + 1;
    await store.updateDraft(tx, key, { ...content, revision, actor, at: at.toISOString(), restoredFrom: null });
    await appendAudit(
      tx,
      { actor, action: "reply-template.save", entity: "reply-template", entityKey: key, detail: { revision } },
      at,
    );
    return detail(tx, await requireTemplate(tx, key));
  });
}

/**
 * Publishes the draft seen at `revision` as the next version, audited in the same transaction; a draft equal to the
 * published version publishes nothing and answers the template as it is.
 */
export async function publishDraft(
  ctx: AppContext,
  key: string,
  input: { revision: number; note?: string | undefined },
  actor: string,
): Promise<TemplateDetail> {
  const at = ctx.now();
  return inTransaction(ctx.db, async (tx) => {
    const row = await requireTemplate(tx, key);
    if (input.revision !== row.draftRevision)
      throw conflict(`the draft is at revision ${row.draftRevision}, not ${input.revision}: reload before publishing`, {
        currentRevision: row.draftRevision,
      });
    const current = row.publishedVersion === null ? undefined : await store.findVersion(tx, key, row.publishedVersion);
    if (sameContent(row, current)) return detailOf(row, current);
    const version = (row.publishedVersion ?? 0) + 1;
    assertValidTexts(row);
    await store.insertVersion(tx, key, {
      version,
      title: row.title,
      zh: row.zh,
      en: row.en,
      note: input.note ?? "",
      publishedAt: at.toISOString(),
      publishedBy: actor,
      restoredFrom: row.restoredFrom,
    });
    await appendAudit(
      tx,
      {
        actor,
        action: "reply-template.publish",
        entity: "reply-template",
        entityKey: key,
        detail: {
          version,
          revision: row.draftRevision,
          ...(row.restoredFrom === null ? {} : { restoredFrom: row.restoredFrom }),
        },
      },
      at,
    );
    return detail(tx, await requireTemplate(tx, key));
  });
}

/** Makes the draft an earlier version's text (on the draft's current revision), to publish it again. Audited. */
export async function restoreVersion(
  ctx: AppContext,
  key: string,
  input: { version: number; revision: number },
  actor: string,
): Promise<TemplateDetail> {
  const at = ctx.now();
  return inTransaction(ctx.db, async (tx) => {
    const row = await requireTemplate(tx, key);
    if (input.revision !== row.draftRevision)
      throw conflict(`the draft is at revision ${row.draftRevision}, not ${input.revision}: someone saved meanwhile`, {
        currentRevision: row.draftRevision,
      });
    const old = await store.findVersion(tx, key, input.version);
    if (old === undefined) throw notFound(`reply template "${key}" has no version ${input.version}`);
    const revision = row.draftRevision + 1;
    await store.updateDraft(tx, key, {
      title: old.title,
      zh: old.zh,
      en: old.en,
      revision,
      actor,
      at: at.toISOString(),
      restoredFrom: old.version,
    });
    await appendAudit(
      tx,
      {
        actor,
        action: "reply-template.restore",
        entity: "reply-template",
        entityKey: key,
        detail: { version: old.version, revision },
      },
      at,
    );
    return detail(tx, await requireTemplate(tx, key));
  });
}

/** The template's published versions, newest first. */
export async function listVersions(ctx: AppContext, key: string): Promise<TemplateVersion[]> {
  await requireTemplate(ctx.db, key);
  return store.listVersions(ctx.db, key, MAX_LISTED_VERSIONS);
}

/**
 * Adds each starting template the database lacks, published as version 1, with its audit row; inside the start's
 * transaction (bootstrap.ts), so that a database made before templates existed gets them too.
 */
/**
 * Refuses (422) a rule set definition that names a reply template with no published version, in its defaults or in a
 * rule's event: a decision naming it could not be rendered. Templates are never deleted, so a version that passed this
 * once (a rollback's target) still passes.
 */
export async function assertTemplatesPublished(
  db: Db,
  decision: z.ZodObject,
  definition: RuleSetDefinition,
): Promise<void> {
  const fields = templateFields(decision);
  if (fields.length === 0) return;
  const named: { path: string; key: unknown }[] = [];
  for (const field of fields) {
    if (field in definition.defaults) named.push({ path: `defaults.${field}`, key: definition.defaults[field] });
    definition.rules.forEach((rule, i) => {
      const params = rule.event.params as Record<string, unknown> | undefined;
      if (params && field in params) named.push({ path: `rules.${i}.event.params.${field}`, key: params[field] });
    });
  }
  if (named.length === 0) return;
  const published = await store.listPublished(db);
  const problems = named
    .filter(({ key }) => typeof key !== "string" || !published.has(key))
    .map(({ path, key }) =>
      fieldProblem(path, "unpublished_template", { key }, `no published reply template "${String(key)}"`),
    );
  if (problems.length > 0)
    throw invalid(
      `${problems.length} reply template(s) the rules name are not published; publish them under reply templates first`,
      problems,
    );
}

export async function importStartingTemplates(db: Db, at: Date): Promise<string[]> {
  const existing = new Set((await store.listTemplateRows(db)).map((row) => row.key));
  let count = existing.size;
  const imported: string[] = [];
  for (const [key, content] of Object.entries(startingTemplates)) {
    if (existing.has(key) || count >= MAX_TEMPLATES) continue;
    await store.insertTemplate(db, { key, ...content, actor: "system", at: at.toISOString() });
    await store.insertVersion(db, key, {
      version: 1,
      ...content,
      note: "初始话术（资料中的客服话术）",
      publishedAt: at.toISOString(),
      publishedBy: "system",
      restoredFrom: null,
    });
    await appendAudit(
      db,
      {
        actor: "system",
        action: "reply-template.import",
        entity: "reply-template",
        entityKey: key,
        detail: { version: 1 },
      },
      at,
    );
    count++;
    imported.push(key);
  }
  return imported;
}
