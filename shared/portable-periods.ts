import { type CalendarDate, formatDate, nextDay } from "./business-time.ts";
import type { PeriodSettings } from "./periods.ts";
import { type CalendarYear, isWeekday, type WorkingCalendar, workingCalendar } from "./working-calendar.ts";

/** Period settings as a worker thread receives them: the zone, and the calendar's years as data. */
export type PortablePeriods = { zone: string; years: CalendarYear[] };

const portable = new WeakMap<WorkingCalendar, CalendarYear[]>();

/**
 * The settings as data a worker thread can be sent (a calendar is functions): each known year's days that differ from
 * Monday to Friday, read once per calendar.
 */
export function portablePeriods(settings: PeriodSettings): PortablePeriods {
  const { calendar } = settings;
  let years = portable.get(calendar);
  if (!years) {
    years = calendar.years.map((year) => {
      const holidays: CalendarYear["holidays"] = [];
      const workdays: CalendarYear["workdays"] = [];
      for (let date: CalendarDate = { year, month: 1, day: 1 }; date.year === year; date = nextDay(date)) {
        const working = calendar.isWorkingDay(date);
        if (working === isWeekday(date)) continue;
        (working ? workdays : holidays).push({ date: formatDate(date), name: formatDate(date) });
      }
      return { year, holidays, workdays };
    });
    portable.set(calendar, years);
  }
  return { zone: settings.zone, years };
}

/** The settings a worker thread was sent. */
export function periodsFrom(data: PortablePeriods): PeriodSettings {
  return { zone: data.zone, calendar: workingCalendar(data.years) };
}
