import { monotonicFactory } from "ulid";
import { inTransaction } from "../db/database.ts";
import { appendAudit } from "../audit/store.ts";
import type { Principal } from "../auth/api-keys.ts";
import type { AppContext } from "../context.ts";
import { conflict, notFound } from "../errors.ts";
import * as governance from "./governance-store.ts";
import { requireRuleSet } from "./service.ts";
import * as store from "./store.ts";

const nextId = monotonicFactory();

/**
 * Starts the schedules whose time has come and ends those whose window is over, each exactly
 * once: a schedule moves status with a conditional update inside its transaction, so a second
 * runner (another instance, a restart mid-way) finds nothing left to do. Returns what it did.
 */
export async function runDueSchedules(ctx: AppContext): Promise<{ started: string[]; ended: string[] }> {
  const now = ctx.now();
  const nowIso = now.toISOString();
  const started: string[] = [];
  const ended: string[] = [];

  for (const schedule of await governance.listSchedules(ctx.db, { status: ["scheduled"] })) {
    if (schedule.startsAt > nowIso) continue;
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
      return true;
    });
    if (done) {
      await ctx.registry.activateVersion(schedule.ruleSetKey, schedule.version, now.getTime());
      started.push(schedule.id);
    }
  }

  for (const schedule of await governance.listSchedules(ctx.db, { status: ["active"] })) {
    if (schedule.endsAt === null || schedule.endsAt > nowIso) continue;
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
      return { handBack };
    });
    if (handedBack) {
      if (handedBack.handBack !== null)
        await ctx.registry.activateVersion(schedule.ruleSetKey, handedBack.handBack, now.getTime());
      ended.push(schedule.id);
    }
  }
  return { started, ended };
}

/** Runs `runDueSchedules` every `everyMs` until stopped; errors are reported, never thrown. */
export function startScheduler(
  ctx: AppContext,
  everyMs = 1000,
  onError: (error: unknown) => void = (error) => ctx.logger.error({ err: error }, "scheduled activation failed"),
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runDueSchedules(ctx)
      .catch(onError)
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
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
