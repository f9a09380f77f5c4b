import { z } from "zod";
import { type CalendarDate, formatDate } from "./business-time.ts";

/**
 * The working-day calendar periods are counted with (shared/periods.ts): weekends are rest days, public holidays are
 * rest days, and adjusted working days (调休, a Saturday worked) are working days. The official arrangement is
 * published a year at a time, so each year is data administrators edit; a year without data counts Monday to Friday as
 * working days, and whoever counts with it learns that it did (`knowsYear`).
 */

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date is YYYY-MM-DD");

/** One named day of a year's arrangement: `{ "date": "2026-10-01", "name": "国庆节" }`. */
export const CalendarDay = z.strictObject({
  date: IsoDate,
  // shown in the admin's grid and in decisions' reasons: one line of text (a refinement, not a pattern: the OpenAPI
  // document's validators may not read Unicode classes)
  name: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .refine((name) => !/\p{Cc}/u.test(name), "no control characters"),
});
export type CalendarDay = z.infer<typeof CalendarDay>;

/** One year's arrangement: the rest days beyond ordinary weekends (public holidays), and the weekend days worked. */
export const CalendarYear = z.strictObject({
  year: z.number().int().min(1970).max(9999),
  holidays: z.array(CalendarDay).max(366),
  workdays: z.array(CalendarDay).max(366),
});
export type CalendarYear = z.infer<typeof CalendarYear>;

export type WorkingCalendar = {
  /** Whether the day is worked: the year's arrangement first, else Monday to Friday. */
  isWorkingDay(date: CalendarDate): boolean;
  /** Whether the calendar holds an arrangement for `year` (else its days are counted as weekends only). */
  knowsYear(year: number): boolean;
  /** The years it holds, ascending. */
  readonly years: readonly number[];
  /** The arrangements it was made from, as data (what a worker thread is sent). */
  readonly arrangements: readonly CalendarYear[];
};

/** Monday to Friday, by the proleptic Gregorian calendar (UTC arithmetic on a date has no zone to get wrong). */
export function isWeekday(date: CalendarDate): boolean {
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** A calendar of these years' arrangements; a date both a holiday and a workday is a workday (the later notice wins). */
export function workingCalendar(years: readonly CalendarYear[]): WorkingCalendar {
  const known = new Set(years.map((y) => y.year));
  const rest = new Set<string>();
  const worked = new Set<string>();
  for (const year of years) {
    for (const day of year.holidays) rest.add(day.date);
    for (const day of year.workdays) worked.add(day.date);
  }
  return {
    isWorkingDay(date) {
      if (!known.has(date.year)) return isWeekday(date);
      const key = formatDate(date);
      if (worked.has(key)) return true;
      if (rest.has(key)) return false;
      return isWeekday(date);
    },
    knowsYear: (year) => known.has(year),
    years: [...known].sort((a, b) => a - b),
    arrangements: years,
  };
}

/** Weekends only: the calendar before any year is known. */
export const weekendsOnly: WorkingCalendar = workingCalendar([]);
