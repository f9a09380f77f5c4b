import type { RuleSetDefinition, TestCase } from "../../shared/rules.ts";
import type { Selectable } from "kysely";
import type { Db } from "../db/database.ts";
import type { Database } from "../db/schema.ts";

export type RuleSetRow = {
  key: string;
  name: string;
  description: string;
  draft: RuleSetDefinition;
  draftRevision: number;
  draftUpdatedAt: string;
  draftUpdatedBy: string;
  activeVersion: number | null;
  /** Four-eyes publishing: a draft needs another person's approval before it publishes. */
  fourEyes: boolean;
  /** Who changed the draft or its test cases since the last publish: none of them may approve it. */
  draftEditors: string[];
};

export type VersionRow = {
  ruleSetKey: string;
  version: number;
  definition: RuleSetDefinition;
  note: string;
  publishedAt: string;
  publishedBy: string;
  rolledBackFrom: number | null;
  /** The test cases it was published with: null for a version from before they were kept, absent when not read. */
  testCases?: TestCase[] | null;
};

function toRuleSet(row: Selectable<Database["rule_sets"]>): RuleSetRow {
  return {
    key: row.key,
    name: row.name,
    description: row.description,
    draft: JSON.parse(row.draft) as RuleSetDefinition,
    draftRevision: Number(row.draft_revision),
    draftUpdatedAt: row.draft_updated_at,
    draftUpdatedBy: row.draft_updated_by,
    activeVersion: row.active_version === null ? null : Number(row.active_version),
    fourEyes: Number(row.four_eyes) === 1,
    draftEditors: JSON.parse(row.draft_editors) as string[],
  };
}

/** A version's row; without `test_cases` when a list left them out (they are read one version at a time). */
type VersionSelect = Omit<Selectable<Database["rule_set_versions"]>, "test_cases"> & { test_cases?: string | null };

function toVersion(row: VersionSelect): VersionRow {
  return {
    ruleSetKey: row.rule_set_key,
    version: Number(row.version),
    definition: JSON.parse(row.definition) as RuleSetDefinition,
    note: row.note,
    publishedAt: row.published_at,
    publishedBy: row.published_by,
    rolledBackFrom: row.rolled_back_from === null ? null : Number(row.rolled_back_from),
    ...(row.test_cases === undefined
      ? {}
      : { testCases: row.test_cases === null ? null : (JSON.parse(row.test_cases) as TestCase[]) }),
  };
}

export async function listRuleSetRows(db: Db): Promise<RuleSetRow[]> {
  const rows = await db.selectFrom("rule_sets").selectAll().orderBy("key").execute();
  return rows.map(toRuleSet);
}

export async function findRuleSetRow(db: Db, key: string): Promise<RuleSetRow | undefined> {
  const row = await db.selectFrom("rule_sets").selectAll().where("key", "=", key).executeTakeFirst();
  return row && toRuleSet(row);
}

export async function insertRuleSet(
  db: Db,
  ruleSet: { key: string; name: string; description: string; draft: RuleSetDefinition; actor: string; at: string },
): Promise<void> {
  await db
    .insertInto("rule_sets")
    .values({
      key: ruleSet.key,
      name: ruleSet.name,
      description: ruleSet.description,
      draft: JSON.stringify(ruleSet.draft),
      draft_revision: 1,
      draft_updated_at: ruleSet.at,
      draft_updated_by: ruleSet.actor,
      active_version: null,
      created_at: ruleSet.at,
    })
    .execute();
  await insertDraftRevision(db, ruleSet.key, 1, ruleSet.draft, ruleSet.actor, ruleSet.at);
}

/** Draft revisions kept per rule set: a save based on an older one is refused as stale instead of merged. */
export const KEPT_DRAFT_REVISIONS = 200;

/** Keeps revision `revision`'s content (in the transaction that saves it) and forgets the oldest beyond the limit. */
async function insertDraftRevision(
  db: Db,
  key: string,
  revision: number,
  draft: RuleSetDefinition,
  actor: string,
  at: string,
): Promise<void> {
  await db
    .insertInto("draft_revisions")
    .values({ rule_set_key: key, revision, definition: JSON.stringify(draft), saved_by: actor, saved_at: at })
    .execute();
  await db
    .deleteFrom("draft_revisions")
    .where("rule_set_key", "=", key)
    .where("revision", "<=", revision - KEPT_DRAFT_REVISIONS)
    .execute();
}

export type DraftRevisionRow = { revision: number; definition: RuleSetDefinition; savedBy: string; savedAt: string };

/** A saved draft revision's content, if it is still kept. */
export async function findDraftRevision(db: Db, key: string, revision: number): Promise<DraftRevisionRow | undefined> {
  const row = await db
    .selectFrom("draft_revisions")
    .selectAll()
    .where("rule_set_key", "=", key)
    .where("revision", "=", revision)
    .executeTakeFirst();
  return (
    row && {
      revision: Number(row.revision),
      definition: JSON.parse(row.definition) as RuleSetDefinition,
      savedBy: row.saved_by,
      savedAt: row.saved_at,
    }
  );
}

/** Who saved the draft after revision `after`, up to `upTo`, each once, in the order they first saved. */
export async function draftSaversBetween(db: Db, key: string, after: number, upTo: number): Promise<string[]> {
  const rows = await db
    .selectFrom("draft_revisions")
    .select("saved_by")
    .where("rule_set_key", "=", key)
    .where("revision", ">", after)
    .where("revision", "<=", upTo)
    .orderBy("revision")
    .execute();
  return [...new Set(rows.map((row) => row.saved_by))];
}

/**
 * Replaces the draft only if its revision is still `expectedRevision` (optimistic concurrency), keeping
 * the new revision's content. Returns whether it did: false means someone saved in between.
 */
export async function updateDraft(
  db: Db,
  key: string,
  expectedRevision: number,
  draft: RuleSetDefinition,
  actor: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable("rule_sets")
    .set({
      draft: JSON.stringify(draft),
      draft_revision: expectedRevision + 1,
      draft_updated_at: at,
      draft_updated_by: actor,
    })
    .where("key", "=", key)
    .where("draft_revision", "=", expectedRevision)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  await insertDraftRevision(db, key, expectedRevision + 1, draft, actor, at);
  return true;
}

export async function setActiveVersion(db: Db, key: string, version: number): Promise<void> {
  await db.updateTable("rule_sets").set({ active_version: version }).where("key", "=", key).execute();
}

export async function latestVersionNumber(db: Db, key: string): Promise<number> {
  const row = await db
    .selectFrom("rule_set_versions")
    .select((eb) => eb.fn.max("version").as("latest"))
    .where("rule_set_key", "=", key)
    .executeTakeFirst();
  return row?.latest == null ? 0 : Number(row.latest);
}

export async function insertVersion(db: Db, version: VersionRow): Promise<void> {
  await db
    .insertInto("rule_set_versions")
    .values({
      rule_set_key: version.ruleSetKey,
      version: version.version,
      definition: JSON.stringify(version.definition),
      note: version.note,
      published_at: version.publishedAt,
      published_by: version.publishedBy,
      rolled_back_from: version.rolledBackFrom,
      test_cases: version.testCases == null ? null : JSON.stringify(version.testCases),
    })
    .execute();
}

export async function findVersion(db: Db, key: string, version: number): Promise<VersionRow | undefined> {
  const row = await db
    .selectFrom("rule_set_versions")
    .selectAll()
    .where("rule_set_key", "=", key)
    .where("version", "=", version)
    .executeTakeFirst();
  return row && toVersion(row);
}

export async function listVersions(db: Db, key?: string): Promise<VersionRow[]> {
  let query = db
    .selectFrom("rule_set_versions")
    .select(["rule_set_key", "version", "definition", "note", "published_at", "published_by", "rolled_back_from"])
    .orderBy("rule_set_key")
    .orderBy("version", "desc");
  if (key !== undefined) query = query.where("rule_set_key", "=", key);
  const rows = await query.execute();
  return rows.map(toVersion);
}

export async function listTestCases(db: Db, key: string): Promise<TestCase[]> {
  const rows = await db
    .selectFrom("test_cases")
    .selectAll()
    .where("rule_set_key", "=", key)
    .orderBy("position")
    .execute();
  return rows.map((row) => ({
    name: row.name,
    facts: JSON.parse(row.facts) as unknown,
    expect: JSON.parse(row.expect) as Record<string, unknown>,
  }));
}

export async function replaceTestCases(db: Db, key: string, testCases: readonly TestCase[]): Promise<void> {
  await db.deleteFrom("test_cases").where("rule_set_key", "=", key).execute();
  if (testCases.length === 0) return;
  await db
    .insertInto("test_cases")
    .values(
      testCases.map((testCase, position) => ({
        rule_set_key: key,
        position,
        name: testCase.name,
        facts: JSON.stringify(testCase.facts),
        expect: JSON.stringify(testCase.expect),
      })),
    )
    .execute();
}

export async function setDraftEditors(db: Db, key: string, editors: readonly string[]): Promise<void> {
  await db
    .updateTable("rule_sets")
    .set({ draft_editors: JSON.stringify(editors) })
    .where("key", "=", key)
    .execute();
}

/** Adds `actor` to the people who changed the draft since its last publish. */
export async function addDraftEditor(db: Db, key: string, actor: string): Promise<void> {
  const row = await db.selectFrom("rule_sets").select("draft_editors").where("key", "=", key).executeTakeFirstOrThrow();
  const editors = JSON.parse(row.draft_editors) as string[];
  if (!editors.includes(actor)) await setDraftEditors(db, key, [...editors, actor]);
}

export async function setFourEyes(db: Db, key: string, on: boolean): Promise<void> {
  await db
    .updateTable("rule_sets")
    .set({ four_eyes: on ? 1 : 0 })
    .where("key", "=", key)
    .execute();
}
