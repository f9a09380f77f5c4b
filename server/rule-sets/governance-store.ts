import type { Selectable } from "kysely";
import type { Db } from "../db/database.ts";
import type { Database } from "../db/schema.ts";

/** Reviews, activations and schedules: the rows behind four-eyes publishing and scheduled policies. */

export type ReviewStatus = "pending" | "approved" | "rejected" | "withdrawn" | "published";
export type ReviewRow = {
  id: string;
  ruleSetKey: string;
  draftRevision: number;
  status: ReviewStatus;
  note: string;
  submittedBy: string;
  submittedAt: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  comment: string | null;
};

export type ScheduleStatus = "scheduled" | "active" | "ended" | "cancelled";
export type ScheduleRow = {
  id: string;
  ruleSetKey: string;
  version: number;
  startsAt: string;
  endsAt: string | null;
  handBackVersion: number | null;
  status: ScheduleStatus;
  createdBy: string;
  createdAt: string;
};

export type ActivationRow = { ruleSetKey: string; version: number; activatedAt: string; cause: string };

export async function latestReview(db: Db, key: string): Promise<ReviewRow | undefined> {
  const row = await db
    .selectFrom("reviews")
    .selectAll()
    .where("rule_set_key", "=", key)
    .orderBy("submitted_at", "desc")
    .orderBy("id", "desc")
    .executeTakeFirst();
  return row && toReview(row);
}

export async function insertReview(db: Db, review: ReviewRow): Promise<void> {
  await db
    .insertInto("reviews")
    .values({
      id: review.id,
      rule_set_key: review.ruleSetKey,
      draft_revision: review.draftRevision,
      status: review.status,
      note: review.note,
      submitted_by: review.submittedBy,
      submitted_at: review.submittedAt,
      reviewed_by: review.reviewedBy,
      reviewed_at: review.reviewedAt,
      comment: review.comment,
    })
    .execute();
}

/** Moves a review from one status to another; false when it was no longer in `from`. */
export async function moveReview(
  db: Db,
  id: string,
  from: readonly ReviewStatus[],
  to: ReviewStatus,
  reviewed?: { by: string; at: string; comment: string },
): Promise<boolean> {
  const result = await db
    .updateTable("reviews")
    .set({
      status: to,
      ...(reviewed ? { reviewed_by: reviewed.by, reviewed_at: reviewed.at, comment: reviewed.comment } : {}),
    })
    .where("id", "=", id)
    .where("status", "in", [...from])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Withdraws the open reviews of a rule set (pending or approved); returns how many. */
export async function withdrawOpenReviews(db: Db, key: string): Promise<number> {
  const result = await db
    .updateTable("reviews")
    .set({ status: "withdrawn" })
    .where("rule_set_key", "=", key)
    .where("status", "in", ["pending", "approved"])
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

function toReview(row: Selectable<Database["reviews"]>): ReviewRow {
  return {
    id: row.id,
    ruleSetKey: row.rule_set_key,
    draftRevision: Number(row.draft_revision),
    status: row.status as ReviewStatus,
    note: row.note,
    submittedBy: row.submitted_by,
    submittedAt: row.submitted_at,
    reviewedBy: row.reviewed_by,
    reviewedAt: row.reviewed_at,
    comment: row.comment,
  };
}

export async function insertActivation(db: Db, id: string, activation: ActivationRow): Promise<void> {
  await db
    .insertInto("activations")
    .values({
      id,
      rule_set_key: activation.ruleSetKey,
      version: activation.version,
      activated_at: activation.activatedAt,
      cause: activation.cause,
    })
    .execute();
}

export async function listActivations(db: Db): Promise<ActivationRow[]> {
  const rows = await db.selectFrom("activations").selectAll().orderBy("activated_at").orderBy("id").execute();
  return rows.map((row) => ({
    ruleSetKey: row.rule_set_key,
    version: Number(row.version),
    activatedAt: row.activated_at,
    cause: row.cause,
  }));
}

export async function insertSchedule(db: Db, schedule: ScheduleRow): Promise<void> {
  await db
    .insertInto("schedules")
    .values({
      id: schedule.id,
      rule_set_key: schedule.ruleSetKey,
      version: schedule.version,
      starts_at: schedule.startsAt,
      ends_at: schedule.endsAt,
      hand_back_version: schedule.handBackVersion,
      status: schedule.status,
      created_by: schedule.createdBy,
      created_at: schedule.createdAt,
    })
    .execute();
}

export async function listSchedules(
  db: Db,
  filter: { key?: string; status?: readonly ScheduleStatus[] } = {},
): Promise<ScheduleRow[]> {
  let query = db.selectFrom("schedules").selectAll().orderBy("starts_at").orderBy("id");
  if (filter.key !== undefined) query = query.where("rule_set_key", "=", filter.key);
  if (filter.status !== undefined) query = query.where("status", "in", [...filter.status]);
  return (await query.execute()).map(toSchedule);
}

/** Moves a schedule from one status to another; false when another process got there first. */
export async function moveSchedule(
  db: Db,
  id: string,
  from: ScheduleStatus,
  to: ScheduleStatus,
  handBackVersion?: number | null,
): Promise<boolean> {
  const result = await db
    .updateTable("schedules")
    .set({ status: to, ...(handBackVersion === undefined ? {} : { hand_back_version: handBackVersion }) })
    .where("id", "=", id)
    .where("status", "=", from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

function toSchedule(row: Selectable<Database["schedules"]>): ScheduleRow {
  return {
    id: row.id,
    ruleSetKey: row.rule_set_key,
    version: Number(row.version),
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    handBackVersion: row.hand_back_version === null ? null : Number(row.hand_back_version),
    status: row.status as ScheduleStatus,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}
