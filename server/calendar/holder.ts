import { type CalendarYear, type WorkingCalendar, workingCalendar } from "../../shared/working-calendar.ts";

/**
 * The working-day calendar this instance counts periods with, swapped whole when an administrator's change arrives,
 * so that a decision reads one calendar from start to end.
 */
export class CalendarHolder {
  #current: WorkingCalendar;

  constructor(years: readonly CalendarYear[] = []) {
    this.#current = workingCalendar(years);
  }

  get current(): WorkingCalendar {
    return this.#current;
  }

  replace(years: readonly CalendarYear[]): void {
    this.#current = workingCalendar(years);
  }
}
