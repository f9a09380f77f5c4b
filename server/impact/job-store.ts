import type { Selectable } from "kysely";
import type { ImpactJob, ImpactResult } from "../../shared/impact.ts";
import type { Db } from "../db/database.ts";
import type { Database } from "../db/schema.ts";

type JobRow = Selectable<Database["impact_jobs"]>;

/** The replays that are running, by any instance: the ones whose instance stopped too (see `failStaleImpactJobs`). */
export async function runningImpactJobs(db: Db): Promise<ImpactJob[]> {
  const rows = await db.selectFrom("impact_jobs").selectAll().where("status", "=", "running").orderBy("id").execute();
  return rows.map(jobOf);
}

/** A replay by id, and when the instance running it last gave a sign of life; undefined when there is none. */
export async function findImpactJob(db: Db, id: string): Promise<{ job: ImpactJob; heartbeatAt: string } | undefined> {
  const row = await db.selectFrom("impact_jobs").selectAll().where("id", "=", id).executeTakeFirst();
  return row && { job: jobOf(row), heartbeatAt: row.heartbeat_at };
}

/** Stores a new replay, `heartbeatAt` its first sign of life. */
export async function insertImpactJob(db: Db, job: ImpactJob, heartbeatAt: Date): Promise<void> {
  await db
    .insertInto("impact_jobs")
    .values({
      id: job.id,
      rule_set_key: job.ruleSet,
      status: job.status,
      draft_revision: job.draftRevision,
      period_from: job.from,
      period_to: job.to,
      record_limit: job.limit,
      total: job.total,
      replayed: job.replayed,
      started_at: job.startedAt,
      heartbeat_at: heartbeatAt.toISOString(),
      finished_at: job.finishedAt,
      error: job.error,
      result: job.result === null ? null : JSON.stringify(job.result),
    })
    .execute();
}

/**
 * Writes a running replay's progress and its heartbeat; false when it is no longer running (another instance found its
 * heartbeat too old and reported it failed), and the replay should stop.
 */
export async function recordImpactProgress(
  db: Db,
  id: string,
  progress: { total?: number; replayed: number },
  heartbeatAt: Date,
): Promise<boolean> {
  const updated = await db
    .updateTable("impact_jobs")
    .set({ ...progress, heartbeat_at: heartbeatAt.toISOString() })
    .where("id", "=", id)
    .where("status", "=", "running")
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

/** Settles a running replay: done with its result (all of it replayed), or failed with the reason. Nothing changes once it has ended. */
export async function finishImpactJob(
  db: Db,
  id: string,
  end: { status: "done"; result: ImpactResult } | { status: "failed"; error: string },
  at: Date,
): Promise<void> {
  await db
    .updateTable("impact_jobs")
    .set((eb) =>
      end.status === "done"
        ? {
            status: "done",
            result: JSON.stringify(end.result),
            replayed: eb.ref("total"),
            finished_at: at.toISOString(),
          }
        : { status: "failed", error: end.error, finished_at: at.toISOString() },
    )
    .where("id", "=", id)
    .where("status", "=", "running")
    .execute();
}

/**
 * Reports failed, at `now`, the running replays (or the one of `id`) whose heartbeat is older than `silentSince`: the
 * instance running them stopped.
 */
export async function failStaleImpactJobs(
  db: Db,
  stale: { silentSince: Date; now: Date; error: string; id?: string },
): Promise<void> {
  let update = db
    .updateTable("impact_jobs")
    .set({ status: "failed", error: stale.error, finished_at: stale.now.toISOString() })
    .where("status", "=", "running")
    .where("heartbeat_at", "<", stale.silentSince.toISOString());
  if (stale.id !== undefined) update = update.where("id", "=", stale.id);
  await update.execute();
}

/**
 * Forgets finished replays of `ruleSet` beyond its newest `keep`, and every finished replay that ended before
 * `endedBefore`. Ids are ULIDs of the start time: the newest sort last.
 */
export async function pruneImpactJobs(db: Db, ruleSet: string, keep: number, endedBefore: Date): Promise<void> {
  await db
    .deleteFrom("impact_jobs")
    .where("status", "<>", "running")
    .where((eb) =>
      eb.or([
        eb("finished_at", "<", endedBefore.toISOString()),
        eb.and([
          eb("rule_set_key", "=", ruleSet),
          eb(
            "id",
            "not in",
            eb
              .selectFrom("impact_jobs")
              .select("id")
              .where("rule_set_key", "=", ruleSet)
              .where("status", "<>", "running")
              .orderBy("id", "desc")
              .limit(keep),
          ),
        ]),
      ]),
    )
    .execute();
}

function jobOf(row: JobRow): ImpactJob {
  return {
    id: row.id,
    ruleSet: row.rule_set_key,
    status: row.status as ImpactJob["status"],
    draftRevision: row.draft_revision,
    from: row.period_from,
    to: row.period_to,
    limit: row.record_limit,
    total: row.total,
    replayed: row.replayed,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error,
    result: row.result === null ? null : (JSON.parse(row.result) as ImpactResult),
  };
}
