import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openPage, screenshot, signIn } from "../helpers/browser.ts";
import { aCase } from "../helpers/fixtures.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

/** The administrator's screens in real Chromium: users, API keys, the audit log and the decision log. */

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

describe("the administrator's screens", () => {
  it("adds a user, creates an API key shown once that asks for decisions, and revokes it", async () => {
    const { context, page, consoleErrors } = await openPage(browser);
    await signIn(page, app.url);

    await page.getByRole("link", { name: "用户", exact: true }).click();
    await page.getByRole("button", { name: "添加用户" }).click();
    await page.getByRole("dialog").getByLabel("用户名").fill("li.lei");
    await page.getByRole("dialog").getByLabel("初始密码").fill("a-long-initial-password");
    await page.getByRole("button", { name: "确认添加" }).click();
    await page.locator('tr[data-username="li.lei"]').waitFor();
    await screenshot(page, "12-users");
    expect((await app.call("GET", "/api/v1/users")).body.users.map((u: any) => u.username)).toContain("li.lei");

    await page.getByRole("link", { name: "API 密钥" }).click();
    await page.getByRole("button", { name: "创建密钥" }).click();
    await page.getByRole("dialog").getByLabel("名称").fill("order-service");
    await page.getByRole("checkbox", { name: /请求决策/ }).check();
    await page.getByRole("button", { name: "确认创建" }).click();
    const secret = await page.getByTestId("new-api-key").inputValue();
    expect(secret).toMatch(/^asr_/);
    await screenshot(page, "13-api-key-created");
    await page.getByRole("button", { name: "我已保存，关闭" }).click();

    // the new key decides; after revoking it answers 401
    const decide = () =>
      fetch(`${app.url}/api/v1/decisions/shipping-fee`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        body: JSON.stringify({ facts: aCase() }),
      });
    expect((await decide()).status).toBe(200);
    const row = page.getByRole("row", { name: /order-service/ });
    await row.getByRole("button", { name: "吊销" }).click();
    await page.getByRole("button", { name: "确认吊销" }).click();
    await expect.poll(() => row.getAttribute("data-status")).toBe("revoked");
    expect((await decide()).status).toBe(401);
    expect(unexpected(consoleErrors)).toEqual([]);
    await context.close();
  });

  it("filters the audit log and finds a decision in the decision log", async () => {
    const decided = await app.decide("refund-eligibility", aCase({ order: { status: "closed" } }));
    const { context, page, consoleErrors } = await openPage(browser);
    await signIn(page, app.url);

    await page.getByRole("link", { name: "审计日志" }).click();
    await page.getByLabel("动作").selectOption("api-key.create");
    await page.getByRole("button", { name: "查询" }).click();
    await expect.poll(() => page.locator('tr[data-action="api-key.create"]').count()).toBeGreaterThan(0);
    expect(
      await page
        .locator("tr[data-action]")
        .evaluateAll((rows) => rows.every((r) => r.getAttribute("data-action") === "api-key.create")),
    ).toBe(true);
    await screenshot(page, "14-audit-log");

    await page.getByRole("link", { name: "决策记录" }).click();
    await page.getByLabel("决策编号").fill(decided.body.decisionId);
    await page.getByRole("button", { name: "查询" }).click();
    await page.locator(`tr[data-id="${decided.body.decisionId}"]`).waitFor();
    await page.getByRole("button", { name: `查看决策 ${decided.body.decisionId}` }).click();
    await page.getByRole("dialog").locator(".decision-detail").waitFor();
    expect(await page.getByRole("dialog").textContent()).toContain("closed-order-cannot-be-refunded");
    await screenshot(page, "15-decision-log");
    expect(unexpected(consoleErrors)).toEqual([]);
    await context.close();
  });

  it("finds a decision by its order number and opens it in the simulator against the version that decided it", async () => {
    const decided = await app.decide("refund-eligibility", aCase({ order: { id: "E20261111001", status: "closed" } }), {
      version: 1,
    });
    expect(decided.status).toBe(200);
    const { context, page, consoleErrors } = await openPage(browser);
    await signIn(page, app.url);
    await page.getByRole("link", { name: "决策记录" }).click();
    await page.getByLabel("订单号").fill("E20261111001");
    await page.getByRole("button", { name: "查询" }).click();
    await page.locator(`tr[data-id="${decided.body.decisionId}"]`).waitFor();
    expect(await page.locator("tr[data-id]").count()).toBe(1);
    await page.getByRole("button", { name: `查看决策 ${decided.body.decisionId}` }).click();
    await page.getByRole("dialog").getByText("订单号 E20261111001").waitFor();
    await page.getByRole("link", { name: "在模拟器中打开" }).click();
    await expect.poll(() => page.getByLabel("对比").inputValue()).toBe("1");
    await page.getByRole("button", { name: "运行模拟" }).click();
    await page.getByRole("heading", { name: "版本 v1", level: 3 }).waitFor();
    await page.getByText("草稿与版本 v1 的结论相同。").waitFor();
    await screenshot(page, "15b-simulator-against-deciding-version");
    expect(unexpected(consoleErrors)).toEqual([]);
    await context.close();
  });
});
