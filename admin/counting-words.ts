import { formatDate, isStartOfDay, previousDay, wallTimeAt } from "../shared/business-time.ts";
import { durationWords } from "../shared/duration.ts";
import type { Lang } from "../shared/labels.ts";
import {
  countings,
  countingWords,
  DEFAULT_BUSINESS_HOURS,
  type BusinessHours,
  type Counting,
} from "../shared/periods.ts";
import { businessZone, formatBusinessTime, zoneName } from "./business-zone.ts";

/**
 * How a counted duration reads wherever a rule or a decision is shown: "7 天（按自然日，次日起算，遇节假日顺延）",
 * "4 小时（按工作时间 09:00–18:00）"; a plain ISO string (elapsed time) reads as it always did.
 */

/** The object form of a duration as a rule or a decision holds it, loosely read: anything else is not one. */
export type CountedValue = { duration: string; counting: Counting; hours?: BusinessHours | undefined };

/** The object form when `value` is one (`{ duration, counting, hours? }`), else undefined. */
export function countedValue(value: unknown): CountedValue | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const { duration, counting, hours } = value as Record<string, unknown>;
  if (typeof duration !== "string" || !countings.includes(counting as Counting)) return undefined;
  return { duration, counting: counting as Counting, hours: businessHoursOf(hours) };
}

function businessHoursOf(value: unknown): BusinessHours | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { from, until } = value as Record<string, unknown>;
  return typeof from === "string" && typeof until === "string" ? { from, until } : undefined;
}

/** The way of counting in words: "按工作日"; business hours with their hours, "按工作时间 09:00–18:00". */
export function countingName(counting: Counting, lang: Lang, hours: BusinessHours = DEFAULT_BUSINESS_HOURS): string {
  const words = countingWords[counting][lang];
  return counting === "business_hours" ? `${words} ${hours.from}–${hours.until}` : words;
}

/** The bracketed counting after a length, "（按工作日）" / " (working days)"; nothing for elapsed time. */
export function countingNote(counted: CountedValue | undefined, lang: Lang): string {
  if (!counted || counted.counting === "elapsed") return "";
  const name = countingName(counted.counting, lang, counted.hours);
  // the English option reads as a sentence start; inside a sentence's brackets it does not
  return lang === "zh" ? `（${name}）` : ` (${name.charAt(0).toLowerCase()}${name.slice(1)})`;
}

/** A duration of a rule in words with how it is counted: "P7D" → "7 天", the object form → "7 天（按工作日）". */
export function countedDurationWords(value: unknown, lang: Lang): string {
  const counted = countedValue(value);
  if (!counted) return typeof value === "string" ? durationWords(value, lang) : JSON.stringify(value);
  return `${durationWords(counted.duration, lang)}${countingNote(counted, lang)}`;
}

/**
 * A decision's timer as a counted duration: its `duration` may be the object form itself, or a plain string beside the
 * timer's own `counting` (and `hours`), which a decision carries whenever the timer was not counted as elapsed time.
 */
export function timerDuration(timer: { duration?: unknown; counting?: unknown; hours?: unknown }): unknown {
  if (countedValue(timer.duration)) return timer.duration;
  if (typeof timer.duration === "string" && countings.includes(timer.counting as Counting))
    return { duration: timer.duration, counting: timer.counting, hours: businessHoursOf(timer.hours) };
  return timer.duration;
}

/**
 * A deadline in the business time zone with the zone named: "2026-10-08 24:00（北京时间）". A day-counted deadline
 * falls at midnight, which the law words as 24:00 of the last day (Civil Code Art. 203), not 00:00 of the next.
 */
export function deadlineWords(deadline: string, counting: Counting | undefined, lang: Lang): string {
  const instant = new Date(deadline);
  if (Number.isNaN(instant.getTime())) return deadline;
  const wall = wallTimeAt(instant, businessZone());
  const byDays = counting === "calendar_days" || counting === "working_days";
  const text = byDays && isStartOfDay(wall) ? `${formatDate(previousDay(wall))} 24:00` : formatBusinessTime(instant);
  const zone = zoneName(lang);
  return lang === "zh" ? `${text}（${zone}）` : `${text} (${zone})`;
}
