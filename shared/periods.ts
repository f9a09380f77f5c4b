import { z } from "zod";
import { type CalendarDate, nextDay } from "./business-time.ts";
import { durationMs, parseDuration } from "./duration.ts";
import type { Lang } from "./labels.ts";
import { instantOfWall, offsetAt, startOfDayMs } from "./zone-offsets.ts";
import type { WorkingCalendar } from "./working-calendar.ts";

/**
 * How a duration in a rule (a window in a condition, a timer's length) is counted. A plain ISO string (`"P7D"`) is
 * elapsed time; the object form names the way: `{ "duration": "P7D", "counting": "calendar_days" }`.
 *
 * - `elapsed`: exactly that much time from the start moment (a day is 24 h): the platform's own timers.
 * - `calendar_days`: as the Civil Code counts (Art. 201–203): the starting day is not counted, the period ends at 24:00
 *   of its last day in the business time zone, and a last day that is not a working day moves to the next working day.
 * - `working_days`: whole working days after the starting day, ending at 24:00 of the last one.
 * - `business_hours`: time counted only inside the business day's hours (default 09:00–18:00, every day).
 */
export const countings = ["elapsed", "calendar_days", "working_days", "business_hours"] as const;
export const Counting = z.enum(countings);
export type Counting = z.infer<typeof Counting>;

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time of day is HH:MM (24-hour)");

/** The business day's hours for `business_hours`: from `from` until `until` on the same day. */
export const BusinessHours = z
  .strictObject({ from: ClockTime, until: ClockTime })
  .refine((hours) => hours.from < hours.until, {
    params: { code: "hours_reversed" },
    message: "the business day ends after it starts",
  });
export type BusinessHours = z.infer<typeof BusinessHours>;
export const DEFAULT_BUSINESS_HOURS: BusinessHours = { from: "09:00", until: "18:00" };

const ElapsedDuration = z.string().refine((text) => durationMs(text) !== null, {
  params: { code: "not_duration" },
  message:
    "an ISO 8601 duration of weeks, days, hours, minutes or seconds (P7D, PT48H); years and months have no fixed length",
});

/** Whole days only (`P7D`, `P1W`): days are what calendar and working-day counting count. */
const wholeDays = (text: string) => {
  const parts = parseDuration(text);
  return parts !== undefined && parts.unit === "days" && Number.isInteger(parts.amount);
};

/** The most days a calendar or working-day period may run: ten years, which no after-sales period comes near. */
export const MAX_COUNTED_DAYS = 3660;

/** A duration counted some way: the object form. */
export const CountedDurationObject = z
  .strictObject({ duration: ElapsedDuration, counting: Counting, hours: BusinessHours.optional() })
  .superRefine((value, ctx) => {
    if ((value.counting === "calendar_days" || value.counting === "working_days") && !wholeDays(value.duration)) {
      ctx.addIssue({
        code: "custom",
        path: ["duration"],
        params: { code: "not_whole_days" },
        message: "calendar and working days are counted in whole days (P7D, P1W)",
      });
    } else if (
      (value.counting === "calendar_days" || value.counting === "working_days") &&
      parseDuration(value.duration)!.amount > MAX_COUNTED_DAYS
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["duration"],
        params: { code: "too_big", maximum: MAX_COUNTED_DAYS, origin: "days", inclusive: true },
        message: `calendar and working days are counted up to ${MAX_COUNTED_DAYS} days`,
      });
    }
    if (value.hours !== undefined && value.counting !== "business_hours") {
      ctx.addIssue({
        code: "custom",
        path: ["hours"],
        params: { code: "hours_without_business_hours" },
        message: "business hours belong to business_hours counting only",
      });
    }
  });
export type CountedDurationObject = z.infer<typeof CountedDurationObject>;

/** A duration in a rule: a plain ISO string (elapsed) or the object form. */
export const CountedDuration = z.union([ElapsedDuration, CountedDurationObject]);
export type CountedDuration = z.infer<typeof CountedDuration>;

/** The object form of any duration in a rule, elapsed for a plain string. */
export function countedDuration(value: CountedDuration): CountedDurationObject {
  return typeof value === "string" ? { duration: value, counting: "elapsed" } : value;
}

/** The plain words the editor offers for each way of counting. */
export const countingWords: Readonly<Record<Counting, Record<Lang, string>>> = {
  elapsed: { zh: "按实际经过时间（1 天 = 24 小时）", en: "Elapsed time (a day is 24 hours)" },
  calendar_days: {
    zh: "按自然日，次日起算，遇节假日顺延",
    en: "Calendar days from the next day, moved past rest days and holidays",
  },
  working_days: { zh: "按工作日", en: "Working days" },
  business_hours: { zh: "按工作时间", en: "Business hours" },
};

/** Where periods are counted: the business time zone and the working-day calendar of the moment. */
export type PeriodSettings = { zone: string; calendar: WorkingCalendar };

/** When a period ends, how it was counted, and the years its counting consulted that the calendar does not hold. */
export type PeriodEnd = { endMs: number; counting: Counting; unknownYears: number[] };

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const MAX_CACHED = 100_000;
/** The latest start counted (either side of 1970): a period from it still ends within what a Date holds (8.64e15). */
const LAST_START_MS = 8.64e15 - 2_000_000 * DAY_MS;

const addDays = (date: CalendarDate, days: number): CalendarDate => {
  const utc = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: utc.getUTCFullYear(), month: utc.getUTCMonth() + 1, day: utc.getUTCDate() };
};

/**
 * Rest days a last day is moved past, at most, and rest days a working day is looked for across: a calendar resting a
 * whole year on end is a mistake, and the count stays bounded (the analysis relies on it, periodBounds).
 */
export const MAX_REST_DAYS = 366;

type DayEnd = { endMs: number; unknownYears: number[] };
/**
 * Day countings of one duration (the rule's own object, so a decision finds its entry without building a key), for one
 * calendar and zone: by the start day's number. A calendar is swapped whole on a change, which starts the entry afresh.
 */
type DayEnds = { calendar: WorkingCalendar; zone: string; days: number; byDay: Map<number, DayEnd> };
const dayEnds = new WeakMap<CountedDurationObject, DayEnds>();

/** Whether the day is worked, noting the year when the calendar does not hold it. */
function worked(date: CalendarDate, calendar: WorkingCalendar, unknown: Set<number>): boolean {
  if (!calendar.knowsYear(date.year)) unknown.add(date.year);
  return calendar.isWorkingDay(date);
}

/** The end of a period of calendar or working days from the day of `startMs`, memoised per duration, calendar and zone. */
function dayEndOf(startMs: number, counted: CountedDurationObject, settings: PeriodSettings): DayEnd {
  const { zone, calendar } = settings;
  let memo = dayEnds.get(counted);
  if (memo === undefined || memo.calendar !== calendar || memo.zone !== zone) {
    const days = Math.round((durationMs(counted.duration) ?? 0) / DAY_MS);
    memo = { calendar, zone, days, byDay: new Map() };
    dayEnds.set(counted, memo);
  }
  // the start's day in the zone, numbered from 1970-01-01
  const day = Math.floor((startMs + offsetAt(startMs, zone)) / DAY_MS);
  const known = memo.byDay.get(day);
  if (known) return known;
  const end = dayEnd(counted.counting, dateOfDay(day), memo.days, settings);
  if (memo.byDay.size >= MAX_CACHED) memo.byDay.clear();
  memo.byDay.set(day, end);
  return end;
}

/** The calendar date of a day number (days since 1970-01-01). */
function dateOfDay(day: number): CalendarDate {
  const date = new Date(day * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** The end of a period of `days` calendar or working days from the start day. */
function dayEnd(counting: Counting, start: CalendarDate, days: number, settings: PeriodSettings): DayEnd {
  const { zone, calendar } = settings;
  const unknown = new Set<number>();
  let last: CalendarDate;
  if (counting === "calendar_days") {
    // the starting day is not counted; a last day that is not worked moves to the next one that is
    last = addDays(start, days);
    for (let moved = 0; moved < MAX_REST_DAYS && !worked(last, calendar, unknown); moved++) last = nextDay(last);
  } else {
    last = start;
    for (let found = 0; found < days; found++) {
      last = nextDay(last);
      for (let rested = 0; rested < MAX_REST_DAYS && !worked(last, calendar, unknown); rested++) last = nextDay(last);
    }
  }
  // 24:00 of the last day: the next day's 00:00
  return { endMs: startOfDayMs(nextDay(last), zone), unknownYears: [...unknown].sort((a, b) => a - b) };
}

const clockMs = (time: string) => (Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))) * MINUTE_MS;

/**
 * Business hours from the start: time counts only inside [from, until) of each day's wall clock in the zone; an amount
 * that fills a day's hours exactly ends at that day's `until`.
 */
function businessHoursEnd(startMs: number, ms: number, hours: BusinessHours, zone: string): number {
  if (ms === 0) return startMs;
  const from = clockMs(hours.from);
  const until = clockMs(hours.until);
  const open = until - from;
  const wall = startMs + offsetAt(startMs, zone);
  let day = Math.floor(wall / DAY_MS);
  let at = wall - day * DAY_MS;
  if (at < from) at = from;
  else if (at >= until) {
    day++;
    at = from;
  }
  let remaining = ms;
  if (remaining > until - at) {
    remaining -= until - at;
    // whole business days before the one the period ends in
    const whole = Math.floor((remaining - 1) / open);
    remaining -= whole * open;
    day += 1 + whole;
    at = from;
  }
  const end = day * DAY_MS + at + remaining;
  // hours spread so thin that the end lies past what a date can hold: no end, rather than a zone asked about nothing
  return Math.abs(end) <= LAST_START_MS ? instantOfWall(end, zone) : Number.NaN;
}

/**
 * When a period that starts at `startMs` ends, counted as `duration` says (see `countings`), in the zone, with the
 * calendar: `unknownYears` are the years whose days the counting consulted and the calendar does not hold (counted as
 * weekends only).
 */
export function periodEnd(startMs: number, duration: CountedDuration, settings: PeriodSettings): PeriodEnd {
  const counted = countedDuration(duration);
  const ms = durationMs(counted.duration) ?? Number.NaN;
  // no moment to count from (or beyond what a date can hold): no end, and nothing asked of the zone
  if (counted.counting !== "elapsed" && !(Math.abs(startMs) <= LAST_START_MS))
    return { endMs: Number.NaN, counting: counted.counting, unknownYears: [] };
  switch (counted.counting) {
    case "elapsed":
      return { endMs: startMs + ms, counting: "elapsed", unknownYears: [] };
    case "business_hours":
      return {
        endMs: businessHoursEnd(startMs, ms, counted.hours ?? DEFAULT_BUSINESS_HOURS, settings.zone),
        counting: "business_hours",
        unknownYears: [],
      };
    default: {
      const end = dayEndOf(startMs, counted, settings);
      return { endMs: end.endMs, counting: counted.counting, unknownYears: end.unknownYears };
    }
  }
}

/**
 * One evaluation's view of time for counted durations: its moment, where periods are counted, and the years without
 * calendar data its counting consulted (a decision's kind reads them to flag the deadline, CALENDAR_YEAR_UNKNOWN).
 */
export class PeriodClock {
  /** Made at the first unknown year: nearly every evaluation consults none, and a decision makes a clock each. */
  #unknownYears: Set<number> | undefined;

  constructor(
    readonly nowMs: number,
    readonly settings: PeriodSettings,
  ) {}

  /** The years without calendar data the comparisons so far consulted. */
  get unknownYears(): ReadonlySet<number> {
    return this.#unknownYears ?? NO_YEARS;
  }

  /**
   * `withinDuration` (`beyond` false) or `beyondDuration` of `elapsed` ms since a moment: the period counted from that
   * moment (now − elapsed) has not ended (now ≤ its end), or has (now > its end).
   */
  compare(elapsed: number, duration: CountedDurationObject, beyond: boolean): boolean {
    if (duration.counting === "elapsed") {
      const ms = durationMs(duration.duration) ?? Number.NaN;
      return beyond ? elapsed > ms : elapsed <= ms;
    }
    const start = this.nowMs - elapsed;
    // day countings straight from their memo: the decision path allocates nothing for them
    const end =
      duration.counting === "business_hours" || !(Math.abs(start) <= LAST_START_MS)
        ? periodEnd(start, duration, this.settings)
        : dayEndOf(start, duration, this.settings);
    if (end.unknownYears.length > 0) {
      this.#unknownYears ??= new Set();
      for (const year of end.unknownYears) this.#unknownYears.add(year);
    }
    return beyond ? this.nowMs > end.endMs : this.nowMs <= end.endMs;
  }
}

const NO_YEARS: ReadonlySet<number> = new Set();

/** Counted durations by the value a rule holds: the object form, once checked (undefined when it is not one). */
const checked = new WeakMap<object, CountedDurationObject | null>();

/** The object form of a counted duration in a condition's value, or undefined when the value is not a valid one. */
export function countedValue(value: unknown): CountedDurationObject | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  let known = checked.get(value);
  if (known === undefined) {
    const parsed = CountedDurationObject.safeParse(value);
    known = parsed.success ? parsed.data : null;
    checked.set(value, known);
  }
  return known ?? undefined;
}

/**
 * Elapsed times (ms since the start) between which a counted period ends, whatever the start, zone and calendar: a
 * `withinDuration` holds for every elapsed time up to the first, and fails for every one beyond the second. A day of
 * margin on each side covers a zone's clock changes; the rest days a count moves past are bounded (MAX_REST_DAYS).
 */
export function periodBounds(duration: CountedDurationObject): [least: number, most: number] {
  const ms = durationMs(duration.duration) ?? 0;
  const days = Math.round(ms / DAY_MS);
  switch (duration.counting) {
    case "elapsed":
      return [ms, ms];
    case "calendar_days":
      return [Math.max(0, (days - 1) * DAY_MS), (days + MAX_REST_DAYS + 2) * DAY_MS];
    case "working_days":
      return [Math.max(0, (days - 1) * DAY_MS), (days * (MAX_REST_DAYS + 1) + 2) * DAY_MS];
    case "business_hours": {
      const hours = duration.hours ?? DEFAULT_BUSINESS_HOURS;
      const open = clockMs(hours.until) - clockMs(hours.from);
      return [Math.max(0, ms - DAY_MS), (Math.ceil(ms / open) + 2) * DAY_MS];
    }
  }
}
