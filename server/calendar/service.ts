import {
  type CalendarOverview,
  type CalendarRestoreInput,
  type CalendarVersionSummary,
  type CalendarYearInput,
  type CalendarYearVersion,
  calendarYearProblems,
} from "../../shared/calendar.ts";
import { wallTimeAt } from "../../shared/business-time.ts";
import type { CalendarDay, CalendarYear, WorkingCalendar } from "../../shared/working-calendar.ts";
import { appendAudit } from "../audit/store.ts";
import { announceChange } from "../cluster/change-feed.ts";
import type { AppContext } from "../context.ts";
import { type Db, inTransaction } from "../db/database.ts";
import { conflict, invalid, notFound } from "../errors.ts";
import * as store from "./store.ts";

type Ctx = Pick<AppContext, "db" | "calendar" | "now" | "businessTimeZone">;

/**
 * The year whose arrangement is due and missing: from 1 December in `zone` until the calendar holds next year, that next
 * year; otherwise undefined. The State Council publishes the arrangement in late autumn, so December is when it is late.
 */
export function nextYearMissing(calendar: WorkingCalendar, now: Date, zone: string): number | undefined {
  const today = wallTimeAt(now, zone);
  const next = today.year + 1;
  return today.month === 12 && !calendar.knowsYear(next) ? next : undefined;
}

/** Every year's current version, and whether next year is due and missing. */
export async function calendarOverview(ctx: Ctx): Promise<CalendarOverview> {
  const years = await store.listCurrentVersions(ctx.db);
  const now = ctx.now();
  return {
    years: years.map(store.summaryOf),
    businessTimeZone: ctx.businessTimeZone,
    nextYear: wallTimeAt(now, ctx.businessTimeZone).year + 1,
    nextYearMissing: nextYearMissing(ctx.calendar.current, now, ctx.businessTimeZone) !== undefined,
  };
}

/** A year's current version, or `version` of it; 404 when there is none. */
export async function getCalendarYear(ctx: Ctx, year: number, version?: number): Promise<CalendarYearVersion> {
  const found = await store.findCalendarVersion(ctx.db, year, version);
  if (!found)
    throw notFound(
      version === undefined ? `the calendar holds nothing for ${year}` : `${year} has no version ${version}`,
    );
  return found;
}

/** A year's versions, newest first; 404 for a year never saved. */
export async function listYearVersions(ctx: Ctx, year: number): Promise<CalendarVersionSummary[]> {
  const versions = await store.listCalendarVersions(ctx.db, year);
  if (versions.length === 0) throw notFound(`the calendar holds nothing for ${year}`);
  return versions;
}

/**
 * Saves a year's whole arrangement as its next version, on the version it was edited from (409 with `currentVersion`
 * when someone saved in between; 0 or absent for a year not held yet), checked first (422 naming each day at fault).
 */
export async function saveCalendarYear(
  ctx: Ctx,
  year: number,
  input: CalendarYearInput,
  actor: string,
): Promise<CalendarYearVersion> {
  const problems = calendarYearProblems(year, input);
  if (problems.length > 0) throw invalid(`the arrangement of ${year} is not valid`, problems);
  return writeVersion(ctx, year, input.version ?? 0, actor, (next) => ({
    year,
    version: next,
    holidays: byDate(input.holidays),
    workdays: byDate(input.workdays),
    note: input.note ?? "",
    restoredFrom: null,
  }));
}

/** Makes an older version of a year current again, as a new version (404 for a version that does not exist). */
export async function restoreCalendarVersion(
  ctx: Ctx,
  year: number,
  input: CalendarRestoreInput,
  actor: string,
): Promise<CalendarYearVersion> {
  const old = await getCalendarYear(ctx, year, input.version);
  const current = await getCalendarYear(ctx, year);
  return writeVersion(ctx, year, current.version, actor, (next) => ({
    year,
    version: next,
    holidays: old.holidays,
    workdays: old.workdays,
    note: input.note ?? "",
    restoredFrom: old.version,
  }));
}

type NewVersion = Omit<CalendarYearVersion, "savedAt" | "savedBy">;

async function writeVersion(
  ctx: Ctx,
  year: number,
  expected: number,
  actor: string,
  make: (next: number) => NewVersion,
): Promise<CalendarYearVersion> {
  const at = ctx.now();
  const saved = await inTransaction(ctx.db, async (tx) => {
    const current = (await store.findCalendarVersion(tx, year))?.version ?? 0;
    if (current !== expected)
      throw conflict(`${year} is at version ${current}, not ${expected}: someone saved it in between; reload it`, {
        currentVersion: current,
      });
    const version: CalendarYearVersion = { ...make(current + 1), savedAt: at.toISOString(), savedBy: actor };
    await store.insertCalendarVersion(tx, version);
    await appendAudit(
      tx,
      {
        actor,
        action: version.restoredFrom === null ? "calendar.save" : "calendar.restore",
        entity: "calendar",
        entityKey: String(year),
        detail: {
          version: version.version,
          holidays: version.holidays.length,
          workdays: version.workdays.length,
          ...(version.restoredFrom === null ? {} : { restoredFrom: version.restoredFrom }),
          ...(version.note === "" ? {} : { note: version.note }),
        },
      },
      at,
    );
    await announceChange(tx, { topic: "calendar" });
    return version;
  });
  // this instance counts with the change at once; the others hear of it through the cluster sync
  await reloadCalendar(ctx);
  return saved;
}

/** Reads every year's current arrangement and swaps this instance's calendar for it. */
export async function reloadCalendar(ctx: Pick<AppContext, "db" | "calendar">): Promise<void> {
  ctx.calendar.replace(await store.loadCalendarYears(ctx.db));
}

/**
 * Saves each shipped year the database does not hold as its version 1, audited, in the caller's transaction: a new
 * database starts with every year chinese-days knows, and an existing one gains the years a newer package adds.
 * Answers the years added.
 */
export async function importShippedYears(tx: Db, shipped: readonly CalendarYear[], at: Date): Promise<number[]> {
  const held = new Set((await store.listCurrentVersions(tx)).map((version) => version.year));
  const added: number[] = [];
  for (const year of shipped) {
    if (held.has(year.year)) continue;
    await store.insertCalendarVersion(tx, {
      year: year.year,
      version: 1,
      holidays: year.holidays,
      workdays: year.workdays,
      note: "imported from chinese-days",
      savedAt: at.toISOString(),
      savedBy: "system",
      restoredFrom: null,
    });
    await appendAudit(
      tx,
      {
        actor: "system",
        action: "calendar.import",
        entity: "calendar",
        entityKey: String(year.year),
        detail: { version: 1, holidays: year.holidays.length, workdays: year.workdays.length },
      },
      at,
    );
    added.push(year.year);
  }
  if (added.length > 0) await announceChange(tx, { topic: "calendar" });
  return added;
}

const byDate = (days: readonly CalendarDay[]) => [...days].sort((a, b) => a.date.localeCompare(b.date));
