import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canonicalTimeZone,
  endOfDay,
  formatInZone,
  formatWallTime,
  instantOf,
  isTimeZone,
  nextDay,
  offsetText,
  parseDate,
  parseWallTime,
  previousDay,
  toZonedIso,
  wallTimeAt,
  windowPhase,
  type WallTime,
} from "./business-time.ts";

const SHANGHAI = "Asia/Shanghai";
const NEW_YORK = "America/New_York";
const wall = (text: string): WallTime => {
  const parsed = parseWallTime(text);
  if (!parsed.ok) throw new Error(`not a wall time: ${text}`);
  return parsed.wall;
};

describe("time zones", () => {
  it.each([
    ["Asia/Shanghai", "Asia/Shanghai"],
    ["asia/shanghai", "Asia/Shanghai"],
    ["America/New_York", "America/New_York"],
    ["UTC", "UTC"],
  ])("%s is the zone %s", (text, canonical) => {
    expect(canonicalTimeZone(text)).toBe(canonical);
    expect(isTimeZone(text)).toBe(true);
  });

  it.each(["Asia/Beijing", "Mars/Olympus", "+08:00", "UTC+8", "", " Asia/Shanghai", "Asia/Shanghai\n"])(
    "%j is refused: not an IANA zone the runtime knows",
    (text) => {
      expect(isTimeZone(text)).toBe(false);
    },
  );
});

describe("Beijing time", () => {
  it("00:00 on 11-11 in Beijing is 16:00 UTC the day before", () => {
    expect(instantOf(wall("2026-11-11 00:00"), SHANGHAI)?.toISOString()).toBe("2026-11-10T16:00:00.000Z");
  });

  it("an instant reads as Beijing's wall clock, 24-hour", () => {
    expect(formatInZone("2026-11-10T16:00:00Z", SHANGHAI)).toBe("2026-11-11 00:00");
    expect(formatInZone("2026-11-11T05:30:07Z", SHANGHAI)).toBe("2026-11-11 13:30");
    expect(formatInZone("2026-11-11T05:30:07Z", SHANGHAI, { seconds: true })).toBe("2026-11-11 13:30:07");
  });

  it("is written with its offset for the API", () => {
    const at = instantOf(wall("2026-11-11 00:00"), SHANGHAI)!;
    expect(toZonedIso(at, SHANGHAI)).toBe("2026-11-11T00:00:00+08:00");
    expect(offsetText(at, SHANGHAI)).toBe("+08:00");
  });

  it("the end of 11-20 is 11-21 00:00, the end of a month the next month's first", () => {
    expect(formatWallTime(endOfDay({ year: 2026, month: 11, day: 20 }))).toBe("2026-11-21 00:00");
    expect(formatWallTime(endOfDay({ year: 2026, month: 11, day: 30 }))).toBe("2026-12-01 00:00");
    expect(formatWallTime(endOfDay({ year: 2026, month: 12, day: 31 }))).toBe("2027-01-01 00:00");
    expect(formatWallTime(endOfDay({ year: 2028, month: 2, day: 28 }))).toBe("2028-02-29 00:00");
    expect(previousDay({ year: 2027, month: 3, day: 1 })).toEqual({ year: 2027, month: 2, day: 28 });
  });
});

describe("New York across daylight saving (2026: clocks forward on 03-08, back on 11-01)", () => {
  it("winter is −05:00 and summer −04:00", () => {
    expect(toZonedIso(instantOf(wall("2026-01-15 12:00"), NEW_YORK)!, NEW_YORK)).toBe("2026-01-15T12:00:00-05:00");
    expect(toZonedIso(instantOf(wall("2026-07-15 12:00"), NEW_YORK)!, NEW_YORK)).toBe("2026-07-15T12:00:00-04:00");
  });

  it("on the spring-forward day, 01:59 is EST, 03:00 is EDT, and 02:30 does not exist", () => {
    expect(instantOf(wall("2026-03-08 01:59"), NEW_YORK)?.toISOString()).toBe("2026-03-08T06:59:00.000Z");
    expect(instantOf(wall("2026-03-08 03:00"), NEW_YORK)?.toISOString()).toBe("2026-03-08T07:00:00.000Z");
    expect(instantOf(wall("2026-03-08 02:30"), NEW_YORK)).toBeUndefined();
    expect(parseWallTime("2026-03-08 02:30", NEW_YORK)).toEqual({ ok: false, problem: "skipped" });
    // the day is 23 hours long
    const start = instantOf(wall("2026-03-08 00:00"), NEW_YORK)!;
    const end = instantOf(endOfDay({ year: 2026, month: 3, day: 8 }), NEW_YORK)!;
    expect(end.getTime() - start.getTime()).toBe(23 * 3_600_000);
  });

  it("on the fall-back day, 01:30 happens twice and names the first (EDT); the day is 25 hours", () => {
    expect(instantOf(wall("2026-11-01 01:30"), NEW_YORK)?.toISOString()).toBe("2026-11-01T05:30:00.000Z");
    expect(formatInZone("2026-11-01T06:30:00Z", NEW_YORK)).toBe("2026-11-01 01:30");
    expect(toZonedIso(new Date("2026-11-01T06:30:00Z"), NEW_YORK)).toBe("2026-11-01T01:30:00-05:00");
    const start = instantOf(wall("2026-11-01 00:00"), NEW_YORK)!;
    const end = instantOf(endOfDay({ year: 2026, month: 11, day: 1 }), NEW_YORK)!;
    expect(end.getTime() - start.getTime()).toBe(25 * 3_600_000);
  });
});

describe("typing a time", () => {
  it.each([
    ["2026-11-11 00:00", "2026-11-11 00:00"],
    ["2026-11-11T09:05", "2026-11-11 09:05"],
    ["2026/11/11 9:05", "2026-11-11 09:05"],
    ["2026-1-5 23:59", "2026-01-05 23:59"],
    ["２０２６－１１－１１　００：００", "2026-11-11 00:00"],
    [" 2026-11-11 08:00:30 ", "2026-11-11 08:00"],
  ])("%j reads as %s", (text, shown) => {
    expect(formatWallTime(wall(text))).toBe(shown);
  });

  it.each([
    ["11/11/2026 12:00 AM", "format"],
    ["2026-11-11 12:00 PM", "format"],
    ["tomorrow", "format"],
    ["2026-11-11", "format"],
    ["", "format"],
    ["2026-02-29 10:00", "date"],
    ["2026-13-01 00:00", "date"],
    ["2026-11-31 00:00", "date"],
    ["2026-11-11 24:00", "time"],
    ["2026-11-11 23:60", "time"],
  ])("%j is refused (%s)", (text, problem) => {
    expect(parseWallTime(text, SHANGHAI)).toEqual({ ok: false, problem });
  });

  it("a date alone", () => {
    expect(parseDate("2026-11-20")).toEqual({ ok: true, date: { year: 2026, month: 11, day: 20 } });
    expect(parseDate("２０２６/１１/２０")).toEqual({ ok: true, date: { year: 2026, month: 11, day: 20 } });
    expect(parseDate("2026-11-20 10:00")).toEqual({ ok: false, problem: "format" });
    expect(parseDate("2026-02-30")).toEqual({ ok: false, problem: "date" });
  });
});

describe("a window [from, until)", () => {
  const window = { from: "2026-11-11T00:00:00+08:00", until: "2026-11-21T00:00:00+08:00" };
  it("is upcoming before its start, current from it, over from its end", () => {
    expect(windowPhase(window, new Date("2026-11-10T15:59:59.999Z"))).toBe("upcoming");
    expect(windowPhase(window, new Date("2026-11-10T16:00:00.000Z"))).toBe("current");
    expect(windowPhase(window, new Date("2026-11-20T15:59:59.999Z"))).toBe("current");
    expect(windowPhase(window, new Date("2026-11-20T16:00:00.000Z"))).toBe("over");
    expect(windowPhase({}, 0)).toBe("current");
    expect(windowPhase({ until: window.until }, 0)).toBe("current");
  });
});

// zones with daylight saving in either hemisphere, half-hour and 45-minute offsets, and none
const zones = [
  "Asia/Shanghai",
  "America/New_York",
  "Europe/London",
  "Australia/Sydney",
  "Asia/Kolkata",
  "Asia/Kathmandu",
  "Australia/Lord_Howe",
  "America/Sao_Paulo",
  "UTC",
];
const wallTimes = fc.record({
  year: fc.integer({ min: 1970, max: 2100 }),
  month: fc.integer({ min: 1, max: 12 }),
  day: fc.integer({ min: 1, max: 31 }),
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.integer({ min: 0, max: 59 }),
  second: fc.integer({ min: 0, max: 59 }),
});
const instants = fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) }).map((ms) => ms - (ms % 1000));

describe("properties", () => {
  it("a wall time that exists comes back from its instant unchanged", () => {
    fc.assert(
      fc.property(wallTimes, fc.constantFrom(...zones), (time, zone) => {
        const instant = instantOf(time, zone);
        fc.pre(instant !== undefined);
        expect(wallTimeAt(instant!, zone)).toEqual(time);
      }),
      { numRuns: 2000 },
    );
  });

  it("every instant's wall time exists and names an instant with that wall time, the instant itself or an hour before", () => {
    fc.assert(
      fc.property(instants, fc.constantFrom(...zones), (ms, zone) => {
        const time = wallTimeAt(ms, zone);
        const back = instantOf(time, zone);
        expect(back).toBeDefined();
        expect(wallTimeAt(back!, zone)).toEqual(time);
        // a repeated hour names its first occurrence: never later than the instant
        expect(back!.getTime()).toBeLessThanOrEqual(ms);
        expect(ms - back!.getTime()).toBeLessThanOrEqual(3_600_000);
      }),
      { numRuns: 2000 },
    );
  });

  it("the written form reads back as the same instant, and the text as the same wall time", () => {
    fc.assert(
      fc.property(instants, fc.constantFrom(...zones), (ms, zone) => {
        expect(Date.parse(toZonedIso(ms, zone))).toBe(ms);
        const text = formatWallTime(wallTimeAt(ms, zone), { seconds: true });
        const parsed = parseWallTime(text, zone);
        expect(parsed.ok && formatWallTime(parsed.wall, { seconds: true })).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it("the end of a day is the next day's start, a day after the day's start in a zone without daylight saving", () => {
    fc.assert(
      fc.property(wallTimes, (time) => {
        const day = { year: time.year, month: time.month, day: Math.min(time.day, 28) };
        expect(endOfDay(day)).toEqual({ ...nextDay(day), hour: 0, minute: 0, second: 0 });
        const start = instantOf({ ...day, hour: 0, minute: 0, second: 0 }, SHANGHAI)!;
        expect(instantOf(endOfDay(day), SHANGHAI)!.getTime() - start.getTime()).toBe(86_400_000);
        expect(previousDay(nextDay(day))).toEqual(day);
      }),
    );
  });
});
