import { join } from "node:path";
import type { Browser, Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Rule } from "../../shared/rules.ts";
import { launchBrowser, openPage, SCREENSHOTS, screenshot, signIn } from "../helpers/browser.ts";
import { aCase } from "../helpers/fixtures.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

/**
 * A shop that counts its seven-day window in working days: the manager opens 退款资格, picks 按工作日 for the window of
 * the seven-day rule in plain words, saves and publishes, and a decision through the API follows the new counting.
 * Signed for on Thursday 2026-09-24 15:00 Beijing time; Mid-Autumn closes 09-25…09-27, National Day 10-01…10-07, and
 * Saturday 10-10 is worked, so the seventh working day after delivery is Monday 10-12, while the calendar count ends on
 * 10-08 at 24:00 and elapsed time on 10-01 at 15:00. A timer counted in working days from the same moment says so in the
 * decision, and the decision log shows its deadline as 24:00 of 10-12 Beijing time.
 */

const KEY = "refund-eligibility";
const RULE = "seven-day-return-within-7-days-of-delivery";
let app: TestApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([createTestApp({ now: new Date("2026-10-09T02:00:00Z") }), launchBrowser()]);
  // one person publishes here: the review has its own tests
  for (const key of [KEY, "timeouts"])
    expect((await app.call("PUT", `/api/v1/rule-sets/${key}/settings`, { fourEyes: false })).status).toBe(200);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const unexpected = (errors: string[]) =>
  errors.filter((e) => !/Failed to load resource: the server responded with a status of (401|409)/.test(e));

/** A seven-day no-reason return asked for at `now`, of goods signed for on 2026-09-24 15:00. */
const sevenDayReturn = (now: string) =>
  aCase({
    now,
    order: { status: "delivered", deliveredAt: "2026-09-24T15:00:00+08:00" },
    refund: { reason: "no_reason_7d", returnGoods: true, goodsReceived: true },
  });

async function decide(now: string) {
  const res = await app.decide(KEY, sevenDayReturn(now));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const decision = res.body.decision as { eligible: boolean; reasons: { code: string }[] };
  return { eligible: decision.eligible, codes: decision.reasons.map((reason) => reason.code) };
}

async function shot(part: Locator, name: string) {
  await part.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** Whether a stored test case is a seven-day return of delivered goods, whose answer depends on how the window counts. */
const countsTheWindow = (testCase: { facts: { order?: { status?: string }; refund?: { reason?: string } } }) =>
  testCase.facts.order?.status === "delivered" && testCase.facts.refund?.reason === "no_reason_7d";

describe("a duration's counting edited in the admin", () => {
  it("changes the seven-day window to working days in words, publishes it, and the decision API follows", async () => {
    // 2026-10-09 10:00 Beijing time: past the calendar window, inside the working-day one
    const asked = "2026-10-09T10:00:00+08:00";
    const refused = await decide(asked);
    expect(refused.eligible).toBe(false);
    expect(refused.codes).toContain("SEVEN_DAY_WINDOW_EXPIRED");

    // the shop's own cases say what its working-day window decides; the shipped ones describe the calendar count
    const stored = (await app.call("GET", `/api/v1/rule-sets/${KEY}/test-cases`)).body.testCases;
    const cases = await app.call("PUT", `/api/v1/rule-sets/${KEY}/test-cases`, {
      testCases: [
        ...stored.filter((testCase: Parameters<typeof countsTheWindow>[0]) => !countsTheWindow(testCase)),
        {
          name: "七天无理由按工作日：9-24 签收，10-09 仍可申请",
          facts: sevenDayReturn(asked),
          expect: { eligible: true },
        },
        {
          name: "七天无理由按工作日：9-24 签收，10-13 已超过",
          facts: sevenDayReturn("2026-10-13T10:00:00+08:00"),
          expect: { eligible: false, channel: "none" },
        },
      ],
    });
    expect(cases.status, JSON.stringify(cases.body)).toBe(200);
    const before = (await app.call("GET", `/api/v1/rule-sets/${KEY}`)).body.draft.rules as Rule[];

    const { context, page, consoleErrors } = await openPage(browser);
    await signIn(page, app.url);
    await page.goto(`${app.url}/admin/rule-sets/${KEY}`);
    const card = page.locator(`article[data-rule="${RULE}"]`);
    await card.getByRole("button", { name: "编辑" }).click();
    const counting = card.getByRole("combobox", { name: "期限计算方式" });
    // the four ways, in plain words
    expect(await counting.locator("option").allTextContents()).toEqual([
      "按实际经过时间（1 天 = 24 小时）",
      "按自然日，次日起算，遇节假日顺延",
      "按工作日",
      "按工作时间 09:00–18:00",
    ]);
    await counting.selectOption({ label: "按工作日" });
    await card.getByText(/从次日起只数工作日（跳过周末和法定节假日，调休上班的日子算工作日）/).waitFor();
    // working days are whole days: the unit offers days only
    expect(await card.getByRole("combobox", { name: "单位" }).locator("option").allTextContents()).toEqual(["天"]);
    await expect.poll(() => card.locator(".rule-summary").textContent()).toContain("超过签收后 7 天（按工作日）");
    await card
      .locator(".cond-leaf", { has: page.getByRole("combobox", { name: "期限计算方式" }) })
      .scrollIntoViewIfNeeded();
    await screenshot(page, "counting-01-working-days");
    await shot(card, "counting-01b-rule-card");

    await page.getByRole("button", { name: "保存草稿" }).click();
    await page.getByTestId("unsaved").waitFor({ state: "detached" });
    const draft = (await app.call("GET", `/api/v1/rule-sets/${KEY}`)).body.draft.rules as Rule[];
    const edited = draft.find((rule) => rule.name === RULE)!;
    expect(edited.conditions).toMatchObject({
      all: expect.arrayContaining([
        {
          fact: "elapsed",
          path: "sinceDelivered",
          operator: "beyondDuration",
          value: { duration: "P7D", counting: "working_days" },
        },
      ]),
    });
    // nothing else a manager saved changed meaning: every other rule is as it was
    expect(draft.filter((rule) => rule.name !== RULE)).toEqual(before.filter((rule) => rule.name !== RULE));

    await page.getByRole("button", { name: "发布", exact: true }).click();
    const dialog = page.getByRole("dialog");
    const confirm = dialog.getByRole("button", { name: "确认发布" });
    await expect.poll(() => confirm.isDisabled(), { timeout: 15_000 }).toBe(false);
    await shot(dialog, "counting-02-publish");
    await confirm.click();
    await dialog.waitFor({ state: "detached" });
    await card.locator(".rule-summary").scrollIntoViewIfNeeded();
    await screenshot(page, "counting-03-published");

    // the decision API counts working days now: open on 10-09, shut after 10-12 24:00
    const granted = await decide(asked);
    expect(granted.eligible).toBe(true);
    expect(granted.codes).not.toContain("SEVEN_DAY_WINDOW_EXPIRED");
    expect((await decide("2026-10-12T23:59:59+08:00")).codes).not.toContain("SEVEN_DAY_WINDOW_EXPIRED");
    expect((await decide("2026-10-13T00:00:01+08:00")).codes).toContain("SEVEN_DAY_WINDOW_EXPIRED");

    // the version history reads the change in words
    await page.getByRole("link", { name: "版本历史" }).click();
    await page.getByText("超过签收后 7 天（按工作日）").first().waitFor();
    await screenshot(page, "counting-04-version-history");
    expect(unexpected(consoleErrors)).toEqual([]);
    await context.close();
  });

  it("counts a timer in working days: the decision says so, and the decision log shows its deadline in Beijing time", async () => {
    const { context, page, consoleErrors } = await openPage(browser);
    await signIn(page, app.url);
    await page.goto(`${app.url}/admin/rule-sets/timeouts`);
    const card = page.locator('article[data-rule="buyer-ships-the-return-within-7-days"]');
    await card.getByRole("button", { name: "编辑" }).click();
    const timer = card.getByRole("group", { name: "计时器 1" });
    await timer.getByRole("combobox", { name: "期限计算方式" }).selectOption({ label: "按工作日" });
    await expect
      .poll(() => card.locator(".rule-summary").textContent())
      .toContain("买家退货并填写单号 7 天（按工作日），到期关闭退款");
    await timer.scrollIntoViewIfNeeded();
    await shot(card, "counting-05-timer");
    await page.getByRole("button", { name: "保存草稿" }).click();
    await page.getByTestId("unsaved").waitFor({ state: "detached" });
    await page.getByRole("button", { name: "发布", exact: true }).click();
    const dialog = page.getByRole("dialog");
    const confirm = dialog.getByRole("button", { name: "确认发布" });
    await expect.poll(() => confirm.isDisabled(), { timeout: 15_000 }).toBe(false);
    await confirm.click();
    await dialog.waitFor({ state: "detached" });

    // the buyer was asked to ship the goods back on 09-24 15:00: seven working days end on 10-12 at 24:00
    const decided = await app.decide(
      "timeouts",
      aCase({
        now: "2026-09-26T10:00:00+08:00",
        order: { deliveredAt: "2026-09-22T10:00:00+08:00" },
        refund: {
          reason: "no_reason_7d",
          returnGoods: true,
          state: "waiting_buyer_return",
          appliedAt: "2026-09-23T10:00:00+08:00",
          stateSince: "2026-09-24T15:00:00+08:00",
        },
      }),
    );
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    const [counted, ...others] = decided.body.decision.timers;
    // the platform's timers stay elapsed time, which a timer says by saying nothing
    for (const other of others) expect(other.counting).toBeUndefined();
    expect(counted).toMatchObject({ key: "buyer_return_shipment", duration: "P7D", counting: "working_days" });
    expect(Date.parse(counted.deadline)).toBe(Date.parse("2026-10-12T16:00:00Z"));

    await page.goto(`${app.url}/admin/decisions?decisionId=${decided.body.decisionId}`);
    await page.getByRole("button", { name: `查看决策 ${decided.body.decisionId}` }).click();
    const detail = page.getByRole("dialog");
    // the return's timer, beside the platform's elapsed ones
    const shown = detail.locator('.decision-timer[data-counting="working_days"]');
    await shown.waitFor();
    expect(await shown.textContent()).toContain("买家退货并填写单号 · 7 天（按工作日）");
    expect(await shown.textContent()).toContain("截止 2026-10-12 24:00（北京时间）");
    await shown.scrollIntoViewIfNeeded();
    await shot(detail, "counting-06-decision-log");
    expect(unexpected(consoleErrors)).toEqual([]);
    await context.close();
  });
});
