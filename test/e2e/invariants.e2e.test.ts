import { join } from "node:path";
import type { Browser, Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openPage, SCREENSHOTS, screenshot, signIn } from "../helpers/browser.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

/**
 * A manager states an invariant in the editor's 不变式 card ("买家拒签 → 退货运费 必须为 买家承担"), saves it, and tries to
 * publish: the shipped rules let a seller-fault refusal put the return on the seller, so the publish is refused with
 * the invariant named and the case that breaks it, which opens in the simulator and shows it broken there.
 */

let app: TestApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([createTestApp({ now: new Date() }), launchBrowser()]);
  // the refusal is the invariant's, not a missing review's
  expect((await app.call("PUT", "/api/v1/rule-sets/shipping-fee/settings", { fourEyes: false })).status).toBe(200);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** One part of the page, for the README. */
async function shot(part: Locator, name: string) {
  await part.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

const unexpected = (errors: string[]) =>
  errors.filter((e) => !/Failed to load resource: the server responded with a status of (401|403|409|422)/.test(e));

describe("不变式：在编辑器中声明，发布时检查", () => {
  it("添加不变式并保存；违反它的草稿不能发布，反例案件在模拟器中打开", async () => {
    const { context, page, consoleErrors } = await openPage(browser);
    await signIn(page, app.url);
    await page.goto(`${app.url}/admin/rule-sets/shipping-fee`);
    const card = page.getByRole("region", { name: "不变式" });
    await card.waitFor();
    // the shipped S12, in words, title first
    const s12 = card.locator('[data-invariant="seller-fault-seller-pays-both-legs"]');
    await expect.poll(() => s12.locator(".invariant-words").textContent()).toContain("退货运费 必须为 卖家承担");

    await card.getByRole("button", { name: "+ 添加不变式" }).click();
    const added = card.locator('[data-invariant="invariant-3"]');
    await added.getByRole("textbox", { name: "标题" }).fill("买家拒签时退货运费由买家承担");
    await added.getByRole("combobox", { name: "事实" }).selectOption({ label: "买家拒签" });
    const expectation = added.locator('[data-expect="returnShippingPayer"]');
    await expectation.getByRole("combobox", { name: "退货运费" }).selectOption({ label: "买家承担" });
    await expect
      .poll(() => added.locator(".invariant-words").textContent())
      .toBe("买家拒签 = 是 → 退货运费 必须为 买家承担");
    await added.scrollIntoViewIfNeeded();
    await screenshot(page, "invariants-01-editor");
    await shot(card, "invariants-01b-card");
    await page.getByRole("button", { name: "保存草稿" }).click();
    await page.getByText(/草稿已保存（修订/).waitFor();
    const saved = (await app.call("GET", "/api/v1/rule-sets/shipping-fee/invariants")).body;
    expect(saved.invariants[2]).toEqual({
      name: "invariant-3",
      title: "买家拒签时退货运费由买家承担",
      conditions: { all: [{ fact: "shipping", path: "deliveryRefused", operator: "equal", value: true }] },
      expect: { returnShippingPayer: "buyer" },
    });

    await page.getByRole("button", { name: "发布", exact: true }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "确认发布" }).click();
    const refusal = dialog.locator('.invariant-refusal[data-invariant="invariant-3"]');
    await refusal.getByText("不能发布：不变式「买家拒签时退货运费由买家承担」会被违反").waitFor();
    expect(await refusal.textContent()).toContain("下面这个案件按草稿决策会违反它");
    await refusal.scrollIntoViewIfNeeded();
    await screenshot(page, "invariants-02-publish-refused");
    await shot(refusal, "invariants-02b-refusal");
    expect((await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body.activeVersion).toBe(1);

    await refusal.getByRole("link", { name: "在模拟器中打开此案件" }).click();
    await page.getByRole("button", { name: "运行模拟" }).click();
    const draft = page.locator(".decision-view").filter({ has: page.getByRole("heading", { name: /^草稿/ }) });
    const payer = draft.locator('[data-field="returnShippingPayer"]');
    await payer.waitFor();
    // the case breaks the invariant: a refused delivery whose return the seller pays
    expect(await payer.textContent()).toContain("卖家承担");
    await screenshot(page, "invariants-03-counterexample-simulated");
    expect(unexpected(consoleErrors)).toEqual([]);
    await context.close();
  });
});
