import { join } from "node:path";
import type { Browser, Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openPage, SCREENSHOTS, screenshot, signIn } from "../helpers/browser.ts";
import { aCase } from "../helpers/fixtures.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

/**
 * The Double 11 leak, replayed: the campaign rule was published as a version window for 11-11 to 11-21 and stayed in
 * the draft; an unrelated wording fix is then published. The publish dialog shows what goes live, says the window is
 * scheduled, warns in red that the Double 11 rule would go live now and makes the manager choose; removing it
 * publishes only the wording fix.
 */

let app: TestApp;
let browser: Browser;
// 2026-10-01 10:00 in Beijing, weeks before Double 11
const start = new Date("2026-10-01T02:00:00Z");
beforeAll(async () => {
  [app, browser] = await Promise.all([createTestApp({ now: start }), launchBrowser()]);
  expect((await app.call("PUT", "/api/v1/rule-sets/shipping-fee/settings", { fourEyes: false })).status).toBe(200);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const unexpected = (errors: string[]) =>
  errors.filter((e) => !/Failed to load resource: the server responded with a status of (401|409|422)/.test(e));

/** Double 11 as the manager first wrote it: no window of its own, the version window was to bound it. */
const double11 = {
  name: "double-11-seller-pays-return",
  title: "双十一：包邮商品七天无理由退货由卖家承担运费",
  description: "双十一活动",
  priority: 350,
  enabled: true,
  conditions: {
    all: [
      { fact: "refund", path: "reason", operator: "equal", value: "no_reason_7d" },
      { fact: "order", path: "freeShipping", operator: "equal", value: true },
      // orders from 99 yuan: the seeded test cases name no amount, so they pass with the rule in the draft
      { fact: "order", path: "paidFen", operator: "greaterThanInclusive", value: 9_900 },
    ],
  },
  event: { type: "seller-pays-return", params: { returnShippingPayer: "seller" } },
};

/** Who pays the return of a free-shipping seven-day return decided on 2026-11-05, before Double 11. */
async function payerBeforeDouble11(extra: Record<string, unknown> = {}) {
  const facts = aCase({
    now: "2026-11-05T10:00:00+08:00",
    order: { freeShipping: true, deliveredAt: "2026-11-01T10:00:00+08:00" },
    refund: { reason: "no_reason_7d", returnGoods: true },
  });
  const res = await app.decide("shipping-fee", facts, extra);
  expect(res.status).toBe(200);
  return res.body.decision.returnShippingPayer as string;
}

async function shot(part: Locator, name: string) {
  await part.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

describe("publishing while Double 11 is scheduled as a version window", () => {
  it("shows what goes live, warns about the Double 11 rule and publishes only the wording fix once it is removed", async () => {
    const before = await payerBeforeDouble11();
    expect(before).toBe("buyer");

    // Double 11 scheduled as a version window: 11-11 00:00 to 11-21 00:00 Beijing time; the rule stays in the draft
    const draft = (await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body.draft;
    const saved = await app.call("PUT", "/api/v1/rule-sets/shipping-fee/draft", {
      revision: draft.revision,
      rules: [double11, ...draft.rules],
    });
    expect(saved.status).toBe(200);
    const window = await app.call("POST", "/api/v1/rule-sets/shipping-fee/publish", {
      note: "双十一",
      activateAt: "2026-11-11T00:00:00+08:00",
      until: "2026-11-21T00:00:00+08:00",
    });
    expect(window.status).toBe(200);
    const activeBefore = (await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body.activeVersion as number;
    expect(window.body.version).toBeGreaterThan(activeBefore);
    // the campaign's version would make the seller pay at once: the rule itself has no window
    expect(await payerBeforeDouble11({ version: window.body.version })).toBe("seller");

    const { page, context, consoleErrors } = await openPage(browser);
    await signIn(page, app.url);
    await page.goto(`${app.url}/admin/rule-sets/shipping-fee`);

    // an unrelated wording fix
    const card = page.getByRole("article", { name: "seller-agreed-to-pay-the-return" });
    await card.getByRole("button", { name: "编辑" }).click();
    await card.locator(".rule-description-field textarea").fill("卖家同意承担退货运费时，由卖家承担（措辞修订）。");
    await page.getByRole("button", { name: "保存草稿" }).click();
    await page.getByTestId("unsaved").waitFor({ state: "detached" });

    await page.getByRole("button", { name: "发布", exact: true }).click();
    const dialog = page.getByRole("dialog");
    // the window, said plainly in Beijing time
    await dialog
      .getByText(
        `已安排：版本 v${window.body.version} 将于 2026-11-11 00:00 生效，2026-11-21 00:00 交还给版本 v${activeBefore}`,
      )
      .waitFor();
    // what goes live: the wording fix and the Double 11 rule, against the active version
    await dialog.getByText(`将要生效的修改（草稿对比当前版本 v${activeBefore}）`).waitFor();
    const warning = dialog.locator(".publish-campaign-warning");
    await warning.getByText("现在发布会让它们立即生效").waitFor();
    expect(await warning.textContent()).toContain("双十一：包邮商品七天无理由退货由卖家承担运费");
    expect(await warning.evaluate((el) => getComputedStyle(el).color)).toBe("rgb(198, 40, 40)");
    // a choice is required: nothing is chosen for the manager
    const confirm = dialog.getByRole("button", { name: "确认发布" });
    expect(await confirm.isDisabled()).toBe(true);
    expect(await dialog.getByRole("radio", { checked: true }).count()).toBe(0);
    await screenshot(page, "campaign-publish-01-warning");
    await shot(dialog, "campaign-publish-01b-warning-dialog");

    // remove the campaign's rule from the draft: saved, and the diff shown again without it
    await dialog.getByRole("radio", { name: "只发布草稿中的其他修改：先从草稿中移除这些规则" }).check();
    await dialog.getByRole("button", { name: "从草稿中移除并保存" }).click();
    const removed = dialog.getByText("已从草稿中移除并保存：双十一：包邮商品七天无理由退货由卖家承担运费");
    await removed.waitFor();
    await warning.waitFor({ state: "detached" });
    const afterRemoval = (await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body.draft.rules as {
      name: string;
    }[];
    expect(afterRemoval.map((rule) => rule.name)).not.toContain(double11.name);
    await expect.poll(() => confirm.isDisabled()).toBe(false);
    await removed.scrollIntoViewIfNeeded();
    await shot(dialog, "campaign-publish-02-removed");

    await confirm.click();
    await dialog.waitFor({ state: "detached" });
    const detail = (await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body;
    // the answer says what the publish means for the window, and the admin says it
    await page
      .getByText(`已安排的版本 v${window.body.version} 于 2026-11-21 00:00 结束时将交还给 v${detail.activeVersion}`, {
        exact: false,
      })
      .waitFor();
    expect(detail.activeVersion).toBeGreaterThan(window.body.version);
    const active = (await app.call("GET", `/api/v1/rule-sets/shipping-fee/versions/${detail.activeVersion}`)).body;
    const names = (active.rules as { name: string; description: string }[]).map((rule) => rule.name);
    expect(names).not.toContain(double11.name);
    expect(
      active.rules.find((rule: { name: string }) => rule.name === "seller-agreed-to-pay-the-return").description,
    ).toBe("卖家同意承担退货运费时，由卖家承担（措辞修订）。");
    // a free-shipping seven-day return before 11-11 is decided as before
    expect(await payerBeforeDouble11()).toBe(before);
    // the window is still scheduled, untouched
    const { schedules } = (await app.call("GET", "/api/v1/rule-sets/shipping-fee/schedules")).body;
    expect(schedules.filter((s: { status: string }) => s.status === "scheduled")).toHaveLength(1);
    await screenshot(page, "campaign-publish-03-published");
    expect(unexpected(consoleErrors)).toEqual([]);
    await context.close();
  });
});
