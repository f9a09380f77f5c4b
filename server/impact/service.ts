import { Worker } from "node:worker_threads";
import { monotonicFactory } from "ulid";
import { DEFAULT_IMPACT_DAYS, type ImpactInput, type ImpactJob } from "../../shared/impact.ts";
import { type Principal, requireScope } from "../auth/api-keys.ts";
import type { AppContext } from "../context.ts";
import { inTransaction } from "../db/database.ts";
import { DomainError, notFound } from "../errors.ts";
import { draftDecider, kindOf, requireRuleSet } from "../rule-sets/service.ts";
import { portablePeriods } from "../../shared/portable-periods.ts";
import type { FromReplay, ReplayData } from "./impact-worker.ts";
import {
  failStaleImpactJobs,
  findImpactJob,
  finishImpactJob,
  insertImpactJob,
  pruneImpactJobs,
  recordImpactProgress,
  runningImpactJobs,
} from "./job-store.ts";
import { countLoggedDecisions } from "./store.ts";

/** Replays running at once across all instances: each takes a core's spare time, and the machines answer decisions first. */
export const MAX_RUNNING_REPLAYS = 2;
/** How long a finished replay is kept for its GET. */
const KEPT_MS = 60 * 60 * 1000;
/** Finished replays kept at most per rule set (each holds its result and samples); the oldest go first. */
const MAX_KEPT = 20;
/** The instance running a replay writes its progress at most this often, and its heartbeat at least this often. */
const PROGRESS_EVERY_MS = 500;
const HEARTBEAT_EVERY_MS = 5_000;
/** A running replay silent for this long has lost its instance (killed, or cut off from the database). */
export const IMPACT_STALE_MS = 30_000;
const INSTANCE_STOPPED = "the instance running the replay stopped before it was over: start it again";
const DAY_MS = 86_400_000;

const nextJobId = monotonicFactory();

/** A replay this instance runs: its thread, and its writes to the table, one after the other. */
type LocalJob = {
  id: string;
  replayed: number;
  worker: Worker | undefined;
  heartbeat: NodeJS.Timeout | undefined;
  lastWrittenMs: number;
  writes: Promise<void>;
  settled: boolean;
};

/**
 * The replays this instance runs. Their state is in the `impact_jobs` table, which any instance answers a GET from and
 * where the limits are checked; here only what this process holds: the worker threads, and the writes queued for them.
 */
const localJobs = new WeakMap<AppContext, Map<string, LocalJob>>();
function jobsOf(ctx: AppContext): Map<string, LocalJob> {
  return localJobs.get(ctx) ?? localJobs.set(ctx, new Map()).get(ctx)!;
}

/** The path a replay answers at. */
export function impactJobPath(ruleSet: string, id: string): string {
  return `/api/v1/rule-sets/${ruleSet}/impact/${id}`;
}

/**
 * Starts replaying the period's logged decisions of `key` against its saved draft, in a worker thread, and answers the
 * job at once. Facts are customers' data: besides `rules:read` (the route's), the caller needs the decision log's
 * `audit:read`. One replay per rule set at a time (409 naming the running one's Location), MAX_RUNNING_REPLAYS in all
 * (503), across every instance on the database.
 */
export async function startImpactReplay(
  ctx: AppContext,
  key: string,
  input: ImpactInput,
  principal: Principal,
): Promise<ImpactJob> {
  requireScope(principal, "audit:read", key);
  const kind = kindOf(key);
  const row = await requireRuleSet(ctx, key);
  // a draft that does not compile is refused here (422), not found out in the thread
  draftDecider(ctx, kind, row);
  const databaseUrl = ctx.decisionLog.options.worker?.databaseUrl;
  if (databaseUrl === undefined || databaseUrl === ":memory:")
    throw new DomainError({
      code: "unavailable",
      detail: "replays read the decision log through a connection of their own, and this database has none to offer",
    });
  const now = ctx.now();
  const nowMs = now.getTime();
  const toMs = input.to === undefined ? nowMs : Date.parse(input.to);
  const fromMs = input.from === undefined ? toMs - DEFAULT_IMPACT_DAYS * DAY_MS : Date.parse(input.from);
  const period = { ruleSet: key, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
  // decisions still queued are written first, so that a replay right after a decision counts it
  await ctx.decisionLog.flush();
  const job: ImpactJob = {
    id: nextJobId(nowMs),
    ruleSet: key,
    status: "running",
    draftRevision: row.draftRevision,
    from: period.from,
    to: period.to,
    limit: input.limit,
    total: 0,
    replayed: 0,
    startedAt: now.toISOString(),
    finishedAt: null,
    error: null,
    result: null,
  };
  // checked and taken in one transaction: two starts at once, on any instances, cannot both pass
  await inTransaction(ctx.db, async (tx) => {
    await failStaleImpactJobs(tx, { silentSince: new Date(nowMs - IMPACT_STALE_MS), now, error: INSTANCE_STOPPED });
    await pruneImpactJobs(tx, key, MAX_KEPT, new Date(nowMs - KEPT_MS));
    const running = await runningImpactJobs(tx);
    const same = running.find((other) => other.ruleSet === key);
    if (same)
      throw new DomainError({
        code: "conflict",
        detail: `a replay of "${key}" is running: follow its Location, and start another once it is done`,
        extra: { job: same.id },
        headers: { location: impactJobPath(key, same.id) },
      });
    if (running.length >= MAX_RUNNING_REPLAYS)
      throw new DomainError({
        code: "unavailable",
        detail: `${MAX_RUNNING_REPLAYS} replays are running: try again when one is done`,
        headers: { "retry-after": "30" },
      });
    await insertImpactJob(tx, job, now);
  });
  const local: LocalJob = {
    id: job.id,
    replayed: 0,
    worker: undefined,
    heartbeat: undefined,
    lastWrittenMs: performance.now(),
    writes: Promise.resolve(),
    settled: false,
  };
  jobsOf(ctx).set(job.id, local);
  // the instance is alive while it counts and replays, however long a page takes
  local.heartbeat = setInterval(() => writeProgress(ctx, local), HEARTBEAT_EVERY_MS);
  local.heartbeat.unref();
  try {
    job.total = await countLoggedDecisions(ctx.db, period, input.limit);
  } catch (error) {
    await settle(ctx, local, { status: "failed", error: "the decision log could not be read" });
    throw error;
  }
  // stopped (shutdown) while counting
  if (local.settled)
    return {
      ...job,
      status: "failed",
      finishedAt: ctx.now().toISOString(),
      error: "the service stopped before the replay was over",
    };
  await enqueue(ctx, local, async () => {
    await recordImpactProgress(ctx.db, job.id, { total: job.total, replayed: 0 }, ctx.now());
  });
  local.worker = startWorker(ctx, local, {
    databaseUrl,
    period,
    limit: input.limit,
    kind,
    draft: row.draft,
    periods: portablePeriods({ zone: ctx.businessTimeZone, calendar: ctx.calendar.current }),
  });
  return job;
}

/**
 * A replay of `key`, for a caller who could have started it, from whichever instance runs it. A running one whose
 * instance has given no sign of life for IMPACT_STALE_MS is reported failed, so that it can be started again.
 */
export async function impactReplay(ctx: AppContext, key: string, id: string, principal: Principal): Promise<ImpactJob> {
  requireScope(principal, "audit:read", key);
  const found = await findImpactJob(ctx.db, id);
  if (found === undefined || found.job.ruleSet !== key) throw notFound(`no replay "${id}" of rule set "${key}"`);
  const now = ctx.now();
  const silentSince = new Date(now.getTime() - IMPACT_STALE_MS);
  if (found.job.status !== "running" || Date.parse(found.heartbeatAt) >= silentSince.getTime()) return found.job;
  await failStaleImpactJobs(ctx.db, { silentSince, now, error: INSTANCE_STOPPED, id });
  return (await findImpactJob(ctx.db, id))!.job;
}

/** Stops this instance's running replays (shutdown): they are reported failed, and written so before this resolves. */
export async function stopImpactReplays(ctx: AppContext): Promise<void> {
  const running = [...(localJobs.get(ctx)?.values() ?? [])];
  await Promise.all(
    running.map(async (local) => {
      const worker = local.worker;
      local.worker = undefined;
      await Promise.all([
        settle(ctx, local, { status: "failed", error: "the service stopped before the replay was over" }),
        worker?.terminate(),
      ]);
    }),
  );
}

function startWorker(ctx: AppContext, local: LocalJob, data: ReplayData): Worker {
  // execArgv: [] — impact-worker.mjs loads tsx itself, as the log writer does
  const worker = new Worker(new URL("./impact-worker.mjs", import.meta.url), { workerData: data, execArgv: [] });
  // a replay does not keep the process alive: shutdown stops it
  worker.unref();
  worker.on("message", (message: FromReplay) => {
    if (message.type === "progress") {
      local.replayed = message.replayed;
      if (performance.now() - local.lastWrittenMs >= PROGRESS_EVERY_MS) writeProgress(ctx, local);
    } else if (message.type === "done") void settle(ctx, local, { status: "done", result: message.result });
    else void settle(ctx, local, { status: "failed", error: message.message });
  });
  worker.on("error", (error) => {
    ctx.logger.error({ err: error, job: local.id }, "impact replay failed");
    void settle(ctx, local, { status: "failed", error: "the replay stopped on an error; it has been logged" });
  });
  worker.on("exit", () => {
    local.worker = undefined;
    void settle(ctx, local, { status: "failed", error: "the replay's thread ended before its result" });
  });
  return worker;
}

/** Writes how far the replay got, and that its instance is alive; stops the replay if another instance gave up on it. */
function writeProgress(ctx: AppContext, local: LocalJob): void {
  local.lastWrittenMs = performance.now();
  void enqueue(ctx, local, async () => {
    if (local.settled) return;
    const running = await recordImpactProgress(ctx.db, local.id, { replayed: local.replayed }, ctx.now());
    if (!running) {
      forget(ctx, local);
      await local.worker?.terminate();
    }
  });
}

/** Ends a replay once, in the table too: what comes after (the thread's exit after its result) changes nothing. */
function settle(ctx: AppContext, local: LocalJob, end: Parameters<typeof finishImpactJob>[2]): Promise<void> {
  if (local.settled) return local.writes;
  forget(ctx, local);
  return enqueue(ctx, local, () => finishImpactJob(ctx.db, local.id, end, ctx.now()));
}

function forget(ctx: AppContext, local: LocalJob): void {
  local.settled = true;
  clearInterval(local.heartbeat);
  jobsOf(ctx).delete(local.id);
}

/** Runs a replay's writes in order; one that fails is logged (the next heartbeat writes again). */
function enqueue(ctx: AppContext, local: LocalJob, write: () => Promise<void>): Promise<void> {
  local.writes = local.writes.then(write).catch((error: unknown) => {
    ctx.logger.error({ err: error, job: local.id }, "writing an impact replay's state failed");
  });
  return local.writes;
}
