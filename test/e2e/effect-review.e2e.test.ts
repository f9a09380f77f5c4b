import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { launchBrowser, openPage, SCREENSHOTS, screenshot, signIn as signInThroughForm } from "../helpers/browser.ts";
import { aCase } from "../helpers/fixtures.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";
import { passwordOf } from "../helpers/users.ts";

/**
 * Issue 13 in real Chromium, in Chinese: the manager's Double-11 rule, placed under the rule that always sets the
 * return postage first, is marked on its card by the analysis of every possible case (and the mark goes once the rule
 * is moved above it, before saving); the reviewer then sees, in the review dialog, the finding with its example case
 * (which opens in the simulator), the rule set's invariants holding, and what the last 30 days would have looked like.
 */

let app: TestApp;
let browser: Browser;
type Rule = { name: string; priority?: number; title?: string } & Record<string, unknown>;

const double11: Rule = {
  name: "double-11-seller-pays-return",
  title: "双十一：包邮商品七天无理由退货由卖家承担运费",
  description: "活动期间包邮商品的七天无理由退货，退货运费由卖家承担。",
  priority: 190,
  enabled: true,
  conditions: {
    all: [
      { fact: "refund", path: "reason", operator: "equal", value: "no_reason_7d" },
      { fact: "order", path: "freeShipping", operator: "equal", value: true },
    ],
  },
  event: { type: "double-11-seller-pays-return", params: { returnShippingPayer: "seller" } },
};

beforeAll(async () => {
  [app, browser] = await Promise.all([createTestApp({ now: new Date() }), launchBrowser()]);
  const reviewer = await app.call("POST", "/api/v1/users", {
    username: "zhangwei",
    password: passwordOf("zhangwei"),
    role: "publisher",
    displayName: "张伟",
  });
  expect(reviewer.status).toBe(201);
  const draft = (await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body.draft;
  const saved = await app.call("PUT", "/api/v1/rule-sets/shipping-fee/draft", {
    revision: draft.revision,
    rules: [
      ...draft.rules.map((rule: Rule) =>
        rule.name === "free-shipping-each-pays-their-own-leg" ? { ...rule, title: "包邮：往返运费各自承担" } : rule,
      ),
      double11,
    ],
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const unexpected = (errors: string[]) =>
  errors.filter((e) => !/Failed to load resource: the server responded with a status of (401|409|422)/.test(e));

describe("knowing the effect before publishing", () => {
  it("the card of a rule that can never change the result says so, and stops once the rule is moved above", async () => {
    const { context, page, consoleErrors } = await openPage(browser);
    await signInThroughForm(page, app.url);
    await page.goto(`${app.url}/admin/rule-sets/shipping-fee`);
    const card = page.getByRole("article", { name: "double-11-seller-pays-return" });
    const findings = card.getByTestId("rule-findings");
    await expect
      .poll(() => findings.textContent(), { timeout: 15_000 })
      .toBe("⚠ 此规则永远不会改变结果：第 7 条「包邮：往返运费各自承担」总是先设定 退货运费");
    await screenshot(page, "effect-01-card-overridden");

    // moved above the 300 rule, unsaved: the analysis of the working copy finds nothing to say about it
    await card.getByRole("button", { name: "编辑" }).click();
    const priority = card.getByLabel("优先级", { exact: true });
    await priority.fill("350");
    await priority.press("Enter");
    await expect.poll(() => findings.count(), { timeout: 15_000 }).toBe(0);
    expect(unexpected(consoleErrors)).toEqual([]);
    await context.close();
  });

  it("the reviewer sees the finding with its example, the invariants holding, the replay changing nothing, and opens the example in the simulator", async () => {
    // seven-day returns of free-shipping orders, decided by the active version and logged
    for (let i = 0; i < 5; i++) {
      const facts = aCase({ order: { freeShipping: true }, refund: { reason: "no_reason_7d", returnGoods: true } });
      expect((await app.decide("shipping-fee", facts)).status).toBe(200);
    }
    const submitted = await app.call("POST", "/api/v1/rule-sets/shipping-fee/submit", { note: "双十一活动规则" });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);

    const reviewer = await openPage(browser);
    const { page } = reviewer;
    await signInThroughForm(page, app.url, "zhangwei", passwordOf("zhangwei"));
    await page.goto(`${app.url}/admin/rule-sets/shipping-fee`);
    await page.getByRole("button", { name: "审核", exact: true }).click();
    const dialog = page.getByRole("dialog");

    const analysis = dialog.getByTestId("analysis-findings");
    const overridden = analysis.locator('[data-kind="overridden"]');
    await expect
      .poll(() => overridden.first().textContent(), { timeout: 15_000 })
      .toContain(
        "第 9 条「双十一：包邮商品七天无理由退货由卖家承担运费」永远不会改变结果：第 7 条「包邮：往返运费各自承担」总是先设定 退货运费",
      );
    const invariants = dialog.getByTestId("invariant-status");
    await expect.poll(() => invariants.locator("li").count()).toBeGreaterThan(0);
    expect(await invariants.locator('li[data-status="broken"]').count()).toBe(0);
    expect(await invariants.textContent()).toContain("成立");
    // the replay agrees with the analysis: the last 30 days would have been decided alike
    const impact = dialog.getByTestId("impact-summary");
    await impact.getByRole("button", { name: "回放最近 30 天" }).click();
    await impact.getByTestId("impact-result").getByText("回放 5 单，草稿不会改变任何一单的结果。").waitFor();
    await invariants.scrollIntoViewIfNeeded();
    await dialog.screenshot({ path: join(SCREENSHOTS, "effect-02-review-findings-invariants-replay.png") });

    await overridden.first().getByRole("link", { name: "在模拟器中打开示例" }).click();
    await page.getByRole("button", { name: "运行模拟" }).click();
    // the example shows the finding: the Double-11 rule fires, and is overridden by the 300 rule
    const trace = page.locator(".sim-trace");
    await expect.poll(() => trace.textContent(), { timeout: 15_000 }).toContain("被覆盖");
    await screenshot(page, "effect-03-example-in-simulator");
    expect(unexpected(reviewer.consoleErrors)).toEqual([]);
    await reviewer.context.close();
  });
});
