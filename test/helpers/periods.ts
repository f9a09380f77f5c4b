import { shippedCalendarYears } from "../../server/calendar/shipped-years.ts";
import { DEFAULT_BUSINESS_TIME_ZONE } from "../../shared/business-time.ts";
import type { PeriodSettings } from "../../shared/periods.ts";
import { workingCalendar } from "../../shared/working-calendar.ts";

/** Where tests that decide in process count periods: as a new service does, Beijing with the shipped calendar. */
export const TEST_PERIODS: PeriodSettings = {
  zone: DEFAULT_BUSINESS_TIME_ZONE,
  calendar: workingCalendar(shippedCalendarYears()),
};
