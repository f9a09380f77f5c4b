import { instantOf, nextDay, startOfDay, wallTimeAt, type CalendarDate } from "../../shared/business-time.ts";
import type { StatsBucket } from "../../shared/stats.ts";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * The starts of the buckets that cover [from, to): hours (UTC), or days in `zone` from midnight to midnight, the first
 * holding `from`, the last holding the instant before `to`; then the end of the last. Undefined when they would be more
 * than `max`: counted before any is made, so that a period of centuries costs nothing.
 */
export function bucketStarts(
  from: number,
  to: number,
  bucket: StatsBucket,
  zone: string,
  max: number,
): { starts: number[]; end: number } | { tooMany: number } {
  if (bucket === "hour") {
    const first = Math.floor(from / HOUR_MS) * HOUR_MS;
    const end = Math.ceil(to / HOUR_MS) * HOUR_MS;
    const count = (end - first) / HOUR_MS;
    if (count > max) return { tooMany: count };
    return { starts: Array.from({ length: count }, (_, i) => first + i * HOUR_MS), end };
  }
  // a day is 23 to 25 hours: two more than this many days can never be fewer than the period holds
  const atLeast = Math.floor((to - from) / (DAY_MS + HOUR_MS));
  if (atLeast > max) return { tooMany: atLeast };
  const starts: number[] = [];
  let day = calendarDate(from, zone);
  let start = dayStart(day, zone);
  while (start < to) {
    starts.push(start);
    day = nextDay(day);
    start = dayStart(day, zone);
    if (starts.length > max) return { tooMany: starts.length + Math.ceil((to - start) / DAY_MS) };
  }
  return { starts, end: start };
}

function calendarDate(instant: number, zone: string): CalendarDate {
  const { year, month, day } = wallTimeAt(instant, zone);
  return { year, month, day };
}

/**
 * When a day begins in `zone`: its midnight, or 01:00 where the clocks skip midnight on that day (a daylight-saving
 * change at 00:00, as in a few zones).
 */
function dayStart(day: CalendarDate, zone: string): number {
  const midnight = startOfDay(day);
  return (instantOf(midnight, zone) ?? instantOf({ ...midnight, hour: 1 }, zone)!).getTime();
}

/** The index of the bucket holding `instant` among sorted `starts` (the last start at or before it), or -1. */
export function bucketIndex(starts: readonly number[], instant: number): number {
  let low = 0;
  let high = starts.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (starts[middle]! <= instant) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}
