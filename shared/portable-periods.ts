import type { PeriodSettings } from "./periods.ts";
import { type CalendarYear, workingCalendar } from "./working-calendar.ts";

/** Period settings as a worker thread receives them: the zone, and the calendar's years as data. */
export type PortablePeriods = { zone: string; years: readonly CalendarYear[] };

/** The settings as data a worker thread can be sent (a calendar is functions): the arrangements it was made from. */
export function portablePeriods(settings: PeriodSettings): PortablePeriods {
  return { zone: settings.zone, years: settings.calendar.arrangements };
}

/** The settings a worker thread was sent. */
export function periodsFrom(data: PortablePeriods): PeriodSettings {
  return { zone: data.zone, calendar: workingCalendar(data.years) };
}
