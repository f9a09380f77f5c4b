import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn as signInThroughForm, launchBrowser, openPage, screenshot } from "../helpers/browser.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";
import { passwordOf } from "../helpers/users.ts";

/**
 * Two editors on the same draft, in real Chromium and in Chinese: changes to different rules are both
 * kept; changes to the same rule lead to a side-by-side choice and nothing is lost; the editor says who
 * saved last and who else has the draft open. After a rollback the admin offers to reset the draft, and
 * says plainly while the draft still carries the rolled-back change.
 */

let app: TestApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([createTestApp({ now: new Date() }), launchBrowser()]);
  for (const [username, displayName] of [
    ["wangfang", "王芳"],
    ["lilei", "李雷"],
  ]) {
    const created = await app.call("POST", "/api/v1/users", {
      username,
      displayName,
      password: passwordOf(username!),
      role: "editor",
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const unexpected = (errors: string[]) =>
  errors.filter((e) => !/Failed to load resource: the server responded with a status of (401|409|422)/.test(e));

/** Signs in through the form as `username`. */
const signInAs = (page: Page, username: string, password: string) =>
  signInThroughForm(page, app.url, username, password);

/** Opens a rule's card and types its description. */
async function describeRule(page: Page, rule: string, text: string) {
  const card = page.getByRole("article", { name: rule });
  if ((await card.getByLabel("说明").count()) === 0) await card.getByRole("button", { name: "编辑" }).click();
  await card.getByLabel("说明").fill(text);
}

const descriptionOf = async (key: string, rule: string) =>
  (await app.call("GET", `/api/v1/rule-sets/${key}`)).body.draft.rules.find((r: any) => r.name === rule).description;

const ANSWERS = "seller-answers-within-5-days";
const MODIFIES = "buyer-modifies-within-7-days-of-a-refusal";
const SHIPS = "buyer-ships-the-return-within-7-days";
const CONFIRMS = "seller-confirms-receipt-within-10-days";

describe("two editors on one draft", () => {
  it("keeps both people's changes, and lets the second choose per rule where both changed the same one", async () => {
    const wang = await openPage(browser);
    const li = await openPage(browser);
    await signInAs(wang.page, "wangfang", passwordOf("wangfang"));
    await signInAs(li.page, "lilei", passwordOf("lilei"));
    await wang.page.goto(`${app.url}/admin/rule-sets/timeouts`);
    await wang.page.getByRole("article", { name: ANSWERS }).waitFor();
    await li.page.goto(`${app.url}/admin/rule-sets/timeouts`);
    await li.page.getByRole("article", { name: ANSWERS }).waitFor();

    // Li opened the draft after Wang: his first heartbeat already finds her
    await expect.poll(() => li.page.getByTestId("also-editing").textContent()).toContain("王芳 也在编辑");
    expect(await li.page.getByTestId("last-saved").textContent()).toMatch(/^最后保存：/);

    // different rules: both saves keep their change
    await describeRule(wang.page, ANSWERS, "王芳：卖家 5 天内处理");
    await describeRule(li.page, MODIFIES, "李雷：买家 7 天内修改");
    await wang.page.getByRole("button", { name: "保存草稿" }).click();
    await wang.page
      .getByText(/草稿已保存/)
      .first()
      .waitFor();
    await li.page.getByRole("button", { name: "保存草稿" }).click();
    await li.page.getByText("已与王芳的修改合并").first().waitFor();
    await screenshot(li.page, "31-draft-merged");
    expect(await descriptionOf("timeouts", ANSWERS)).toBe("王芳：卖家 5 天内处理");
    expect(await descriptionOf("timeouts", MODIFIES)).toBe("李雷：买家 7 天内修改");
    // the editor shows the merged draft, and who saved it last
    expect(await li.page.getByRole("article", { name: ANSWERS }).textContent()).toContain("王芳：卖家 5 天内处理");
    await expect.poll(() => li.page.getByTestId("last-saved").textContent()).toContain("李雷");

    // the same rule: Wang changes it (and another), then Li changes it (and another)
    await describeRule(wang.page, SHIPS, "王芳：买家 7 天内寄回");
    await describeRule(wang.page, CONFIRMS, "王芳：卖家 10 天内确认收货");
    await wang.page.getByRole("button", { name: "保存草稿" }).click();
    await wang.page.getByText("已与李雷的修改合并").first().waitFor();
    await describeRule(li.page, SHIPS, "李雷：买家 7 天内寄回退货");
    await describeRule(li.page, ANSWERS, "李雷：卖家 5 天内答复");
    await li.page.getByRole("button", { name: "保存草稿" }).click();

    const dialog = li.page.getByRole("dialog", { name: "与王芳的修改有冲突" });
    await dialog.waitFor();
    const conflict = dialog.getByRole("group", { name: `规则「${SHIPS}」` });
    expect(await conflict.locator("[data-side=theirs]").textContent()).toContain("王芳：买家 7 天内寄回");
    expect(await conflict.locator("[data-side=mine]").textContent()).toContain("李雷：买家 7 天内寄回退货");
    // only the rule both changed is asked about: Li's other change and Wang's are merged already
    expect(await dialog.getByRole("group").count()).toBe(1);
    expect(await dialog.getByRole("button", { name: "按所选保存" }).isDisabled()).toBe(true);
    await screenshot(li.page, "32-draft-conflict-choice");
    // nothing is saved until Li chooses
    expect(await descriptionOf("timeouts", SHIPS)).toBe("王芳：买家 7 天内寄回");

    await conflict.getByRole("radio", { name: "保留我的" }).check();
    await dialog.getByRole("button", { name: "按所选保存" }).click();
    await li.page.getByText("已与王芳的修改合并").first().waitFor();
    await dialog.waitFor({ state: "detached" });
    expect(await descriptionOf("timeouts", SHIPS)).toBe("李雷：买家 7 天内寄回退货");
    expect(await descriptionOf("timeouts", ANSWERS)).toBe("李雷：卖家 5 天内答复");
    expect(await descriptionOf("timeouts", CONFIRMS)).toBe("王芳：卖家 10 天内确认收货");
    expect(await descriptionOf("timeouts", MODIFIES)).toBe("李雷：买家 7 天内修改");
    expect(await li.page.getByTestId("unsaved").count()).toBe(0);

    // Wang reloads: she sees Li in the editor too, and the draft as it now is
    await wang.page.reload();
    await expect.poll(() => wang.page.getByTestId("also-editing").textContent()).toContain("李雷 也在编辑");
    expect(await wang.page.getByRole("article", { name: SHIPS }).textContent()).toContain("李雷：买家 7 天内寄回退货");
    await screenshot(wang.page, "33-draft-presence");

    expect(unexpected(wang.consoleErrors)).toEqual([]);
    expect(unexpected(li.consoleErrors)).toEqual([]);
    await wang.context.close();
    await li.context.close();
  });
});

describe("the draft after a rollback", () => {
  it("offers to reset the draft to the version rolled back to, and says so while the draft still carries the change", async () => {
    const key = "shipping-fee";
    const rule = "seller-agreed-to-pay-the-return";
    expect((await app.call("PUT", `/api/v1/rule-sets/${key}/settings`, { fourEyes: false })).status).toBe(200);
    /** Saves a reworded rule as the draft and publishes it: the change that will be rolled back. */
    const publishChange = async (text: string) => {
      const detail = (await app.call("GET", `/api/v1/rule-sets/${key}`)).body;
      const rules = detail.draft.rules.map((r: any) => (r.name === rule ? { ...r, description: text } : r));
      expect(
        (await app.call("PUT", `/api/v1/rule-sets/${key}/draft`, { revision: detail.draftRevision, rules })).status,
      ).toBe(200);
      const published = await app.call("POST", `/api/v1/rule-sets/${key}/publish`, { note: text });
      expect(published.status, JSON.stringify(published.body)).toBe(200);
      return published.body.version as number;
    };
    const original = await descriptionOf(key, rule);
    const { context, page, consoleErrors } = await openPage(browser);
    await signInAs(page, "admin", "test-admin-password");

    const rollBackTo = async (version: number) => {
      await page.goto(`${app.url}/admin/rule-sets/${key}/versions`);
      await page
        .getByRole("row", { name: `v${version}`, exact: true })
        .getByRole("button", { name: "回滚到此版本" })
        .click();
      await page.getByRole("button", { name: "确认回滚" }).click();
      return page.getByRole("dialog", { name: `已回滚到 v${version}` });
    };

    // the offer, taken at once
    const bad = await publishChange("会被回滚的修改");
    const offer = await rollBackTo(bad - 1);
    await offer.waitFor();
    expect(await offer.textContent()).toContain("仍带着被回滚的修改");
    await screenshot(page, "34-rollback-reset-offer");
    await offer.getByRole("button", { name: `把草稿重置为版本 ${bad - 1}` }).click();
    await page
      .getByText(/草稿已重置为版本/)
      .first()
      .waitFor();
    let detail = (await app.call("GET", `/api/v1/rule-sets/${key}`)).body;
    expect(detail.draftDiffers).toBe(false);
    expect(await descriptionOf(key, rule)).toBe(original);
    expect(await page.getByTestId("rollback-notice").count()).toBe(0);

    // the offer put off: the rule set page says plainly that the draft still carries the change
    const again = await publishChange("又一次会被回滚的修改");
    const later = await rollBackTo(again - 1);
    await later.getByRole("button", { name: "暂不处理" }).click();
    const notice = page.getByTestId("rollback-notice");
    await notice.waitFor();
    const active = (await app.call("GET", `/api/v1/rule-sets/${key}`)).body.activeVersion as number;
    expect(await notice.textContent()).toContain(
      `当前生效的 v${active} 是回滚到 v${again - 1} 的结果，但草稿仍带着被回滚的修改`,
    );
    await page.getByRole("link", { name: "规则", exact: true }).click();
    await notice.waitFor();
    await screenshot(page, "35-rollback-notice");
    await notice.getByRole("button", { name: `把草稿重置为版本 ${active}` }).click();
    await notice.waitFor({ state: "detached" });
    detail = (await app.call("GET", `/api/v1/rule-sets/${key}`)).body;
    expect(detail.draftDiffers).toBe(false);
    expect(await page.getByRole("article", { name: rule }).textContent()).not.toContain("又一次会被回滚的修改");
    expect(unexpected(consoleErrors)).toEqual([]);
    await context.close();
  });
});
