import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openPage, screenshot, signIn } from "../helpers/browser.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";
import { aUser, passwordOf } from "../helpers/users.ts";

/**
 * 工作日历 in Chromium: on 1 December (Beijing time) with nothing for 2027, an admin sees the banner, marks 2027's New
 * Year holiday (a range and a click) and one adjusted working day, saves with a note, sees the version, and the service
 * counts with it at once; a viewer sees the calendar and cannot change it.
 */

let app: TestApp;
let browser: Browser;
beforeAll(async () => {
  // 2026-12-01 10:00 Beijing time: next year's arrangement is due
  [app, browser] = await Promise.all([createTestApp({ now: new Date("2026-12-01T02:00:00Z") }), launchBrowser()]);
  await aUser(app, "calendar-viewer", "viewer");
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe("工作日历", () => {
  it("an admin adds 2027's New Year holiday and an adjusted working day, saves them as version 1", async () => {
    const { context, page, consoleErrors } = await openPage(browser);
    await signIn(page, app.url);
    await page.getByRole("link", { name: "工作日历" }).click();
    await page.getByRole("heading", { name: "工作日历", level: 1 }).waitFor();
    await expect.poll(() => page.locator(".calendar-missing").textContent()).toContain("2027 年的工作日历还没有数据");
    // the year offered first is the missing one
    expect(await page.getByLabel("年份").inputValue()).toBe("2027");
    expect(await page.locator(".calendar-version").textContent()).toBe("尚未保存");
    await screenshot(page, "calendar-01-missing-2027");

    // New Year's Day and the day after by range, the Saturday after by clicks, named from the day editor
    await page.getByLabel("按区间添加").fill("01-01 至 01-02 元旦");
    await page.getByRole("button", { name: "添加" }).click();
    const newYear = page.locator('[data-date="2027-01-01"]');
    await expect.poll(() => newYear.getAttribute("class")).toContain("day-holiday");
    expect(await newYear.textContent()).toContain("元旦");
    // 2027-01-09 is a Saturday: a rest day, then a holiday, then worked
    const saturday = page.locator('[data-date="2027-01-09"]');
    await saturday.click();
    await saturday.click();
    await expect.poll(() => saturday.getAttribute("class")).toContain("day-workday");
    await page.getByLabel("名称").fill("元旦调休");
    await page.getByLabel("名称").press("Enter");
    await expect.poll(() => saturday.textContent()).toContain("元旦调休");
    expect(await page.locator(".calendar-toolbar").textContent()).toContain("节假日 2 天，调休上班 1 天");
    await screenshot(page, "calendar-02-edited");

    await page.getByRole("button", { name: "保存…" }).click();
    await page.getByLabel("说明（可选）").fill("按 2027 年放假通知录入");
    await page.getByRole("button", { name: "保存为新版本" }).click();
    await expect.poll(() => page.locator(".calendar-version").textContent()).toBe("版本 v1");
    await expect.poll(() => page.locator(".calendar-missing").count()).toBe(0);
    expect(await page.locator(".calendar-versions li").first().textContent()).toContain("按 2027 年放假通知录入");
    await screenshot(page, "calendar-03-saved");

    // the service counts with it at once
    expect(app.ctx.calendar.current.isWorkingDay({ year: 2027, month: 1, day: 9 })).toBe(true);
    expect(app.ctx.calendar.current.isWorkingDay({ year: 2027, month: 1, day: 1 })).toBe(false);
    const saved = (await app.call("GET", "/api/v1/calendar/2027")).body;
    expect(saved).toMatchObject({
      version: 1,
      savedBy: "user:admin",
      holidays: [
        { date: "2027-01-01", name: "元旦" },
        { date: "2027-01-02", name: "元旦" },
      ],
      workdays: [{ date: "2027-01-09", name: "元旦调休" }],
    });
    expect((await app.call("GET", "/readyz")).body.warnings).toBeUndefined();
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("a viewer sees the year and cannot change it", async () => {
    const { context, page, consoleErrors } = await openPage(browser);
    await signIn(page, app.url, "calendar-viewer", passwordOf("calendar-viewer"));
    await page.goto(`${app.url}/admin/calendar`);
    await page.getByRole("heading", { name: "工作日历", level: 1 }).waitFor();
    await page.getByText("只有管理员可以修改工作日历。").waitFor();
    expect(await page.getByRole("button", { name: "保存…" }).count()).toBe(0);
    // this year first, now that next year is there
    expect(await page.getByLabel("年份").inputValue()).toBe("2026");
    await expect.poll(() => page.locator('[data-date="2026-10-01"]').textContent()).toContain("国庆节");
    expect(await page.locator('[data-date="2026-10-10"]').getAttribute("class")).toContain("day-workday");
    await screenshot(page, "calendar-04-viewer-2026");
    await page.getByLabel("年份").selectOption("2027");
    await expect.poll(() => page.locator(".calendar-version").textContent()).toBe("版本 v1");
    expect(await page.locator('[data-date="2027-01-09"]').isDisabled()).toBe(true);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
