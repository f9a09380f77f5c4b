import { describe, expect, it } from "vitest";
import { shippedCalendarYears } from "../server/calendar/shipped-years.ts";
import {
  CountedDuration,
  type CountedDurationObject,
  PeriodClock,
  periodBounds,
  periodEnd,
  type PeriodSettings,
} from "./periods.ts";
import { portablePeriods, periodsFrom } from "./portable-periods.ts";
import { weekendsOnly, workingCalendar } from "./working-calendar.ts";

const years = shippedCalendarYears();
const beijing: PeriodSettings = { zone: "Asia/Shanghai", calendar: workingCalendar(years) };
const newYork: PeriodSettings = { zone: "America/New_York", calendar: weekendsOnly };
const at = (iso: string) => Date.parse(iso);
const endOf = (start: string, duration: CountedDuration, settings = beijing) => {
  const end = periodEnd(at(start), duration, settings);
  return { end: new Date(end.endMs).toISOString(), unknownYears: end.unknownYears };
};

describe("periodEnd", () => {
  it("counts domain.md's worked example: delivered 2026-09-24 15:00 Beijing, seven calendar days end 2026-10-08 24:00", () => {
    const seven = { duration: "P7D", counting: "calendar_days" } as const;
    expect(endOf("2026-09-24T15:00:00+08:00", seven)).toEqual({ end: "2026-10-08T16:00:00.000Z", unknownYears: [] });
    // any time of the starting day: the day is not counted
    expect(endOf("2026-09-24T00:00:00+08:00", seven).end).toBe("2026-10-08T16:00:00.000Z");
    expect(endOf("2026-09-24T23:59:59.999+08:00", seven).end).toBe("2026-10-08T16:00:00.000Z");
    // elapsed counting, as before: 168 hours from the signing instant
    expect(endOf("2026-09-24T15:00:00+08:00", "P7D").end).toBe("2026-10-01T07:00:00.000Z");
    expect(endOf("2026-09-24T15:00:00+08:00", { duration: "P7D", counting: "elapsed" }).end).toBe(
      "2026-10-01T07:00:00.000Z",
    );
  });

  it("moves a last day on a weekend to the Monday", () => {
    // Thursday 2026-11-12 + 2 days: Saturday 11-14, moved to Monday 11-16
    expect(endOf("2026-11-12T10:00:00+08:00", { duration: "P2D", counting: "calendar_days" }).end).toBe(
      "2026-11-16T16:00:00.000Z",
    );
    // a last day that is worked stays: Friday 11-13
    expect(endOf("2026-11-12T10:00:00+08:00", { duration: "P1D", counting: "calendar_days" }).end).toBe(
      "2026-11-13T16:00:00.000Z",
    );
  });

  it("counts an adjusted working day (Saturday 2026-10-10, worked) as a working day", () => {
    // working days after Thursday 10-08: Friday 10-09, Saturday 10-10
    expect(endOf("2026-10-08T09:00:00+08:00", { duration: "P2D", counting: "working_days" }).end).toBe(
      "2026-10-10T16:00:00.000Z",
    );
    // a calendar-day period whose last day is that Saturday ends on it
    expect(endOf("2026-10-03T12:00:00+08:00", { duration: "P7D", counting: "calendar_days" }).end).toBe(
      "2026-10-10T16:00:00.000Z",
    );
    // working days skip the National Day holiday: after 09-30 come 10-08, 10-09, 10-10
    expect(endOf("2026-09-30T12:00:00+08:00", { duration: "P3D", counting: "working_days" }).end).toBe(
      "2026-10-10T16:00:00.000Z",
    );
  });

  it("counts a year without calendar data as weekends only, and names the year", () => {
    // Friday 2027-03-05 + 1 day: Saturday, moved to Monday 03-08
    expect(endOf("2027-03-05T10:00:00+08:00", { duration: "P1D", counting: "calendar_days" })).toEqual({
      end: "2027-03-08T16:00:00.000Z",
      unknownYears: [2027],
    });
    expect(endOf("2026-12-30T10:00:00+08:00", { duration: "P3D", counting: "working_days" }).unknownYears).toEqual([
      2027,
    ]);
    // a period that never reaches 2027 consults nothing unknown
    expect(endOf("2026-12-01T10:00:00+08:00", { duration: "P3D", counting: "working_days" }).unknownYears).toEqual([]);
  });

  it("counts business hours inside 09:00–18:00 each day, and other hours when given", () => {
    const hours = (duration: string, from?: string) =>
      from ? { duration, counting: "business_hours" as const, hours: { from, until: "12:00" } } : hours2(duration);
    const hours2 = (duration: string) => ({ duration, counting: "business_hours" as const });
    // notified 14:01, four business hours: 3 h 59 min that day, the last minute from 09:00 the next
    expect(endOf("2026-11-11T14:01:00+08:00", hours("PT4H")).end).toBe("2026-11-12T01:01:00.000Z");
    // before the day's hours: counted from 09:00; after them: from 09:00 the next day
    expect(endOf("2026-11-11T07:30:00+08:00", hours("PT1H")).end).toBe("2026-11-11T02:00:00.000Z");
    expect(endOf("2026-11-11T18:00:00+08:00", hours("PT1H")).end).toBe("2026-11-12T02:00:00.000Z");
    // exactly the rest of the day ends at 18:00; one millisecond more, the next day
    expect(endOf("2026-11-11T17:00:00+08:00", hours("PT1H")).end).toBe("2026-11-11T10:00:00.000Z");
    expect(endOf("2026-11-11T09:00:00+08:00", hours("PT9H")).end).toBe("2026-11-11T10:00:00.000Z");
    expect(endOf("2026-11-11T09:00:00+08:00", hours("PT10H")).end).toBe("2026-11-12T02:00:00.000Z");
    expect(endOf("2026-11-11T09:00:00+08:00", hours("PT27H")).end).toBe("2026-11-13T10:00:00.000Z");
    // every day counts, weekends and holidays alike
    expect(endOf("2026-10-01T17:00:00+08:00", hours("PT2H")).end).toBe("2026-10-02T02:00:00.000Z");
    // other hours: 10:00–12:00
    expect(endOf("2026-11-11T11:00:00+08:00", hours("PT3H", "10:00")).end).toBe("2026-11-12T04:00:00.000Z");
    expect(endOf("2026-11-11T11:00:00+08:00", hours("PT0S")).end).toBe("2026-11-11T03:00:00.000Z");
  });

  it("counts in a zone with daylight saving (New York)", () => {
    // Friday 2026-10-30 + 3 days: Monday 11-02, after the clocks went back on 11-01: 24:00 EST is 05:00Z
    expect(endOf("2026-10-30T12:00:00-04:00", { duration: "P3D", counting: "calendar_days" }, newYork).end).toBe(
      "2026-11-03T05:00:00.000Z",
    );
    // Saturday 2026-03-07 17:00 EST, two business hours: one that day, one from 09:00 EDT on the 8th
    expect(endOf("2026-03-07T17:00:00-05:00", { duration: "PT2H", counting: "business_hours" }, newYork).end).toBe(
      "2026-03-08T14:00:00.000Z",
    );
    expect(endOf("2026-03-06T12:00:00-05:00", { duration: "P2D", counting: "working_days" }, newYork).end).toBe(
      "2026-03-11T04:00:00.000Z",
    );
  });

  it("counts again with a calendar swapped in, and the same for the same calendar", () => {
    const seven = { duration: "P7D", counting: "calendar_days" } as const;
    const first = periodEnd(at("2026-09-24T15:00:00+08:00"), seven, beijing);
    expect(periodEnd(at("2026-09-24T15:00:00+08:00"), seven, beijing)).toEqual(first);
    const longer = workingCalendar(
      years.map((y) => (y.year === 2026 ? { ...y, holidays: [...y.holidays, { date: "2026-10-08", name: "x" }] } : y)),
    );
    expect(
      new Date(periodEnd(at("2026-09-24T15:00:00+08:00"), seven, { ...beijing, calendar: longer }).endMs).toISOString(),
    ).toBe("2026-10-09T16:00:00.000Z");
  });

  it("has no end past what a date can hold, rather than failing", () => {
    const thin = {
      duration: "PT99999999H",
      counting: "business_hours",
      hours: { from: "09:00", until: "09:01" },
    } as const;
    expect(periodEnd(at("2026-11-11T10:00:00Z"), thin, beijing).endMs).toBeNaN();
    const clock = new PeriodClock(at("2026-11-11T10:00:00Z"), beijing);
    expect(clock.compare(1000, thin, false)).toBe(false);
    expect(clock.compare(1000, thin, true)).toBe(false);
  });

  it("has no end without a start", () => {
    expect(periodEnd(Number.NaN, { duration: "P7D", counting: "calendar_days" }, beijing).endMs).toBeNaN();
    expect(periodEnd(Number.NaN, { duration: "PT1H", counting: "business_hours" }, beijing).endMs).toBeNaN();
  });
});

describe("the object form", () => {
  const problems = (value: unknown) => {
    const parsed = CountedDuration.safeParse(value);
    return parsed.success ? [] : parsed.error.issues.map((i) => ("params" in i ? i.params?.code : i.code) ?? i.code);
  };
  it("takes a string or a counted duration, and refuses bad ones with codes", () => {
    expect(problems("P7D")).toEqual([]);
    expect(problems({ duration: "P7D", counting: "calendar_days" })).toEqual([]);
    expect(
      problems({ duration: "PT4H", counting: "business_hours", hours: { from: "09:00", until: "18:00" } }),
    ).toEqual([]);
    expect(problems({ duration: "PT36H", counting: "calendar_days" })).toContain("not_whole_days");
    expect(problems({ duration: "P7D", counting: "elapsed", hours: { from: "09:00", until: "18:00" } })).toContain(
      "hours_without_business_hours",
    );
    expect(
      problems({ duration: "PT4H", counting: "business_hours", hours: { from: "18:00", until: "09:00" } }),
    ).toContain("hours_reversed");
    expect(problems({ duration: "P4000D", counting: "working_days" })).toContain("too_big");
    expect(problems({ duration: "P1M", counting: "calendar_days" }).length).toBeGreaterThan(0);
  });
});

describe("PeriodClock and periodBounds", () => {
  const seven: CountedDurationObject = { duration: "P7D", counting: "calendar_days" };
  it("compares elapsed time since a moment with the counted period, noting unknown years", () => {
    const now = at("2026-10-08T16:00:00Z");
    const clock = new PeriodClock(now, beijing);
    const since = now - at("2026-09-24T15:00:00+08:00");
    expect(clock.compare(since, seven, false)).toBe(true);
    expect(clock.compare(since, seven, true)).toBe(false);
    const later = new PeriodClock(now + 1, beijing);
    expect(later.compare(since + 1, seven, false)).toBe(false);
    expect(later.compare(since + 1, seven, true)).toBe(true);
    expect(clock.unknownYears.size).toBe(0);
    const in2027 = new PeriodClock(at("2027-03-08T12:00:00Z"), beijing);
    in2027.compare(at("2027-03-08T12:00:00Z") - at("2027-03-05T10:00:00+08:00"), { ...seven, duration: "P1D" }, false);
    expect([...in2027.unknownYears]).toEqual([2027]);
  });

  it("bounds every period's length, whatever the start", () => {
    for (const duration of [
      seven,
      { duration: "P3D", counting: "working_days" } as const,
      { duration: "PT4H", counting: "business_hours" } as const,
    ]) {
      const [least, most] = periodBounds(duration);
      for (let start = at("2026-01-01T00:00:00Z"); start < at("2027-06-01T00:00:00Z"); start += 7 * 3_600_000 + 1) {
        const length = periodEnd(start, duration, beijing).endMs - start;
        expect(length).toBeGreaterThanOrEqual(least);
        expect(length).toBeLessThanOrEqual(most);
      }
    }
  });
});

describe("portablePeriods", () => {
  it("sends a calendar to a worker thread as data that counts alike", () => {
    const sent = structuredClone(portablePeriods(beijing));
    const received = periodsFrom(sent);
    expect(received.zone).toBe("Asia/Shanghai");
    expect(received.calendar.years).toEqual(beijing.calendar.years);
    for (let day = Date.UTC(2025, 0, 1); day < Date.UTC(2028, 0, 1); day += 86_400_000) {
      const at = new Date(day);
      const date = { year: at.getUTCFullYear(), month: at.getUTCMonth() + 1, day: at.getUTCDate() };
      expect(received.calendar.isWorkingDay(date), JSON.stringify(date)).toBe(beijing.calendar.isWorkingDay(date));
    }
  });
});
