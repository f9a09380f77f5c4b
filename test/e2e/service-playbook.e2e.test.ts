import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openPage, screenshot, signIn } from "../helpers/browser.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

/**
 * A manager opens 售后服务指引 (the S19 playbook), raises the compensation for a delivery more than three days late
 * from ¥10 to ¥15 and adds 转主管处理 to its actions, saves, and simulates a parcel five days late: the draft answers
 * the new steps in words and in order, the active version the old ones. Then a reply template written for parcels a
 * week late is published, and the manager picks it by its title in the rule's 回复模板 field.
 */

const RULE = "late-delivery-beyond-three-days-compensate";
let app: TestApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([createTestApp({ now: new Date() }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe("售后服务指引：编辑处理步骤与补偿金额", () => {
  it("改为补偿 15 元并转主管，保存后在模拟器中看到草稿与生效版本的不同", async () => {
    const { context, page, consoleErrors } = await openPage(browser);
    await signIn(page, app.url);
    await page.locator('[data-key="service-playbook"]').getByText("售后服务指引").waitFor();
    await page.goto(`${app.url}/admin/rule-sets/service-playbook`);
    await page.getByRole("heading", { name: "售后服务指引", level: 1 }).waitFor();

    const card = page.getByRole("article", { name: RULE });
    // the rule in words before it is opened: the steps by name, in order, and the amount in yuan
    expect(await card.textContent()).toContain(
      "到货延迟天数 > 3 → 处理步骤: 道歉、下次购物补偿（下次有礼），补偿金额: ¥10.00",
    );
    await card.getByRole("button", { name: "编辑" }).click();
    const amount = card.getByRole("textbox", { name: "补偿金额" });
    await expect.poll(() => amount.inputValue()).toBe("10.00");
    await amount.fill("15");
    await amount.press("Tab");
    const actions = card.getByRole("group", { name: "处理步骤" });
    expect(await actions.getByRole("checkbox", { name: "道歉" }).isChecked()).toBe(true);
    await actions.getByRole("checkbox", { name: "转主管处理" }).check();
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, "playbook-01-outcome-edited");
    await page.getByRole("button", { name: "保存草稿" }).click();
    await page.getByText(/草稿已保存（修订/).waitFor();
    const saved = (await app.call("GET", "/api/v1/rule-sets/service-playbook")).body.draft.rules.find(
      (rule: { name: string }) => rule.name === RULE,
    );
    expect(saved.event.params).toEqual({
      actions: ["apologise", "compensate_next_order", "escalate"],
      compensationFen: 1500,
    });

    // a parcel five days late, handed to the simulator as the decision log hands one over
    await page.evaluate(() =>
      sessionStorage.setItem(
        "asr.simulator.facts",
        JSON.stringify({
          facts: { order: { status: "delivered" }, problem: { kind: "late_delivery", daysLate: 5 } },
        }),
      ),
    );
    await page.getByRole("link", { name: "模拟器" }).click();
    await page.getByRole("button", { name: "运行模拟" }).click();
    const side = (heading: RegExp) =>
      page.locator(".decision-view").filter({ has: page.getByRole("heading", { name: heading }) });
    const draft = side(/^草稿/);
    await draft.locator('[data-field="actions"]').waitFor();
    expect(await draft.locator('[data-field="actions"]').textContent()).toContain(
      "道歉 → 下次购物补偿（下次有礼） → 转主管处理",
    );
    expect(await draft.locator('[data-field="compensationFen"]').textContent()).toContain("¥15.00");
    expect(await draft.locator('[data-field="template"]').textContent()).toContain("到货延迟");
    const active = side(/^当前版本/);
    expect(await active.locator('[data-field="compensationFen"]').textContent()).toContain("¥10.00");
    await screenshot(page, "playbook-02-simulated");
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("在规则的“回复模板”中按标题选择新发布的模板，保存后决策给出它", async () => {
    // the template written and published under 回复模板 (its own browser test edits one there)
    const created = await app.call("PUT", "/api/v1/reply-templates/vip_late_apology/draft", {
      revision: 0,
      title: "到货延迟一周以上：致歉",
      zh: "亲，订单{orderNo}迟了{days}天，非常抱歉！送您{compensation}。",
      en: "Your order {orderNo} is {days} days late: here is {compensation}.",
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const published = await app.call("POST", "/api/v1/reply-templates/vip_late_apology/publish", {
      revision: created.body.draft.revision,
    });
    expect(published.status).toBe(200);

    const { context, page, consoleErrors } = await openPage(browser);
    await signIn(page, app.url);
    await page.goto(`${app.url}/admin/rule-sets/service-playbook`);
    await page.getByRole("heading", { name: "售后服务指引", level: 1 }).waitFor();
    const card = page.getByRole("article", { name: RULE });
    await card.getByRole("button", { name: "编辑" }).click();
    await card.getByRole("checkbox", { name: "设置“回复模板”" }).check();
    const select = card.getByRole("combobox", { name: "回复模板" });
    // the published templates by their titles, the new one among the starting ones
    await expect.poll(() => select.locator("option").allTextContents()).toContain("到货延迟一周以上：致歉");
    await select.selectOption({ label: "到货延迟一周以上：致歉" });
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, "playbook-03-template-chosen");
    await page.getByRole("button", { name: "保存草稿" }).click();
    await page.getByText(/草稿已保存（修订/).waitFor();
    const saved = (await app.call("GET", "/api/v1/rule-sets/service-playbook")).body.draft.rules.find(
      (rule: { name: string }) => rule.name === RULE,
    );
    expect(saved.event.params.template).toBe("vip_late_apology");
    // the rule in words names the template by its title, as the manager chose it
    await expect.poll(() => card.textContent()).toContain("回复模板: 到货延迟一周以上：致歉");
    await screenshot(page, "playbook-04-template-saved");
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
