import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labelOf, valueLabels } from "../../shared/labels.ts";
import type { RuleStats } from "../../shared/stats.ts";
import { outcomeLabel } from "../../admin/pages/decision-log/outcomes.ts";
import { launchBrowser, openPage, screenshot, signIn } from "../helpers/browser.ts";
import { aCase } from "../helpers/fixtures.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

/**
 * The analytics tab in Chinese: a week of decisions, more each day (several outcomes, several rules, one rule with a
 * Chinese title in the draft), drawn as three SVG charts with their summaries and tables, and the rules that never fired.
 */

let app: TestApp;
let browser: Browser;
const seed = JSON.parse(readFileSync("rules/refund-eligibility.json", "utf8")) as { testCases: { facts: unknown }[] };
const cases: unknown[] = [
  ...seed.testCases.map((testCase) => testCase.facts),
  aCase({ order: { status: "closed" } }),
  aCase({ order: { status: "paid", deliveredAt: undefined } }),
];
// the service's clock on the last day: 2026-11-20 18:00 in Beijing
const now = new Date("2026-11-20T10:00:00Z");
const TITLE = "七天无理由退货：签收 7 天内";
/** How the admin in Chinese names a value, for reading outcomes as it does. */
const zh = { lang: () => "zh" as const, value: (value: string) => labelOf(valueLabels, value, "zh") };

const DAY = 86_400_000;

/** The case as it would be `days` days earlier: every ISO time in it moved back. */
function daysEarlier(facts: unknown, days: number): unknown {
  return JSON.parse(JSON.stringify(facts), (_key, value) =>
    typeof value === "string" && /^\d{4}-\d\d-\d\dT/.test(value)
      ? new Date(Date.parse(value) - days * DAY).toISOString()
      : value,
  );
}

beforeAll(async () => {
  [app, browser] = await Promise.all([createTestApp({ now }), launchBrowser()]);
  // a week of decisions at 18:00 Beijing time, one round more each day; the cases moved to their day
  for (let daysAgo = 6; daysAgo >= 0; daysAgo--) {
    app.setNow(new Date(now.getTime() - daysAgo * DAY));
    for (let round = 0; round < 7 - daysAgo; round++)
      for (const facts of cases)
        expect((await app.decide("refund-eligibility", daysEarlier(facts, daysAgo))).status).toBe(200);
  }
  app.setNow(now);
  // a title in Chinese for one rule, which the hits chart shows instead of its name
  const detail = (await app.call("GET", "/api/v1/rule-sets/refund-eligibility")).body;
  const rules = detail.draft.rules.map((rule: { name: string }) =>
    rule.name === "seven-day-return-within-7-days-of-delivery" ? { ...rule, title: TITLE } : rule,
  );
  const saved = await app.call("PUT", "/api/v1/rule-sets/refund-eligibility/draft", {
    revision: detail.draft.revision,
    rules,
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe("the analytics tab", () => {
  it("draws decisions, the outcome mix and rule fires in Chinese, and lists the rules that never fired", async () => {
    const expected = (await app.call("GET", "/api/v1/rule-sets/refund-eligibility/stats")).body as RuleStats;
    expect(expected.total).toBe(cases.length * 28);
    expect(Object.keys(expected.byOutcome).length).toBeGreaterThan(1);
    expect(expected.neverFired.length).toBeGreaterThan(0);

    const { page, consoleErrors } = await openPage(browser);
    await signIn(page, app.url);
    await page.goto(`${app.url}/admin/rule-sets/refund-eligibility`);
    await page.getByRole("link", { name: "统计" }).click();
    await page.getByTestId("stats-total").getByText(`共 ${expected.total} 次决策`).waitFor();

    const decisions = page.getByTestId("chart-decisions");
    const outcomes = page.getByTestId("chart-outcomes");
    const rules = page.getByTestId("chart-rules");
    for (const chart of [decisions, outcomes, rules]) await chart.locator("svg").first().waitFor();
    await decisions.getByRole("heading", { name: "决策数随时间变化" }).waitFor();
    await outcomes.getByRole("heading", { name: "结果分布随时间变化" }).waitFor();
    await rules.getByRole("heading", { name: "每条规则的触发次数" }).waitFor();
    // 30 days by the Beijing day, the last one today
    expect(await decisions.locator(".stats-summary").textContent()).toContain(`30 个时间段共 ${expected.total} 次决策`);

    // one stacked series per outcome, each named in Chinese in the legend the SVG draws
    const outcomeSvg = (await outcomes.locator(".stats-canvas svg").innerHTML()) as string;
    expect(outcomeSvg).toContain("不可退款");
    expect(outcomeSvg).toContain("可退款·");
    // outcomes that read the same (a refusal, whatever its channel) are one series and one column
    const labels = new Set(
      Object.keys(expected.byOutcome).map((outcome) => outcomeLabel("refund-eligibility", outcome, zh)),
    );
    expect(labels.size).toBeLessThan(Object.keys(expected.byOutcome).length);
    expect(await outcomes.locator("thead th").count()).toBe(2 + labels.size);
    expect(outcomeSvg.split("不可退款").length - 1).toBe(1);

    // one bar per rule that fired, the titled one by its title; the table gives each count
    const ruleSvg = (await rules.locator(".stats-canvas svg").innerHTML()) as string;
    expect(ruleSvg).toContain(TITLE);
    await rules.getByText("数据表").click();
    const rows = rules.locator("tbody tr");
    expect(await rows.count()).toBe(Object.keys(expected.byRule).length);
    const seven = expected.byRule["seven-day-return-within-7-days-of-delivery"];
    if (seven !== undefined)
      expect(
        await rules
          .getByRole("row", { name: new RegExp(TITLE) })
          .locator("td")
          .textContent(),
      ).toBe(String(seven));

    await page.getByRole("heading", { name: "30 天内从未触发的规则" }).waitFor();
    const neverFired = page.getByTestId("never-fired").locator("li");
    expect(await neverFired.count()).toBe(expected.neverFired.length);
    expect(await page.getByTestId("never-fired").textContent()).toContain(expected.neverFired[0]!.rule);
    await screenshot(page, "stats-01-analytics-tab");

    // the last 7 days by the hour: the same decisions, in 168 hours
    await page.getByLabel("统计时间段").selectOption({ label: "最近 7 天" });
    await page.getByLabel("统计粒度").selectOption({ label: "按小时" });
    await page.getByRole("heading", { name: "7 天内从未触发的规则" }).waitFor();
    await decisions.locator(".stats-summary").getByText(`168 个时间段共 ${expected.total} 次决策`).waitFor();
    // the busiest hour, in Beijing time: 18:00 on the 20th (10:00 UTC)
    expect(await decisions.locator(".stats-summary").textContent()).toContain("2026-11-20 18:00");
    await screenshot(page, "stats-02-seven-days-by-hour");
    expect(consoleErrors).toEqual([]);
  });
});
