import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openPage, screenshot, signIn } from "../helpers/browser.ts";
import { aCase } from "../helpers/fixtures.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

/**
 * One manager's December, in Chinese, end to end: the return's timer is switched to working days in words and
 * published, and its deadline is flagged as counted on weekends only because 2027 has no calendar yet; the admin
 * enters 2027's New Year holiday in 工作日历 and the same case's deadline moves a day, unflagged; then the playbook sends
 * a late parcel to the `late_delivery` reply, the manager rewrites that reply with the preview beside it and
 * publishes it, and rendering the playbook's decision answers the new text.
 */

let app: TestApp;
let browser: Browser;
beforeAll(async () => {
  // 2026-12-29 10:00 Beijing time: December, and nothing is known of 2027 yet
  [app, browser] = await Promise.all([createTestApp({ now: new Date("2026-12-29T02:00:00Z") }), launchBrowser()]);
  expect((await app.call("PUT", "/api/v1/rule-sets/timeouts/settings", { fourEyes: false })).status).toBe(200);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** The buyer was asked on Monday 2026-12-28 10:00 to send the goods back. */
async function returnTimer() {
  const decided = await app.decide(
    "timeouts",
    aCase({
      now: "2026-12-29T10:00:00+08:00",
      order: { deliveredAt: "2026-12-25T10:00:00+08:00" },
      refund: {
        reason: "no_reason_7d",
        returnGoods: true,
        state: "waiting_buyer_return",
        appliedAt: "2026-12-27T10:00:00+08:00",
        stateSince: "2026-12-28T10:00:00+08:00",
      },
    }),
  );
  expect(decided.status, JSON.stringify(decided.body)).toBe(200);
  return (decided.body.decision.timers as Record<string, unknown>[]).find((t) => t.key === "buyer_return_shipment")!;
}

async function publish(page: Page) {
  await page.getByRole("button", { name: "保存草稿" }).click();
  await page.getByTestId("unsaved").waitFor({ state: "detached" });
  await page.getByRole("button", { name: "发布", exact: true }).click();
  const dialog = page.getByRole("dialog");
  const confirm = dialog.getByRole("button", { name: "确认发布" });
  await expect.poll(() => confirm.isDisabled(), { timeout: 15_000 }).toBe(false);
  await confirm.click();
  await dialog.waitFor({ state: "detached" });
}

describe("a manager's December: counting, next year's calendar, and a reply", () => {
  it("counts a timer in working days, fills in 2027, and publishes the reply the playbook picks", async () => {
    expect(await returnTimer()).toMatchObject({ duration: "P7D", deadline: "2027-01-04T02:00:00Z" });
    expect((await app.call("GET", "/readyz")).body.warnings).toMatchObject([
      { code: "calendar_next_year_missing", year: 2027 },
    ]);

    const { context, page, consoleErrors } = await openPage(browser);
    await signIn(page, app.url);

    // 1. the return's timer, counted in working days
    await page.goto(`${app.url}/admin/rule-sets/timeouts`);
    const card = page.locator('article[data-rule="buyer-ships-the-return-within-7-days"]');
    await card.getByRole("button", { name: "编辑" }).click();
    await card
      .getByRole("group", { name: "计时器 1" })
      .getByRole("combobox", { name: "期限计算方式" })
      .selectOption({ label: "按工作日" });
    await expect.poll(() => card.locator(".rule-summary").textContent()).toContain("7 天（按工作日）");
    await screenshot(page, "journey-01-timer-working-days");
    await publish(page);
    // 12-29, 12-30, 12-31, then 2027 on weekends only: 01-01 (a Friday), 01-04, 01-05, 01-06
    expect(await returnTimer()).toMatchObject({
      counting: "working_days",
      deadline: "2027-01-06T16:00:00Z",
      calendarYearsUnknown: [2027],
    });

    // 2. next year's calendar: New Year's Day is a holiday
    await page.getByRole("link", { name: "工作日历" }).click();
    await page.getByRole("heading", { name: "工作日历", level: 1 }).waitFor();
    await expect.poll(() => page.locator(".calendar-missing").textContent()).toContain("2027 年的工作日历还没有数据");
    expect(await page.getByLabel("年份").inputValue()).toBe("2027");
    await page.getByLabel("按区间添加").fill("01-01 元旦");
    await page.getByRole("button", { name: "添加" }).click();
    await expect.poll(() => page.locator('[data-date="2027-01-01"]').getAttribute("class")).toContain("day-holiday");
    await page.getByRole("button", { name: "保存…" }).click();
    await page.getByLabel("说明（可选）").fill("2027 年元旦");
    await page.getByRole("button", { name: "保存为新版本" }).click();
    await expect.poll(() => page.locator(".calendar-version").textContent()).toBe("版本 v1");
    await screenshot(page, "journey-02-calendar-2027");
    // the same case, counted with the holiday: 01-01 is skipped, the seventh working day is 01-07
    const counted = await returnTimer();
    expect(counted).toMatchObject({ counting: "working_days", deadline: "2027-01-07T16:00:00Z" });
    expect(counted.calendarYearsUnknown).toBeUndefined();
    expect((await app.call("GET", "/readyz")).body.warnings).toBeUndefined();

    // 3. the playbook sends a parcel five days late to the late_delivery reply, with a 10-yuan coupon
    const playbook = await app.decide("service-playbook", {
      ...aCase({ order: { status: "shipped" } }),
      problem: { kind: "late_delivery", daysLate: 5 },
    });
    expect(playbook.status, JSON.stringify(playbook.body)).toBe(200);
    expect(playbook.body.decision).toMatchObject({ template: "late_delivery", compensationFen: 1000 });

    // 4. the manager rewrites that reply, watches the preview, and publishes it
    await page.getByRole("link", { name: "回复模板" }).click();
    await page.locator('tr[data-template="late_delivery"]').getByRole("link").click();
    const zh = page.getByLabel("中文文字");
    const newText =
      "亲，您的{item}从{fromCity}发往{toCity}晚了，我们很抱歉！送您一张{compensation}优惠券，{days}天内一定送到。";
    await zh.fill(newText);
    await expect.poll(() => page.getByTestId("preview-zh").textContent()).toContain("送您一张10元优惠券");
    await page.getByRole("button", { name: "保存草稿" }).click();
    await page.getByText("草稿已保存").first().waitFor();
    await page.getByRole("button", { name: "发布" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "发布" }).click();
    await page.getByText("已发布第 2 版").first().waitFor();
    await screenshot(page, "journey-03-reply-published");

    const rendered = await app.call("POST", "/api/v1/replies/render", {
      decision: playbook.body,
      language: "zh",
      variables: { item: "连衣裙", fromCity: "杭州", toCity: "成都", days: 2 },
    });
    expect(rendered.status, JSON.stringify(rendered.body)).toBe(200);
    expect(rendered.body).toEqual({
      text: "亲，您的连衣裙从杭州发往成都晚了，我们很抱歉！送您一张10元优惠券，2天内一定送到。",
      template: "late_delivery",
      version: 2,
      language: "zh",
    });
    expect(consoleErrors.filter((e) => !/status of (401|409)/.test(e))).toEqual([]);
    await context.close();
  });
});
