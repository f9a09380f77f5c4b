import {
  instantOf,
  nextDay,
  previousDay,
  startOfDay,
  wallTimeAt,
  type CalendarDate,
} from "../../../shared/business-time.ts";
import type { StatsBucket } from "../../../shared/stats.ts";

/** The periods the analytics tab offers, in days. */
export const PERIOD_DAYS = [7, 30, 90] as const;
export type PeriodDays = (typeof PERIOD_DAYS)[number];

const HOUR_MS = 3_600_000;

/**
 * The last `days` days up to the end of the current bucket: by the day, from the start of the business day `days - 1`
 * days before today's to the end of today (so that 7 days are 7 bars, today's the last); by the hour, the `days` × 24
 * hours up to the end of the current hour.
 */
export function periodOf(now: Date, days: PeriodDays, bucket: StatsBucket, zone: string): { from: Date; to: Date } {
  if (bucket === "hour") {
    const to = (Math.floor(now.getTime() / HOUR_MS) + 1) * HOUR_MS;
    return { from: new Date(to - days * 24 * HOUR_MS), to: new Date(to) };
  }
  const { year, month, day } = wallTimeAt(now, zone);
  const today: CalendarDate = { year, month, day };
  let first = today;
  for (let i = 1; i < days; i++) first = previousDay(first);
  return { from: dayStart(first, zone), to: dayStart(nextDay(today), zone) };
}

/** Midnight of `day` in `zone`, or 01:00 where the clocks skip midnight that day. */
function dayStart(day: CalendarDate, zone: string): Date {
  const midnight = startOfDay(day);
  return instantOf(midnight, zone) ?? instantOf({ ...midnight, hour: 1 }, zone)!;
}
