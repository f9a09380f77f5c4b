import { type CalendarDate, instantOf, startOfDay, zoneOffsetMs } from "./business-time.ts";

/**
 * A business zone's offsets, fast: periods are counted on the decision path, where asking Intl for each instant would
 * cost more than the rest of the decision.
 */

const MINUTE_MS = 60_000;
const MAX_CACHED = 100_000;
/** Offsets are cached per quarter hour whose two ends agree: no zone changes its offset twice within one. */
const BUCKET_MS = 15 * MINUTE_MS;
const offsets = new Map<string, Map<number, number>>();

/** The zone's offset at an instant, from a cache of quarter hours whose both ends agree (Intl only on a miss). */
export function offsetAt(ms: number, zone: string): number {
  const byBucket = offsets.get(zone) ?? offsets.set(zone, new Map()).get(zone)!;
  const bucket = Math.floor(ms / BUCKET_MS);
  const known = byBucket.get(bucket);
  if (known !== undefined) return known;
  const first = zoneOffsetMs(bucket * BUCKET_MS, zone);
  // a change inside the quarter hour: not cached, the instant itself asked
  if (zoneOffsetMs(bucket * BUCKET_MS + BUCKET_MS - 1, zone) !== first) return zoneOffsetMs(ms, zone);
  if (byBucket.size >= MAX_CACHED) byBucket.clear();
  byBucket.set(bucket, first);
  return first;
}

/** The instant a wall-clock time (its fields read as UTC ms) names in the zone; a skipped time moves forward. */
export function instantOfWall(wallMs: number, zone: string): number {
  const guess = wallMs - offsetAt(wallMs - offsetAt(wallMs, zone), zone);
  const offset = offsetAt(guess, zone);
  return guess + offset === wallMs ? guess : wallMs - offset;
}

/** 00:00 of a day in the zone (the first moment of the day, should the zone skip midnight). */
export function startOfDayMs(date: CalendarDate, zone: string): number {
  return (
    instantOf(startOfDay(date), zone)?.getTime() ?? instantOfWall(Date.UTC(date.year, date.month - 1, date.day), zone)
  );
}
