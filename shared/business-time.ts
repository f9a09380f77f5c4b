/**
 * Times in the business time zone (`BUSINESS_TIME_ZONE`, an IANA zone such as `Asia/Shanghai`): a wall-clock time
 * there ↔ an instant, for any zone and across its daylight-saving changes, with the zone rules the runtime's Intl
 * carries (no tables of our own). The admin shows and takes every time this way, `2026-11-11 00:00`, whatever the
 * browser's zone and locale; "to the end of day D" is D+1 00:00, so that the day's last minute is included.
 */

/** The default business time zone: the shop trades in Beijing time. */
export const DEFAULT_BUSINESS_TIME_ZONE = "Asia/Shanghai";

/** A calendar day: month 1–12, day 1–31. */
export type CalendarDate = { year: number; month: number; day: number };
/** A wall-clock time in some zone, to the second (24-hour). */
export type WallTime = CalendarDate & { hour: number; minute: number; second: number };

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone, reading every field as digits on a 24-hour clock. */
function formatterOf(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      calendar: "gregory",
      numberingSystem: "latn",
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      era: "short",
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/**
 * The canonical name of an IANA time zone (`asia/shanghai` → `Asia/Shanghai`), or undefined when the runtime does not
 * know it. Offsets (`+08:00`) are not zones: they know no daylight saving.
 */
export function canonicalTimeZone(zone: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return undefined;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Whether `zone` is an IANA time zone the runtime knows. */
export function isTimeZone(zone: string): boolean {
  return canonicalTimeZone(zone) !== undefined;
}

/** The wall-clock time in `zone` at an instant (milliseconds are dropped). */
export function wallTimeAt(instant: Date | number, zone: string): WallTime {
  const ms = typeof instant === "number" ? instant : instant.getTime();
  const parts: Record<string, string> = {};
  for (const part of formatterOf(zone).formatToParts(ms)) parts[part.type] = part.value;
  const year = Number(parts.year);
  return {
    // a year before 1 is written "1 BC": the proleptic year is 1 − n
    year: parts.era === "BC" || parts.era === "B" ? 1 - year : year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The wall time's fields read as if it were UTC, in ms: the zone's offset is what separates it from the instant. */
function asUtc(wall: WallTime): number {
  const date = new Date(0);
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  date.setUTCHours(wall.hour, wall.minute, wall.second, 0);
  return date.getTime();
}

/** The zone's offset from UTC at an instant, in ms (Beijing: +8 h). */
export function zoneOffsetMs(instant: Date | number, zone: string): number {
  const ms = typeof instant === "number" ? instant : instant.getTime();
  const floored = Math.floor(ms / 1000) * 1000;
  return asUtc(wallTimeAt(floored, zone)) - floored;
}

/** Whether the fields name a real day and a real time of day (2026-02-30 and 24:00 do not). */
export function isValidWallTime(wall: WallTime): boolean {
  const { year, month, day, hour, minute, second } = wall;
  if (![year, month, day, hour, minute, second].every(Number.isInteger)) return false;
  if (month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) return false;
  if (second < 0 || second > 59) return false;
  return day <= daysInMonth(year, month);
}

/** 28–31. */
export function daysInMonth(year: number, month: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
}

/**
 * The instant a wall-clock time in `zone` names, or undefined when it names none: an invalid date or time, or a time
 * the clocks skip when daylight saving begins (02:30 on New York's spring-forward day). A time that happens twice, when
 * the clocks go back, is its first occurrence.
 */
export function instantOf(wall: WallTime, zone: string): Date | undefined {
  if (!isValidWallTime(wall)) return undefined;
  const local = asUtc(wall);
  // the offsets in force a day around it: a zone's offset changes at most once within that span
  const offsets = new Set([
    zoneOffsetMs(local - DAY_MS, zone),
    zoneOffsetMs(local, zone),
    zoneOffsetMs(local + DAY_MS, zone),
  ]);
  const matches = [...offsets]
    .map((offset) => local - offset)
    .filter((candidate) => asUtc(wallTimeAt(candidate, zone)) === local)
    .sort((a, b) => a - b);
  return matches.length > 0 ? new Date(matches[0]!) : undefined;
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, "0");

/** `2026-11-11`. */
export function formatDate(date: CalendarDate): string {
  return `${date.year < 0 ? "-" : ""}${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`;
}

/** `2026-11-11 00:00`, with `:ss` only when asked for (logs) — 24-hour, whatever the locale. */
export function formatWallTime(wall: WallTime, options: { seconds?: boolean } = {}): string {
  const seconds = options.seconds ? `:${pad(wall.second)}` : "";
  return `${formatDate(wall)} ${pad(wall.hour)}:${pad(wall.minute)}${seconds}`;
}

/** An instant as the wall-clock time in `zone`: `2026-11-11 00:00` (or `2026-11-11 00:00:00` with seconds). */
export function formatInZone(instant: Date | number | string, zone: string, options: { seconds?: boolean } = {}) {
  const date = instant instanceof Date ? instant : new Date(instant);
  if (Number.isNaN(date.getTime())) return String(instant);
  return formatWallTime(wallTimeAt(date, zone), options);
}

/** `+08:00` (`-04:00` in New York in summer): the zone's offset at an instant. */
export function offsetText(instant: Date | number, zone: string): string {
  const minutes = Math.round(zoneOffsetMs(instant, zone) / MINUTE_MS);
  return `${minutes < 0 ? "-" : "+"}${pad(Math.trunc(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

/**
 * An instant as ISO 8601 with the zone's offset, to the second: `2026-11-11T00:00:00+08:00`. The API reads it as the
 * same instant as the `Z` form; people reading the JSON see the business zone's clock.
 */
export function toZonedIso(instant: Date | number, zone: string): string {
  const wall = wallTimeAt(instant, zone);
  return `${formatDate(wall)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}${offsetText(instant, zone)}`;
}

/** The day after: 2026-11-30 → 2026-12-01. */
export function nextDay(date: CalendarDate): CalendarDate {
  const utc = new Date(0);
  utc.setUTCFullYear(date.year, date.month - 1, date.day + 1);
  return { year: utc.getUTCFullYear(), month: utc.getUTCMonth() + 1, day: utc.getUTCDate() };
}

/** The start of a day, 00:00. */
export function startOfDay(date: CalendarDate): WallTime {
  return { year: date.year, month: date.month, day: date.day, hour: 0, minute: 0, second: 0 };
}

/**
 * "To the end of day D" as a wall time: D+1 00:00. An end is exclusive everywhere (a rule's `validUntil`, a log
 * filter's `to`), so the whole of D, its last minute included, lies before it — 23:59 would leave that minute out.
 */
export function endOfDay(date: CalendarDate): WallTime {
  return startOfDay(nextDay(date));
}

/** Whether a wall time is a day's start: 00:00:00. */
export function isStartOfDay(wall: WallTime): boolean {
  return wall.hour === 0 && wall.minute === 0 && wall.second === 0;
}

/** The day before: 2026-12-01 → 2026-11-30. */
export function previousDay(date: CalendarDate): CalendarDate {
  const utc = new Date(0);
  utc.setUTCFullYear(date.year, date.month - 1, date.day - 1);
  return { year: utc.getUTCFullYear(), month: utc.getUTCMonth() + 1, day: utc.getUTCDate() };
}

/** Why a typed time was not read: not in the form, no such day or time, or a time the zone's clocks skip. */
export type WallTimeProblem = "format" | "date" | "time" | "skipped";
export type ParsedWallTime = { ok: true; wall: WallTime } | { ok: false; problem: WallTimeProblem };
export type ParsedDate = { ok: true; date: CalendarDate } | { ok: false; problem: "format" | "date" };

/** Full-width digits and punctuation from a Chinese input method, as ASCII. */
function halfWidth(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, " ")
    .trim();
}

const DATE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
const DATE_TIME = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A typed date, `2026-11-11` (also `2026/11/11`, full-width digits), or why it is not one.
 */
export function parseDate(text: string): ParsedDate {
  const match = DATE.exec(halfWidth(text));
  if (!match) return { ok: false, problem: "format" };
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = { year, month, day };
  if (!isValidWallTime(startOfDay(date))) return { ok: false, problem: "date" };
  return { ok: true, date };
}

/**
 * A typed wall-clock time, `2026-11-11 00:00` (also with seconds, a `T`, `/` between the date's parts, full-width
 * digits and colon), or why it is not one. A date alone is not one: as an end it could mean the day's start or its end.
 * With `zone`, a time that zone skips is refused.
 */
export function parseWallTime(text: string, zone?: string): ParsedWallTime {
  const match = DATE_TIME.exec(halfWidth(text));
  if (!match) return { ok: false, problem: "format" };
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? "0")) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const wall = { year, month, day, hour, minute, second };
  if (!isValidWallTime(startOfDay(wall))) return { ok: false, problem: "date" };
  if (!isValidWallTime(wall)) return { ok: false, problem: "time" };
  if (zone !== undefined && instantOf(wall, zone) === undefined) return { ok: false, problem: "skipped" };
  return { ok: true, wall };
}

/** Where an instant lies against a window `[from, until)`: before it, in it, or after it. */
export type WindowPhase = "upcoming" | "current" | "over";

/** Whether `now` is before `from`, within `[from, until)`, or at or after `until` (either end may be open). */
export function windowPhase(window: { from?: string; until?: string }, now: Date | number): WindowPhase {
  const at = typeof now === "number" ? now : now.getTime();
  if (window.from !== undefined && at < Date.parse(window.from)) return "upcoming";
  if (window.until !== undefined && at >= Date.parse(window.until)) return "over";
  return "current";
}
