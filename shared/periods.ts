import { z } from "zod";
import { durationMs, parseDuration } from "./duration.ts";
import type { Lang } from "./labels.ts";

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
