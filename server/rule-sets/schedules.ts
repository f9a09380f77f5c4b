import { monotonicFactory } from "ulid";
import { inTransaction } from "../db/database.ts";
import { appendAudit } from "../audit/store.ts";
import type { Principal } from "../auth/api-keys.ts";
import type { AppContext } from "../context.ts";
import { conflict, notFound } from "../errors.ts";
import * as governance from "./governance-store.ts";
import { requireRuleSet } from "./service.ts";
import * as store from "./store.ts";
import { announceChange } from "../cluster/change-feed.ts";

const nextId = monotonicFactory();

/**
 * Starts the schedules whose time has come and ends those whose window is over, each exactly
 * once: a schedule moves status with a conditional update inside its transaction, so a second
 * runner (another instance, a restart mid-way) finds nothing left to do. Returns what it did.
 */
export async function runDueSchedules(ctx: AppContext): Promise<{ started: string[]; ended: string[] }> {
  const { started, ended } = await runDue(ctx);
  return { started, ended };
}

/** `runDueSchedules`, and when the next schedule still waiting falls due (epoch ms; null when none waits). */
async function runDue(ctx: AppContext): Promise<{ started: string[]; ended: string[]; nextDueMs: number | null }> {
  const now = ctx.now();
  const nowIso = now.toISOString();
  const started: string[] = [];
  const ended: string[] = [];
  let nextDueMs: number | null = null;
  const waitFor = (at: string) => {
    const atMs = Date.parse(at);
    nextDueMs = nextDueMs === null ? atMs : Math.min(nextDueMs, atMs);
  };

  for (const schedule of await governance.listSchedules(ctx.db, { status: ["scheduled"] })) {
    if (schedule.startsAt > nowIso) {
      waitFor(schedule.startsAt);
      continue;
    }
    const done = await inTransaction(ctx.db, async (tx) => {
      const row = await store.findRuleSetRow(tx, schedule.ruleSetKey);
      if (!(await governance.moveSchedule(tx, schedule.id, "scheduled", "active", row?.activeVersion ?? null)))
        return false;
      await store.setActiveVersion(tx, schedule.ruleSetKey, schedule.version);
      await governance.insertActivation(tx, nextId(now.getTime()), {
        ruleSetKey: schedule.ruleSetKey,
        version: schedule.version,
        activatedAt: nowIso,
        cause: "schedule",
      });
      await appendAudit(
        tx,
        {
          actor: "system",
          action: "schedule.start",
          entity: "rule-set",
          entityKey: schedule.ruleSetKey,
          detail: { schedule: schedule.id, version: schedule.version, previousVersion: row?.activeVersion ?? null },
        },
        now,
      );
      // the instances that lost the race activate it in memory when they hear this (cluster/sync.ts)
      await announceChange(tx, { topic: "rule-set", key: schedule.ruleSetKey });
      return true;
    });
    if (done) {
      await ctx.registry.activateVersion(schedule.ruleSetKey, schedule.version, now.getTime());
      started.push(schedule.id);
    }
  }

  for (const schedule of await governance.listSchedules(ctx.db, { status: ["active"] })) {
    if (schedule.endsAt === null) continue;
    if (schedule.endsAt > nowIso) {
      waitFor(schedule.endsAt);
      continue;
    }
    const handedBack = await inTransaction(ctx.db, async (tx) => {
      if (!(await governance.moveSchedule(tx, schedule.id, "active", "ended"))) return undefined;
      const row = await store.findRuleSetRow(tx, schedule.ruleSetKey);
      // hand back only if nobody has published something else in the meantime
      const handBack = row?.activeVersion === schedule.version ? schedule.handBackVersion : null;
      if (handBack !== null) {
        await store.setActiveVersion(tx, schedule.ruleSetKey, handBack);
        await governance.insertActivation(tx, nextId(now.getTime()), {
          ruleSetKey: schedule.ruleSetKey,
          version: handBack,
          activatedAt: nowIso,
          cause: "schedule-end",
        });
      }
      await appendAudit(
        tx,
        {
          actor: "system",
          action: "schedule.end",
          entity: "rule-set",
          entityKey: schedule.ruleSetKey,
          detail: { schedule: schedule.id, version: schedule.version, handedBackTo: handBack },
        },
        now,
      );
      if (handBack !== null) await announceChange(tx, { topic: "rule-set", key: schedule.ruleSetKey });
      return { handBack };
    });
    if (handedBack) {
      if (handedBack.handBack !== null)
        await ctx.registry.activateVersion(schedule.ruleSetKey, handedBack.handBack, now.getTime());
      ended.push(schedule.id);
    }
  }
  return { started, ended, nextDueMs };
}

/**
 * Runs `runDueSchedules` every `everyMs` until stopped, and sooner when a schedule it has seen falls due before then, so
 * that a start or an end happens at its time, not up to `everyMs` later. Errors are logged, never thrown: the first of
 * a run of failures (the database unreachable fails every tick), and the first success after them.
 */
export function startScheduler(ctx: AppContext, everyMs = 1000): () => void {
  let stopped = false;
  let failing = false;
  let timer: NodeJS.Timeout;
  const wait = (ms: number) => {
    timer = setTimeout(tick, Math.max(0, Math.min(ms, everyMs)));
    timer.unref();
  };
  const tick = () => {
    runDue(ctx).then(
      ({ nextDueMs }) => {
        if (failing) ctx.logger.info("scheduled activations run again");
        failing = false;
        // 1 ms past the time: a timer may fire a fraction of a millisecond early, before the schedule is due
        if (!stopped) wait(nextDueMs === null ? everyMs : nextDueMs - ctx.now().getTime() + 1);
      },
      (error: unknown) => {
        if (!failing) ctx.logger.error({ err: error }, "scheduled activations failed; trying again until they run");
        failing = true;
        if (!stopped) wait(everyMs);
      },
    );
  };
  wait(everyMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

export async function listRuleSetSchedules(ctx: AppContext, key: string) {
  await requireRuleSet(ctx, key);
  return governance.listSchedules(ctx.db, { key });
}

/** Cancels a schedule that has not started yet. */
export async function cancelSchedule(ctx: AppContext, key: string, id: string, principal: Principal) {
  await requireRuleSet(ctx, key);
  const schedule = (await governance.listSchedules(ctx.db, { key })).find((s) => s.id === id);
  if (!schedule) throw notFound(`rule set "${key}" has no schedule ${id}`);
  const at = ctx.now();
  await inTransaction(ctx.db, async (tx) => {
    if (!(await governance.moveSchedule(tx, id, "scheduled", "cancelled")))
      throw conflict(`the schedule is ${schedule.status}, not waiting to start`);
    await appendAudit(
      tx,
      {
        actor: principal.actor,
        action: "schedule.cancel",
        entity: "rule-set",
        entityKey: key,
        detail: { schedule: id, version: schedule.version },
      },
      at,
    );
  });
  return { ...schedule, status: "cancelled" as const };
}
