import { monotonicFactory } from "ulid";
import type { RuleSetKind } from "../../shared/outputs.ts";
import type { RuleSetDefinition, TestCase } from "../../shared/rules.ts";
import { appendAudit } from "../audit/store.ts";
import type { Principal } from "../auth/api-keys.ts";
import type { AppContext } from "../context.ts";
import { type Db, inTransaction } from "../db/database.ts";
import { Decider } from "../engine/decider.ts";
import { conflict, invalid, notFound, reviewRequired } from "../errors.ts";
import * as governance from "./governance-store.ts";
import { assertValidDefinition, draftDecider, kindOf, requireRuleSet, sameDefinition } from "./service.ts";
import * as store from "./store.ts";
import { runTestCases, type TestCaseResult } from "./test-cases.ts";
import { assertInvariantsHold, invariantsForRollback, onAnalysisThread } from "../invariants/gate.ts";
import { fieldProblem } from "../../shared/problems.ts";
import { announceChange } from "../cluster/change-feed.ts";
import { kindModule } from "../../shared/kinds/index.ts";
import { assertTemplatesPublished } from "../reply-templates/service.ts";

const nextId = monotonicFactory();

export type PublishResult = {
  version: number;
  unchanged: boolean;
  scheduled?: { id: string; startsAt: string; endsAt: string | null };
  windows?: WindowEffect[];
  invariantsUnchecked?: string[];
};

/** A version window waiting or running when a version went live at once, and what that means for it. */
export type WindowEffect = {
  id: string;
  version: number;
  startsAt: string;
  endsAt: string | null;
  effect: "handsBackToThis" | "endsWithoutHandBack";
};
export type PublishOptions = { note?: string; activateAt?: string; until?: string };

/** Throws 422 with the failing test cases when any fails against the candidate; answers the cases it ran. */
export async function assertTestCasesPass(
  ctx: AppContext,
  candidate: Decider,
  key: string,
  what: string,
): Promise<TestCase[]> {
  const testCases = await store.listTestCases(ctx.db, key);
  const failures = (
    await runTestCases(candidate, testCases, ctx.now().getTime(), {
      zone: ctx.businessTimeZone,
      calendar: ctx.calendar.current,
    })
  ).filter((r) => !r.passed);
  if (failures.length > 0) {
    throw invalid(
      `${failures.length} test case(s) fail against the draft; ${what} waits until they pass`,
      failures.map((f) =>
        fieldProblem(`testCases.${f.name}`, "test_case_fails", { mismatches: f.mismatches }, describeFailure(f)),
      ),
      { failures },
    );
  }
  return testCases;
}

function describeFailure(result: TestCaseResult): string {
  return result.mismatches
    .map((m) => `${m.field}: expected ${JSON.stringify(m.expected)}, got ${JSON.stringify(m.actual)}`)
    .join("; ");
}

/**
 * Publishes the draft as the next version: at once, or at `activateAt` (and, with `until`, hands
 * back to the version before it then). Refused while a test case fails (422), while a case breaks one of the draft's
 * invariants (422 `invariant_broken`, with the counterexample), while four-eyes
 * review is on and the draft is not approved by someone else (409 review-required) — unless the
 * API key may publish without in-app review, which the audit log records — or when the draft
 * changed meanwhile (409). Publishing a draft equal to the active version changes nothing.
 */
export async function publishDraft(
  ctx: AppContext,
  key: string,
  options: PublishOptions,
  principal: Principal,
): Promise<PublishResult> {
  const kind = kindOf(key);
  const row = await requireRuleSet(ctx, key);
  const active = ctx.registry.active(key);
  if (
    active &&
    sameDefinition(active.definition, row.draft) &&
    options.activateAt === undefined &&
    options.until === undefined
  ) {
    return { version: active.version, unchanged: true };
  }
  const now = ctx.now();
  const window = publishWindow(options, now);
  const skipsReview = principal.scopes.has("rules:publish-unreviewed");
  const review = row.fourEyes && !skipsReview ? await requireApproval(ctx.db, row) : undefined;
  // a decision must never name a reply template that cannot be rendered
  await assertTemplatesPublished(ctx.db, kindModule(kind).decision, row.draft);
  // the version keeps the test cases it passed, so a review can show how they changed since
  const testCases = await assertTestCasesPass(ctx, draftDecider(ctx, kind, row), key, "publishing");
  // every case from now on, a scheduled start's included: refused (422) while one breaks an invariant
  const invariants = await assertInvariantsHold(kind, row.draft, {
    nowMs: now.getTime(),
    what: "publishing",
    analyse: onAnalysisThread(ctx),
  });
  return activateNewVersion(ctx, kind, row, row.draft, {
    invariantsUnchecked: invariants.unchecked,
    note: options.note ?? "",
    testCases,
    actor: principal.actor,
    rolledBackFrom: null,
    action: "publish",
    review: review
      ? { id: review.id, approvedBy: review.reviewedBy }
      : row.fourEyes
        ? "unreviewed-in-app"
        : "not-required",
    ...window,
  });
}

/** The approved review of the current draft, or 409 saying what is missing. */
async function requireApproval(db: Db, row: store.RuleSetRow): Promise<governance.ReviewRow> {
  const review = await governance.latestReview(db, row.key);
  if (review?.status === "approved" && review.draftRevision === row.draftRevision) return review;
  const why =
    review?.status === "pending" && review.draftRevision === row.draftRevision
      ? "the draft is waiting for review"
      : review?.status === "rejected" && review.draftRevision === row.draftRevision
        ? `the draft was rejected by ${review.reviewedBy}: ${review.comment ?? ""}`
        : "the draft has not been submitted for review since it last changed";
  throw reviewRequired(`four-eyes publishing: ${why}; another publisher must approve it first`);
}

function publishWindow(options: PublishOptions, now: Date): { activateAt?: Date; until?: Date } {
  const activateAt = options.activateAt === undefined ? undefined : new Date(options.activateAt);
  const until = options.until === undefined ? undefined : new Date(options.until);
  const start = activateAt && activateAt > now ? activateAt : now;
  if (until && until <= start)
    throw invalid("the policy must end after it starts", [
      fieldProblem("until", "ends_before_start", {}, "must be later than activateAt (or now)"),
    ]);
  return { ...(activateAt && activateAt > now ? { activateAt } : {}), ...(until ? { until } : {}) };
}

/**
 * Makes version `version`'s rules active again, as a new version (history only moves forward). With
 * four-eyes review on, a rollback is reviewed like a publish: the draft must hold that version's rules
 * and be approved by another publisher (409 review-required otherwise), unless the principal holds
 * `rules:rollback-unreviewed`, an emergency rollback the audit log marks as such.
 */
export async function rollBack(
  ctx: AppContext,
  key: string,
  version: number,
  note: string | undefined,
  principal: Principal,
): Promise<PublishResult> {
  const kind = kindOf(key);
  const row = await requireRuleSet(ctx, key);
  const target = await store.findVersion(ctx.db, key, version);
  if (!target) throw notFound(`rule set "${key}" has no version ${version}`);
  // checked as a draft is, before anything is written: a version stored before today's bounds may break them
  assertValidDefinition(kind, target.definition);
  const emergency = row.fourEyes && principal.scopes.has("rules:rollback-unreviewed");
  // the rules coming back must keep their own invariants and those in force now; an emergency rollback is the way out
  const unreviewed = principal.scopes.has("rules:rollback-unreviewed");
  const invariants = unreviewed
    ? { unchecked: [] }
    : await assertInvariantsHold(kind, target.definition, {
        nowMs: ctx.now().getTime(),
        what: "the rollback",
        analyse: onAnalysisThread(ctx),
        ...invariantsForRollback(target.definition, ctx.registry.active(key)?.definition),
      });
  let review: governance.ReviewRow | undefined;
  if (row.fourEyes && !emergency) {
    if (!sameDefinition(row.draft, target.definition)) {
      throw reviewRequired(
        `four-eyes publishing: a rollback is reviewed like a publish; put version ${version}'s rules in the draft, submit it for review, and roll back (or publish) once another publisher approves it`,
      );
    }
    review = await requireApproval(ctx.db, row);
  }
  return activateNewVersion(ctx, kind, row, target.definition, {
    note: note ?? `rollback to version ${version}`,
    // the rules come back with the test cases they were published with (null when those were not kept)
    testCases: target.testCases ?? null,
    actor: principal.actor,
    rolledBackFrom: version,
    action: "rollback",
    invariantsUnchecked: invariants.unchecked,
    ...(unreviewed ? { invariantsSkipped: true } : {}),
    review: review
      ? { id: review.id, approvedBy: review.reviewedBy }
      : row.fourEyes
        ? "unreviewed-in-app"
        : "not-required",
    emergency,
  });
}

type Change = {
  note: string;
  testCases: TestCase[] | null;
  actor: string;
  rolledBackFrom: number | null;
  action: "publish" | "rollback";
  review: { id: string; approvedBy: string | null } | "unreviewed-in-app" | "not-required";
  /** A rollback past four-eyes review with `rules:rollback-unreviewed`. */
  emergency?: boolean;
  activateAt?: Date;
  until?: Date;
  /** Invariants the analysis could not decide within its budget (not refused; said in the audit row). */
  invariantsUnchecked?: string[];
  /** An emergency rollback, not checked against the invariants. */
  invariantsSkipped?: boolean;
};

/**
 * Writes the new version, and either activates it (recording the activation, for `asOf`) or
 * schedules it, with the audit row, in one transaction; then swaps the registry.
 */
async function activateNewVersion(
  ctx: AppContext,
  kind: RuleSetKind,
  row: store.RuleSetRow,
  definition: RuleSetDefinition,
  change: Change,
): Promise<PublishResult> {
  const at = ctx.now();
  const result = await inTransaction(ctx.db, async (tx) => {
    const current = await store.findRuleSetRow(tx, row.key);
    if (
      (change.action === "publish" || typeof change.review === "object") &&
      current?.draftRevision !== row.draftRevision
    ) {
      throw conflict(
        `the draft changed while it was being published (now revision ${current?.draftRevision}); publish again`,
      );
    }
    const next = (await store.latestVersionNumber(tx, row.key)) + 1;
    await store.insertVersion(tx, {
      ruleSetKey: row.key,
      version: next,
      definition,
      note: change.note,
      publishedAt: at.toISOString(),
      publishedBy: change.actor,
      rolledBackFrom: change.rolledBackFrom,
      testCases: change.testCases,
    });
    let scheduled: PublishResult["scheduled"];
    if (change.activateAt || change.until) {
      const schedule: governance.ScheduleRow = {
        id: nextId(at.getTime()),
        ruleSetKey: row.key,
        version: next,
        startsAt: (change.activateAt ?? at).toISOString(),
        endsAt: change.until?.toISOString() ?? null,
        handBackVersion: change.activateAt ? null : current!.activeVersion,
        status: change.activateAt ? "scheduled" : "active",
        createdBy: change.actor,
        createdAt: at.toISOString(),
      };
      await governance.insertSchedule(tx, schedule);
      scheduled = { id: schedule.id, startsAt: schedule.startsAt, endsAt: schedule.endsAt };
    }
    let windows: WindowEffect[] = [];
    if (!change.activateAt) {
      // said in the answer and the audit: a window's start hands back to whatever is active then, and a running
      // window's end hands back only while its own version is still active
      windows = (await governance.listSchedules(tx, { key: row.key, status: ["scheduled", "active"] }))
        .filter((s) => s.id !== scheduled?.id && (s.status === "scheduled" || s.endsAt !== null))
        .map((s) => ({
          id: s.id,
          version: s.version,
          startsAt: s.startsAt,
          endsAt: s.endsAt,
          effect: s.status === "scheduled" ? "handsBackToThis" : "endsWithoutHandBack",
        }));
      await store.setActiveVersion(tx, row.key, next);
      await governance.insertActivation(tx, nextId(at.getTime()), {
        ruleSetKey: row.key,
        version: next,
        activatedAt: at.toISOString(),
        cause: change.action,
      });
    }
    // the draft became the new version: a publish, or a rollback to the draft its review approved
    if (change.action === "publish" || typeof change.review === "object") {
      if (typeof change.review === "object")
        await governance.moveReview(tx, change.review.id, ["approved"], "published");
      // published without an in-app approval (four-eyes off, or a pipeline key): an open review is moot
      else await governance.withdrawOpenReviews(tx, row.key);
      await store.setDraftEditors(tx, row.key, []);
    }
    await appendAudit(
      tx,
      {
        actor: change.actor,
        action: change.activateAt ? "schedule" : change.action,
        entity: "rule-set",
        entityKey: row.key,
        detail: {
          version: next,
          previousVersion: current!.activeVersion,
          rolledBackFrom: change.rolledBackFrom,
          draftRevision: row.draftRevision,
          note: change.note,
          review: change.review,
          ...(change.emergency ? { emergency: true } : {}),
          ...(change.invariantsUnchecked?.length ? { invariantsUnchecked: change.invariantsUnchecked } : {}),
          ...(change.invariantsSkipped ? { invariantsSkipped: true } : {}),
          ...(scheduled ? { startsAt: scheduled.startsAt, endsAt: scheduled.endsAt } : {}),
          ...(windows.length > 0 ? { windows } : {}),
        },
      },
      at,
    );
    await announceChange(tx, { topic: "rule-set", key: row.key });
    return { version: next, scheduled, windows };
  });
  const decider = new Decider(kind, result.version, definition);
  if (change.activateAt) ctx.registry.addVersion(row.key, result.version, definition);
  else ctx.registry.activate(row.key, decider, at.getTime());
  return {
    version: result.version,
    unchanged: false,
    ...(result.scheduled ? { scheduled: result.scheduled } : {}),
    ...(result.windows.length > 0 ? { windows: result.windows } : {}),
    ...(change.invariantsUnchecked?.length ? { invariantsUnchecked: change.invariantsUnchecked } : {}),
  };
}
