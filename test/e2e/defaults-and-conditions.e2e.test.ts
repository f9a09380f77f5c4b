import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openPage, screenshot, signIn } from "../helpers/browser.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

/** A manager changes a rule set's default decision and a shared condition in the editor, never opening the JSON view. */

let app: TestApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([createTestApp({ now: new Date() }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const unexpected = (errors: string[]) =>
  errors.filter((e) => !/Failed to load resource: the server responded with a status of (401|403|409|422)/.test(e));
const draftOf = async (key: string) => (await app.call("GET", `/api/v1/rule-sets/${key}`)).body.draft;

describe("默认结果与共享条件，不用 JSON", () => {
  it("改退款资格的默认“需人工复核”，保存后草稿的默认结果随之改变", async () => {
    const { context, page, consoleErrors } = await openPage(browser);
    await signIn(page, app.url);
    await page.goto(`${app.url}/admin/rule-sets/refund-eligibility`);
    const card = page.getByRole("region", { name: "默认结果" });
    await card.waitFor();
    // every default is required: none can be removed
    expect(await card.getByRole("checkbox", { name: "设置“需人工复核”" }).isDisabled()).toBe(true);
    await card.getByRole("combobox", { name: "需人工复核" }).selectOption({ label: "是" });
    await card.getByRole("combobox", { name: "退款渠道" }).selectOption({ label: "仅退款" });
    await expect.poll(() => page.getByText("有未保存的修改").count()).toBeGreaterThan(0);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, "defaults-and-conditions-01-default-decision");
    await page.getByRole("button", { name: "保存草稿" }).click();
    await page.getByText(/草稿已保存（修订/).waitFor();
    const draft = await draftOf("refund-eligibility");
    expect(draft.defaults).toMatchObject({ manualReview: true, channel: "refund_only", eligible: false });
    expect(unexpected(consoleErrors)).toEqual([]);
    await context.close();
  });

  it("在条件构建器中改共享条件 whole-order-before-shipment，保存；被引用的共享条件不能删除", async () => {
    const { context, page, consoleErrors } = await openPage(browser);
    await signIn(page, app.url);
    await page.goto(`${app.url}/admin/rule-sets/refund-eligibility`);
    const card = page.getByRole("region", { name: "共享条件" });
    const item = card.locator('[data-shared="whole-order-before-shipment"]');
    await item.waitFor();
    await expect.poll(() => item.textContent()).toMatch(/被 [1-9]\d* 条规则引用/);

    await item.getByRole("button", { name: "删除「whole-order-before-shipment」" }).click();
    await item.getByRole("alert").waitFor();
    expect(await item.getByRole("alert").textContent()).toMatch(
      /^不能删除「whole-order-before-shipment」：「.+」.*还在引用它/,
    );

    await item.getByRole("button", { name: "编辑「whole-order-before-shipment」" }).click();
    // the order's status: paid → shipped
    const status = item.getByRole("combobox", { name: "值" }).nth(1);
    await status.selectOption({ label: "已发货" });
    await expect.poll(() => item.locator(".shared-words").textContent()).toContain("订单状态 = 已发货");
    await item.scrollIntoViewIfNeeded();
    await screenshot(page, "defaults-and-conditions-02-shared-condition");
    await page.getByRole("button", { name: "保存草稿" }).click();
    await page.getByText(/草稿已保存（修订/).waitFor();
    const draft = await draftOf("refund-eligibility");
    expect(draft.conditions["whole-order-before-shipment"]).toEqual({
      all: [
        { fact: "refund", path: "wholeOrder", operator: "equal", value: true },
        { fact: "order", path: "status", operator: "equal", value: "shipped" },
      ],
    });

    // both changes show in the comparison of the draft with the active version
    await page.getByRole("link", { name: "版本历史" }).click();
    await page.getByRole("button", { name: "草稿 vs 当前版本" }).click();
    const defaults = page.locator(".vd-section").filter({ has: page.getByRole("heading", { name: "默认结果" }) });
    await defaults.waitFor();
    expect(await defaults.textContent()).toContain("需人工复核");
    const sharedDiff = page.locator(".vd-section").filter({ has: page.getByRole("heading", { name: "共享条件" }) });
    expect(await sharedDiff.textContent()).toContain("whole-order-before-shipment");
    expect(await sharedDiff.textContent()).toContain("已发货");
    await defaults.scrollIntoViewIfNeeded();
    await screenshot(page, "defaults-and-conditions-03-version-diff");
    expect(unexpected(consoleErrors)).toEqual([]);
    await context.close();
  });
});
