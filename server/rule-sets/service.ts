import stringify from "safe-stable-stringify";
import type {
  DraftConflict,
  DraftConflictMembers,
  DraftInput,
  DraftSaved,
  RuleSetDetail,
  RuleSetSummary,
  VersionSummary,
} from "../../shared/api.ts";
import { isRuleSetKind, type RuleSetKind } from "../../shared/outputs.ts";
import { CaseFacts } from "../../shared/case-facts.ts";
import { RuleSetDefinition, type TestCase } from "../../shared/rules.ts";
import { testCaseChanges } from "../../shared/test-case-changes.ts";
import { appendAudit } from "../audit/store.ts";
import { type Db, inTransaction } from "../db/database.ts";
import {
  latestReview,
  listSchedules,
  withdrawOpenReviews,
  type ReviewRow,
  type ScheduleRow,
} from "./governance-store.ts";
import type { AppContext } from "../context.ts";
import { Decider } from "../engine/decider.ts";
import { validateDefinition } from "../engine/validate-definition.ts";
import { conflict, invalid, notFound } from "../errors.ts";
import { fieldProblems } from "../http/validation.ts";
import { invariantChanges } from "../invariants/changes.ts";
import { mergeDrafts, unitChange, type UnitChange } from "./merge.ts";
import * as store from "./store.ts";
import { runTestCases, validateTestCases, type TestCaseResult } from "./test-cases.ts";

/** Two definitions are the same when their canonical JSON is. */
export function sameDefinition(a: RuleSetDefinition | undefined, b: RuleSetDefinition | undefined): boolean {
  return a !== undefined && b !== undefined && stringify(a) === stringify(b);
}

export function kindOf(key: string): RuleSetKind {
  if (!isRuleSetKind(key)) throw notFound(`no rule set "${key}"`);
  return key;
}

export async function requireRuleSet(ctx: AppContext, key: string): Promise<store.RuleSetRow> {
  const row = isRuleSetKind(key) ? await store.findRuleSetRow(ctx.db, key) : undefined;
  if (!row) throw notFound(`no rule set "${key}"`);
  return row;
}

/** Throws 422 with every problem when a definition cannot be published as it stands. */
export function assertValidDefinition(kind: RuleSetKind, definition: RuleSetDefinition): void {
  const problems = validateDefinition(kind, definition);
  if (problems.length > 0) throw invalid(`the rules have ${problems.length} problem(s)`, problems);
}

/** The rule sets of `visible` (null: all), each with its active version, review and schedules. */
export async function listRuleSets(ctx: AppContext, visible: ReadonlySet<string> | null): Promise<RuleSetSummary[]> {
  const [allRows, versions, schedules] = await Promise.all([
    store.listRuleSetRows(ctx.db),
    store.listVersions(ctx.db),
    listSchedules(ctx.db, { status: ["scheduled", "active"] }),
  ]);
  const rows = visible === null ? allRows : allRows.filter((row) => visible.has(row.key));
  return Promise.all(
    rows.map(async (row) =>
      summarize(
        row,
        versions.find((v) => v.ruleSetKey === row.key && v.version === row.activeVersion),
        await latestReview(ctx.db, row.key),
        schedules.filter((s) => s.ruleSetKey === row.key),
      ),
    ),
  );
}

function summarize(
  row: store.RuleSetRow,
  active: store.VersionRow | undefined,
  review: ReviewRow | undefined,
  schedules: ScheduleRow[],
): RuleSetSummary {
  const next = schedules
    .filter((s) => s.status === "scheduled" || (s.status === "active" && s.endsAt !== null))
    .sort((a, b) =>
      (a.status === "scheduled" ? a.startsAt : a.endsAt!).localeCompare(
        b.status === "scheduled" ? b.startsAt : b.endsAt!,
      ),
    )[0];
  return {
    fourEyes: row.fourEyes,
    draftEditors: row.draftEditors,
    review: review ? { ...review, current: review.draftRevision === row.draftRevision } : null,
    nextSchedule: next
      ? { id: next.id, version: next.version, startsAt: next.startsAt, endsAt: next.endsAt, status: next.status }
      : null,
    key: row.key,
    name: row.name,
    description: row.description,
    activeVersion: row.activeVersion,
    publishedAt: active?.publishedAt ?? null,
    publishedBy: active?.publishedBy ?? null,
    draftRevision: row.draftRevision,
    draftDiffers: !sameDefinition(row.draft, active?.definition),
  };
}

export async function getRuleSet(ctx: AppContext, key: string): Promise<RuleSetDetail> {
  const row = await requireRuleSet(ctx, key);
  const active = row.activeVersion === null ? undefined : await store.findVersion(ctx.db, key, row.activeVersion);
  const schedules = await listSchedules(ctx.db, { key, status: ["scheduled", "active"] });
  return {
    ...summarize(row, active, await latestReview(ctx.db, key), schedules),
    draft: { ...row.draft, revision: row.draftRevision, updatedAt: row.draftUpdatedAt, updatedBy: row.draftUpdatedBy },
    active: active ? { ...active.definition, version: active.version } : null,
  };
}

/** How often a save retries when another save lands between reading the draft and writing it. */
const SAVE_ATTEMPTS = 3;

/**
 * Saves the draft. On the current revision the input replaces it; on an older revision still kept, the
 * input is merged with what was saved since (merge.ts): changes to different rules, defaults and shared
 * conditions are all kept (`merged`), and different changes to the same one are refused with 409 listing
 * each conflict, saving nothing. A revision no longer kept, or newer than the draft's, is refused with
 * 409 as stale. Every rule must be valid (else 422 listing each problem). Defaults and shared conditions
 * left out of the input are left as the input's revision had them.
 */
export async function replaceDraft(
  ctx: AppContext,
  key: string,
  input: DraftInput,
  actor: string,
): Promise<DraftSaved> {
  const kind = kindOf(key);
  for (let attempt = 1; ; attempt++) {
    const row = await requireRuleSet(ctx, key);
    const current = row.draftRevision;
    const base =
      input.revision === current
        ? row.draft
        : input.revision < current
          ? (await store.findDraftRevision(ctx.db, key, input.revision))?.definition
          : undefined;
    if (!base) throw staleRevision(current, input.revision);
    const mine = definitionOf(kind, input, base);
    let draft = mine;
    let mergedWith: string[] = [];
    if (input.revision !== current) {
      mergedWith = await store.draftSaversBetween(ctx.db, key, input.revision, current);
      const { merged, conflicts } = mergeDrafts(base, row.draft, mine);
      if (conflicts.length > 0) throw draftConflict({ current, base: input.revision, mergedWith, conflicts, merged });
      assertValidDefinition(kind, merged);
      draft = merged;
    }
    const at = ctx.now();
    const saved = await inTransaction(ctx.db, async (tx) => {
      if (!(await store.updateDraft(tx, key, current, draft, actor, at.toISOString()))) return false;
      await recordDraftEdit(tx, key, actor, at);
      const merge = input.revision === current ? {} : { merged: true, baseRevision: input.revision, mergedWith };
      await appendAudit(
        tx,
        {
          actor,
          action: "draft.replace",
          entity: "rule-set",
          entityKey: key,
          detail: { ...draftChange(row.draft, draft, current), ...merge },
        },
        at,
      );
      return true;
    });
    if (saved) return { ...(await getRuleSet(ctx, key)), merged: input.revision !== current, mergedWith };
    // another save landed after the draft was read: merge with it too
    if (attempt === SAVE_ATTEMPTS) throw staleRevision((await requireRuleSet(ctx, key)).draftRevision, input.revision);
  }
}

/** The input as a whole definition: defaults, shared conditions and invariants it leaves out are `base`'s. Valid, or 422. */
function definitionOf(kind: RuleSetKind, input: DraftInput, base: RuleSetDefinition): RuleSetDefinition {
  // the draft input's shared conditions are named by any string; the definition's schema says which names are valid
  const invariants = input.invariants ?? base.invariants ?? [];
  const decidedByRules = input.decidedByRules ?? base.decidedByRules ?? [];
  const parsed = RuleSetDefinition.safeParse({
    defaults: input.defaults ?? base.defaults,
    conditions: input.conditions ?? base.conditions,
    rules: input.rules,
    // absent rather than empty, so that a draft without them equals a version published before they existed
    ...(invariants.length > 0 ? { invariants } : {}),
    ...(decidedByRules.length > 0 ? { decidedByRules } : {}),
  });
  if (!parsed.success) throw invalid("the rules break the rule set schema", fieldProblems(parsed.error.issues));
  assertValidDefinition(kind, parsed.data);
  return parsed.data;
}

function draftConflict(found: {
  current: number;
  base: number;
  mergedWith: string[];
  conflicts: DraftConflict[];
  merged: RuleSetDefinition;
}) {
  const members: DraftConflictMembers = {
    currentRevision: found.current,
    baseRevision: found.base,
    mergedWith: found.mergedWith,
    conflicts: found.conflicts,
    mergedKeepingTheirs: found.merged,
  };
  return conflict(
    `the draft is at revision ${found.current}: since revision ${found.base}, ${found.mergedWith.join(", ")} changed ${found.conflicts.length} of the rules, defaults or shared conditions this save changes, differently; nothing was saved: choose theirs or yours for each and save on revision ${found.current}`,
    members,
  );
}

/**
 * Makes the draft version `version`'s definition (after a rollback, so that the rolled-back change does
 * not come back with the next publish): 404 for an unknown version, 409 when `revision` is not current.
 */
export async function resetDraft(
  ctx: AppContext,
  key: string,
  input: { version: number; revision: number },
  actor: string,
): Promise<RuleSetDetail> {
  await requireRuleSet(ctx, key);
  const target = await store.findVersion(ctx.db, key, input.version);
  if (!target) throw notFound(`rule set "${key}" has no version ${input.version}`);
  const at = ctx.now();
  await inTransaction(ctx.db, async (tx) => {
    const row = (await store.findRuleSetRow(tx, key))!;
    if (!(await store.updateDraft(tx, key, input.revision, target.definition, actor, at.toISOString())))
      throw staleRevision(row.draftRevision, input.revision);
    await recordDraftEdit(tx, key, actor, at);
    await appendAudit(
      tx,
      {
        actor,
        action: "draft.reset",
        entity: "rule-set",
        entityKey: key,
        detail: { version: input.version, ...draftChange(row.draft, target.definition, input.revision) },
      },
      at,
    );
  });
  return getRuleSet(ctx, key);
}

/**
 * Any change to the draft or its test cases withdraws an open review (four-eyes: the approval was
 * for what the reviewer saw) and makes its author one who may not approve it.
 */
async function recordDraftEdit(tx: Db, key: string, actor: string, at: Date): Promise<void> {
  await store.addDraftEditor(tx, key, actor);
  const withdrawn = await withdrawOpenReviews(tx, key);
  if (withdrawn > 0)
    await appendAudit(
      tx,
      {
        actor,
        action: "review.withdrawn",
        entity: "rule-set",
        entityKey: key,
        detail: { reason: "the draft changed" },
      },
      at,
    );
}

function staleRevision(current: number, sent: number) {
  return conflict(
    `the draft is at revision ${current}, not ${sent}: someone saved it in the meantime; reload it and apply your change again`,
    {
      currentRevision: current,
    },
  );
}

/** What an audit reader needs to see of a draft change: which rules were added, removed or changed. */
function draftChange(before: RuleSetDefinition, after: RuleSetDefinition, revision: number) {
  const old = new Map(before.rules.map((rule) => [rule.name, rule]));
  const now = new Map(after.rules.map((rule) => [rule.name, rule]));
  const names = [...new Set([...now.keys(), ...old.keys()])];
  const withChange = (change: UnitChange) =>
    names.filter((name) => unitChange(old.get(name), now.get(name)) === change);
  return {
    fromRevision: revision,
    toRevision: revision + 1,
    added: withChange("added"),
    removed: withChange("removed"),
    changed: withChange("changed"),
    defaultsChanged: stringify(before.defaults) !== stringify(after.defaults),
    conditionsChanged: stringify(before.conditions) !== stringify(after.conditions),
    ...invariantChanges(before, after),
  };
}

export async function listVersionSummaries(ctx: AppContext, key: string): Promise<VersionSummary[]> {
  const row = await requireRuleSet(ctx, key);
  const versions = await store.listVersions(ctx.db, key);
  return versions.map((v) => ({
    version: v.version,
    publishedAt: v.publishedAt,
    publishedBy: v.publishedBy,
    note: v.note,
    rolledBackFrom: v.rolledBackFrom,
    active: v.version === row.activeVersion,
  }));
}

export async function getVersion(ctx: AppContext, key: string, version: number) {
  const row = await requireRuleSet(ctx, key);
  const found = await store.findVersion(ctx.db, key, version);
  if (!found) throw notFound(`rule set "${key}" has no version ${version}`);
  return {
    version: found.version,
    publishedAt: found.publishedAt,
    publishedBy: found.publishedBy,
    note: found.note,
    rolledBackFrom: found.rolledBackFrom,
    active: found.version === row.activeVersion,
    ...found.definition,
    testCases: found.testCases ?? null,
  };
}

export async function getTestCases(ctx: AppContext, key: string): Promise<TestCase[]> {
  await requireRuleSet(ctx, key);
  return store.listTestCases(ctx.db, key);
}

export async function replaceTestCases(
  ctx: AppContext,
  key: string,
  testCases: TestCase[],
  actor: string,
): Promise<TestCase[]> {
  const kind = kindOf(key);
  await requireRuleSet(ctx, key);
  const problems = validateTestCases(kind, testCases);
  if (problems.length > 0) throw invalid(`the test cases have ${problems.length} problem(s)`, problems);
  const at = ctx.now();
  await inTransaction(ctx.db, async (tx) => {
    const before = await store.listTestCases(tx, key);
    await store.replaceTestCases(tx, key, testCases);
    await recordDraftEdit(tx, key, actor, at);
    await appendAudit(
      tx,
      {
        actor,
        action: "test-cases.replace",
        entity: "rule-set",
        entityKey: key,
        // which test changed and how: a reviewer of the audit sees an expectation rewritten to make a test pass
        detail: {
          before: before.map((t) => t.name),
          after: testCases.map((t) => t.name),
          ...testCaseChanges(before, testCases),
        },
      },
      at,
    );
  });
  return testCases;
}

/** Runs the stored test cases against the draft (or a published version), without changing anything. */
export async function runStoredTestCases(ctx: AppContext, key: string, version?: number): Promise<TestCaseResult[]> {
  const kind = kindOf(key);
  const row = await requireRuleSet(ctx, key);
  let decider: Decider;
  if (version === undefined) {
    decider = draftDecider(ctx, kind, row);
  } else {
    const found = await ctx.registry.version(key, version);
    if (!found) throw notFound(`rule set "${key}" has no version ${version}`);
    decider = found;
  }
  return runTestCases(decider, await store.listTestCases(ctx.db, key), ctx.now().getTime(), {
    zone: ctx.businessTimeZone,
    calendar: ctx.calendar.current,
  });
}

/** The draft's deciders, compiled once per saved revision, for the simulator and test runs. */
const draftDeciders = new WeakMap<AppContext, Map<string, { revision: number; decider: Decider }>>();

/** The saved draft, validated and compiled once per revision (422 when a rule is invalid). */
export function draftDecider(ctx: AppContext, kind: RuleSetKind, row: store.RuleSetRow): Decider {
  const cache = draftDeciders.get(ctx) ?? draftDeciders.set(ctx, new Map()).get(ctx)!;
  const known = cache.get(row.key);
  if (known && known.revision === row.draftRevision) return known.decider;
  assertValidDefinition(kind, row.draft);
  const decider = new Decider(kind, 0, row.draft);
  cache.set(row.key, { revision: row.draftRevision, decider });
  return decider;
}

/**
 * Decides one case with the draft and with the active version, side by side, each with its trace and provenance, and
 * with the published `version` asked for (a scheduled one included): what the simulator shows before anything is
 * published. The case is decided at its `now`, a day to come included (what will a scheduled version, or a rule whose
 * window has not begun, decide then?), else at the server's clock. With `draft` the rules being edited, unsaved, are
 * decided instead of the saved draft.
 */
export async function simulate(
  ctx: AppContext,
  key: string,
  input: { facts: unknown; version?: number | undefined; draft?: Omit<DraftInput, "revision"> | undefined },
) {
  const kind = kindOf(key);
  const row = await requireRuleSet(ctx, key);
  const parsed = CaseFacts.safeParse(input.facts);
  if (!parsed.success) throw invalid("the facts break the case schema", fieldProblems(parsed.error.issues));
  const facts = parsed.data;
  const selectedDecider = input.version === undefined ? undefined : await ctx.registry.version(key, input.version);
  if (input.version !== undefined && !selectedDecider)
    throw notFound(`rule set "${key}" has no version ${input.version}`);
  const nowMs = facts.now === undefined ? ctx.now().getTime() : Date.parse(facts.now);
  // an unsaved edit, checked as its save would be, decided in place of the saved draft
  const unsaved = input.draft && new Decider(kind, 0, definitionOf(kind, { revision: 0, ...input.draft }, row.draft));
  const periods = { zone: ctx.businessTimeZone, calendar: ctx.calendar.current };
  const traced = (decider: Decider) => {
    const { decision, firedRules, provenance, trace } = decider.decide(facts, { trace: true, nowMs, periods });
    return { decision, firedRules, provenance: provenance!, trace: trace! };
  };
  const activeDecider = ctx.registry.active(key);
  return {
    now: new Date(nowMs).toISOString(),
    draft: { revision: row.draftRevision, ...traced(unsaved ?? draftDecider(ctx, kind, row)) },
    active: activeDecider ? { version: activeDecider.version, ...traced(activeDecider) } : null,
    ...(selectedDecider ? { selected: { version: selectedDecider.version, ...traced(selectedDecider) } } : {}),
  };
}
