import { type CalendarDate, daysInMonth, formatDate, nextDay } from "../../../shared/business-time.ts";
import { type CalendarDay, isWeekday } from "../../../shared/working-calendar.ts";

// The calendar screen's working copy of a year: each day that differs from an ordinary week, as a holiday (a rest day)
// or an adjusted working day (调休上班), with its name. Pure functions, so the rules of the screen read in one place.

/** How a marked day differs from its week: a rest day, or a weekend day worked. */
export type Mark = { kind: "holiday" | "workday"; name: string };
/** The marked days of a year, by ISO date. */
export type Marks = Readonly<Record<string, Mark>>;

/** The marks of a saved year, from its lists. */
export function marksOf(year: { holidays: readonly CalendarDay[]; workdays: readonly CalendarDay[] }): Marks {
  const marks: Record<string, Mark> = {};
  for (const day of year.holidays) marks[day.date] = { kind: "holiday", name: day.name };
  for (const day of year.workdays) marks[day.date] = { kind: "workday", name: day.name };
  return marks;
}

/** The two lists a save sends, each by date. */
export function listsOf(marks: Marks): { holidays: CalendarDay[]; workdays: CalendarDay[] } {
  const entries = Object.entries(marks).sort(([a], [b]) => a.localeCompare(b));
  const list = (kind: Mark["kind"]) =>
    entries.filter(([, mark]) => mark.kind === kind).map(([date, mark]) => ({ date, name: mark.name }));
  return { holidays: list("holiday"), workdays: list("workday") };
}

/** Whether two working copies hold the same days with the same names. */
export function sameMarks(a: Marks, b: Marks): boolean {
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => a[key]?.kind === b[key]?.kind && a[key]?.name === b[key]?.name)
  );
}

/** What a day is, as the grid shows it. */
export type DayState = "work" | "rest" | "holiday" | "workday";

export function dayState(date: CalendarDate, marks: Marks): DayState {
  const mark = marks[formatDate(date)];
  if (mark) return mark.kind;
  return isWeekday(date) ? "work" : "rest";
}

/**
 * A click's next state: a weekday goes 工作日 → 休息日 (holiday) → 工作日; a weekend day goes 休息日 → 休息日 (holiday) →
 * 调休上班 → 休息日. Only a weekend day can be worked instead: a weekday is worked anyway.
 */
export function cycled(date: CalendarDate, marks: Marks, name: string): Marks {
  const key = formatDate(date);
  const { [key]: current, ...rest } = marks;
  if (current === undefined) return { ...rest, [key]: { kind: "holiday", name } };
  if (current.kind === "holiday" && !isWeekday(date))
    return { ...rest, [key]: { kind: "workday", name: current.name } };
  return rest;
}

/** The days of a month, Monday first: `null` pads the first week. */
export function monthCells(year: number, month: number): (CalendarDate | null)[] {
  const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  const padding = (first + 6) % 7;
  const cells: (CalendarDate | null)[] = Array.from({ length: padding }, () => null);
  for (let day = 1; day <= daysInMonth(year, month); day++) cells.push({ year, month, day });
  return cells;
}

/** A range typed as "10-01 至 10-07 国庆节" (also "10-01 国庆节", "10/1~10/7 …", "10-01 to 10-07 …", full-width digits). */
export type ParsedRange = { ok: true; dates: CalendarDate[]; name: string } | { ok: false };

const RANGE =
  /^(\d{1,2})[-/.月](\d{1,2})日?(?:\s*(?:至|到|to|~|～|—|–|-)\s*(\d{1,2})[-/.月](\d{1,2})日?)?\s+(?![至到~～—–-])(\S.*)$/;

/** The days from `from` to `to` in `year`, both included; not ok when a date does not exist or the range runs back. */
export function parseRange(text: string, year: number): ParsedRange {
  const halfWidth = text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, " ")
    .trim();
  const match = RANGE.exec(halfWidth);
  if (!match) return { ok: false };
  const [fromMonth, fromDay, toMonth, toDay] = match.slice(1, 5).map((part) => (part ? Number(part) : undefined));
  const from = { year, month: fromMonth!, day: fromDay! };
  const to = toMonth === undefined ? from : { year, month: toMonth, day: toDay! };
  const exists = (d: CalendarDate) =>
    d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= daysInMonth(year, d.month);
  const name = match[5]!.trim().slice(0, 40);
  if (!exists(from) || !exists(to) || formatDate(to) < formatDate(from) || name === "") return { ok: false };
  const dates: CalendarDate[] = [];
  for (let day = from; formatDate(day) <= formatDate(to); day = nextDay(day)) dates.push(day);
  return { ok: true, dates, name };
}

/** Marks each day of a range as `kind` (a workday range marks only its weekend days: weekdays are worked anyway). */
export function withRange(marks: Marks, range: { dates: CalendarDate[]; name: string }, kind: Mark["kind"]): Marks {
  const next: Record<string, Mark> = { ...marks };
  for (const date of range.dates) {
    if (kind === "workday" && isWeekday(date)) continue;
    next[formatDate(date)] = { kind, name: range.name };
  }
  return next;
}
