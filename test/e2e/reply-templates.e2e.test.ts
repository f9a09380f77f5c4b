import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openPage, screenshot, signIn } from "../helpers/browser.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

/**
 * 回复模板 in Chinese: a manager opens late_delivery, edits its Chinese text with the palette and the keyboard, sees the
 * preview follow and an unknown placeholder refused in words, saves, publishes with a confirmation, compares the new
 * version with the old one, and the render endpoint answers the new text.
 */

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([createTestApp(), launchBrowser()]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const variables = { item: "连衣裙", fromCity: "杭州", toCity: "成都", days: 3 };

describe("回复模板", () => {
  it("edits late_delivery's Chinese text with a live preview, publishes it, and the render answers the new text", async () => {
    const { page, consoleErrors } = await openPage(browser);
    await signIn(page, app.url);
    await page.getByRole("link", { name: "回复模板" }).click();
    await page.getByRole("heading", { name: "回复模板", level: 1 }).waitFor();
    const row = page.locator('tr[data-template="late_delivery"]');
    await row.getByText("已发布").waitFor();
    await screenshot(page, "templates-list");

    await row.getByRole("link").click();
    await page.getByRole("heading", { name: "到货延迟：安抚客户", level: 1 }).waitFor();
    const zh = page.getByLabel("中文文字");
    const preview = page.getByTestId("preview-zh");
    // the preview shows the sample values in place of the placeholders
    await preview.getByText("杭州").first().waitFor();
    expect(await preview.textContent()).toContain("从杭州发到成都");

    // a new opening line, then the order number from the palette at the cursor
    await zh.fill("亲，订单 已经在路上啦！您的{item}从{fromCity}发到{toCity}，预计{days}天内送达，请您放心！");
    await zh.evaluate((element: HTMLTextAreaElement) => element.setSelectionRange(5, 5));
    await page.locator('section[data-language="zh"] button[data-placeholder="orderNo"]').click();
    await expect.poll(() => zh.inputValue()).toContain("订单 {orderNo}已经在路上啦");
    await expect
      .poll(() => preview.textContent())
      .toContain("订单 20261111123456已经在路上啦！您的2026新款连衣裙 黑色L码从杭州发到成都");

    // an editable sample changes the preview
    await page.locator('input[data-sample="zh-toCity"]').fill("拉萨");
    await expect.poll(() => preview.textContent()).toContain("发到拉萨");

    // an unknown placeholder: listed in Chinese, underlined in the preview, and saving is held back
    await zh.fill("亲，{客户名}您好");
    await page.getByText("不认识的占位符 {客户名}（第 3 个字符）").waitFor();
    await preview.locator(".unknown-placeholder").getByText("{客户名}").waitFor();
    expect(await page.getByRole("button", { name: "保存草稿" }).isDisabled()).toBe(true);
    await screenshot(page, "templates-unknown-placeholder");

    // a brace alone is named with its remedy; written twice it is one brace, in the preview as in the reply
    await zh.fill("亲，{满减活动");
    await page.getByText("第 3 个字符的花括号不成对：花括号只用于占位符，要写花括号本身请连写两个").waitFor();
    await zh.fill("亲，{{满减活动}}进行中，{item}");
    await expect.poll(() => preview.textContent()).toContain("亲，{满减活动}进行中，");
    expect(await page.locator(".template-flaws").count()).toBe(0);
    await screenshot(page, "templates-literal-braces");

    const newText = "亲，订单{orderNo}已经在路上啦！您的{item}从{fromCity}发到{toCity}，预计{days}天内送达，请您放心！";
    await zh.fill(newText);
    // publishing waits for the draft to be saved
    expect(await page.getByRole("button", { name: "发布" }).isDisabled()).toBe(true);
    await page.getByRole("button", { name: "保存草稿" }).click();
    await page.getByText("草稿已保存").waitFor();
    await screenshot(page, "templates-editor");

    await page.getByRole("button", { name: "发布" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("发布后，回复接口将使用这份草稿作为第 2 版。").waitFor();
    await dialog.getByLabel("发布说明（可选）").fill("告诉客户订单号");
    await screenshot(page, "templates-publish-confirm");
    await dialog.getByRole("button", { name: "发布" }).click();
    await page.getByText("已发布第 2 版").first().waitFor();

    // the history: version 1 beside the draft, its text marked where the draft differs
    const first = page.locator('li[data-version="1"]');
    await first.getByRole("button", { name: "与当前草稿对比" }).click();
    await first.locator('[data-compare="zh"] del').first().waitFor();
    await first.locator('[data-compare="zh"] ins').first().waitFor();
    await page.locator('li[data-version="2"]').getByText("告诉客户订单号").waitFor();
    // the times are Beijing's: the test clock is 2026-11-20 02:00 UTC
    await page.locator('li[data-version="2"]').getByText("2026-11-20 10:00").waitFor();
    await screenshot(page, "templates-history");

    const rendered = await app.call("POST", "/api/v1/replies/render", {
      template: "late_delivery",
      language: "zh",
      variables: { ...variables, orderNo: "20261207001" },
    });
    expect(rendered.status, JSON.stringify(rendered.body)).toBe(200);
    expect(rendered.body).toEqual({
      text: "亲，订单20261207001已经在路上啦！您的连衣裙从杭州发到成都，预计3天内送达，请您放心！",
      template: "late_delivery",
      version: 2,
      language: "zh",
    });
    expect(consoleErrors).toEqual([]);
  }, 60_000);

  it("asks before leaving unsaved changes", async () => {
    const { page } = await openPage(browser);
    await signIn(page, app.url);
    await page.goto(`${app.url}/admin/templates/thanks_after_review`);
    await page.getByRole("heading", { name: "评价后致谢", level: 1 }).waitFor();
    await page.getByLabel("中文文字").fill("谢谢！");
    let asked = "";
    page.once("dialog", async (dialog) => {
      asked = dialog.message();
      await dialog.dismiss();
    });
    await page.getByRole("link", { name: "← 全部模板" }).click();
    await expect.poll(() => asked).toBe("有未保存的修改，确定离开吗？");
    expect(page.url()).toContain("/templates/thanks_after_review");
  }, 60_000);
});
