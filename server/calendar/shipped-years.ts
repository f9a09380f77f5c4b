import { createRequire } from "node:module";
import type { CalendarYear } from "../../shared/working-calendar.ts";

/** chinese-days' data file: `{ holidays, workdays }`, each `{ "2026-10-01": "National Day,国庆节,3" }`. */
type ChineseDays = { holidays: Record<string, string>; workdays: Record<string, string> };

/**
 * The State Council's arrangements as the maintained package chinese-days knows them, one `CalendarYear` per year
 * (the Chinese name of each day's festival). A new database starts with these; administrators add the years after.
 */
export function shippedCalendarYears(): CalendarYear[] {
  const data = createRequire(import.meta.url)("chinese-days/dist/chinese-days.json") as ChineseDays;
  const byYear = new Map<number, CalendarYear>();
  const yearOf = (date: string) => {
    const year = Number(date.slice(0, 4));
    return byYear.get(year) ?? byYear.set(year, { year, holidays: [], workdays: [] }).get(year)!;
  };
  const nameOf = (value: string) => value.split(",")[1] ?? value;
  for (const [date, value] of Object.entries(data.holidays)) yearOf(date).holidays.push({ date, name: nameOf(value) });
  for (const [date, value] of Object.entries(data.workdays)) yearOf(date).workdays.push({ date, name: nameOf(value) });
  const years = [...byYear.values()].sort((a, b) => a.year - b.year);
  for (const year of years) {
    year.holidays.sort((a, b) => a.date.localeCompare(b.date));
    year.workdays.sort((a, b) => a.date.localeCompare(b.date));
  }
  return years;
}
