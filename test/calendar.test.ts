import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CalendarOverview, CalendarYearVersion } from "../shared/calendar.ts";
import { Problem, Readiness } from "../shared/api.ts";
import { shippedCalendarYears } from "../server/calendar/shipped-years.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";
import { aUser, signIn, withSession } from "./helpers/users.ts";

/**
 * The working-day calendar as data: a new database holds the shipped years as version 1 each; a save makes the next
 * version (409 on a stale one), checked day by day; a restore is a new version; every change is audited and counted
 * with at once; only administrators (and keys an admin gives `calendar:write`) change it; `/readyz` warns from 1
 * December while next year is empty.
 */

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ now: new Date("2026-11-20T02:00:00Z") });
});
afterAll(() => app.close());

const newYear2027 = {
  holidays: [
    { date: "2027-01-01", name: "元旦" },
    { date: "2027-01-02", name: "元旦" },
  ],
  workdays: [{ date: "2027-01-09", name: "元旦调休" }],
};

describe("a new database", () => {
  it("holds every year chinese-days knows, as version 1 saved by the system", async () => {
    const res = await app.call("GET", "/api/v1/calendar");
    expect(res.status).toBe(200);
    const overview = CalendarOverview.parse(res.body);
    const shipped = shippedCalendarYears();
    expect(overview.years.map((y) => y.year)).toEqual(shipped.map((y) => y.year));
    expect(overview.years.every((y) => y.version === 1 && y.savedBy === "system")).toBe(true);
    const year2026 = CalendarYearVersion.parse((await app.call("GET", "/api/v1/calendar/2026")).body);
    expect(year2026.holidays).toContainEqual({ date: "2026-10-01", name: "国庆节" });
    expect(overview.nextYear).toBe(2027);
    expect(overview.nextYearMissing).toBe(false);
  });

  it("answers 404 for a year it does not hold, and for a path that names no year", async () => {
    expect((await app.call("GET", "/api/v1/calendar/2031")).status).toBe(404);
    expect((await app.call("GET", "/api/v1/calendar/20x6")).status).toBe(404);
    expect((await app.call("GET", "/api/v1/calendar/2026/versions/9")).status).toBe(404);
  });
});

describe("/readyz and the gauge, by the business time zone's date", () => {
  const warnings = async () => Readiness.parse((await app.call("GET", "/readyz")).body).warnings;
  const gauge = async () =>
    /^aftersales_calendar_next_year_missing (\d)$/m.exec((await app.call("GET", "/metrics")).body as string)?.[1];

  it("stay quiet on 30 November, warn from 1 December 00:00 Beijing time, and are quiet again once 2027 is saved", async () => {
    // 2026-11-30 23:59 Beijing time
    app.setNow(new Date("2026-11-30T15:59:00Z"));
    expect(await warnings()).toBeUndefined();
    expect(await gauge()).toBe("0");
    app.setNow(new Date("2026-11-30T16:00:00Z"));
    const ready = await app.call("GET", "/readyz");
    expect(ready.status).toBe(200);
    expect(ready.body.warnings).toEqual([
      { code: "calendar_next_year_missing", year: 2027, message: expect.stringContaining("2027") },
    ]);
    expect(await gauge()).toBe("1");
    expect((await app.call("GET", "/api/v1/calendar")).body.nextYearMissing).toBe(true);

    const saved = await app.call("PUT", "/api/v1/calendar/2027", { ...newYear2027, version: 0, note: "国务院通知" });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(await warnings()).toBeUndefined();
    expect(await gauge()).toBe("0");
    expect((await app.call("GET", "/api/v1/calendar")).body.nextYearMissing).toBe(false);
  });
});

describe("saving a year", () => {
  it("makes the next version, counted with at once, with its history and audit rows", async () => {
    const saturday = { year: 2027, month: 1, day: 9 };
    expect(app.ctx.calendar.current.isWorkingDay(saturday)).toBe(true);
    const current = CalendarYearVersion.parse((await app.call("GET", "/api/v1/calendar/2027")).body);
    expect(current).toMatchObject({ version: 1, note: "国务院通知", restoredFrom: null });

    const edited = await app.call("PUT", "/api/v1/calendar/2027", {
      holidays: newYear2027.holidays,
      workdays: [],
      version: 1,
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.version).toBe(2);
    expect(app.ctx.calendar.current.isWorkingDay(saturday)).toBe(false);
    expect(app.ctx.calendar.current.isWorkingDay({ year: 2027, month: 1, day: 1 })).toBe(false);

    const versions = (await app.call("GET", "/api/v1/calendar/2027/versions")).body.versions;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions[1]).toMatchObject({ holidays: 2, workdays: 1, note: "国务院通知" });
    const first = CalendarYearVersion.parse((await app.call("GET", "/api/v1/calendar/2027/versions/1")).body);
    expect(first.workdays).toEqual(newYear2027.workdays);

    const audit = (await app.call("GET", "/api/v1/audit?entity=calendar&entityKey=2027")).body.entries;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(["calendar.save", "calendar.save"]);
    expect(audit[0].detail).toMatchObject({ version: 1, holidays: 2, workdays: 1, note: "国务院通知" });
  });

  it("refuses a stale version with 409 and the current one, and a new year sent with a version", async () => {
    const stale = await app.call("PUT", "/api/v1/calendar/2027", { ...newYear2027, version: 1 });
    expect(stale.status).toBe(409);
    expect(Problem.parse(stale.body).code).toBe("conflict");
    expect(stale.body.currentVersion).toBe(2);
    expect((await app.call("PUT", "/api/v1/calendar/2027", newYear2027)).status).toBe(409);
    const unknown = await app.call("PUT", "/api/v1/calendar/2032", { holidays: [], workdays: [], version: 3 });
    expect(unknown.status).toBe(409);
    expect(unknown.body.currentVersion).toBe(0);
  });

  it("lets one of several saves made at once on the same version through, and answers the others 409", async () => {
    const body = { holidays: [{ date: "2033-01-03", name: "元旦" }], workdays: [], version: 0 };
    const answers = await Promise.all(Array.from({ length: 5 }, () => app.call("PUT", "/api/v1/calendar/2033", body)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409]);
    expect((await app.call("GET", "/api/v1/calendar/2033/versions")).body.versions).toHaveLength(1);
  });

  it("restores an older version as a new one, audited", async () => {
    const restored = await app.call("POST", "/api/v1/calendar/2027/restore", { version: 1, note: "撤回" });
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    expect(restored.body).toMatchObject({ version: 3, restoredFrom: 1, workdays: newYear2027.workdays });
    expect(app.ctx.calendar.current.isWorkingDay({ year: 2027, month: 1, day: 9 })).toBe(true);
    expect((await app.call("POST", "/api/v1/calendar/2027/restore", { version: 7 })).status).toBe(404);
    const audit = (await app.call("GET", "/api/v1/audit?entity=calendar&entityKey=2027&action=calendar.restore")).body
      .entries;
    expect(audit).toHaveLength(1);
    expect(audit[0].detail).toMatchObject({ version: 3, restoredFrom: 1, note: "撤回" });
  });
});

describe("a year's days are checked", () => {
  const day = (date: string, name = "节日") => ({ date, name });
  it.each([
    ["a date that does not exist", { holidays: [day("2028-02-30")], workdays: [] }, "holidays.0.date", "not_a_date"],
    ["a date of another year", { holidays: [day("2029-01-01")], workdays: [] }, "holidays.0.date", "date_outside_year"],
    [
      "a date listed twice",
      { holidays: [day("2028-10-01"), day("2028-10-01")], workdays: [] },
      "holidays.1.date",
      "duplicate_date",
    ],
    [
      "a date both a holiday and a workday",
      { holidays: [day("2028-10-07")], workdays: [day("2028-10-07")] },
      "workdays.0.date",
      "holiday_and_workday",
    ],
    [
      "a weekday made a workday",
      { holidays: [], workdays: [day("2028-10-09")] },
      "workdays.0.date",
      "workday_not_weekend",
    ],
  ])("refuses %s with 422 naming the day", async (_name, body, path, code) => {
    const res = await app.call("PUT", "/api/v1/calendar/2028", body);
    expect(res.status).toBe(422);
    expect(Problem.parse(res.body).errors).toContainEqual(expect.objectContaining({ path, code }));
    expect((await app.call("GET", "/api/v1/calendar/2028")).status).toBe(404);
  });

  it("takes a holiday on a weekend and a weekend workday", async () => {
    // 2028-10-07 is a Saturday, 2028-10-14 too
    const res = await app.call("PUT", "/api/v1/calendar/2028", {
      holidays: [day("2028-10-07")],
      workdays: [day("2028-10-14")],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it.each([
    ["more than 366 holidays", { holidays: Array.from({ length: 367 }, () => day("2028-01-01")), workdays: [] }],
    ["a name over 40 characters", { holidays: [day("2028-01-01", "节".repeat(41))], workdays: [] }],
    ["an empty name", { holidays: [day("2028-01-01", " ")], workdays: [] }],
    ["a note over 500 characters", { holidays: [], workdays: [], note: "x".repeat(501) }],
    ["an unknown member", { holidays: [], workdays: [], extra: 1 }],
    ["a control character in a name", { holidays: [day("2028-01-01", "元旦\n")], workdays: [] }],
    ["a date not written YYYY-MM-DD", { holidays: [day("2028-1-1")], workdays: [] }],
    ["a negative version", { holidays: [], workdays: [], version: -1 }],
    ["no lists", {}],
    ["lists of the wrong type", { holidays: "2028-01-01", workdays: null }],
  ])("refuses %s by the schema", async (_name, body) => {
    const res = await app.call("PUT", "/api/v1/calendar/2029", body);
    expect(res.status).toBe(422);
    expect(Problem.parse(res.body).errors?.length).toBeGreaterThan(0);
  });

  it.each([
    ["a year before 1970", "PUT", "/api/v1/calendar/1969"],
    ["a year past 9999", "PUT", "/api/v1/calendar/10000"],
    ["a negative year", "GET", "/api/v1/calendar/-1"],
    ["a version that is no number", "GET", "/api/v1/calendar/2026/versions/v1"],
    ["a version zero", "GET", "/api/v1/calendar/2026/versions/0"],
  ])("answers 404 for %s", async (_name, method, path) => {
    const res = await app.call(method, path, method === "PUT" ? { holidays: [], workdays: [] } : undefined);
    expect(res.status).toBe(404);
    expect(Problem.parse(res.body).code).toBe("not_found");
  });

  it("answers a body that is not JSON with a problem, never a 500", async () => {
    for (const body of ["{", "null", "[]", '"x"', "1"]) {
      const res = await app.call("PUT", "/api/v1/calendar/2029", body);
      expect(res.status, body).toBeGreaterThanOrEqual(400);
      expect(res.status, body).toBeLessThan(500);
    }
  });
});

describe("who may change it", () => {
  let cookies: Record<string, string>;
  beforeAll(async () => {
    cookies = {};
    for (const role of ["viewer", "editor", "publisher", "admin"] as const) {
      await aUser(app, `cal-${role}`, role);
      cookies[role] = (await signIn(app, `cal-${role}`)).cookie;
    }
  });
  const key = async (body: object) => {
    const res = await app.call("POST", "/api/v1/api-keys", body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { authorization: `Bearer ${res.body.key}` };
  };
  const save = (headers: Record<string, string>) =>
    app.call("PUT", "/api/v1/calendar/2035", { holidays: [], workdays: [] }, headers);

  it.each(["viewer", "editor", "publisher"])("a %s reads it and may not save or restore", async (role) => {
    const session = withSession(app, cookies[role]!);
    expect((await app.call("GET", "/api/v1/calendar/2026", undefined, session)).status).toBe(200);
    expect((await save(session)).status).toBe(403);
    const restore = await app.call("POST", "/api/v1/calendar/2027/restore", { version: 1 }, session);
    expect(restore.status).toBe(403);
  });

  it("an admin saves; a read-only key reads and may not save; a key limited to some rule sets may not save", async () => {
    const reader = await key({ name: "calendar-reader", scopes: ["rules:read"] });
    expect((await app.call("GET", "/api/v1/calendar", undefined, reader)).status).toBe(200);
    expect((await save(reader)).status).toBe(403);
    const limited = await key({ name: "calendar-limited", scopes: ["calendar:write"], ruleSets: ["timeouts"] });
    expect((await save(limited)).status).toBe(403);
    const writer = await key({ name: "calendar-writer", scopes: ["calendar:write"] });
    expect((await save(writer)).status).toBe(200);
    expect((await save(withSession(app, cookies.admin!))).status).toBe(409);
    expect((await app.call("GET", "/api/v1/calendar", undefined, { authorization: "" })).status).toBe(401);
  });

  it("only an admin gives a key calendar:write", async () => {
    const asPublisher = await app.call(
      "POST",
      "/api/v1/api-keys",
      { name: "x", scopes: ["calendar:write"] },
      withSession(app, cookies.publisher!),
    );
    expect(asPublisher.status).toBe(403);
  });
});
