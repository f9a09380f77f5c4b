import { describe, expect, it } from "vitest";
import { cycled, dayState, listsOf, marksOf, monthCells, parseRange, sameMarks, withRange } from "./calendar-model.ts";

const day = (month: number, dayOfMonth: number) => ({ year: 2027, month, day: dayOfMonth });

describe("the calendar screen's working copy", () => {
  it("cycles a weekday between working day and holiday, and a weekend day through holiday and adjusted working day", () => {
    // 2027-01-04 is a Monday, 2027-01-09 a Saturday
    const monday = day(1, 4);
    let marks = cycled(monday, {}, "元旦");
    expect(dayState(monday, marks)).toBe("holiday");
    marks = cycled(monday, marks, "元旦");
    expect(dayState(monday, marks)).toBe("work");

    const saturday = day(1, 9);
    expect(dayState(saturday, {})).toBe("rest");
    marks = cycled(saturday, {}, "元旦调休");
    expect(dayState(saturday, marks)).toBe("holiday");
    marks = cycled(saturday, marks, "ignored");
    expect(marks["2027-01-09"]).toEqual({ kind: "workday", name: "元旦调休" });
    expect(dayState(saturday, cycled(saturday, marks, "x"))).toBe("rest");
  });

  it("reads a range as typed, in Chinese or with full-width digits, and refuses what is not one", () => {
    const range = parseRange("10-01 至 10-07 国庆节", 2027);
    expect(range).toMatchObject({ ok: true, name: "国庆节" });
    expect(range.ok && range.dates.map((d) => d.day)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(parseRange("１０月１日 国庆节", 2027)).toMatchObject({ ok: true, dates: [day(10, 1)] });
    expect(parseRange("05-01 to 05-05 Labour Day", 2027)).toMatchObject({ ok: true, name: "Labour Day" });
    expect(parseRange("04-04 Tomb-sweeping Day", 2027)).toMatchObject({ ok: true, name: "Tomb-sweeping Day" });
    expect(parseRange("12-30~01-02 元旦", 2027)).toEqual({ ok: false });
    expect(parseRange("02-29 x", 2027)).toEqual({ ok: false });
    expect(parseRange("10-01 至 10-07", 2027)).toEqual({ ok: false });
  });

  it("marks only the weekend days of a workday range, and saves the lists by date", () => {
    // 2027-02-06 Saturday … 2027-02-08 Monday
    const marks = withRange({}, { dates: [day(2, 6), day(2, 7), day(2, 8)], name: "春节调休" }, "workday");
    expect(Object.keys(marks)).toEqual(["2027-02-06", "2027-02-07"]);
    const lists = listsOf({ ...marks, "2027-01-01": { kind: "holiday", name: "元旦" } });
    expect(lists.holidays).toEqual([{ date: "2027-01-01", name: "元旦" }]);
    expect(lists.workdays.map((d) => d.date)).toEqual(["2027-02-06", "2027-02-07"]);
    expect(sameMarks(marksOf(lists), { ...marks, "2027-01-01": { kind: "holiday", name: "元旦" } })).toBe(true);
    expect(sameMarks(marksOf(lists), marks)).toBe(false);
  });

  it("lays a month out Monday first", () => {
    // 2027-02-01 is a Monday; 2027-03-01 too; 2027-08-01 a Sunday
    expect(monthCells(2027, 2)[0]).toEqual(day(2, 1));
    expect(monthCells(2027, 2)).toHaveLength(28);
    expect(monthCells(2027, 8).slice(0, 7)).toEqual([null, null, null, null, null, null, day(8, 1)]);
  });
});
