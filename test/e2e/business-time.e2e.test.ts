import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openPage, SCREENSHOTS, screenshot, signIn } from "../helpers/browser.ts";
import { aCase } from "../helpers/fixtures.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

/**
 * Times in Beijing time on a PC that is not in Beijing: a browser in UTC with an American locale, the admin in Chinese.
 * The manager schedules a publish for 2026-11-11 00:00, reads the decision log, gives the Double 11 rule its window
 * 11-11 to 11-20 (included) and sees it upcoming, current and over as the service's clock moves; a unit switch
 * converts, and deleting the last condition asks and warns in red.
 */

let app: TestApp;
let browser: Browser;
// 2026-11-01 10:00 in Beijing
const start = new Date("2026-11-01T02:00:00Z");
beforeAll(async () => {
  [app, browser] = await Promise.all([createTestApp({ now: start }), launchBrowser()]);
  // one person publishes here: the review has its own tests
  expect((await app.call("PUT", "/api/v1/rule-sets/refund-eligibility/settings", { fourEyes: false })).status).toBe(
    200,
  );
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const unexpected = (errors: string[]) =>
  errors.filter((e) => !/Failed to load resource: the server responded with a status of (401|409|422)/.test(e));

/** A page in a browser set to UTC and en-US: its own clock reads eight hours behind Beijing. */
async function utcPage() {
  const opened = await openPage(browser, { timezoneId: "UTC", locale: "en-US" });

  return opened;
}

/** One part of the page, at its own size: a dialog, a card, the filters. */
async function shot(part: Locator, name: string) {
  await part.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

async function saveDraft(page: Page) {
  await page.getByRole("button", { name: "保存草稿" }).click();
  await page.getByTestId("unsaved").waitFor({ state: "detached" });
}

describe("business time in a browser set to UTC and en-US", () => {
  it("schedules a publish for 2026-11-11 00:00 Beijing time and shows the decision log in Beijing time", async () => {
    const { context, page, consoleErrors } = await utcPage();
    expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe("UTC");
    expect(await page.evaluate(() => new Date(2026, 10, 11).toISOString())).toBe("2026-11-11T00:00:00.000Z");
    await signIn(page, app.url);

    await page.goto(`${app.url}/admin/rule-sets/refund-eligibility`);
    const card = page.locator("article.rule-card").first();
    await card.getByRole("button", { name: "编辑" }).click();
    await card.locator(".rule-description-field textarea").fill("双十一起生效的措辞修订。");
    await saveDraft(page);

    await page.getByRole("button", { name: "发布", exact: true }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "定时生效" }).click();
    const startField = dialog.getByLabel("开始生效时间");
    expect(await startField.getAttribute("type")).toBe("text");
    expect(await startField.getAttribute("placeholder")).toBe("2026-11-11 00:00");
    await dialog.getByText("北京时间").first().waitFor();

    // the browser's own form is refused with the reason, and nothing is published
    await startField.fill("11/11/2026 12:00 AM");
    await dialog.getByRole("button", { name: "确认发布" }).click();
    await dialog.getByText("请按“年-月-日 时:分”填写，例如 2026-11-11 00:00（24 小时制）").waitFor();
    await screenshot(page, "business-time-01-publish-refused");
    await shot(dialog, "business-time-01b-publish-refused-dialog");
    expect((await app.call("GET", "/api/v1/rule-sets/refund-eligibility/schedules")).body.schedules).toEqual([]);

    await startField.fill("2026-11-11 00:00");
    await shot(dialog, "business-time-02-publish-scheduled");
    const sent = page.waitForRequest((request) => request.method() === "POST" && request.url().endsWith("/publish"));
    await dialog.getByRole("button", { name: "确认发布" }).click();
    expect(JSON.parse((await sent).postData() ?? "{}").activateAt).toBe("2026-11-11T00:00:00+08:00");
    await dialog.waitFor({ state: "detached" });
    const { schedules } = (await app.call("GET", "/api/v1/rule-sets/refund-eligibility/schedules")).body;
    expect(schedules).toHaveLength(1);
    expect(Date.parse(schedules[0].startsAt)).toBe(Date.parse("2026-11-10T16:00:00Z"));
    // the page says when, in Beijing time
    await page
      .getByText(/2026-11-11 00:00/)
      .first()
      .waitFor();
    await shot(page.locator(".rule-set-header"), "business-time-03-scheduled");

    // the decision log: a decision made at 10:00:00 Beijing time, found between 09:59 and the end of the day
    const decided = await app.decide("refund-eligibility", aCase());
    expect(decided.status).toBe(200);
    await page.getByRole("link", { name: "决策记录" }).click();
    await page.getByLabel("开始时间").fill("2026-11-01 09:59");
    await page.getByText("时间均为北京时间（Asia/Shanghai, UTC+08:00）").waitFor();
    // the end picked as a day in the calendar: to the end of 11-01, the next day's 00:00
    const filters = page.getByRole("search");
    await filters.getByRole("button", { name: "从日历选择" }).nth(1).click();
    await shot(filters.locator(".datetime-calendar"), "business-time-04a-calendar");
    await filters.getByRole("button", { name: "2026-11-01", exact: true }).click();
    expect(await page.getByLabel("结束时间").inputValue()).toBe("2026-11-02 00:00");
    await filters.getByText("即到 2026-11-01 当天结束（含）").waitFor();
    await page.getByRole("button", { name: "查询" }).click();
    const row = page.locator(`tr[data-id="${decided.body.decisionId}"]`);
    await row.waitFor();
    expect(await row.locator("time").textContent()).toBe("2026-11-01 10:00:00");
    const url = new URL(page.url());
    expect(url.searchParams.get("from")).toBe("2026-11-01T09:59:00+08:00");
    expect(url.searchParams.get("to")).toBe("2026-11-02T00:00:00+08:00");
    await screenshot(page, "business-time-04-decision-log");
    await shot(filters, "business-time-04b-log-filters");
    expect(unexpected(consoleErrors)).toEqual([]);
    await context.close();
  });

  it("gives the Double 11 rule its window in whole days, says 未开始 / 生效中 / 已结束, converts units and warns of an empty rule", async () => {
    app.setNow(start);
    const { context, page, consoleErrors } = await utcPage();
    await signIn(page, app.url);
    await page.goto(`${app.url}/admin/rule-sets/shipping-fee`);
    await page.getByRole("heading", { name: "运费承担", level: 1 }).waitFor();

    await page.getByRole("button", { name: /添加规则/ }).click();
    await page.getByRole("dialog").getByRole("button", { name: "添加", exact: true }).click();
    const card = page.getByRole("article", { name: "new-rule" });

    // deleting the only condition asks, and the rule then says in red that it applies to every refund
    await card.getByRole("button", { name: "删除条件", exact: true }).click();
    const ask = page.getByRole("dialog");
    await ask.getByText("删除后这条规则不再有任何条件，将适用于所有退款。").waitFor();
    await shot(ask, "business-time-05-last-condition");
    await ask.getByRole("button", { name: "删除，适用于所有退款" }).click();
    const warning = card.getByRole("note");
    expect(await warning.textContent()).toBe("⚠ 没有条件：这条规则适用于所有退款");
    expect(await warning.evaluate((element) => getComputedStyle(element).color)).toBe("rgb(198, 40, 40)");
    expect(await card.locator(".rule-head .badge-danger").textContent()).toBe("适用于所有退款");
    await shot(card, "business-time-06-applies-to-all");

    await card.getByLabel("规则名称").fill("double-11-seller-pays-return");
    const rule = page.getByRole("article", { name: "double-11-seller-pays-return" });
    await rule.getByLabel("标题").fill("双十一：包邮商品七天无理由退货由卖家承担运费");
    await rule
      .getByRole("button", { name: /^\+? ?添加条件$/ })
      .first()
      .click();
    await rule.getByLabel("事实", { exact: true }).first().selectOption({ label: "退款原因" });
    await rule.getByLabel("条件", { exact: true }).first().selectOption({ label: "等于" });
    await rule.getByLabel("值", { exact: true }).first().selectOption({ label: "七天无理由" });

    // a duration: 5 天 becomes 120 小时, and 30 小时 will not become days
    await rule
      .getByRole("button", { name: /^\+? ?添加条件$/ })
      .first()
      .click();
    await rule.getByLabel("事实", { exact: true }).nth(1).selectOption({ label: "签收后经过" });
    const amount = rule.getByLabel("值", { exact: true }).nth(1);
    const unit = rule.getByLabel("单位");
    await amount.fill("5");
    await unit.selectOption({ label: "小时" });
    expect(await amount.inputValue()).toBe("120");
    await rule.getByText("已换算：5 天 = 120 小时").waitFor();
    await amount.fill("30");
    await unit.selectOption({ label: "天" });
    await rule.getByText("30 小时换算成天不是整数（1.25 天），没有换算：请先改数字，或选更小的单位").waitFor();
    expect(await unit.inputValue()).toBe("hours");
    expect(await amount.inputValue()).toBe("30");
    await shot(rule.locator(".cond-builder"), "business-time-07-unit-refused");
    await amount.fill("168");
    await unit.selectOption({ label: "天" });
    expect(await amount.inputValue()).toBe("7");

    await rule.getByRole("checkbox", { name: "设置“退货运费”" }).check();
    await rule.getByRole("combobox", { name: "退货运费", exact: true }).selectOption({ label: "卖家承担" });

    // the window as whole days: 11-11 to 11-20 included is 11-11 00:00 to 11-21 00:00, Beijing time
    await rule.getByLabel("从", { exact: true }).fill("2026-11-11");
    await rule.getByLabel("到（含这一天）").fill("2026-11-20");
    await rule.getByRole("button", { name: "设为整天" }).click();
    expect(await rule.getByLabel("开始", { exact: true }).inputValue()).toBe("2026-11-11 00:00");
    expect(await rule.getByLabel("结束（不含）").inputValue()).toBe("2026-11-21 00:00");
    await rule.getByText("即到 2026-11-20 当天结束（含）").waitFor();
    expect(await rule.getByTestId("rule-phase").textContent()).toBe("未开始");
    expect(await rule.locator(".rule-window-words").textContent()).toBe("生效期：2026-11-11 至 2026-11-20（含）");
    expect(await rule.locator(".rule-head h3").textContent()).toBe("双十一：包邮商品七天无理由退货由卖家承担运费");
    await shot(rule, "business-time-08-rule-window");
    await shot(rule.locator(".rule-window-editor"), "business-time-08b-window-editor");
    await saveDraft(page);

    const saved = (await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body.draft.rules.find(
      (r: { name: string }) => r.name === "double-11-seller-pays-return",
    );
    expect(saved).toMatchObject({
      title: "双十一：包邮商品七天无理由退货由卖家承担运费",
      validFrom: "2026-11-11T00:00:00+08:00",
      validUntil: "2026-11-21T00:00:00+08:00",
    });
    expect(saved.conditions.all[1]).toMatchObject({ value: "P7D" });

    // the service's clock decides the card's state (a session does not last days: each moment signs in afresh)
    const phase = async (at: string) => {
      app.setNow(new Date(at));
      await page.goto(`${app.url}/admin/rule-sets/shipping-fee`);
      const heading = page.getByRole("heading", { name: "运费承担", level: 1 });
      const signInForm = page.getByLabel("用户名");
      await heading.or(signInForm).waitFor();
      if (await signInForm.isVisible()) {
        await signIn(page, app.url);
        await page.goto(`${app.url}/admin/rule-sets/shipping-fee`);
      }
      return page
        .getByRole("article", { name: "double-11-seller-pays-return" })
        .getByTestId("rule-phase")
        .textContent();
    };
    expect(await phase("2026-11-10T15:59:00Z")).toBe("未开始");
    expect(await phase("2026-11-10T16:00:00Z")).toBe("生效中");
    await shot(page.locator(".rule-list"), "business-time-09-rule-current");
    expect(await phase("2026-11-20T15:59:00Z")).toBe("生效中");
    expect(await phase("2026-11-20T16:00:00Z")).toBe("已结束");

    // a priority being typed is unsaved at once, and signing out asks before dropping it
    const reloaded = page.getByRole("article", { name: "double-11-seller-pays-return" });
    await reloaded.getByRole("button", { name: "编辑" }).click();
    await reloaded.getByLabel("优先级").fill("350");
    await page.getByTestId("unsaved").waitFor();
    await page.getByRole("button", { name: "退出登录" }).click();
    const leaving = page.getByRole("dialog");
    await leaving.getByText("“运费承担”的规则").waitFor();
    await shot(leaving, "business-time-10-sign-out-unsaved");
    await leaving.getByRole("button", { name: "取消" }).click();
    expect(await reloaded.getByLabel("优先级").inputValue()).toBe("350");
    await page.getByRole("button", { name: "退出登录" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "放弃修改并退出" }).click();
    await page.getByRole("button", { name: "登录" }).waitFor();
    expect(unexpected(consoleErrors)).toEqual([]);
    await context.close();
  });
});
