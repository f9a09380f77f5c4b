import { Worker } from "node:worker_threads";
import { monotonicFactory } from "ulid";
import { DEFAULT_IMPACT_DAYS, type ImpactInput, type ImpactJob } from "../../shared/impact.ts";
import { type Principal, requireScope } from "../auth/api-keys.ts";
import type { AppContext } from "../context.ts";
import { DomainError, notFound } from "../errors.ts";
import { draftDecider, kindOf, requireRuleSet } from "../rule-sets/service.ts";
import type { FromReplay, ReplayData } from "./impact-worker.ts";
import { countLoggedDecisions } from "./store.ts";

/** Replays running at once across the service: each takes a core's spare time, and the machine answers decisions first. */
export const MAX_RUNNING_REPLAYS = 2;
/** How long a finished replay is kept for its GET. */
const KEPT_MS = 60 * 60 * 1000;
/** Finished replays kept at most (each holds its result and samples); the oldest go first. */
const MAX_KEPT = 20;
const DAY_MS = 86_400_000;

const nextJobId = monotonicFactory();

type Job = { view: ImpactJob; worker: Worker | undefined };

/**
 * The replays of one service, kept in memory: at most one running per rule set and MAX_RUNNING_REPLAYS in all, finished
 * ones for KEPT_MS. Memory rather than a table: a replay is cheap to run again, and a restart stops the worker anyway.
 */
class ImpactJobs {
  readonly #jobs = new Map<string, Job>();

  running(): Job[] {
    return [...this.#jobs.values()].filter((job) => job.view.status === "running");
  }

  add(job: Job): void {
    this.#forgetOld(Date.parse(job.view.startedAt));
    this.#jobs.set(job.view.id, job);
  }

  get(id: string): Job | undefined {
    return this.#jobs.get(id);
  }

  /** Stops every running replay (shutdown): they are reported failed. */
  async stopAll(): Promise<void> {
    await Promise.all(
      this.running().map(async (job) => {
        const worker = job.worker;
        job.worker = undefined;
        finish(job, { status: "failed", error: "the service stopped before the replay was over" });
        await worker?.terminate();
      }),
    );
  }

  #forgetOld(nowMs: number): void {
    const finished = [...this.#jobs.values()].filter((job) => job.view.status !== "running");
    for (const [position, job] of finished.entries()) {
      const old = job.view.finishedAt !== null && nowMs - Date.parse(job.view.finishedAt) > KEPT_MS;
      if (old || finished.length - position > MAX_KEPT - 1) this.#jobs.delete(job.view.id);
    }
  }
}

const jobsOf = new WeakMap<AppContext, ImpactJobs>();
function jobs(ctx: AppContext): ImpactJobs {
  return jobsOf.get(ctx) ?? jobsOf.set(ctx, new ImpactJobs()).get(ctx)!;
}

/** The path a replay answers at. */
export function impactJobPath(ruleSet: string, id: string): string {
  return `/api/v1/rule-sets/${ruleSet}/impact/${id}`;
}

/**
 * Starts replaying the period's logged decisions of `key` against its saved draft, in a worker thread, and answers the
 * job at once. Facts are customers' data: besides `rules:read` (the route's), the caller needs the decision log's
 * `audit:read`. One replay per rule set at a time (409 naming the running one's Location), MAX_RUNNING_REPLAYS in all (503).
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
  const nowMs = ctx.now().getTime();
  const toMs = input.to === undefined ? nowMs : Date.parse(input.to);
  const fromMs = input.from === undefined ? toMs - DEFAULT_IMPACT_DAYS * DAY_MS : Date.parse(input.from);
  const period = { ruleSet: key, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
  // decisions still queued are written first, so that a replay right after a decision counts it
  await ctx.decisionLog.flush();
  // checked and taken with no await in between: two starts at once cannot both pass
  const all = jobs(ctx);
  const running = all.running();
  const same = running.find((job) => job.view.ruleSet === key);
  if (same)
    throw new DomainError({
      code: "conflict",
      detail: `a replay of "${key}" is running: follow its Location, and start another once it is done`,
      extra: { job: same.view.id },
      headers: { location: impactJobPath(key, same.view.id) },
    });
  if (running.length >= MAX_RUNNING_REPLAYS)
    throw new DomainError({
      code: "unavailable",
      detail: `${MAX_RUNNING_REPLAYS} replays are running: try again when one is done`,
      headers: { "retry-after": "30" },
    });
  const job: Job = {
    view: {
      id: nextJobId(nowMs),
      ruleSet: key,
      status: "running",
      draftRevision: row.draftRevision,
      from: period.from,
      to: period.to,
      limit: input.limit,
      total: 0,
      replayed: 0,
      startedAt: new Date(nowMs).toISOString(),
      finishedAt: null,
      error: null,
      result: null,
    },
    worker: undefined,
  };
  all.add(job);
  try {
    job.view.total = await countLoggedDecisions(ctx.db, period, input.limit);
  } catch (error) {
    finish(job, { status: "failed", error: "the decision log could not be read", now: ctx.now() });
    throw error;
  }
  // stopped (shutdown) while counting
  if (job.view.status !== "running") return job.view;
  job.worker = startWorker(ctx, job, { databaseUrl, period, limit: input.limit, kind, draft: row.draft });
  return job.view;
}

/** A replay of `key`, for a caller who could have started it. */
export function impactReplay(ctx: AppContext, key: string, id: string, principal: Principal): ImpactJob {
  requireScope(principal, "audit:read", key);
  const job = jobs(ctx).get(id);
  if (job === undefined || job.view.ruleSet !== key) throw notFound(`no replay "${id}" of rule set "${key}"`);
  return job.view;
}

/** Stops the service's running replays (shutdown). */
export function stopImpactReplays(ctx: AppContext): Promise<void> {
  return jobsOf.get(ctx)?.stopAll() ?? Promise.resolve();
}

function startWorker(ctx: AppContext, job: Job, data: ReplayData): Worker {
  // execArgv: [] — impact-worker.mjs loads tsx itself, as the log writer does
  const worker = new Worker(new URL("./impact-worker.mjs", import.meta.url), { workerData: data, execArgv: [] });
  // a replay does not keep the process alive: shutdown stops it
  worker.unref();
  worker.on("message", (message: FromReplay) => {
    if (message.type === "progress") job.view.replayed = message.replayed;
    else if (message.type === "done") finish(job, { status: "done", result: message.result, now: ctx.now() });
    else finish(job, { status: "failed", error: message.message, now: ctx.now() });
  });
  worker.on("error", (error) => {
    ctx.logger.error({ err: error, ruleSet: job.view.ruleSet, job: job.view.id }, "impact replay failed");
    finish(job, { status: "failed", error: "the replay stopped on an error; it has been logged", now: ctx.now() });
  });
  worker.on("exit", () => {
    job.worker = undefined;
    finish(job, { status: "failed", error: "the replay's thread ended before its result", now: ctx.now() });
  });
  return worker;
}

/** Settles a running job once: what comes after (the thread's exit after its result) changes nothing. */
function finish(
  job: Job,
  end: { status: "done"; result: ImpactJob["result"]; now?: Date } | { status: "failed"; error: string; now?: Date },
): void {
  if (job.view.status !== "running") return;
  job.view.status = end.status;
  job.view.finishedAt = (end.now ?? new Date()).toISOString();
  if (end.status === "done") {
    job.view.result = end.result;
    job.view.replayed = job.view.total;
  } else job.view.error = end.error;
}
