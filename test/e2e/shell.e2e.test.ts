import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openPage, screenshot, signIn } from "../helpers/browser.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

let app: TestApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([createTestApp(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe("the admin shell", () => {
  it("asks to sign in, then lists the rule sets in Chinese with their active version", async () => {
    const { context, page, consoleErrors } = await openPage(browser);
    await page.goto(`${app.url}/admin/`);
    await page.getByRole("heading", { name: "登录售后规则管理" }).waitFor();
    await screenshot(page, "01-sign-in");
    await page.getByLabel("密码").fill("wrong password!");
    await page.getByRole("button", { name: "登录" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("用户名或密码不正确");
    await signIn(page, app.url);
    const cards = page.locator(".rule-set-card");
    await expect.poll(() => cards.count()).toBe(4);
    expect(await page.locator('[data-key="shipping-fee"]').textContent()).toContain("运费承担");
    expect(await page.locator('[data-key="shipping-fee"]').textContent()).toContain("v1");
    await screenshot(page, "02-rule-sets");
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("switches to English and remembers the choice", async () => {
    const { context, page, consoleErrors } = await openPage(browser);
    await signIn(page, app.url);
    await page.getByLabel("语言").selectOption("en");
    await page.getByRole("heading", { name: "Rule sets", level: 1 }).waitFor();
    await page.reload();
    await page.getByRole("heading", { name: "Rule sets", level: 1 }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    await page.getByLabel("Language").selectOption("zh");
    await page.getByRole("heading", { name: "规则集", level: 1 }).waitFor();
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("signs out and protects the admin again", async () => {
    const { context, page } = await openPage(browser);
    await signIn(page, app.url);
    await page.getByRole("button", { name: "退出登录" }).click();
    await page.getByRole("heading", { name: "登录售后规则管理" }).waitFor();
    await page.goto(`${app.url}/admin/rule-sets/shipping-fee`);
    await page.getByRole("heading", { name: "登录售后规则管理" }).waitFor();
    await context.close();
  });
});
