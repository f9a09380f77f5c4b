import { z } from "zod";
import { parseDate } from "./business-time.ts";
import { type FieldCode, fieldProblem, type FieldProblem } from "./problems.ts";
import { CalendarDay, isWeekday } from "./working-calendar.ts";

// The working-day calendar's API (/api/v1/calendar): a year's arrangement saved as versions, like a rule set's.

/** A year the calendar may hold: the URL's `{year}` and a body's. */
export const CalendarYearNumber = z.number().int().min(1970).max(9999);

const version = z.number().int().min(0).max(1_000_000_000);
const note = z.string().trim().max(500);

/** `PUT /calendar/{year}`: the year's whole arrangement, and the version it was edited from (0 or absent: a new year). */
export const CalendarYearInput = z
  .strictObject({
    holidays: z.array(CalendarDay).max(366),
    workdays: z.array(CalendarDay).max(366),
    version: version.optional().meta({ description: "The year's current version as read; 0 or absent for a new year" }),
    note: note.optional(),
  })
  .meta({ id: "CalendarYearInput" });
export type CalendarYearInput = z.infer<typeof CalendarYearInput>;

/** `POST /calendar/{year}/restore`: make an older version the current one, as a new version. */
export const CalendarRestoreInput = z
  .strictObject({ version: version.min(1), note: note.optional() })
  .meta({ id: "CalendarRestoreInput" });
export type CalendarRestoreInput = z.infer<typeof CalendarRestoreInput>;

/** Who saved a version of a year, when, and why. */
export const CalendarVersionSummary = z.object({
  year: z.number().int(),
  version: z.number().int(),
  savedAt: z.string(),
  savedBy: z.string(),
  note: z.string(),
  /** The version this one restored; null for an edit. */
  restoredFrom: z.number().int().nullable(),
  holidays: z.number().int().meta({ description: "How many holidays the version holds" }),
  workdays: z.number().int().meta({ description: "How many adjusted working days the version holds" }),
});
export type CalendarVersionSummary = z.infer<typeof CalendarVersionSummary>;

/** A version of a year with its days: `GET /calendar/{year}` (the current one) and `…/versions/{n}`. */
export const CalendarYearVersion = CalendarVersionSummary.extend({
  holidays: z.array(CalendarDay),
  workdays: z.array(CalendarDay),
}).meta({ id: "CalendarYearVersion" });
export type CalendarYearVersion = z.infer<typeof CalendarYearVersion>;

/** `GET /calendar`: every year held, and whether next year's arrangement is due and missing. */
export const CalendarOverview = z
  .object({
    years: z.array(CalendarVersionSummary.meta({ description: "Each year's current version" })),
    businessTimeZone: z.string(),
    /** The year after today's, in the business time zone. */
    nextYear: z.number().int(),
    /** From 1 December (business time zone) while the calendar holds nothing for next year: `/readyz` warns too. */
    nextYearMissing: z.boolean(),
  })
  .meta({ id: "CalendarOverview" });
export type CalendarOverview = z.infer<typeof CalendarOverview>;

/**
 * What is wrong with a year's arrangement, each at its path (`holidays.3.date`): a date that is not one or lies
 * outside the year, a date listed twice, a date both a holiday and a workday, a workday that is not a Saturday or Sunday
 * (a weekday is worked anyway: it adjusts nothing). A holiday may fall on any day.
 */
export function calendarYearProblems(
  year: number,
  days: { holidays: readonly CalendarDay[]; workdays: readonly CalendarDay[] },
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const holidays = new Set(days.holidays.map((day) => day.date));
  for (const list of ["holidays", "workdays"] as const) {
    const seen = new Map<string, string>();
    days[list].forEach((day, index) => {
      const path = `${list}.${index}.date`;
      const problem = dayProblem(year, list, day.date, seen.get(day.date), holidays);
      if (problem) problems.push(fieldProblem(path, problem.code, problem.params, problem.message));
      else seen.set(day.date, path);
    });
  }
  return problems;
}

/** What is wrong with one day of `list`, given where the same date came first in that list. */
function dayProblem(
  year: number,
  list: "holidays" | "workdays",
  date: string,
  first: string | undefined,
  holidays: ReadonlySet<string>,
): { code: FieldCode; params: Record<string, unknown>; message: string } | undefined {
  const parsed = parseDate(date);
  if (!parsed.ok) return { code: "not_a_date", params: {}, message: `${date} is not a date` };
  if (parsed.date.year !== year)
    return { code: "date_outside_year", params: { year }, message: `${date} is not in ${year}` };
  if (first !== undefined)
    return { code: "duplicate_date", params: { date, first }, message: `${date} is listed already at ${first}` };
  if (list === "holidays") return undefined;
  if (holidays.has(date))
    return { code: "holiday_and_workday", params: { date }, message: `${date} is both a holiday and a workday` };
  if (isWeekday(parsed.date))
    return {
      code: "workday_not_weekend",
      params: { date },
      message: `${date} is a weekday: only a Saturday or Sunday can be made a working day`,
    };
  return undefined;
}
