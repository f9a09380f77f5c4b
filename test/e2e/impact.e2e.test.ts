import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openPage, SCREENSHOTS, screenshot, signIn } from "../helpers/browser.ts";
import { aCase } from "../helpers/fixtures.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";
import { aUser, signIn as signInByApi, withSession } from "../helpers/users.ts";

/**
 * A reviewer about to approve a change to the seven-day window replays the last 30 days of real decisions against it in
 * the review dialog: sees the replay's progress, then what changes in Chinese (可以退款 否 → 是, money, the rule behind
 * it), and opens an example in the simulator, where the draft decides it as the replay said.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LOGGED_AT = new Date("2026-11-20T02:00:00Z");
const cst = (ms: number) => new Date(ms + 8 * HOUR).toISOString().replace("Z", "+08:00");

let app: TestApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([createTestApp({ now: LOGGED_AT }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const unexpected = (errors: string[]) =>
  errors.filter((e) => !/Failed to load resource: the server responded with a status of (401|409)/.test(e));

describe("the impact replay in the review dialog", () => {
  it("starts, shows its progress, then the summary, and opens an example in the simulator", async () => {
    // seven-day returns asked for 1 to 12 days after delivery, logged with the active version
    for (let days = 1; days <= 12; days++) {
      const facts = aCase({
        now: LOGGED_AT.toISOString(),
        order: { deliveredAt: cst(LOGGED_AT.getTime() - days * DAY) },
        refund: { reason: "no_reason_7d", returnGoods: true },
      });
      expect((await app.decide("refund-eligibility", facts)).status).toBe(200);
    }
    // an editor widens the window to ten days and asks for a review
    await aUser(app, "editor-li", "editor");
    const editor = withSession(app, (await signInByApi(app, "editor-li")).cookie);
    const draft = (await app.call("GET", "/api/v1/rule-sets/refund-eligibility")).body.draft;
    const rules = draft.rules.map((rule: any) =>
      rule.name === "seven-day-return-within-7-days-of-delivery"
        ? JSON.parse(JSON.stringify(rule).replace('"P7D"', '"P10D"'))
        : rule,
    );
    const saved = await app.call(
      "PUT",
      "/api/v1/rule-sets/refund-eligibility/draft",
      { revision: draft.revision, rules },
      editor,
    );
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    // the seeded test case of a return 8 days after delivery now expects what ten days allow
    const testCases = (await app.call("GET", "/api/v1/rule-sets/refund-eligibility/test-cases")).body.testCases.map(
      (testCase: any) =>
        testCase.name === "七天无理由：签收 8 天后申请，不可退"
          ? {
              ...testCase,
              name: "七天无理由：签收 8 天后申请，十天内可退",
              expect: { ...testCase.expect, eligible: true, channel: "return_and_refund" },
            }
          : testCase,
    );
    const replaced = await app.call("PUT", "/api/v1/rule-sets/refund-eligibility/test-cases", { testCases }, editor);
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    const submitted = await app.call(
      "POST",
      "/api/v1/rule-sets/refund-eligibility/submit",
      { note: "七天无理由放宽到十天" },
      editor,
    );
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    app.setNow(new Date(LOGGED_AT.getTime() + HOUR));

    const { context, page, consoleErrors } = await openPage(browser);
    await signIn(page, app.url);
    await page.goto(`${app.url}/admin/rule-sets/refund-eligibility`);
    await page.getByRole("button", { name: "审核", exact: true }).click();
    const dialog = page.getByRole("dialog");
    const impact = dialog.getByTestId("impact-summary");
    await impact.getByRole("heading", { name: "影响回放" }).waitFor();
    await impact.getByRole("button", { name: "回放最近 30 天" }).click();
    // the worker takes a moment to start: its progress shows meanwhile
    await impact.getByText(/已回放 \d+ \/ 12 单/).waitFor();
    const summary = impact.getByTestId("impact-result");
    // delivered 8, 9 and 10 days before: outside seven days, inside ten
    await summary.getByText("回放 12 单，其中 3 单的结果会改变").waitFor();
    await summary.locator('li[data-field="eligible"]').getByText("3 单").waitFor();
    await summary.getByText("变为可退款：3 单").waitFor();
    await summary.getByText("变为不可退款：0 单").waitFor();
    await summary.getByText("由哪些规则引起").waitFor();
    expect(await summary.locator("li[data-rule]").count()).toBeGreaterThan(0);
    await summary
      .locator("details")
      .first()
      .evaluate((details) => details.setAttribute("open", ""));
    await impact.scrollIntoViewIfNeeded();
    await impact.screenshot({ path: join(SCREENSHOTS, "impact-01-review-dialog-summary.png") });
    const texts = (await summary.textContent()) ?? "";
    // Chinese first: field and value names, not the API's
    expect(texts).not.toMatch(/\beligible\b|\btrue\b|\bfalse\b/);

    const eligible = summary.locator('li[data-field="eligible"]');
    await eligible.getByText("示例（3）").waitFor();
    await eligible.getByRole("link", { name: "在模拟器中打开" }).first().click();
    await page.getByRole("button", { name: "运行模拟" }).click();
    // the case at the time it was decided: the draft makes it eligible where the active version did not
    await page.getByText("草稿与当前版本的结论不同").waitFor();
    await screenshot(page, "impact-02-sample-in-simulator");
    expect(unexpected(consoleErrors)).toEqual([]);
    await context.close();
  });
});
