import { parse } from "tinyduration";

const HOUR_MS = 3_600_000;
const cache = new Map<string, number | null>();

/**
 * Milliseconds of elapsed time in an ISO 8601 duration (`P7D`, `PT48H`, `P1W2D`), or null when
 * it is not one or names years or months, which have no fixed length. A day is 24 hours: windows
 * are elapsed time, never calendar days (docs/domain.md).
 */
export function durationMs(text: string): number | null {
  const known = cache.get(text);
  if (known !== undefined) return known;
  let ms: number | null = null;
  try {
    const d = parse(text);
    if (!d.negative && !d.years && !d.months) {
      const hours = ((d.weeks ?? 0) * 7 + (d.days ?? 0)) * 24 + (d.hours ?? 0);
      ms = hours * HOUR_MS + (d.minutes ?? 0) * 60_000 + (d.seconds ?? 0) * 1000;
      if (!Number.isFinite(ms)) ms = null;
    }
  } catch {
    ms = null;
  }
  if (cache.size < 10_000) cache.set(text, ms);
  return ms;
}

export function isElapsedDuration(text: string): boolean {
  return durationMs(text) !== null;
}
