import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openPage, screenshot, signIn } from "../helpers/browser.ts";
import { aCase } from "../helpers/fixtures.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

/**
 * The mistakes an editor can make reach the manager in Chinese: a draft saved from the JSON view with a repeated rule
 * name, an unknown fact, a decimal amount of fen and a duration that is none, and a publish refused because a test
 * case fails. The server answers each with a code and params; no English sentence of the server shows on the page.
 */

let app: TestApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([createTestApp({ now: new Date() }), launchBrowser()]);
  expect((await app.call("PUT", "/api/v1/rule-sets/refund-eligibility/settings", { fourEyes: false })).status).toBe(
    200,
  );
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** Three Latin words in a row: a sentence of the server's English, which the Chinese admin must never show. */
const ENGLISH_SENTENCE = /\b[A-Za-z]{2,}\s+[A-Za-z]{2,}\s+[A-Za-z]{2,}\b/;

/** The visible text of what the locator finds. */
async function visibleProse(page: import("playwright-core").Page, locator: string): Promise<string> {
  return (await page.locator(locator).allInnerTexts()).join("\n");
}

type Condition = Record<string, unknown>;
type Rule = { name: string; conditions: { all?: Condition[]; any?: Condition[] } } & Record<string, unknown>;

describe("编辑器能引起的问题都用中文说明", () => {
  it("JSON 视图保存的草稿有重名、未知事实、非整数分和非时长：在规则处逐条用中文说明", async () => {
    const { context, page } = await openPage(browser);
    await signIn(page, app.url);
    await page.goto(`${app.url}/admin/rule-sets/refund-eligibility`);
    await page.locator("article.rule-card").first().waitFor();

    const draft = (await app.call("GET", "/api/v1/rule-sets/refund-eligibility")).body.draft as {
      rules: Rule[];
      defaults: unknown;
      conditions: unknown;
    };
    const rules = structuredClone(draft.rules);
    const [first, second, third] = rules as [Rule, Rule, Rule];
    second.name = first.name;
    third.conditions = {
      all: [
        { fact: "parcel", path: "weight", operator: "equal", value: 1 },
        { fact: "order", path: "paidFen", operator: "greaterThan", value: 8.5 },
        { fact: "elapsed", path: "sinceCompleted", operator: "beyondDuration", value: "15 days" },
      ],
    };
    const text = JSON.stringify({ rules, defaults: draft.defaults, conditions: draft.conditions }, null, 2);

    await page.getByRole("button", { name: "JSON", exact: true }).click();
    const json = page.getByRole("textbox", { name: "规则集 JSON" });
    await json.click();
    await page.keyboard.press("Control+A");
    await page.keyboard.insertText(text);
    await page.getByRole("button", { name: "保存草稿" }).click();
    const summary = page.getByRole("alert").filter({ hasText: "保存失败" });
    await summary.waitFor();
    expect(await summary.textContent()).toContain("有 4 个问题需要修正");
    await screenshot(page, "editor-problems-01-json-draft-refused");

    // each problem at its rule, in the visual editor
    await page.getByRole("button", { name: "可视化编辑" }).click();
    const cards = page.locator("article.rule-card");
    await cards.nth(1).getByRole("button", { name: "编辑" }).click();
    await cards.nth(2).getByRole("button", { name: "编辑" }).click();
    await cards.nth(2).getByText("未知的事实“parcel”").waitFor();
    await screenshot(page, "editor-problems-02-at-the-rules");
    const said = (await cards.allTextContents()).join("\n");
    expect(said).toContain(`规则名“${first.name}”已被另一条规则使用`);
    expect(said).toContain("未知的事实“parcel”");
    expect(said).toContain("实际付款 只能与以分为单位的整数金额比较");
    expect(said).toContain("交易成功后经过 应与一段时长比较，如 7 天（P7D）、48 小时（PT48H）");
    // every problem shown, less the rules' names (the manager's own ids), is Chinese
    const problems = (await visibleProse(page, ".field-error, [role=alert]")).replaceAll(/[a-z0-9]+(-[a-z0-9]+)+/g, "");
    expect(problems).toMatch(/\p{Script=Han}/u);
    expect(problems.match(ENGLISH_SENTENCE)?.[0]).toBeUndefined();
    await context.close();
  });

  it("测试用例未通过时不能发布：中文说明哪个用例未通过", async () => {
    const key = "refund-eligibility";
    // a wording change, so that there is something to publish
    const detail = (await app.call("GET", `/api/v1/rule-sets/${key}`)).body;
    const reworded = detail.draft.rules.map((rule: Rule, i: number) =>
      i === 0 ? { ...rule, description: "交易关闭的订单不能再申请退款。" } : rule,
    );
    const saved = await app.call("PUT", `/api/v1/rule-sets/${key}/draft`, {
      revision: detail.draft.revision,
      rules: reworded,
      defaults: detail.draft.defaults,
      conditions: detail.draft.conditions,
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const cases = (await app.call("GET", `/api/v1/rule-sets/${key}/test-cases`)).body.testCases;
    const failing = await app.call("PUT", `/api/v1/rule-sets/${key}/test-cases`, {
      testCases: [
        ...cases,
        {
          name: "已关闭订单也能退款（错误的期望）",
          facts: aCase({ order: { status: "closed" } }),
          expect: { eligible: true },
        },
      ],
    });
    expect(failing.status, JSON.stringify(failing.body)).toBe(200);
    const { context, page } = await openPage(browser);
    await signIn(page, app.url);
    await page.goto(`${app.url}/admin/rule-sets/refund-eligibility`);
    await page.locator("article.rule-card").first().waitFor();
    await page.getByRole("button", { name: "发布", exact: true }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    const failures = dialog.getByTestId("review-tests").getByRole("alert");
    await failures.waitFor();
    const said = (await failures.textContent()) ?? "";
    expect(said).toContain("已关闭订单也能退款（错误的期望）");
    expect(said).toContain("6 个测试用例中有 1 个未通过，修正后才能继续");
    expect(said.match(ENGLISH_SENTENCE)?.[0]).toBeUndefined();
    expect(await dialog.getByRole("button", { name: "确认发布" }).isDisabled()).toBe(true);
    await screenshot(page, "editor-problems-03-publish-refused-tests-fail");
    await context.close();
  });
});
