import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openPage, screenshot, signIn } from "../helpers/browser.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

/**
 * Honest tests, in real Chromium and in Chinese: the test-case form stores only what it shows (−10
 * and 8.888 元 are refused at the field, "１２０元" from a Chinese input method is ¥120.00), a test
 * that checks nothing is refused, accepting the actual result first shows what changes and which
 * rule gave each value, and the review of a draft whose test expectation was rewritten shows it
 * before → after beside the rule diff, as the audit log does.
 */

let app: TestApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([createTestApp({ now: new Date() }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** Chromium reports every 4xx a page receives as a console error; the ones a step provokes on purpose are not the page's. */
const unexpected = (errors: string[]) =>
  errors.filter((e) => !/Failed to load resource: the server responded with a status of (401|409|422)/.test(e));

async function openTests(page: Page, ruleSetName: string) {
  await signIn(page, app.url);
  await page.getByRole("link", { name: ruleSetName }).first().click();
  await page.getByRole("heading", { name: ruleSetName, level: 1 }).waitFor();
  await page.getByRole("link", { name: "测试用例" }).click();
  await page.getByRole("button", { name: "添加测试用例" }).waitFor();
}

const fieldError = (dialog: Locator, text: string) => dialog.locator(".field-error", { hasText: text });

describe("honest tests", () => {
  it("refuses −10 and 8.888 元 at the field, takes １２０元, refuses a test that checks nothing, and shows what accepting the actual result changes", async () => {
    // the rule that decides the case carries a title, which the admin shows beside its name
    const detail = (await app.call("GET", "/api/v1/rule-sets/refund-eligibility")).body;
    const rules = detail.draft.rules.map((rule: any) =>
      rule.name === "received-goods-come-back-for-a-refund" ? { ...rule, title: "已收到货：退货退款" } : rule,
    );
    const saved = await app.call("PUT", "/api/v1/rule-sets/refund-eligibility/draft", {
      revision: detail.draft.revision,
      rules,
    });
    expect(saved.status).toBe(200);

    const { context, page, consoleErrors } = await openPage(browser);
    await openTests(page, "退款资格");

    await page.getByRole("button", { name: "添加测试用例" }).click();
    const dialog = page.getByRole("dialog", { name: "添加测试用例" });
    await dialog.getByLabel("名称", { exact: true }).fill("已收货的七天无理由退货：最多退 120 元");
    await dialog.getByRole("checkbox", { name: "检查可以退款" }).check();
    await dialog.getByRole("checkbox", { name: "检查最大可退金额" }).check();
    const amount = dialog.getByRole("textbox", { name: "最大可退金额的期望值" });

    // −10: shown in red with the reason, and 完成 refuses
    await amount.fill("-10");
    await fieldError(dialog, "金额不能为负数").waitFor();
    expect(await amount.getAttribute("aria-invalid")).toBe("true");
    await dialog.getByRole("button", { name: "完成" }).click();
    await dialog.getByText("还不能完成：请先改正标红的字段").waitFor();
    expect(await dialog.isVisible()).toBe(true);
    await screenshot(page, "40-test-form-refuses-negative");

    // 8.888: a third decimal is refused, never rounded
    await amount.fill("8.888");
    await fieldError(dialog, "金额最多两位小数（精确到分）").waitFor();
    await dialog.getByRole("button", { name: "完成" }).click();
    expect(await dialog.isVisible()).toBe(true);
    await screenshot(page, "41-test-form-refuses-third-decimal");

    // "１２０元" as a Chinese input method types it: ¥120.00 exactly
    await amount.fill("１２０元");
    expect(await amount.getAttribute("aria-invalid")).toBeNull();
    expect(await dialog.getByText("还不能完成：请先改正标红的字段").count()).toBe(0);
    await dialog.getByRole("checkbox", { name: "检查需人工复核" }).check();
    await dialog.getByRole("combobox", { name: "需人工复核的期望值" }).selectOption({ label: "是" });
    await dialog.getByRole("button", { name: "完成" }).click();
    await dialog.waitFor({ state: "detached" });
    const added = page.getByRole("article", { name: "已收货的七天无理由退货：最多退 120 元" });
    expect(await added.textContent()).toContain("最大可退金额: ¥120.00");

    // a test case that checks nothing is refused with the reason
    await page.getByRole("button", { name: "添加测试用例" }).click();
    await dialog.getByLabel("名称", { exact: true }).fill("什么都不检查");
    await dialog.getByRole("button", { name: "完成" }).click();
    await dialog.getByText("请至少勾选一个要检查的结论字段").waitFor();
    await screenshot(page, "42-test-form-refuses-empty-expectation");
    await dialog.getByRole("button", { name: "取消" }).click();
    await dialog.waitFor({ state: "detached" });

    // saved, run: the case fails; accepting the actual result first shows what changes and which rule said so
    await page.getByRole("button", { name: "保存测试用例" }).click();
    await page.getByText("已保存 6 个测试用例").first().waitFor();
    const stored = (await app.call("GET", "/api/v1/rule-sets/refund-eligibility/test-cases")).body.testCases;
    expect(stored.at(-1).expect).toEqual({ eligible: false, maxRefundableFen: 12000, manualReview: true });
    await page.getByRole("button", { name: "运行测试" }).click();
    await expect.poll(() => added.getAttribute("data-status")).toBe("fail");
    await added.getByRole("button", { name: "用实际结果更新期望" }).click();
    const accept = page.getByRole("dialog", { name: "用实际结果更新期望？" });
    const changes = accept.getByRole("list", { name: "将要修改的期望" }).getByRole("listitem");
    await expect.poll(() => changes.count()).toBe(3);
    const text = async (selector: string) =>
      (await changes.locator(selector).allTextContents()).map((t) => t.replace(/\s+/g, " ").trim());
    expect(await text(".accept-change-value")).toEqual([
      "可以退款：否 → 是",
      "最大可退金额：¥120.00 → ¥100.00",
      "需人工复核：是 → 否",
    ]);
    expect(await text(".accept-change-source")).toEqual([
      "新值由规则决定： 已收到货：退货退款 received-goods-come-back-for-a-refund",
      "新值由系统根据其他结论字段和案例计算得出。",
      "新值来自默认值：没有触发的规则设置这个字段。",
    ]);
    await screenshot(page, "43-accept-actual-shows-change-and-rule");
    // nothing changes until confirmed
    await accept.getByRole("button", { name: "取消" }).click();
    await accept.waitFor({ state: "detached" });
    expect(await added.getAttribute("data-status")).toBe("fail");
    await added.getByRole("button", { name: "用实际结果更新期望" }).click();
    await accept.getByRole("button", { name: "确认更新期望" }).click();
    await expect.poll(() => added.getAttribute("data-status")).toBe("pass");
    expect(await added.textContent()).toContain("最大可退金额: ¥100.00");
    await page.getByRole("button", { name: "保存测试用例" }).click();
    await expect
      .poll(
        async () =>
          (await app.call("GET", "/api/v1/rule-sets/refund-eligibility/test-cases")).body.testCases.at(-1).expect,
      )
      .toEqual({ eligible: true, maxRefundableFen: 10000, manualReview: false });

    expect(unexpected(consoleErrors)).toEqual([]);
    await context.close();
  });

  it("shows the reviewer a test expectation rewritten to pass, before → after, beside the rule diff, and the audit says so", async () => {
    // an editor (here through the API) adds a rule and rewrites the expectation the rule breaks, then submits
    const detail = (await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body;
    const sellerPays = {
      name: "seller-pays-return-of-seven-day-free-shipping",
      title: "双十一：包邮商品七天无理由退货由卖家承担运费",
      description: "大促：包邮商品七天无理由退货的退货运费由卖家承担。",
      priority: 350,
      enabled: true,
      conditions: {
        all: [
          { fact: "refund", path: "reason", operator: "equal", value: "no_reason_7d" },
          { fact: "order", path: "freeShipping", operator: "equal", value: true },
        ],
      },
      event: { type: "seller-pays-return", params: { returnShippingPayer: "seller" } },
    };
    expect(
      (
        await app.call("PUT", "/api/v1/rule-sets/shipping-fee/draft", {
          revision: detail.draft.revision,
          rules: [...detail.draft.rules, sellerPays],
        })
      ).status,
    ).toBe(200);
    const cases = (await app.call("GET", "/api/v1/rule-sets/shipping-fee/test-cases")).body.testCases;
    const sevenDay = "七天无理由、卖家包邮：各自承担，买家付退货运费";
    const rewritten = cases.map((c: any) =>
      c.name === sevenDay
        ? {
            ...c,
            expect: { ...c.expect, returnShippingPayer: "seller", settlement: "buyer_advances_seller_reimburses" },
          }
        : c,
    );
    expect((await app.call("PUT", "/api/v1/rule-sets/shipping-fee/test-cases", { testCases: rewritten })).status).toBe(
      200,
    );
    expect((await app.call("POST", "/api/v1/rule-sets/shipping-fee/submit", { note: "双十一运费" })).status).toBe(200);

    const { context, page, consoleErrors } = await openPage(browser);
    await signIn(page, app.url);
    await page.getByRole("link", { name: "运费承担" }).first().click();
    await page.getByRole("button", { name: "审核", exact: true }).click();
    const review = page.getByRole("dialog");
    const tests = review.getByTestId("test-case-diff");
    await tests.waitFor();
    expect(await tests.getByRole("heading").textContent()).toBe("测试用例的改动");
    const changed = tests.locator(`[data-test-case="${sevenDay}"]`);
    expect(await changed.getAttribute("data-status")).toBe("changed");
    const rows = (await changed.locator(".vd-test-expect").allTextContents()).map((t) => t.replace(/\s+/g, " ").trim());
    expect(rows).toEqual([
      "期望 退货运费：买家承担 → 卖家承担",
      expect.stringMatching(/^期望 卖家运费结算方式：无 → .+$/),
    ]);
    // beside the rule diff
    expect(await review.getByText("seller-pays-return-of-seven-day-free-shipping").count()).toBeGreaterThan(0);
    await changed.scrollIntoViewIfNeeded();
    await screenshot(page, "44-review-shows-test-expectation-rewritten");
    await review.getByRole("button", { name: "取消" }).click();

    // the versions page compares the draft with the active version the same way
    await page.getByRole("link", { name: "版本历史" }).click();
    await page.getByRole("button", { name: "草稿 vs 当前版本" }).click();
    const compared = page.getByTestId("test-case-diff");
    await compared.locator(`[data-test-case="${sevenDay}"]`).waitFor();
    expect(await compared.textContent()).toContain("期望 退货运费：买家承担 → 卖家承担");
    await compared.scrollIntoViewIfNeeded();
    await screenshot(page, "45-versions-compare-test-cases");

    // the audit log says which test changed and how
    await page.getByRole("link", { name: "审计日志" }).click();
    await page.getByLabel("动作").selectOption("test-cases.replace");
    await page.getByRole("button", { name: "查询" }).click();
    const sentence = page
      .locator('tr[data-action="test-cases.replace"]', { hasText: "shipping" })
      .or(page.locator('tr[data-action="test-cases.replace"]', { hasText: "运费承担" }))
      .first()
      .locator(".audit-sentence");
    await expect
      .poll(() => sentence.textContent())
      .toContain(`修改用例“${sevenDay}”（期望 退货运费：买家承担 → 卖家承担；`);
    await screenshot(page, "46-audit-says-which-test-changed");
    expect(unexpected(consoleErrors)).toEqual([]);
    await context.close();
  });
});
