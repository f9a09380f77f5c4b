import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openPage, screenshot, signIn as signInThroughForm } from "../helpers/browser.ts";
import { aCase } from "../helpers/fixtures.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";
import { passwordOf, signIn, withSession } from "../helpers/users.ts";

/**
 * Chinese first, in real Chromium: people are named as people (王芳, not user:wangfang; 系统, not system), the audit
 * log finds 超时规则 by its name, a reviewer's home page says 待你审核 and lands in a read-only review, and a logged
 * decision's case reads as the simulator's form with each reason's code and message.
 */

let app: TestApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([createTestApp({ now: new Date() }), launchBrowser()]);
  const reviewer = await app.call("POST", "/api/v1/users", {
    username: "zhangwei",
    password: passwordOf("zhangwei"),
    role: "publisher",
    displayName: "张伟",
  });
  expect(reviewer.status).toBe(201);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const wangfangPassword = "wangfang-initial-password";

/** Signs in through the form as `username`. */
const signInAs = (page: Page, username: string, password: string) =>
  signInThroughForm(page, app.url, username, password);

/** Chromium reports every 4xx a page receives as a console error; the ones a step provokes on purpose are not the page's. */
const unexpected = (errors: string[]) =>
  errors.filter((e) => !/Failed to load resource: the server responded with a status of (401|409|422)/.test(e));

describe("Chinese first", () => {
  it("an administrator adds 王芳 with her display name on the users page", async () => {
    const { context, page, consoleErrors } = await openPage(browser);
    await signInThroughForm(page, app.url);
    await page.getByRole("link", { name: "用户", exact: true }).click();
    await page.getByRole("button", { name: "添加用户" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("用户名").fill("wangfang");
    await dialog.getByLabel("显示名称").fill("王芳");
    await dialog.getByLabel("初始密码").fill(wangfangPassword);
    await dialog.getByRole("radio", { name: /发布者/ }).check();
    await page.getByRole("button", { name: "确认添加" }).click();
    const row = page.locator('tr[data-username="wangfang"]');
    await expect.poll(() => row.locator(".user-display-name").textContent()).toBe("王芳");
    await expect.poll(() => page.locator('tr[data-username="zhangwei"] .user-display-name').textContent()).toBe("张伟");
    await screenshot(page, "chinese-first-01-users-display-names");
    expect(unexpected(consoleErrors)).toEqual([]);
    await context.close();
  });

  it("a reviewer's home page says 待你审核 and lands in a read-only review; the version history names 王芳", async () => {
    // 王芳 rewords a timeouts rule and submits it for review
    const wangfang = withSession(app, (await signIn(app, "wangfang", wangfangPassword)).cookie);
    const timeouts = (await app.call("GET", "/api/v1/rule-sets/timeouts")).body;
    const reworded = timeouts.draft.rules.map((rule: any, i: number) =>
      i === 0 ? { ...rule, description: `${rule.description}（措辞修订）` } : rule,
    );
    const saved = await app.call(
      "PUT",
      "/api/v1/rule-sets/timeouts/draft",
      { revision: timeouts.draftRevision, rules: reworded },
      wangfang,
    );
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const submitted = await app.call("POST", "/api/v1/rule-sets/timeouts/submit", { note: "措辞修订" }, wangfang);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);

    // 张伟 signs in: the draft waiting for him comes first, marked, with who submitted it by name
    const reviewer = await openPage(browser);
    await signInAs(reviewer.page, "zhangwei", passwordOf("zhangwei"));
    const first = reviewer.page.locator(".rule-set-card").first();
    await expect.poll(() => first.getAttribute("data-key")).toBe("timeouts");
    expect(await first.getByTestId("to-review").textContent()).toBe("待你审核");
    expect(await first.textContent()).toContain("王芳 于");
    expect(await reviewer.page.getByTestId("to-review-lead").textContent()).toContain("1 个规则集的草稿等你审核");
    await screenshot(reviewer.page, "chinese-first-02-home-to-review");

    await first.getByRole("link", { name: "查看并审核 超时规则" }).click();
    await reviewer.page.getByTestId("review-page").waitFor();
    expect(new URL(reviewer.page.url()).pathname).toBe("/admin/rule-sets/timeouts/review");
    await reviewer.page.getByText(/只读审核视图/).waitFor();
    await reviewer.page.getByText(/王芳 于 .* 提交审核/).waitFor();
    await reviewer.page.locator(".review-page-diff").getByText("（措辞修订）").first().waitFor();
    // read-only: no rule card, no save, the comment the only text to type
    expect(await reviewer.page.getByRole("button", { name: "保存草稿" }).count()).toBe(0);
    expect(await reviewer.page.locator("article.rule-card").count()).toBe(0);
    expect(await reviewer.page.getByTestId("review-page").getByRole("textbox").count()).toBe(1);
    const approve = reviewer.page.getByTestId("review-page").getByRole("button", { name: "批准" });
    await expect.poll(() => approve.isEnabled()).toBe(true);
    await screenshot(reviewer.page, "chinese-first-03-read-only-review");
    await approve.click();
    await expect.poll(() => reviewer.page.getByTestId("review-status").getAttribute("data-state")).toBe("approved");
    expect(unexpected(reviewer.consoleErrors)).toEqual([]);
    await reviewer.context.close();

    // 王芳 publishes in the admin; the history says 王芳, never user:wangfang
    const publisher = await openPage(browser);
    await signInAs(publisher.page, "wangfang", wangfangPassword);
    await publisher.page.getByRole("link", { name: "超时规则" }).first().click();
    await publisher.page.getByRole("button", { name: "发布", exact: true }).click();
    await publisher.page.getByRole("button", { name: "确认发布" }).click();
    await expect.poll(() => publisher.page.getByTestId("active-version").textContent()).toBe("v2");
    await publisher.page
      .getByText(/王芳 于 .* 发布/)
      .first()
      .waitFor();
    await publisher.page.getByRole("link", { name: "版本历史" }).click();
    const publishers = publisher.page.locator(".version-publisher");
    await expect.poll(() => publishers.allTextContents()).toEqual(["王芳", "系统"]);
    expect(await publisher.page.locator("main").textContent()).not.toContain("user:wangfang");
    await screenshot(publisher.page, "chinese-first-04-version-history");
    expect(unexpected(publisher.consoleErrors)).toEqual([]);
    await publisher.context.close();
  });

  it("the audit log's object filter finds 超时规则's entries by its name, each actor named as a person", async () => {
    const { context, page, consoleErrors } = await openPage(browser);
    await signInThroughForm(page, app.url);
    await page.getByRole("link", { name: "审计日志" }).click();
    await page.getByLabel("对象", { exact: true }).fill("超时规则");
    await page.getByRole("button", { name: "查询" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("entityKey")).toBe("timeouts");
    await expect.poll(() => page.locator("tr[data-action]").count()).toBeGreaterThan(2);
    const targets = await page.locator(".audit-target").allTextContents();
    expect(new Set(targets)).toEqual(new Set(["超时规则"]));
    const actors = await page.locator(".audit-actor").allTextContents();
    expect(actors).toEqual(expect.arrayContaining(["王芳", "张伟", "系统"]));
    expect(actors.join()).not.toMatch(/user:|system/);
    // the field keeps the name as typed, the search went by key
    expect(await page.getByLabel("对象", { exact: true }).inputValue()).toBe("超时规则");
    await screenshot(page, "chinese-first-05-audit-by-rule-set-name");

    // part of the name finds it too
    await page.getByLabel("对象", { exact: true }).fill("超时");
    await page.getByText("查询规则集：超时规则").waitFor();
    expect(unexpected(consoleErrors)).toEqual([]);
    await context.close();
  });

  it("a logged decision's case reads as the simulator's form, its reasons with code and message", async () => {
    const decided = await app.decide("refund-eligibility", aCase({ order: { id: "E20261111088", status: "closed" } }));
    expect(decided.status).toBe(200);
    const { context, page, consoleErrors } = await openPage(browser);
    await signInThroughForm(page, app.url);
    await page.getByRole("link", { name: "决策记录" }).click();
    await page.getByLabel("订单号").fill("E20261111088");
    await page.getByRole("button", { name: "查询" }).click();
    await page.getByRole("button", { name: `查看决策 ${decided.body.decisionId}` }).click();
    const dialog = page.getByRole("dialog");
    const form = dialog.locator(".decision-facts-form fieldset.case-view");
    await form.waitFor();
    expect(await form.evaluate((fieldset) => (fieldset as HTMLFieldSetElement).disabled)).toBe(true);
    const status = form.getByLabel("订单状态");
    expect(await status.evaluate((select) => (select as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe(
      "已关闭",
    );
    expect(await form.getByRole("button").count()).toBe(0);
    const reason = dialog.locator(".decision-reason").first();
    expect(await reason.locator(".reason-code").textContent()).toBe("ORDER_CLOSED");
    expect(await reason.locator(".reason-message").textContent()).toBe("订单已关闭，不能申请退款");
    await screenshot(page, "chinese-first-06-decision-case-as-form");

    await dialog.getByRole("button", { name: "JSON", exact: true }).click();
    expect(await dialog.locator(".decision-facts-json").textContent()).toContain('"status": "closed"');
    expect(unexpected(consoleErrors)).toEqual([]);
    await context.close();
  });
});
